"""Clean: find the title, drop boilerplate lines, and cut the rest into paragraphs.

Nothing is rewritten: the title and paragraphs are spans into ``Article.text``, and
every dropped line is recorded with a reason for the audit table. Boilerplate is found
by line features (length, sentence punctuation, position, vocabulary of share/comment/
navigation words, caption and byline shapes), not by any outlet's literal strings, and
by repetition: a line that one outlet prints in 3+ of its articles is a template.
What only the whole page shows is found with ``furniture``: listing pages (dropped whole),
photo galleries, teaser blocks after a "read also" marker; and here, a page header glued
to the first line (the headline printed twice around the site name, menus and date) and
the closing block walked back from the page's end (tags, teaser lists, footer).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

import polars as pl

from . import schema
from .furniture import (
    GALLERY,
    LISTING,
    TEASER,
    content_words,
    gallery_lines,
    is_listing,
    page_header,
    teaser_lines,
)
from .records import Article, CleanArticle, DroppedLine, Span
from .text.normalize import clean_display, fold_letters, match_key

REPEATED_MIN_ARTICLES = 3
# A "related" line this short is a block marker ("Read also", "Most read"), not a link.
MARKER_MAX_WORDS = 5
# Before a closing-furniture marker, a credit or byline ("Source: ...") of this many words.
TAIL_CREDIT_WORDS = 8

# Line terminators: CRLF, LF or a lone CR. Offsets are into the original text.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_EDGE = "\\s\u00a0\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff"
_LEAD = re.compile(f"^[{_EDGE}]+")
_TRAIL = re.compile(f"[{_EDGE}]+$")
_SENT_END = re.compile(r"[.!?؟…۔]['\"”’»)\]]*\s*$")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_NUMBER_LINE = re.compile(r"^[\d٠-٩۰-۹\s.,:;/%+\-–—()#]+$")


def _w(words: str) -> list[str]:
    """Whitespace-separated word lists, written as text for readability."""
    return words.split()


def _keyset(words: Iterable[str]) -> frozenset[str]:
    return frozenset(match_key(w) for w in words)


def _phrases(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(match_key(w) for w in words)


# Words that make up share/social/print widgets. A short line made only of these (and
# digits: share counts) is a widget, whatever the order.
_SHARE_WORDS = _keyset(
    _w("""share shares shared sharing tweet tweets email e-mail print close copy link url
    facebook twitter x whatsapp telegram linkedin pinterest reddit messenger viber on via
    this article story page the to with friends save bookmark
    شارك شاركها شاركوا مشاركة المشاركة انشر نشر طباعة اطبع إغلاق اغلاق أغلق أغلق
    فيسبوك فيس بوك تويتر واتساب واتس آب تلغرام تيليغرام تليجرام لينكدإن إنستغرام انستغرام
    البريد الإلكتروني الالكتروني بريد على عبر المقال الخبر الصفحة رابط نسخ الرابط
    حفظ أرسل ارسل لصديق مع""")
)
_SHARE_CORE = _keyset(
    _w("""share tweet email print close facebook twitter whatsapp telegram linkedin
    شارك مشاركة المشاركة انشر طباعة إغلاق فيسبوك تويتر واتساب تلغرام""")
)
# Navigation / section words: a short line of only these is a category strip.
_NAV_WORDS = _keyset(
    _w("""home news world politics business economy sport sports opinion video videos photos
    middle east africa europe asia americas us uk international local analysis culture
    tech technology health science latest breaking top stories more menu search
    الرئيسية رئيسية أخبار الأخبار اخبار خبر سياسة السياسة اقتصاد الاقتصاد رياضة الرياضة
    عربي العربي عالمي دولي الدولي محلي محليات منوعات تقارير تقرير مقالات رأي الرأي فيديو
    صور الصور ثقافة تكنولوجيا صحة علوم عاجل آخر الأخبار المزيد بحث القائمة""")
)
_COMMENT = _phrases(
    [
        "اترك تعليقا", "اترك تعليق", "اترك ردا", "اترك رد", "أضف تعليقا", "أضف تعليق", "اكتب تعليقا",
        "اكتب تعليق", "التعليقات", "تعليقات", "لن يتم نشر عنوان بريدك", "الحقول الإلزامية",
        "الحقول المطلوبة", "leave a comment", "leave a reply", "post a comment", "add a comment",
        "add comment", "comments", "email address will not be published", "required fields are marked",
    ]
)
_RELATED = _phrases(
    [
        "اقرأ أيضا", "إقرأ أيضا", "اقرأ ايضا", "اقرأ المزيد", "اقرأ كذلك", "شاهد أيضا", "طالع أيضا",
        "انظر أيضا", "شاهد ايضا", "مقالات ذات صلة", "أخبار ذات صلة", "مواضيع ذات صلة",
        "المواضيع الأكثر قراءة", "الأكثر قراءة", "الأكثر مشاهدة", "الأكثر تداولا", "قد يعجبك أيضا",
        "قد يهمك أيضا", "read also", "read more", "also read", "see also", "related", "related articles",
        "related stories", "more on this", "most read", "most popular", "you may also like",
        "recommended", "مختارات", "اخترنا لك", "أخبار متعلقة", "مواضيع متعلقة", "موضوعات ذات صلة",
        "أخبار ذات علاقة", "أهم العناوين", "أحدث المقالات", "المزيد من الأخبار", "ننصحك بقراءة", "قد يعجبك",
        "more stories", "trending", "editor's picks", "top stories",
    ]
)
_CAPTION = _phrases(
    [
        "صورة من الإنترنت", "صورة أرشيفية", "صورة تعبيرية", "صورة ارشيفية", "مصدر الصورة",
        "الصورة", "صورة", "تصوير", "photo", "photos", "photo credit", "image", "credit", "getty images",
        "file photo", "pictured", "picture", "caption",
    ]
)
_CAPTION_RX = re.compile(r"^\(?(?:" + "|".join(map(re.escape, _CAPTION)) + r")\s*[:：]")
_CAPTION_ANY = _phrases(["صورة من الإنترنت", "صورة أرشيفية", "صورة تعبيرية", "مصدر الصورة", "getty images", "file photo"])
_STAFF = _phrases(
    [
        "فريق التحرير", "هيئة التحرير", "التحرير", "المحرر", "محرر", "مراسل", "مراسلنا", "مراسلة",
        "خاص", "وكالات", "editorial team", "editorial", "staff", "editor", "correspondent", "reporter",
        "newsroom", "news desk", "desk", "agencies", "wires", "wire services",
    ]
)
_BYLINE_START = _phrases(["by", "written by", "reporting by", "بقلم", "كتب", "كتبت", "كتبه", "إعداد", "تحرير", "المصدر", "source"])
_FOOTER = _phrases(["جميع الحقوق محفوظة", "all rights reserved", "copyright", "حقوق النشر"])
_AD = _keyset(["إعلان", "اعلان", "advertisement", "sponsored", "ad", "محتوى مدفوع", "برعاية"])
_FOLLOW = _phrases(["تابعونا على", "تابعنا على", "follow us", "subscribe", "اشترك في", "اشترك الآن", "sign up"])
_DATE_START = _phrases(["published", "updated", "last updated", "نشر في", "آخر تحديث", "تاريخ النشر", "نشر بتاريخ"])
_MONTH_WORDS = _keyset(
    _w("""january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec am pm gmt utc
    يناير فبراير مارس أبريل ابريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر كانون
    شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين الثاني الأول الاثنين الثلاثاء الأربعاء
    الخميس الجمعة السبت الأحد monday tuesday wednesday thursday friday saturday sunday""")
)
_BREADCRUMB = re.compile(r"\s[>»›|/]\s|\s[>»›]$")
# Phrases that open page furniture running to the end of the line, often glued to the
# last sentence of a scraped page ("... انتهى الاجتماع . جميع الحقوق محفوظة لموقع ...").
_GLUED_TAIL = {
    "footer": _phrases(["جميع الحقوق محفوظة", "كل الحقوق محفوظة", "الحقوق محفوظة", "all rights reserved",
                        "copyright", "powered by"]),
    "signin": _phrases(["please enable javascript", "your browser does not support", "sign up with your email",
                        "user login", "تسجيل الدخول", "اشترك في النشرة", "اشترك فى النشرة"]),
    "comment": _phrases(["تم إرسال تعليقك", "أضف تعليقك", "اترك تعليقا"]),
}
# Phrases that open a page's closing furniture (tag lists, teaser lists, footers).
_TAIL_MARKERS = {
    "related": _phrases(["اقرأ أيضا", "إقرأ أيضا", "شاهد أيضا", "طالع أيضا", "الأكثر قراءة", "الأكثر مشاهدة",
                         "الأكثر تداولا", "أخبار متعلقة", "أخبار ذات صلة", "مقالات ذات صلة", "مواضيع ذات صلة",
                         "موضوعات ذات صلة", "قد يعجبك أيضا", "مختارات", "أهم العناوين", "أحدث المقالات",
                         "يتم قراءة الآن", "related articles", "related stories", "most read", "most popular",
                         "you may also like", "more stories"]),
    "tags": _phrases(["كلمات مفتاحية", "الكلمات المفتاحية", "الكلمات الدلالية", "الوسوم", "keywords"]),
    "footer": _GLUED_TAIL["footer"],
    "signin": _GLUED_TAIL["signin"],
}
_TOKEN = re.compile(r"\S+")
_Info = list[tuple[int, int, int, str]]  # (line no, start, end, display) per line


def _starts(key: str, phrases: Sequence[str]) -> bool:
    return any(key == p or key.startswith(p + " ") for p in phrases)


def _contains(key: str, phrases: Sequence[str]) -> bool:
    padded = f" {key} "
    return any(f" {p} " in padded for p in phrases)


def classify_line(line: str, *, position: str = "body") -> str | None:
    """The boilerplate reason for one line, or None when it is content.

    ``position`` is ``head`` (before the first body sentence), ``tail`` (after the last
    one) or ``body``; some shapes (a lone word, a short unpunctuated line) are only
    boilerplate at the edges of an article.
    """
    disp = clean_display(line)
    if not disp:
        return None
    if len(disp.split()) > 20 and _HAS_LETTER.search(disp):
        # Only a "read also: <headline>" link is boilerplate at this length.
        head = match_key(" ".join(disp.split()[:6]))
        if _starts(head, _RELATED) and re.match(r"^[^:：]{1,30}[:：]", disp):
            return "related"
        return None
    key = match_key(disp)
    toks = key.split()
    n = len(toks)
    ends_sentence = bool(_SENT_END.search(disp))
    if _NUMBER_LINE.match(disp) or not _HAS_LETTER.search(disp):
        return "number"
    if n <= 15 and _contains(key, _COMMENT) and (n <= 8 or "نشر" in key or "publish" in key):
        return "comment"
    if _starts(key, _RELATED) and (n <= 4 or re.match(r"^[^:：]{1,30}[:：]", disp) or not ends_sentence):
        return "related"
    if n <= 8 and all(t in _SHARE_WORDS or t.isdigit() for t in toks) and any(t in _SHARE_CORE for t in toks):
        return "share"
    if n <= 8 and _starts(key, _FOLLOW):
        return "share"
    if (n <= 12 and _contains(key, _FOOTER)) or disp.startswith("©"):
        return "footer"
    if n <= 3 and key in _AD:
        return "ad"
    if n <= 6 and not ends_sentence and all(t in _NAV_WORDS for t in toks):
        return "category"
    if n <= 20 and _contains(key, _CAPTION_ANY):
        return "caption"
    if n <= 20 and not ends_sentence and _CAPTION_RX.match(fold_letters(disp.casefold())):
        return "caption"
    if n <= 14 and not ends_sentence and re.search(r"\s[/|©]\s*[^/|©]{1,40}$", disp) and len(re.split(r"\s[/|©]\s*", disp)[-1].split()) <= 4:
        return "caption"
    if n <= 10 and not ends_sentence:
        parts = re.split(r"\s[–—\-|]\s", disp)
        if len(parts) >= 2 and any(match_key(p) in _STAFF or _contains(match_key(p), _STAFF) for p in parts[1:] + parts[:1]):
            return "byline"
        if _starts(key, _BYLINE_START) and (":" in disp[:20] or n <= 6):
            return "byline"
    if n <= 8 and (_starts(key, _DATE_START) or sum(t.isdigit() or t in _MONTH_WORDS for t in toks) >= max(2, n - 1)):
        return "date"
    if n <= 10 and not ends_sentence and (key.startswith(("tags", "الوسوم", "كلمات مفتاحية", "الكلمات الدلالية")) or (_BREADCRUMB.search(disp) and n <= 8 and position == "head")):
        return "category"
    if n == 1 and not ends_sentence:
        # A lone word: glued category strip at the top, outlet signature at the bottom.
        if position == "head" or len(toks[0]) >= 12:
            return "category"
        return "byline" if position == "tail" else "fragment"
    if position == "tail" and n <= 4 and not ends_sentence:
        return "byline"
    return None


def _find_phrase(text: str, start: int, end: int, table: dict[str, tuple[str, ...]],
                 first: int) -> tuple[int, str, int] | None:
    """The first phrase of ``table`` in ``text[start:end]`` from word ``first`` on: its
    offset, its reason and its word index."""
    toks = [(m.start(), match_key(m.group())) for m in _TOKEN.finditer(text, start, end)]
    toks = [(p, k) for p, k in toks if k]
    keys = [k for _, k in toks]
    for i in range(first, len(toks)):
        for reason, phrases in table.items():
            for phrase in phrases:
                words = phrase.split()
                if keys[i:i + len(words)] == words:
                    return toks[i][0], reason, i
    return None


def glued_tail(text: str, start: int, end: int) -> tuple[int, str] | None:
    """Where trailing furniture glued to a kept line begins, and its reason: the first
    furniture phrase after at least three words of the line (a line that opens with one
    is left to ``classify_line``)."""
    hit = _find_phrase(text, start, end, _GLUED_TAIL, 3)
    return (hit[0], hit[1]) if hit else None


def _tail_block(article: Article, info: _Info, content: list[int], reasons: dict[int, str],
                glued: list[DroppedLine], cut_lines: set[int]) -> None:
    """The page's closing furniture: walking back from the last line, each line holding a
    tail marker (tags, "read also", "most read" ...) is dropped from the marker on (whole,
    when what comes before it is a short unpunctuated credit), with the headline-like lines
    after it; the walk stops at the first sentence line without a marker."""
    text = article.text
    pending: list[int] = []
    for i in reversed(content):
        if i in reasons:
            continue
        no, s, e, disp = info[i]
        hit = _find_phrase(text, s, e, _TAIL_MARKERS, 0)
        if hit is None:
            if _is_sentence_line(disp) and not _headline_like(disp):
                break
            pending.append(i)
            continue
        cut, reason, k = hit
        head = clean_display(text[s:cut])
        reasons.update(dict.fromkeys(pending, reason))
        pending = []
        if k < 3 or (len(head.split()) <= TAIL_CREDIT_WORDS and not _SENT_END.search(head)):
            reasons[i] = reason
            continue
        s2, e2 = _trim(text, s, cut)
        info[i] = (no, s2, e2, clean_display(text[s2:e2]))
        glued.append(DroppedLine(article.article_id, article.source, no, cut, e, text[cut:e], reason))
        cut_lines.add(i)
        break


def _lines(text: str) -> list[tuple[int, int, int]]:
    """(line number, start, end) of every line, end excluding the line break."""
    out: list[tuple[int, int, int]] = []
    for i, m in enumerate(_LINE.finditer(text), start=1):
        s, e = m.start(), m.end()
        if s == e and s == len(text) and out:
            break
        raw = text[s:e]
        out.append((i, s, s + len(raw.rstrip("\r\n"))))
        if e == len(text):
            break
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    lead = _LEAD.match(piece)
    trail = _TRAIL.search(piece)
    s = start + (lead.end() if lead else 0)
    e = end - (len(trail.group()) if trail else 0)
    return (s, e) if e > s else (s, s)


def _is_sentence_line(disp: str) -> bool:
    return len(disp.split()) >= 8 or (bool(_SENT_END.search(disp)) and len(disp.split()) >= 4)


def _headline_like(disp: str) -> bool:
    n = len(disp.split())
    return (1 <= n <= 30 and not re.search(r"[.!:؛;،,]['\"”’»)]*$", disp)) or disp.endswith(("..", "…", "?", "؟"))


def _line_info(text: str) -> _Info:
    info = []
    for no, s, e in _lines(text):
        s2, e2 = _trim(text, s, e)
        info.append((no, s2, e2, clean_display(text[s2:e2])))
    return info


def _line_reasons(article: Article, info: _Info, content: list[int], repeated: frozenset[str],
                  reasons: dict[int, str]) -> tuple[list[DroppedLine], set[int]]:
    """Fill ``reasons`` with each furniture line's reason; cut furniture glued to the end of
    a kept line (``info`` is updated in place). Returns the cut pieces and the cut lines."""
    text = article.text
    sentence_idx = [i for i in content if _is_sentence_line(info[i][3])]
    first_body = sentence_idx[0] if sentence_idx else 0
    last_body = sentence_idx[-1] if sentence_idx else len(info) - 1
    glued: list[DroppedLine] = []  # furniture cut off the end of a kept line
    cut_lines: set[int] = set()
    for i in content:
        if i in reasons:
            continue
        disp = info[i][3]
        pos = "head" if i < first_body else "tail" if i > last_body else "body"
        r = classify_line(disp, position=pos)
        if r is None and repeated and match_key(disp) in repeated:
            r = "repeated"
        if r is not None:
            reasons[i] = r
            continue
        tail = glued_tail(text, info[i][1], info[i][2])
        if tail is not None:
            cut, reason = tail
            no, s, e, _ = info[i]
            s2, e2 = _trim(text, s, cut)
            info[i] = (no, s2, e2, clean_display(text[s2:e2]))
            glued.append(DroppedLine(article.article_id, article.source, no, cut, e, text[cut:e], reason))
            cut_lines.add(i)
    return glued, cut_lines


def _find_title(article: Article, info: _Info, kept: list[int]) -> int | None:
    """The given title found in the first kept lines, else a headline-like first line."""
    if article.title:
        tkey = match_key(article.title)
        for i in kept[:5]:
            k = match_key(info[i][3])
            if tkey and (k == tkey or (k.startswith(tkey) and len(tkey) >= 0.8 * len(k)) or (tkey.startswith(k) and len(k) >= 0.8 * len(tkey))):
                return i
    elif len(kept) > 1 and _headline_like(info[kept[0]][3]):
        # A lone line with nothing after it is the article, not its headline.
        return kept[0]
    return None


def _teasers(article: Article, info: _Info, content: list[int], reasons: dict[int, str],
             title_idx: int | None) -> set[int]:
    """Lines of a teaser block after a lone "read also" / "most read" marker line."""
    markers = {i for i in content if reasons.get(i) == "related" and len(info[i][3].split()) <= MARKER_MAX_WORDS}
    if not markers:
        return set()
    kept = [i for i in content if i not in reasons and i != title_idx and i < min(markers)]
    topic_text = " ".join([article.title or ""] + ([info[title_idx][3]] if title_idx is not None else [])
                          + [info[i][3] for i in kept[:2]])
    lines = [d if i in content and i not in reasons else "" for i, (_, _, _, d) in enumerate(info)]
    return teaser_lines(lines, markers, set(content_words(topic_text)))


def _paragraphs(text: str, info: _Info, content: list[int], reasons: dict[int, str],
                title_idx: int | None, cut_lines: set[int]) -> list[Span]:
    has_blank = any(not d for (_, _, _, d) in info[(content[0] if content else 0) : (content[-1] + 1 if content else 0)])
    paragraphs: list[Span] = []
    block: list[int] = []

    def flush() -> None:
        if block:
            s, e = info[block[0]][1], info[block[-1]][2]
            paragraphs.append(Span(s, e, text[s:e]))
            block.clear()

    for i, (_, _, _, disp) in enumerate(info):
        if not disp or i in reasons or i == title_idx:
            flush()
            continue
        if not has_blank or i in cut_lines:
            flush()
        block.append(i)
        if i in cut_lines:  # what follows it on the page was cut: the paragraph ends here
            flush()
    flush()
    return paragraphs


def _split_header(article: Article, info: _Info, glued: list[DroppedLine]) -> None:
    """Cut a glued page header (``furniture.page_header``) off the first line: the line becomes the title
    copy and the text after the last copy, with what lay between them dropped."""
    first = next((k for k, row in enumerate(info) if row[3]), None)
    if first is None or len(info) - first < 2:
        return
    no, s, e, _ = info[first]
    found = page_header(article.text, s, e)
    if found is None:
        return
    t0, t1, rest = found
    text = article.text
    for a, b in ((s, t0), (t1, rest)):
        if clean_display(text[a:b]):
            glued.append(DroppedLine(article.article_id, article.source, no, a, b, text[a:b], "header"))
    s2, e2 = _trim(text, rest, e)
    info[first:first + 1] = [(no, t0, t1, clean_display(text[t0:t1])), (no, s2, e2, clean_display(text[s2:e2]))]


def _clean_one(article: Article, repeated: frozenset[str]) -> CleanArticle:
    text = article.text
    info = _line_info(text)
    reasons: dict[int, str]
    glued: list[DroppedLine] = []
    if is_listing(article.url, [d for (_, _, _, d) in info]):
        content = [i for i, (_, _, _, d) in enumerate(info) if d]
        reasons = dict.fromkeys(content, LISTING)
        cut_lines: set[int] = set()
        title_idx = None
    else:
        _split_header(article, info, glued)
        content = [i for i, (_, _, _, d) in enumerate(info) if d]
        reasons = dict.fromkeys(gallery_lines([d for (_, _, _, d) in info]), GALLERY)
        cut, cut_lines = _line_reasons(article, info, content, repeated, reasons)
        glued += cut
        _tail_block(article, info, content, reasons, glued, cut_lines)
        title_idx = _find_title(article, info, [i for i in content if i not in reasons])
        reasons.update(dict.fromkeys(_teasers(article, info, content, reasons, title_idx), TEASER))
    paragraphs = _paragraphs(text, info, content, reasons, title_idx, cut_lines)
    title_span = None
    if title_idx is not None:
        _, s, e, _ = info[title_idx]
        title_span = Span(s, e, text[s:e])
    dropped = tuple(sorted(
        [DroppedLine(article.article_id, article.source, info[i][0], info[i][1], info[i][2], text[info[i][1] : info[i][2]], r)
         for i, r in reasons.items()] + glued,
        key=lambda d: (d.line, d.start),
    ))
    return CleanArticle(article=article, title_span=title_span, paragraphs=tuple(paragraphs), dropped=dropped)


def _repeated_keys(articles: Sequence[Article]) -> dict[str, frozenset[str]]:
    """Per outlet: line keys printed in REPEATED_MIN_ARTICLES or more *different* articles.

    The same story ingested twice (or scraped twice with small changes) is not a
    template: articles whose lines mostly coincide (Jaccard >= 0.5) count once.
    """
    lines_of: dict[str, frozenset[str]] = {}
    seen: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for a in articles:
        line_keys = frozenset(k for _, s, e in _lines(a.text) if (k := match_key(a.text[s:e])))
        lines_of[a.article_id] = line_keys
        for k in line_keys:
            seen[a.outlet][k].append(a.article_id)
    jaccard: dict[tuple[str, str], float] = {}

    def similar(x: str, y: str) -> bool:
        pair = (x, y) if x < y else (y, x)
        if pair not in jaccard:
            a, b = lines_of[x], lines_of[y]
            jaccard[pair] = len(a & b) / max(1, len(a | b))
        return jaccard[pair] >= 0.5

    out: dict[str, frozenset[str]] = {}
    for outlet, keys in seen.items():
        templates = set()
        for k, ids in keys.items():
            if len(ids) < REPEATED_MIN_ARTICLES:
                continue
            distinct: list[str] = []
            for i in ids:
                if not any(similar(i, j) for j in distinct):
                    distinct.append(i)
                    if len(distinct) >= REPEATED_MIN_ARTICLES:
                        templates.add(k)
                        break
        out[outlet] = frozenset(templates)
    return out


def clean_articles(articles: list[Article]) -> list[CleanArticle]:
    """Title span, paragraph spans and dropped-line records for every article, in order.

    A paragraph is a block of lines between blank lines, or a single line when the
    article has no blank lines; dropped lines and the title split blocks. A paragraph
    that repeats an earlier one of the same article is kept (the duplicate audit
    reports it). ``Span.text`` and ``DroppedLine.text`` are the raw slices of
    ``Article.text``; the frames carry their display form.
    """
    repeated = _repeated_keys(articles)
    return [_clean_one(a, repeated.get(a.outlet, frozenset())) for a in articles]


def dropped_frame(cleaned: Sequence[CleanArticle]) -> pl.DataFrame:
    """Every dropped line with its reason (schema.DROPPED), by article then line."""
    rows: list[dict[str, object]] = [
        {
            "article_id": d.article_id,
            "outlet": c.article.outlet,
            "source": d.source,
            "line": d.line,
            "start": d.start,
            "end": d.end,
            "text": clean_display(d.text),
            "reason": d.reason,
        }
        for c in cleaned
        for d in c.dropped
    ]
    return schema.frame(rows, schema.DROPPED)


def paragraphs_frame(cleaned: Sequence[CleanArticle]) -> pl.DataFrame:
    """Title (paragraph 0) and body paragraphs (1..) with display text and match key."""
    rows: list[dict[str, object]] = []
    for c in cleaned:
        a = c.article
        units: list[tuple[int, Span]] = [(0, c.title_span)] if c.title_span else []
        units += [(i, p) for i, p in enumerate(c.paragraphs, start=1)]
        for n, span in units:
            disp = clean_display(span.text)
            rows.append(
                {
                    "paragraph_id": f"{a.article_id}:p{n}",
                    "article_id": a.article_id,
                    "outlet": a.outlet,
                    "source": a.source,
                    "date": a.date,
                    "paragraph": n,
                    "start": span.start,
                    "end": span.end,
                    "text": disp,
                    "key": match_key(disp),
                }
            )
    return schema.frame(rows, schema.PARAGRAPHS)

"""Segment: cut titles and paragraphs into claims (sentences, then clauses) with speakers.

Sentence ends: ``. ! ? ؟ … ؛ ;`` (also with no space after them), except inside numbers
(2.5, 17.02.2020), after abbreviations (U.S., Dr., د.), inside closed quotations
(“...”, "...", «...») and in words broken with ``ـ.ـ``. A sentence that reports two
things joined by a reporting connector ("، مشيرا إلى أن", "مضيفا", ", adding that") is
cut into clauses, and so is a long sentence where "، و" opens a second statement
("، وحتى الآن لم نتمكن ..."; see ``_joins_statement``). Reported speech gets its speaker
(a short noun phrase); continuation sentences (وأضاف، وتابع، He added) inherit the
previous speaker of the article.

Every claim's ``start``/``end`` index ``Article.text`` so that
``clean_display(article.text[start:end]) == text``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import polars as pl

from . import schema
from .records import Article, CleanArticle, Span
from .text.normalize import clean_display, fold_letters, match_key, strip_marks
from .text.numbers import extract_numbers


def _w(words: str) -> list[str]:
    """Whitespace-separated word lists, written as text for readability."""
    return words.split()


_TATWEEL = "\u0640"
_TERMINATORS = ".!?؟…۔؛;"
_CLOSERS = "\"'”’»)]"
_OPENERS = {"“": "”", "«": "»", "„": "”"}
_SPACE = re.compile(r"[\s\u00a0\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_WORD = re.compile(r"[^\W_][\w\u0610-\u061a\u064b-\u065f\u0670\u0640'’.-]*")
_ABBREV = frozenset(
    _w("""mr mrs ms dr prof st jr sr gen col lt sgt capt cpt maj gov sen rep inc ltd co corp vs etc
    no nos e.g i.e a.m p.m approx dept est fig jan feb mar apr jun jul aug sep sept oct nov dec
    u.s u.k u.n e.u mt ft
    د م ص ج ق.م أ ش ت ه""")
)


# --- sentences ---------------------------------------------------------------------------


def quote_regions(text: str) -> list[tuple[int, int]]:
    """Closed quotations as (start, end) offsets, end after the closing mark.

    Curly and guillemet pairs nest; a straight quote toggles. A closing ” with nothing
    open, after a space or colon and before a letter, opens (outlets use it both ways).
    Unclosed openings protect nothing, so a stray mark cannot swallow a paragraph.
    """
    stack: list[tuple[str, int]] = []
    out: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        if ch in _OPENERS:
            stack.append((_OPENERS[ch], i))
        elif ch in "”»":
            if stack and stack[-1][0] == ch:
                out.append((stack.pop()[1], i + 1))
            elif ch == "”" and not stack:
                prev = text[i - 1] if i else " "
                nxt = text[i + 1 : i + 2]
                if (prev.isspace() or prev in ":：") and (nxt.isalpha() or nxt.isspace()):
                    stack.append(("”", i))
        elif ch == '"':
            if stack and stack[-1][0] == '"':
                out.append((stack.pop()[1], i + 1))
            else:
                stack.append(('"', i))
    return sorted(out)


def _protected(text: str, regions: list[tuple[int, int]]) -> list[bool]:
    mask = [False] * len(text)
    for s, e in regions:
        for i in range(s + 1, e - 1):
            mask[i] = True
    return mask


def _word_before(text: str, i: int) -> str:
    j = i
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    return text[j:i].casefold()


_NON_SPACE = re.compile(r"\S")
_SPACED_DECIMAL = re.compile(r".*(?<!\d)\d{1,3} \. \d", re.DOTALL)


def _is_boundary_dot(text: str, i: int) -> bool:
    prev = text[i - 1] if i else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if prev.isdigit() and nxt.isdigit():
        return False  # 2.5, 17.02.2020
    if _SPACED_DECIMAL.fullmatch(text[max(i - 5, 0) : i + 3]):
        return False  # "7 . 3", "11 . 04 . 2017": scraped text with spaced-out punctuation (not "2013 . 3")
    if prev == _TATWEEL or nxt == _TATWEEL:
        return False  # العسـ.ـكريين
    word = _word_before(text, i)
    if word and (word in _ABBREV or (len(word) == 1 and word.isalpha()) or re.fullmatch(r"(?:\w\.)+\w", word)):
        return False
    if nxt and nxt.isascii() and nxt.isalpha():
        return False  # example.com, a lower-case continuation
    # Search instead of slicing the rest: a slice per dot is quadratic on one huge paragraph.
    m = _NON_SPACE.search(text, i + 1)
    first = m.group() if m else ""
    return not (first.islower() and first.isascii())


def _ends_quote(piece: str, i: int, ends: set[int]) -> bool:
    """Whether the terminator at ``i`` is the last thing inside a closed quotation."""
    j = i
    while j < len(piece) and piece[j] in _TERMINATORS:
        j += 1
    return j < len(piece) and piece[j] in _CLOSERS and (j + 1) in ends


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets within ``text[start:end]``, trimmed of spaces."""
    piece = text[start:end]
    regions = quote_regions(piece)
    mask = _protected(piece, regions)
    ends = {e for _, e in regions}
    cuts: list[int] = []
    i, n = 0, len(piece)
    while i < n:
        ch = piece[i]
        if ch in _TERMINATORS and not mask[i]:
            if ch == "." and not _is_boundary_dot(piece, i) and not (i + 1 < n and piece[i + 1] == "."):
                i += 1
                continue
            j = i
            while j < n and piece[j] in _TERMINATORS:
                j += 1
            if piece[i:j] in (".", "..") and j < n and piece[j].isdigit():
                i = j
                continue
            while j < n and piece[j] in _CLOSERS:
                j += 1
            if j >= n or _SPACE.match(piece[j]) or piece[j].isalpha() or piece[j] in "“«\"(":
                cuts.append(j)
            i = j
            continue
        elif ch in _TERMINATORS and _ends_quote(piece, i, ends):
            # "... we will stay." Then: a quotation that ends a sentence ends it too.
            j = i
            while j < n and (piece[j] in _TERMINATORS or piece[j] in _CLOSERS):
                j += 1
            m = _NON_SPACE.search(piece, j)
            first = m.group() if m else ""
            if j < n and _SPACE.match(piece[j]) and first and (first.isupper() or not first.isascii()):
                cuts.append(j)
            i = j
            continue
        i += 1
    spans: list[tuple[int, int]] = []
    prev = 0
    for c in [*cuts, n]:
        s, e = _trim(piece, prev, c)
        prev = c
        if e <= s:
            continue
        if not any(ch.isalnum() for ch in piece[s:e]):
            if spans:  # a stray closing mark: glue it to the sentence before
                spans[-1] = (spans[-1][0], e)
            continue
        spans.append((s, e))
    return [(start + s, start + e) for s, e in spans]


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and _SPACE.match(text[s]):
        s += 1
    while e > s and _SPACE.match(text[e - 1]):
        e -= 1
    return s, e


# --- clauses -----------------------------------------------------------------------------

_MARKS = "[\u064b-\u0652\u0640]*"
_PARTICIPLE = re.compile(
    r"(?:(?<=\s)|(?<=[،,]))(?:(?:مشير|مضيف|لافت|موضح|مؤكد|مشدد|منوه|معتبر|مبين|محذر|منوّه)"
    + _MARKS
    + r"(?:ا|ة|ين|ان)?"
    # مذكرة (memorandum), داعية (preacher) are nouns: only the -ا/-ين forms count here.
    + r"|(?:مذك" + _MARKS + r"ر|داعي|معرب)" + _MARKS + r"(?:ا|ين))"
    + _MARKS
    + r"(?=[\s،,:“«\"])"
)
_FINITE = re.compile(r"[،,]\s*(?=و(?:أكد|أضاف|أشار|أوضح|لفت|تابع|شدد|قال|اعتبر|حذر)(?:ت)?\b)")
_ENGLISH = re.compile(
    r",\s+(?=(?:adding|noting|stressing|saying|warning|insisting|claiming|pointing out)\b|and (?:added|said|noted|warned)\b)"
)


# A long sentence often joins two statements with "، و": "، وحتى الآن لم نتمكن ..." (and
# so far we could not ...), "، وتتهم السوريين ..." (and it accuses the Syrians ...). Each
# is a claim of its own that another outlet may carry alone, so such sentences are cut
# there too, also inside a quotation (both parts keep the quote's speaker). Short
# sentences and short parts are left whole: there the comma mostly lists names or places.
_ARABIC_WORD = "[\u0621-\u064a\u064b-\u0652\u0640]+"
_JOINED = re.compile(r"[،,]\s*(?=(و" + _ARABIC_WORD + r"(?:\s+" + _ARABIC_WORD + r")?))")
# Not every "، و" opens a statement: lists ("، والطعام الفاخر"), verbal nouns ("،
# وتعيين الحكم"), words whose و is their own first letter (وسام), relative clauses
# (والذي) and adjuncts (وفقا ل، ولا سيما) do not. So the word after و must open a
# clause: a particle or pronoun that starts one (لم، قد، حتى، هذا، هو ...), a verb by its
# shape (imperfect يـ/تـ/سيـ, perfect ending -ت/-وا/-تا, a form VIII/IV perfect ا.../أ...,
# a three-letter perfect), or a definite noun followed by an imperfect verb
# ("، والإرهابيون يواصلون"). Measured on CheckThat tweets, see the README.
_CLAUSE_OPENERS = frozenset(
    _w("""لم لن قد لقد حتى عندما حين لكن لكنه لكنها هذا هذه هذان هاتان هؤلاء هو هي هم هن هما نحن أنا
    كان كانت كانوا كانتا مازال مؤخرا حاليا لاحقا سابقا أمس""")
)
_VERBAL_NOUN = re.compile(r"^(?:ت[\u0621-\u064a]{2}ي[\u0621-\u064a]|إ[\u0621-\u064a]{2}ا[\u0621-\u064a]|عدم)$")
_FUNCTION = frozenset(
    _w("""من في على إلى الى عن مع بعد قبل عند بين غير كل بعض مثل نحو ضد لدى حول خلال منذ أن ان إن
    أنه انه أنها انها ذلك تلك""")
)
_RELATIVE = frozenset(_w("الذي التي الذين اللذين اللتين اللواتي اللاتي"))
_SUFFIX = re.compile(r"(?:ها|هم|هما|هن|ه|نا)$")


def _looks_verb(word: str) -> bool:
    """A verb by its shape alone (no lexicon): good enough to tell "، وتتهم" from
    "، وتعيين" and "، ونفقات"."""
    w = _SUFFIX.sub("", word) if len(word) > 4 else word
    if len(w) < 3 or w.startswith("ال") or w.endswith("ة") or w in _FUNCTION or _VERBAL_NOUN.match(w):
        return False  # a verb never ends in ة; particles and prepositions are no verbs
    if (w[0] in "يت" and len(w) >= 4 and not w.endswith("ا")) or (w.startswith(("سي", "ست")) and len(w) >= 5):
        return True  # imperfect / future ("تحديدا", an adverb, ends in ا)
    if (w.endswith("ت") and not w.endswith("ات")) or w.endswith(("وا", "تا")):
        return True  # perfect: she / they / the two did
    if w[0] in "اأ" and len(w) >= 4:
        return True  # perfect of derived forms: اتفق، ابتعد، أعلن
    return len(w) == 3  # three-letter perfect: نزل، نشر، لقي


def _joins_statement(words: list[str]) -> bool:
    """Do ``words`` (the first starting with و) open a second statement?"""
    words = [strip_marks(w) for w in words]  # "وتُلزم" reads as "وتلزم"
    first = words[0][1:]
    if first == "ذلك" or first.startswith("فق") or first in _RELATIVE:
        return False  # "، وذلك بعد ...", "، وفقا ل ...", "، والذي ...": adjunct, attribution, relative
    if first in _CLAUSE_OPENERS or _looks_verb(first):
        return True
    nxt = words[1] if len(words) > 1 else ""
    return first.startswith("ال") and nxt[:1] in ("ي", "ت") and len(nxt) >= 4


_JOINED_SENTENCE_WORDS = 20  # only sentences at least this long
_JOINED_PART_WORDS = 5  # and only where both sides keep at least this many words


def _n_words(s: str) -> int:
    return len(_WORD.findall(s))


# A claim states something: a piece of fewer words ("11 .", "أ .", "مفاجأة", a heading
# like "انتصار الأسد") is a fragment of layout or an initial, not a statement.
MIN_CLAIM_WORDS = 3


def states_nothing(text: str) -> bool:
    return _n_words(text) < MIN_CLAIM_WORDS


def split_fragments(claims: pl.DataFrame, articles: Sequence[Article]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(claims that state something, the fragments as dropped-line rows, reason "fragment").

    Fragments keep their offsets, so the audit table shows where each was cut from."""
    short = claims["text"].map_elements(states_nothing, return_dtype=pl.Boolean)
    fragments = claims.filter(short)
    texts = {a.article_id: a.text for a in articles}
    rows = [
        {"article_id": r["article_id"], "outlet": r["outlet"], "source": r["source"],
         "line": texts[r["article_id"]].count("\n", 0, r["start"]) + 1, "start": r["start"], "end": r["end"],
         "text": r["text"], "reason": "fragment"}
        for r in fragments.iter_rows(named=True)
    ]
    return claims.filter(~short), schema.frame(rows, schema.DROPPED)


def clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clauses of one sentence: cut before a reporting connector outside quotes when
    both sides keep at least three words, and in long sentences before a joined
    statement (``_JOINED``). The comma before the cut stays out."""
    piece = text[start:end]
    mask = _protected(piece, quote_regions(piece))
    points: dict[int, int] = {}  # cut position -> words each side must keep
    for rx in (_PARTICIPLE, _FINITE, _ENGLISH):
        for m in rx.finditer(piece):
            p = m.start() if rx is _PARTICIPLE else m.end()
            if 0 < p < len(piece) and not mask[p]:
                points[p] = 3
    if _n_words(piece) >= _JOINED_SENTENCE_WORDS:
        for m in _JOINED.finditer(piece):
            if 0 < m.end() < len(piece) and _joins_statement(m.group(1).split()):
                points.setdefault(m.end(), _JOINED_PART_WORDS)
    spans: list[tuple[int, int]] = []
    prev = 0
    for p in sorted(points):
        need = points[p]
        if _n_words(piece[prev:p]) >= need and _n_words(piece[p:]) >= need:
            spans.append((prev, p))
            prev = p
    spans.append((prev, len(piece)))
    out = []
    for s, e in spans:
        s, e = _trim(piece, s, e)
        while e > s and (piece[e - 1] in "،,:" or _SPACE.match(piece[e - 1])):
            e -= 1
        if e > s:
            out.append((start + s, start + e))
    return out


# --- speakers ----------------------------------------------------------------------------


def _fold(tok: str) -> str:
    return fold_letters(tok)


_AR_VERBS = frozenset(
    _fold(v)
    for v in _w("""قال قالت قالا أكد أكدت أكدا أشار أشارت أوضح أوضحت زعم زعمت أعلن أعلنت صرح صرّح صرحت
    ذكر ذكرت أضاف أضافت شدد شددت لفت لفتت اعتبر اعتبرت أعرب أعربت نفى نفت حذر حذرت طالب طالبت
    دعا دعت كشف كشفت أفاد أفادت أبرز أبرزت تحدث تحدثت أردف أردفت اعترف اعترفت اتهم اتهمت نوه
    نوهت ادعى ادعت يؤكدان يؤكدون أكدوا قالوا رأى رأت أعربت أبلغ أبلغت
    يقول تقول يؤكد تؤكد يعلن تعلن يرى ترى يأمل تأمل يحذر تحذر ينفي تنفي يتهم تتهم يعتبر تعتبر
    يشير تشير يكشف تكشف يطالب تطالب يدعو تدعو أدلى أدلت""")
)
# Only as sentence-initial continuations (زاد also means "increased", تابع "follower").
_CONTINUATION = frozenset(_fold(v) for v in _w("وتابع وتابعت وأردف وأردفت وزاد وزادت واستطرد وختم وختمت وأضاف وأضافت"))
_AMBIGUOUS_CONT = frozenset(_fold(v) for v in _w("وزاد وزادت وتابع وتابعت"))
_SPEECH_MARK = frozenset(_fold(v) for v in _w("أن إن ان أنه إنه أنها إنها بأن"))
_AR_STOP = frozenset(
    _fold(w)
    for w in _w("""أن إن ان أنه إنه أنها إنها أنهم إنهم أنّ إنّ إلى الى على عن في من خلال يوم اليوم أمس غدا
    الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد صباح مساء بعد قبل مع أمام لدى عبر فيما حيث كما بينما ثم لكن يذكر يشار
    وفقا وفقاً بحسب حسب أثناء إثر عقب قد الذي التي الذين بأن بان بشأن حول ضمن مؤخرا سابقا أيضا
    ببيان بتصريح بتصريحات بحديث""")
)
_AR_LEAD = frozenset(_fold(w) for w in _w("وكان كان وكانت كانت"))
_AR_SOURCE = re.compile(r"(?:وفقا|وفقاً|بحسب|حسب|نقلا عن|نقلاً عن)\s+(?:ل(?=\S))?")
_MASDAR = re.compile(r"^(?:است\w{2,}ا\w|ت\w{1,2}ي\w|ان\w\wا\w|ضرور\w*)$")
_EN_VERBS = "said|says|told|added|stated|claimed|announced|noted|stressed|warned|insisted|confirmed|denied|reported|argued|rejected|accused"
_EN_CONJ = frozenset(_w("while and but as after because although though which who when where if since so"))
_EN_PRONOUN = frozenset(_w("he she they it we i"))
_EN_CONT = re.compile(r"^(?:He|She|They|It)\s+(?:added|continued|went on|said)\b")
_TOKEN = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u0640]+(?:[.'’][\w]+)*|[^\w\s]")
_QUOTES = "“”«»\"„"


def _elide(words: list[str]) -> str:
    return " ".join(words) if len(words) <= 10 else " ".join([*words[:3], "…", *words[-2:]])


def _strip_prefix(fold: str) -> str:
    return fold[1:] if len(fold) > 3 and fold[0] in "وف" else fold


def _np_after(toks: list[str], k: int) -> list[str]:
    """Noun phrase right after a verb: stops at a preposition, 'that', punctuation."""
    words: list[str] = []
    seen_definite = False
    i = k
    while i < len(toks) and len(words) < 12:
        t = toks[i]
        if t in _QUOTES:
            # A name in quotes (“سيرغي لافروف”) belongs to the phrase; a quotation ends it.
            j = i + 1
            inner: list[str] = []
            while j < len(toks) and toks[j] not in _QUOTES and len(inner) <= 4:
                inner.append(toks[j])
                j += 1
            if j < len(toks) and len(inner) <= 3 and inner and all(_WORD.fullmatch(w) for w in inner) and words:
                words += inner
                i = j + 1
                continue
            if j < len(toks) and len(inner) <= 3 and inner and not words and all(_WORD.fullmatch(w) for w in inner):
                nxt = toks[j + 1] if j + 1 < len(toks) else ""
                if nxt in (":", "،", ",") or _fold(nxt) in _AR_STOP:
                    words += inner
                    i = j + 1
                    continue
            break
        if not _WORD.fullmatch(t):
            break
        f = _fold(t)
        if f in _AR_STOP or f.startswith("لل") or _strip_prefix(f) in _AR_VERBS or f in _AR_VERBS:
            break
        definite = f.startswith("ال")
        if definite and re.search("(?:هما|هم|ها)$", f):
            break  # التزامهما: a verbal noun with a pronoun, not a definite subject
        if seen_definite and not definite and _MASDAR.match(f):
            break
        seen_definite = seen_definite or definite
        words.append(t)
        i += 1
    return words


def _np_like(prefix: list[str]) -> bool:
    """Words before a verb that can be its subject (الكرملين أشار، أوغلو أبرز)."""
    if not 1 <= len(prefix) <= 5 or not all(_WORD.fullmatch(w) for w in prefix):
        return False
    folds = [_fold(w) for w in prefix]
    if any(f in _AR_STOP or _strip_prefix(f) in _AR_STOP for f in folds):
        return False
    return not (folds[0][:1] in "وف" and folds[0][1:].startswith("ال"))


def _arabic_speaker(disp: str, is_title: bool) -> tuple[str | None, bool]:
    toks = _TOKEN.findall(disp)
    if not toks:
        return None, False
    if is_title and ":" in toks[:6]:
        before = toks[: toks.index(":")]
        if before and all(_WORD.fullmatch(t) for t in before) and not any(_strip_prefix(_fold(t)) in _AR_VERBS for t in before):
            return _elide(before), False
    first = _fold(toks[0])
    if first in _CONTINUATION:
        np = _np_after(toks, 1)
        if np and first in _AMBIGUOUS_CONT:
            # وزاد عدد القتلى = "the toll rose": a subject only when speech follows it.
            nxt = toks[1 + len(np)] if 1 + len(np) < len(toks) else ""
            if not (nxt in _QUOTES or nxt in ":،," or _fold(nxt) in _SPEECH_MARK):
                return None, False
        return (_elide(np), False) if np else (None, True)
    in_quote = False
    words_seen = 0
    for k, t in enumerate(toks):
        if t in _QUOTES:
            in_quote = not in_quote if t in "\"" else t in "“«„" or (t == "”" and not in_quote and k > 0 and toks[k - 1] in (":",))
            continue
        if in_quote or not _WORD.fullmatch(t):
            continue
        words_seen += 1
        if words_seen > 12:
            break
        f = _fold(t)
        if f not in _AR_VERBS and _strip_prefix(f) not in _AR_VERBS:
            continue
        prefix = toks[:k]
        if prefix and _fold(prefix[0]) in _AR_LEAD:
            np = [w for w in prefix[1:] if _WORD.fullmatch(w) and _fold(w) != "قد"]
            if 0 < len(np) <= 8:
                return _elide(np), False
        elif _np_like(prefix):
            return _elide(prefix), False
        np = _np_after(toks, k + 1)
        if np:
            return _elide(np), False
        return None, True
    m = _AR_SOURCE.search(disp)
    if m:
        np = _np_after(_TOKEN.findall(disp[m.end() :]), 0)
        if np:
            return _elide(np), False
    return None, False


_EN_AFTER_COMMA = re.compile(rf",\s+((?:[\w'.-]+\s+){{0,5}}?[\w'.-]+)\s+(?:{_EN_VERBS})\b[^,]*[.!?]?$")
_EN_SAID_NP = re.compile(r"[,\"”]\s*(?:said|says|added)\s+((?:the\s+)?[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,4})")
_EN_APPOSITIVE = re.compile(rf"^([A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){{0,4}}),[^,]{{1,80}},\s+(?:{_EN_VERBS})\b")
_EN_SUBJECT = re.compile(rf"^(?:(?:But|And|However|Meanwhile|Earlier|Later),?\s+)?((?:[\w'.-]+\s+){{0,5}}?[\w'.-]+)\s+(?:{_EN_VERBS})\b")
_EN_ACCORDING = re.compile(r"(?i)\baccording to\s+((?:[\w'.-]+\s*){1,6}?)(?=[,.;]|$)")


def _english_speaker(disp: str) -> tuple[str | None, bool]:
    if _EN_CONT.match(disp):
        return None, True
    for rx in (_EN_AFTER_COMMA, _EN_SAID_NP, _EN_APPOSITIVE, _EN_SUBJECT, _EN_ACCORDING):
        m = rx.search(disp)
        if m:
            np = m.group(1).strip().rstrip(".,")
            if not np or np.split()[0].casefold() in _EN_CONJ:
                continue
            if np.casefold() in _EN_PRONOUN:
                return None, True
            if any(c in np for c in _QUOTES):
                continue
            return np, False
    return None, False


def find_speaker(disp: str, is_title: bool = False) -> tuple[str | None, bool]:
    """(speaker, inherits): the reported speaker of a sentence, or whether it continues
    the previous speaker's words (وأضاف، He added, a reporting verb with no subject)."""
    letters = [c for c in disp if c.isalpha()]
    latin = sum(c.isascii() for c in letters)
    if letters and latin > len(letters) / 2:
        return _english_speaker(disp)
    return _arabic_speaker(disp, is_title)


# --- claims ------------------------------------------------------------------------------


def claim_id(article_id: str, start: int, end: int) -> str:
    return "c" + hashlib.sha1(f"{article_id}:{start}:{end}".encode()).hexdigest()[:12]


def _quoted_words(text: str, start: int, end: int, regions: list[tuple[int, int]]) -> int:
    n = 0
    for s, e in regions:
        s, e = max(s, start), min(e, end)
        if e > s:
            n += _n_words(text[s:e])
    return n


def _sentences(unit: Span, text: str, is_title: bool) -> list[tuple[int, int]]:
    if is_title:  # a headline is one claim, ".." and all
        s, e = _trim(text, unit.start, unit.end)
        return [(s, e)] if e > s else []
    return sentence_spans(text, unit.start, unit.end)


def segment_claims(cleaned: Sequence[CleanArticle]) -> pl.DataFrame:
    """The claims table (schema.CLAIMS): per article, the title (paragraph 0, is_title)
    then body sentences and their clauses, in text order."""
    rows: list[dict[str, object]] = []
    for c in cleaned:
        a = c.article
        text = a.text
        units: list[tuple[int, Span]] = [(0, c.title_span)] if c.title_span else []
        units += [(i, p) for i, p in enumerate(c.paragraphs, start=1)]
        last_speaker: str | None = None
        for pno, unit in units:
            is_title = pno == 0
            regions = [(unit.start + s, unit.start + e) for s, e in quote_regions(text[unit.start : unit.end])]
            for sno, (ss, se) in enumerate(_sentences(unit, text, is_title)):
                sdisp = clean_display(text[ss:se])
                speaker, inherits = find_speaker(sdisp, is_title)
                if speaker is None and inherits:
                    speaker = last_speaker
                if speaker is not None and not is_title:
                    last_speaker = speaker
                clauses = [(ss, se)] if is_title else clause_spans(text, ss, se)
                for cno, (cs, ce) in enumerate(clauses):
                    disp = clean_display(text[cs:ce])
                    if not any(ch.isalnum() for ch in disp):
                        continue
                    words = _n_words(disp)
                    quoted = _quoted_words(text, cs, ce, regions)
                    rows.append(
                        {
                            "claim_id": claim_id(a.article_id, cs, ce),
                            "article_id": a.article_id,
                            "outlet": a.outlet,
                            "source": a.source,
                            "row": a.row,
                            "title": a.title if a.title else (clean_display(c.title_span.text) if c.title_span else None),
                            "date": a.date,
                            "url": a.url,
                            "paragraph": pno,
                            "sentence": sno,
                            "clause": cno,
                            "start": cs,
                            "end": ce,
                            "text": disp,
                            "key": match_key(disp),
                            "speaker": speaker,
                            "is_quote": quoted >= 3 and quoted * 3 >= words,
                            "is_title": is_title,
                            "numbers": extract_numbers(disp),
                        }
                    )
    return schema.frame(rows, schema.CLAIMS)

"""Page furniture that only the whole page shows, beside ``clean``'s line rules.

- **Listing pages.** A page of other articles' teasers, not an article: its text is a run
  of truncated teasers (``...``) each followed by the same separator or dateline, or its
  URL has a tag, author, category, date-archive, search or home shape and its text cuts
  off several items. The whole page is dropped.
- **Photo galleries.** Captions of a gallery repeat the gallery's title before each one
  ("In pictures: <title> ? <caption>"): a prefix of six or more words that opens three
  or more lines marks the block from its first to its last occurrence.
- **Page headers.** "Title | Site Menu Date Title Lead ...": the headline printed twice
  around the site's header on the first line (``page_header``).
- **Teaser blocks.** After a lone "read also" / "most read" marker line, the lines that
  follow are other articles' headlines, up to the first sentence that is about the
  article itself (shares its title and lead's words).

Everything here reads display lines (``clean_display``) by index; ``clean`` turns the
indices it gets back into dropped-line records with these reasons.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from urllib.parse import parse_qsl, unquote, urlparse

from .text.normalize import match_key

LISTING = "listing page"
GALLERY = "caption"
TEASER = "related"

GALLERY_MIN_LINES = 3
GALLERY_PREFIX_WORDS = 6  # a gallery title; a shared four-word opening is a list or a style
GALLERY_MAX_GAP = 5  # lines from one caption's prefix to the next
GLUED_CREDIT_WORDS = 12  # a credit or byline glued before a gallery caption is this short
# A teaser run needs this many truncated items with the same opener after the "...".
LISTING_MIN_TEASERS = 3
# ... and that opener follows a "..." in this share of its occurrences on the page at least.
SEPARATOR_SHARE = 0.7
# Under a listing URL, texts cut off with "..." per 1000 characters of the page.
TEASERS_PER_1000_CHARS = 0.6
# A page header repeats the headline: a run of this many words, starting within the first
# HEADER_TITLE_START words of the page and printed again within HEADER_MAX_WORDS, with at
# most HEADER_MAX_GAP words (site name, menus, date) between the copies.
HEADER_TITLE_WORDS = 5
HEADER_TITLE_START = 12
HEADER_MAX_WORDS = 120
HEADER_MAX_GAP = 40

# Path segments that name a page listing other pages (WordPress, Drupal, Blogger, CMS
# conventions), and query keys that do the same (?m=201711 month archive, ?s= search).
_LIST_SEGMENTS = frozenset([
    "tag", "tags", "category", "categories", "author", "authors", "topic", "topics", "label", "labels",
    "search", "section", "sections", "archive", "keyword", "keywords",
])
_LIST_QUERY = frozenset(["s", "cat", "tag", "tags", "category", "author", "paged", "keyword", "search"])
# Query keys that may sit beside a listing key without naming an article.
_PAGING_QUERY = frozenset(["m", "page", "paged", "start", "lang", "sub"])
_MONTH_ARCHIVE = re.compile(r"^\d{6,8}$")  # ?m=201711 (WordPress); ?m=1 is a mobile view
# What a home page's path may be: nothing, a language, an index file.
_HOME_PATHS = frozenset(["ar", "en", "fr", "arabic", "english", "index", "home", "default", "main", "portal"])
_ARTICLE_ID = re.compile(r"\d{5,}")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_MONTH_OR_DAY = re.compile(r"^\d{1,2}$")
_ELLIPSIS = re.compile(r"(?:\.\s?){3,}|…|\.\.")
_TOKEN = re.compile(r"[^\W_]+")
_WORD = re.compile(r"\S+")
_END = re.compile(r"[.!?؟…۔]['\"”’»)\]]*\s*$")  # a sentence end closing the text
_INNER_END = re.compile(r"[.!?؟…۔](?:\s|$)")


def _looks_article(segment: str) -> bool:
    """A path segment that names one article: a long number or a slug of five words."""
    return bool(_ARTICLE_ID.search(segment)) or len(re.split(r"[-_+]", segment)) >= 5


def listing_url(url: str | None) -> str | None:
    """The listing shape of a URL: ``"index"`` for a tag, author, category, section or
    search page, ``"archive"`` for a date archive or a home page, else None. A blog's
    dated archive file (``2011_12_11_archive.html``) is left alone: it shows posts."""
    if not url:
        return None
    parsed = urlparse(url.strip())
    if not parsed.netloc:
        return None
    segs = [unquote(s).casefold() for s in parsed.path.split("/") if s]
    stem = [s.rsplit(".", 1)[0] if s.endswith((".php", ".html", ".htm", ".aspx", ".asp")) else s for s in segs]
    pairs = [(k.casefold(), v) for k, v in parse_qsl(parsed.query, keep_blank_values=True) if v]
    if any(k not in _LIST_QUERY | _PAGING_QUERY and _ARTICLE_ID.search(v) for k, v in pairs):
        return None  # ?id=494454, ?p=827372: one article
    keys = {k for k, _ in pairs}
    for i, s in enumerate(stem):
        if s in _LIST_SEGMENTS and not any(_looks_article(t) for t in segs[i + 1:]):
            return "index"
    if keys & _LIST_QUERY:
        return "index"
    if any(k == "m" and _MONTH_ARCHIVE.match(v) for k, v in pairs):
        return "archive"
    if segs and _YEAR.match(segs[0]) and all(_MONTH_OR_DAY.match(x) for x in segs[1:]):
        return "archive"  # /2017/11/
    return "archive" if not keys and all(s in _HOME_PATHS for s in stem) else None


def teaser_run(lines: Sequence[str]) -> bool:
    """Whether the page reads as a run of truncated teasers: LISTING_MIN_TEASERS or more
    different texts cut off with ``...``, each followed by the same opening words (a
    separator such as "share:", or a dateline) that the page seldom prints otherwise. A
    headline with "..." printed three times is one text, not a run; an interview's
    "... Speaker:" turns are not one either (the name opens most turns without "...")."""
    before: dict[str, set[str]] = defaultdict(set)
    after_cut: Counter[str] = Counter()
    for line in lines:
        for m in _ELLIPSIS.finditer(line):
            after = _opener(line[m.end():m.end() + 80])
            if after:
                key = match_key(after)
                cut = " ".join(_TOKEN.findall(line[max(0, m.start() - 80):m.start()])[-3:])
                before[key].add(match_key(cut))
                after_cut[key] += 1
    runs = [k for k, texts in before.items() if len(texts) >= LISTING_MIN_TEASERS]
    if not runs:
        return False
    page = " " + " ".join(match_key(x) for x in lines) + " "
    return any(after_cut[k] >= SEPARATOR_SHARE * page.count(f" {k} ") for k in runs)


def _opener(text: str) -> str:
    """The words that open an item: up to a colon when one closes a short label ("Share:",
    "Speaker:"), else the first two words."""
    colon = text.find(":")
    label = _TOKEN.findall(text[:colon]) if colon >= 0 else []
    if 1 <= len(label) <= 4:
        return " ".join(label)
    words = _TOKEN.findall(text)[:2]
    return " ".join(words) if len(words) == 2 else ""


def truncated_items(lines: Sequence[str]) -> int:
    """How many different texts the page cuts off with ``...`` and goes on after."""
    cuts = set()
    for line in lines:
        for m in _ELLIPSIS.finditer(line):
            if _TOKEN.search(line[m.end():m.end() + 40]):
                cuts.add(match_key(" ".join(_TOKEN.findall(line[max(0, m.start() - 80):m.start()])[-3:])))
    return len(cuts)


def is_listing(url: str | None, lines: Sequence[str]) -> bool:
    """A page to drop whole: a run of truncated teasers, or a listing URL over a page that
    cuts off LISTING_MIN_TEASERS or more texts, densely. The URL alone is not enough: a
    blog's archive or tag page, or one holding a single story, prints whole posts (and
    their prose has the odd "...")."""
    if teaser_run(lines):
        return True
    if listing_url(url) is None:
        return False
    cut = truncated_items(lines)
    return cut >= LISTING_MIN_TEASERS and cut * 1000 >= TEASERS_PER_1000_CHARS * sum(map(len, lines))


def gallery_lines(lines: Sequence[str]) -> set[int]:
    """Indices of a photo gallery's lines: a dense run of GALLERY_MIN_LINES+ lines (at most
    GALLERY_MAX_GAP apart) holding one prefix of GALLERY_PREFIX_WORDS+ words (at the line's
    start, or glued after a short credit) with a different caption after it each time,
    and the caption lines between them. A page printed twice repeats whole lines, not a
    prefix: it is not a gallery."""
    keys = [match_key(x).split() for x in lines]
    counts: Counter[tuple[str, ...]] = Counter(
        tuple(k[:GALLERY_PREFIX_WORDS]) for k in keys if len(k) > GALLERY_PREFIX_WORDS
    )
    out: set[int] = set()
    for prefix, n in counts.items():
        if n < GALLERY_MIN_LINES:
            continue
        hits = [i for i, k in enumerate(keys) if _holds_prefix(k, prefix)]
        for run in _dense_runs(hits):
            if len({" ".join(keys[i]) for i in run}) >= GALLERY_MIN_LINES:
                out.update(i for i in range(run[0], run[-1] + 1) if lines[i])
    return out


def _dense_runs(hits: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for i in hits:
        if runs and i - runs[-1][-1] <= GALLERY_MAX_GAP:
            runs[-1].append(i)
        else:
            runs.append([i])
    return [r for r in runs if len(r) >= GALLERY_MIN_LINES]


def _holds_prefix(words: list[str], prefix: tuple[str, ...]) -> bool:
    n = len(prefix)
    return any(tuple(words[j:j + n]) == prefix for j in range(0, min(GLUED_CREDIT_WORDS + 1, len(words) - n + 1)))


def teaser_lines(lines: Sequence[str], markers: set[int], topic: set[str]) -> set[int]:
    """Lines after a lone marker line (``markers``) that are not about the article: every
    line up to the first sentence sharing two or more words of ``topic`` (the title and
    lead's content words)."""
    out: set[int] = set()
    for m in sorted(markers):
        for i in range(m + 1, len(lines)):
            if not lines[i] or i in markers:
                continue
            words = set(content_words(lines[i]))
            if len(lines[i].split()) >= 8 and len(words & topic) >= 2:
                break
            out.add(i)
    return out


def content_words(text: str) -> list[str]:
    """Match-key words of four letters or more (short words are mostly function words)."""
    return [w for w in match_key(text).split() if len(w) >= 4 and not w.isdigit()]


def page_header(text: str, start: int, end: int) -> tuple[int, int, int] | None:
    """A page header glued before the article on its first line: the headline printed two or
    more times with the site name, menus and dates between the copies ("Title | Site Menu
    Date Title Lead ...") in ``text[start:end]``. Returns the first copy's start and end and
    the next copy's start, or None. The first copy is kept as the title, the next opens the
    text. What lies between the copies is short and holds no sentence end."""
    toks = [(m.start(), m.end(), match_key(m.group())) for m in _WORD.finditer(text, start, end)]
    toks = [t for t in toks if t[2]]
    keys = [t[2] for t in toks]
    n = HEADER_TITLE_WORDS
    for i in range(min(HEADER_TITLE_START, len(keys))):
        gram = keys[i:i + n]
        later = [j for j in range(i + n, min(len(keys) - n + 1, HEADER_MAX_WORDS)) if keys[j:j + n] == gram]
        if len(gram) < n or not later:
            continue
        j = later[0]
        size = n
        while i + size < j and j + size < len(keys) and keys[i + size] == keys[j + size]:
            size += 1
        title_end = toks[i + size - 1][1]
        bar = text.find("|", toks[i][0], title_end)  # "Title | Site" printed twice
        title_end = bar if bar > toks[i + n - 1][1] else title_end
        between = text[title_end:toks[j][0]]
        if _END.search(text[toks[i][0]:title_end]) or _INNER_END.search(between) or len(between.split()) > HEADER_MAX_GAP:
            return None
        return toks[i][0], title_end, toks[j][0]
    return None

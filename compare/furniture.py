"""Page furniture that only the whole page shows, beside ``clean``'s line rules.

- **Listing pages.** A tag, author, category, date-archive, search or home page is a list
  of other articles' teasers, not an article: its URL has one of those shapes, or its text
  is a run of truncated teasers (``...``) each followed by the same separator or dateline.
  The whole page is dropped.
- **Photo galleries.** Captions of a gallery repeat the gallery's title before each one
  ("In pictures: <title> ? <caption>"): a prefix of four or more words that opens three
  or more lines marks the block from its first to its last occurrence.
- **Teaser blocks.** After a lone "read also" / "most read" marker line, the lines that
  follow are other articles' headlines, up to the first sentence that is about the
  article itself (shares its title and lead's words).

Everything here reads display lines (``clean_display``) by index; ``clean`` turns the
indices it gets back into dropped-line records with these reasons.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from urllib.parse import parse_qsl, unquote, urlparse

from .text.normalize import match_key

LISTING = "listing page"
GALLERY = "caption"
TEASER = "related"

GALLERY_MIN_LINES = 3
GALLERY_PREFIX_WORDS = 4
GLUED_CREDIT_WORDS = 12  # a credit or byline glued before a gallery caption is this short
# A teaser run needs this many truncated items with the same opener after the "...".
LISTING_MIN_TEASERS = 3

# Path segments that name a page listing other pages (WordPress, Drupal, Blogger, CMS
# conventions), and query keys that do the same (?m=201711 month archive, ?s= search).
_LIST_SEGMENTS = frozenset(
    "tag tags category categories author authors topic topics label labels search section "
    "sections archive keyword keywords".split()
)
_LIST_QUERY = frozenset("s cat tag category author paged keyword q search".split())
_MONTH_ARCHIVE = re.compile(r"^\d{6,8}$")  # ?m=201711 (WordPress); ?m=1 is a mobile view
# What a home page's path may be: nothing, a language, an index file.
_HOME_PATHS = frozenset("ar en fr arabic english index home default main portal".split())
_ARTICLE_ID = re.compile(r"\d{5,}")
_DATE_SEG = re.compile(r"^\d{1,4}$")
_ELLIPSIS = re.compile(r"(?:\.\s?){3,}|…|\.\.")
_TOKEN = re.compile(r"[^\W_]+")


def _looks_article(segment: str) -> bool:
    """A path segment that names one article: a long number or a slug of five words."""
    return bool(_ARTICLE_ID.search(segment)) or len(re.split(r"[-_+]", segment)) >= 5


def listing_url(url: str | None) -> bool:
    """Whether a URL has the shape of a listing: a tag/author/category/search page, a
    date archive, or a home page. (A blog's dated archive file, ``2011_12_11_archive.html``,
    shows whole posts: it is not one.)"""
    if not url:
        return False
    parsed = urlparse(url.strip())
    if not parsed.netloc:
        return False
    segs = [unquote(s).casefold() for s in parsed.path.split("/") if s]
    stem = [s.rsplit(".", 1)[0] if s.endswith((".php", ".html", ".htm", ".aspx", ".asp")) else s for s in segs]
    pairs = [(k.casefold(), v) for k, v in parse_qsl(parsed.query, keep_blank_values=True) if v]
    query = {k for k, _ in pairs}
    if query & _LIST_QUERY or any(k == "m" and _MONTH_ARCHIVE.match(v) for k, v in pairs):
        return True
    for i, s in enumerate(stem):
        if s in _LIST_SEGMENTS and not any(_looks_article(t) for t in segs[i + 1:]):
            return True
    if segs and all(_DATE_SEG.match(s) for s in segs) and len(segs[0]) == 4:
        return True  # /2017/11/ : a date archive
    return not query and all(s in _HOME_PATHS for s in stem)


def teaser_run(lines: Sequence[str]) -> bool:
    """Whether the page reads as a run of truncated teasers: ``...`` then the same
    opening words (a separator such as "share:", or a dateline) LISTING_MIN_TEASERS
    times or more."""
    openers: Counter[str] = Counter()
    for line in lines:
        for m in _ELLIPSIS.finditer(line):
            after = _TOKEN.findall(line[m.end():m.end() + 80])[:2]
            if len(after) == 2:
                openers[match_key(" ".join(after))] += 1
    return any(n >= LISTING_MIN_TEASERS for n in openers.values())


def is_listing(url: str | None, lines: Sequence[str]) -> bool:
    """A page to drop whole: a listing URL, or a run of truncated teasers."""
    return listing_url(url) or teaser_run(lines)


def gallery_lines(lines: Sequence[str]) -> set[int]:
    """Indices of a photo gallery's lines: from the first to the last line holding a prefix
    of GALLERY_PREFIX_WORDS+ words that opens GALLERY_MIN_LINES+ lines (at the line's start
    or glued after a short credit or byline)."""
    keys = [match_key(x).split() for x in lines]
    counts: Counter[tuple[str, ...]] = Counter(
        tuple(k[:GALLERY_PREFIX_WORDS]) for k in keys if len(k) > GALLERY_PREFIX_WORDS
    )
    out: set[int] = set()
    for prefix, n in counts.items():
        if n < GALLERY_MIN_LINES:
            continue
        hits = [i for i, k in enumerate(keys) if _holds_prefix(k, prefix)]
        out.update(i for i in range(hits[0], hits[-1] + 1) if lines[i])
    return out


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

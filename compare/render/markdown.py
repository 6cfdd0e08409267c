"""Markdown building blocks shared by every report: escaping and right-to-left safety.

Text from articles is untrusted: it may contain pipes, backticks, HTML, links or bidi
override characters. Everything that comes from an article goes through ``md_text`` or
``md_cell`` so it can neither break a table nor inject markup, and every source link
through ``safe_href``. The HTML view shares ``safe_href`` and ``BIDI_CONTROLS``.
"""

from __future__ import annotations

import hashlib
import html
import re
from urllib.parse import quote

# Bidi overrides/embeddings/isolates/marks in the source could reorder the report around
# them: removed from displayed text here and in the HTML view.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}()#+!|~>-])")
_RTL_CHARS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
FSI, PDI = "\u2068", "\u2069"  # first-strong isolate / pop directional isolate
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def is_rtl(text: str) -> bool:
    """True when the first strong character is right-to-left (Arabic, Hebrew...)."""
    for ch in text:
        if _RTL_CHARS.match(ch):
            return True
        if ch.isalpha():
            return False
    return False


def md_text(text: str | None, limit: int | None = None) -> str:
    """Escape article text for inline Markdown, wrapped in a bidi isolate.

    HTML is entity-escaped (so ``<script>`` shows as text), Markdown punctuation is
    backslash-escaped, newlines become spaces, source bidi controls are removed, and the
    whole is isolated (FSI..PDI) so Arabic inside an English sentence or table keeps its
    order without disturbing what surrounds it.
    """
    if not text:
        return ""
    text = BIDI_CONTROLS.sub("", " ".join(text.split()))
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    text = html.escape(text, quote=False)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return f"{FSI}{text}{PDI}"


def md_cell(text: str | None, limit: int | None = None) -> str:
    """Escape text for a Markdown table cell (pipes included)."""
    return md_text(text, limit)


def md_table(headers: list[str], rows: list[list[str]]) -> str:
    """A pipe table from already-escaped cells."""
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(cell.replace("\n", " ") for cell in row) + " |" for row in rows]
    return "\n".join(out)


def anchor(*parts: str) -> str:
    """A stable, ASCII-only HTML anchor id for a heading."""
    return "a-" + hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:10]


def safe_href(link: str | None) -> str | None:
    """An href for a source link, or None when it is not an http(s) URL or a relative path."""
    link = (link or "").strip()
    if not link:
        return None
    if link.lower().startswith(("http://", "https://")):
        # Keep URL syntax, encode spaces, quotes-free controls and non-ASCII.
        return quote(link, safe=":/?#[]@!$&'()*+,;=%~-._")
    if _SCHEME.match(link) or link.startswith("//"):
        return None  # javascript:, data:, file:, drive letters, protocol-relative
    # ':' is encoded too, so a relative path can never be read as a scheme.
    return quote(link, safe="/._-~%")

"""Numbers in claims: digits, Arabic-Indic digits and number words, normalised.

Kept separate because segmentation (the ``numbers`` column), scoring (numbers must not
be washed out) and the contrast judge all need the same reading of a number.
"""

from __future__ import annotations

import re

from .normalize import match_key

# Number words on the match key (already folded: ة->ه, أ->ا, ى->ي).
_WORDS: dict[str, float] = {
    "واحد": 1, "اثنان": 2, "اثنين": 2, "ثلاثه": 3, "ثلاث": 3, "اربعه": 4, "اربع": 4,
    "خمسه": 5, "خمس": 5, "سته": 6, "ست": 6, "سبعه": 7, "سبع": 7, "ثمانيه": 8, "ثماني": 8,
    "تسعه": 9, "تسع": 9, "عشره": 10, "عشر": 10, "عشرين": 20, "ثلاثين": 30, "اربعين": 40,
    "خمسين": 50, "مئه": 100, "مائه": 100, "مئتين": 200, "مئتان": 200, "الف": 1000,
    "الفين": 2000, "الفان": 2000, "مليون": 1_000_000, "مليار": 1_000_000_000,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twenty": 20, "hundred": 100, "thousand": 1000,
    "million": 1_000_000, "billion": 1_000_000_000,
}
_PREFIXES = ("وب", "وال", "بال", "لل", "ال", "و", "ب", "ل")
_NUM = re.compile(r"\d+(?:\.\d+)?")


def _word_value(tok: str) -> float | None:
    if tok in _WORDS:
        return _WORDS[tok]
    for p in _PREFIXES:
        if tok.startswith(p) and tok[len(p):] in _WORDS:
            return _WORDS[tok[len(p):]]
    return None


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def extract_numbers(text: str) -> list[str]:
    """Normalised numbers mentioned in ``text`` (display text or key), in order.

    "100", "١٠٠" and "مئة" all read as "100"; "3 آلاف"/"ثلاثة آلاف" reads 3000.
    """
    key = match_key(text)
    out: list[str] = []
    toks = key.split()
    i = 0
    while i < len(toks):
        tok = toks[i]
        m = _NUM.fullmatch(tok)
        val: float | None = float(m.group(0)) if m else _word_value(tok)
        if m is None and val is None:
            # Digits glued to a prefix letter (و100).
            m2 = _NUM.search(tok)
            val = float(m2.group(0)) if m2 else None
        if val is not None and i + 1 < len(toks):
            mult = _word_value(toks[i + 1])
            if mult is not None and mult >= 100 and val < mult:
                val *= mult
                i += 1
        if val is not None:
            out.append(_fmt(val))
        i += 1
    return out

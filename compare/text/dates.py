"""Dates and times in claims: weekdays, months (Gregorian, Levantine/Iraqi, Maghrebi,
English), years and relative days, read to comparable values.

"كانون الثاني" and "يناير" are both month 1; "الاثنين" and "Monday" are both weekday 1.
"""

from __future__ import annotations

from dataclasses import dataclass

from .normalize import fold_letters
from .numbers import Token, candidates, find_quantities, tokenize


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date word: ``kind`` is weekday | month | year | relative; ``value`` comparable."""

    kind: str
    value: str
    text: str
    start: int
    end: int


def _fold(words: dict[str, int]) -> dict[str, int]:
    return {fold_letters(k).casefold(): v for k, v in words.items()}


_WEEKDAYS = _fold({
    "الاثنين": 1, "الإثنين": 1, "الثلاثاء": 2, "الأربعاء": 3, "الاربعاء": 3, "الخميس": 4,
    "الجمعة": 5, "السبت": 6, "الأحد": 7,
    "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6,
    "sunday": 7,
})
# Months that are also ordinary words (آب = father, مارس = practised, ماي, جوان) count
# only next to a number, "شهر" or another month name.
_MONTHS = _fold({
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "ابريل": 4, "إبريل": 4, "مايو": 5,
    "يونيو": 6, "يونيه": 6, "يوليو": 7, "يوليه": 7, "أغسطس": 8, "اغسطس": 8, "سبتمبر": 9,
    "أكتوبر": 10, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
    "شباط": 2, "آذار": 3, "نيسان": 4, "أيار": 5, "حزيران": 6, "تموز": 7, "آب": 8, "أيلول": 9,
    "جانفي": 1, "فيفري": 2, "أفريل": 4, "ماي": 5, "جوان": 6, "جويلية": 7, "أوت": 8,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "aug": 8, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
})
_AMBIGUOUS = {fold_letters(w).casefold() for w in ("آب", "مارس", "ماي", "جوان", "أوت", "may", "march")}
# Two-word Levantine months: first word -> {second word: month}.
_TWO_WORD = {
    "كانون": {"الثاني": 1, "ثاني": 1, "الاول": 12, "اول": 12},
    "تشرين": {"الاول": 10, "اول": 10, "الثاني": 11, "ثاني": 11},
}
_RELATIVE = _fold({
    "اليوم": 0, "أمس": -1, "امس": -1, "البارحة": -1, "غدا": 1, "غداً": 1, "أول أمس": -2,
    "today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0,
})
_CONTEXT = {fold_letters(w) for w in ("شهر", "خلال", "في", "منذ", "مطلع", "أواخر", "منتصف")}


def _lookup(tok: Token, table: dict[str, int]) -> tuple[str, int] | None:
    for form in candidates(tok.key):
        if form in table:
            return form, table[form]
    return None


def _near_number_or_month(toks: list[Token], i: int) -> bool:
    for j in (i - 1, i + 1):
        if 0 <= j < len(toks):
            k = toks[j].key
            if any(c.isdigit() for c in k) or _lookup(toks[j], _MONTHS) or k in _TWO_WORD:
                return True
            if j == i - 1 and any(f in _CONTEXT for f in candidates(k)) and k != "في":
                return True
    return False


def find_dates(text: str, toks: list[Token] | None = None) -> list[DateMention]:
    """Date words of ``text`` with spans, in order."""
    toks = tokenize(text) if toks is None else toks
    out: list[DateMention] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        forms = candidates(tok.key)
        two = next((f for f in forms if f in _TWO_WORD), None)
        if two is not None and i + 1 < len(toks) and toks[i + 1].key in _TWO_WORD[two]:
            m = _TWO_WORD[two][toks[i + 1].key]
            out.append(DateMention("month", str(m), text[tok.start : toks[i + 1].end], tok.start, toks[i + 1].end))
            i += 2
            continue
        wd = _lookup(tok, _WEEKDAYS)
        # Weekdays need the article (الأحد = Sunday, أحد = one); the table holds that form.
        if (wd is not None and wd[0].startswith("ال")) or (wd is not None and wd[0].isascii()):
            out.append(DateMention("weekday", str(wd[1]), tok.text, tok.start, tok.end))
            i += 1
            continue
        mo = _lookup(tok, _MONTHS)
        # Ambiguous month words need context; English "may"/"march" also a capital.
        if (
            mo is not None
            and (mo[0] not in _AMBIGUOUS or _near_number_or_month(toks, i))
            and not (mo[0] in ("may", "march") and not tok.text[:1].isupper())
        ):
            out.append(DateMention("month", str(mo[1]), tok.text, tok.start, tok.end))
            i += 1
            continue
        rel = _lookup(tok, _RELATIVE)
        if rel is not None:
            out.append(DateMention("relative", str(rel[1]), tok.text, tok.start, tok.end))
        i += 1
    for q in find_quantities(text, toks):
        if q.is_year:
            out.append(DateMention("year", str(int(q.value)), q.text, q.start, q.end))
    out.sort(key=lambda d: (d.start, d.end, d.kind))
    return out

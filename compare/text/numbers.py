"""Numbers in claims: digits, Arabic-Indic digits and number words, normalised.

Kept separate because segmentation (the ``numbers`` column), scoring (numbers must not
be washed out) and the contrast judge all need the same reading of a number.

Also home of the word tokenizer the contrast judge and ``dates`` share: tokens keep their
character span in the text they came from (the *display* text), so differences found on
folded tokens can be highlighted where the outlet wrote them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .normalize import fold_letters

# A token: a run of word characters (harakat and tatweel included so Arabic words are not
# split), or a number with its decimal/thousands separators.
_TOKEN = re.compile(
    # Scraped text with spaced-out punctuation writes 7.3 as "7 . 3" and 400,000 as
    # "400 , 000": one number when the parts look like a decimal or thousands group
    # (not "2013 . 3", not a list "5 , 10", not a date "11 . 04 . 2017").
    r"(?<!\d)\d{1,3}(?: , \d{3}(?!\d))+(?! [.,] \d)"
    r"|(?<![\d.] )(?<!\d)\d{1,3} \. \d{1,2}(?!\d)(?! [.,] \d)"
    r"|\d+(?:[.,٫٬]\d+)*"
    r"|[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]+(?:[.,٫٬]\d+)*"
)
# Clitics peeled off for matching: conjunctions, prepositions, the article (folded forms).
_PREFIXES = ("وبال", "وال", "فال", "بال", "كال", "ولل", "لل", "ال", "و", "ف", "ب", "ل")


@dataclass(frozen=True, slots=True)
class Token:
    """A word of a text: its surface, span in that text, folded key and clitic-free stem."""

    text: str
    start: int
    end: int
    key: str
    stem: str


@lru_cache(maxsize=65536)
def fold_token(tok: str) -> str:
    """Folded form of one token: NFKC, Arabic letter folding, case folding, no separators."""
    key = fold_letters(unicodedata.normalize("NFKC", tok)).casefold()
    return fold_letters(key).replace("٬", "").replace("٫", ".")


@lru_cache(maxsize=65536)
def strip_clitics(key: str, min_len: int = 3) -> str:
    """The folded token without one leading clitic group (و/ف/ب/ل/ال and combinations).

    ``min_len`` keeps short words whole (لم, لن, بين): only a remainder of at least that
    many characters counts as a stem.
    """
    if not key or not ("\u0600" <= key[0] <= "\u06ff"):
        return key
    for p in _PREFIXES:
        if key.startswith(p) and len(key) - len(p) >= min_len:
            rest = key[len(p):]
            # Digits glued to a clitic (بـ50) always come off.
            return rest
        if key.startswith(p) and key[len(p):].isdigit():
            return key[len(p):]
    return key


@lru_cache(maxsize=65536)
def candidates(key: str) -> tuple[str, ...]:
    """Lookup forms of a folded token, most specific first: itself, then clitics peeled."""
    out = [key]
    if key and "\u0600" <= key[0] <= "\u06ff":
        for p in _PREFIXES:
            rest = key[len(p):]
            if key.startswith(p) and (len(rest) >= 2 or rest.isdigit()):
                if rest not in out:
                    out.append(rest)
                # "لل" is "ل" + "ال": the article form is what lexicons list.
                if p in ("لل", "ولل") and "ال" + rest not in out:
                    out.append("ال" + rest)
    return tuple(out)


def tokenize(text: str) -> list[Token]:
    """Word tokens of ``text`` with spans into it (works on display text or key)."""
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        key = fold_token(m.group(0).replace(" ", ""))
        if not key:
            continue
        out.append(Token(m.group(0), m.start(), m.end(), key, strip_clitics(key)))
    return out


# --- number words -----------------------------------------------------------------------
# All in folded form (ة->ه, أ/إ/آ->ا, ى->ي, ئ->ي). Kinds: u = unit/ten (adds),
# h = hundred (multiplies a unit before it), s = scale (thousand and up), v = vague plural
# (عشرات, مئات: "tens of", "hundreds of").
_UNITS: dict[str, float] = {
    "واحد": 1, "واحده": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2,
    "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4, "خمس": 5, "خمسه": 5, "ست": 6, "سته": 6,
    "سبع": 7, "سبعه": 7, "ثمان": 8, "ثماني": 8, "ثمانيه": 8, "تسع": 9, "تسعه": 9,
    "عشر": 10, "عشره": 10, "احد": 1, "احدي": 1,
    "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "اربعون": 40, "اربعين": 40,
    "خمسون": 50, "خمسين": 50, "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70,
    "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "dozen": 12,
}
_HUNDREDS: dict[str, float] = {
    "مئه": 100, "مائه": 100, "ميه": 100, "مئتان": 200, "مئتين": 200, "مائتان": 200,
    "مائتين": 200, "مئتي": 200, "مائتي": 200, "hundred": 100,
    **{
        f"{u}{h}": 100 * v
        for u, v in (("ثلاث", 3), ("اربع", 4), ("خمس", 5), ("ست", 6), ("سبع", 7), ("ثمان", 8), ("تسع", 9))
        for h in ("مئه", "مائه")
    },
}
_SCALES: dict[str, float] = {
    "الف": 1000, "الفا": 1000, "الفين": 2000, "الفان": 2000, "الاف": 1000, "الوف": 1000,
    "مليون": 1e6, "مليونا": 1e6, "مليونين": 2e6, "مليونان": 2e6, "ملايين": 1e6,
    "مليار": 1e9, "مليارا": 1e9, "مليارين": 2e9, "مليارات": 1e9, "بليون": 1e9,
    "thousand": 1000, "thousands": 1000, "million": 1e6, "millions": 1e6,
    "billion": 1e9, "billions": 1e9,
}
_DUAL_SCALES = {"الفين", "الفان", "مليونين", "مليونان", "مليارين"}
_PLURAL_SCALES = {"الاف", "الوف", "ملايين", "مليارات", "thousands", "millions", "billions"}
_VAGUE: dict[str, float] = {
    "عشرات": 10, "مئات": 100, "مائات": 100, "dozens": 12, "tens": 10, "hundreds": 100,
    "scores": 20,
}
_NUM = re.compile(r"\d+(?:[.,]\d+)*")
# Written forms above are spelled as read; the folded key spells them differently
# (مئة -> ميه), so every table is looked up in folded form.
_UNITS = {fold_letters(k): v for k, v in _UNITS.items()}
_HUNDREDS = {fold_letters(k): v for k, v in _HUNDREDS.items()}
_SCALES = {fold_letters(k): v for k, v in _SCALES.items()}
_VAGUE = {fold_letters(k): v for k, v in _VAGUE.items()}
_DUAL_SCALES = {fold_letters(k) for k in _DUAL_SCALES}
_DUAL_CONSTRUCT = {fold_letters(k) for k in ("ألفا", "مليونا", "مليارا")}
_PLURAL_SCALES = {fold_letters(k) for k in _PLURAL_SCALES}
# Words skipped when looking for the thing counted ("عشرات الآلاف من النازحين").
_UNIT_SKIP = {"من", "of", "the"}
_PERCENT = {fold_letters(w) for w in ("بالمئة", "بالمائة", "المئة", "المائة", "percent", "per")}

# Qualifiers before a number (folded token sequences) and the relation they state.
_QUALIFIERS: dict[tuple[str, ...], str] = {
    ("اكثر", "من"): ">", ("ازيد", "من"): ">", ("يزيد", "عن"): ">", ("يزيد", "علي"): ">",
    ("ما", "يزيد", "عن"): ">", ("ما", "يزيد", "علي"): ">", ("ما", "يربو", "علي"): ">",
    ("يربو", "علي"): ">", ("فوق",): ">", ("اقل", "من"): "<", ("ما", "دون"): "<",
    ("لا", "يقل", "عن"): ">=", ("ما", "لا", "يقل", "عن"): ">=", ("علي", "الاقل"): ">=",
    ("لا", "يزيد", "عن"): "<=", ("ما", "لا", "يزيد", "عن"): "<=", ("حتي",): "<=",
    ("نحو",): "~", ("حوالي",): "~", ("قرابه",): "~", ("زهاء",): "~", ("ما", "يقارب"): "~",
    ("يقارب",): "~", ("قرابه", "من"): "~", ("ما", "يناهز"): "~", ("يناهز",): "~",
    ("more", "than"): ">", ("over",): ">", ("above",): ">", ("upwards", "of"): ">",
    ("in", "excess", "of"): ">", ("less", "than"): "<", ("fewer", "than"): "<",
    ("under",): "<", ("دون",): "<", ("below",): "<", ("at", "least"): ">=", ("no", "fewer", "than"): ">=",
    ("no", "less", "than"): ">=", ("at", "most"): "<=", ("up", "to"): "<=",
    ("no", "more", "than"): "<=", ("about",): "~", ("around",): "~", ("approximately",): "~",
    ("nearly",): "~", ("almost",): "~", ("roughly",): "~", ("some",): "~",
    ("an", "estimated"): "~", ("estimated",): "~", ("circa",): "~",
}
_QUAL_AFTER: dict[tuple[str, ...], str] = {
    ("علي", "الاقل"): ">=", ("تقريبا",): "~", ("at", "least"): ">=", ("or", "more"): ">=",
}
_MAX_QUAL = max(len(k) for k in _QUALIFIERS)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number mentioned in a text, read to a value.

    ``qualifier``: ">", ">=", "<", "<=", "~" or None; ``vague``: a plural count word with
    no number ("عشرات", "hundreds of"); ``unit``: stem of the word counted (هجوم, soldiers);
    ``is_year``: a four-digit year-like integer. ``start``/``end`` cover the number itself
    (qualifier excluded) in the text given.
    """

    value: float
    text: str
    start: int
    end: int
    qualifier: str | None = None
    vague: bool = False
    unit: str | None = None
    is_year: bool = False
    qualifier_start: int | None = None  # where a qualifier before the number begins


def _digits_value(s: str) -> float | None:
    s = s.replace("٫", ".").replace("٬", ",")
    if not _NUM.fullmatch(s):
        return None
    if "," in s:
        parts = s.split(",")
        # 1,000 / 12,500,000: thousands separators; anything else is a decimal comma.
        if all(len(p) == 3 for p in parts[1:]) and "." not in parts[-1]:
            s = "".join(parts)
        elif len(parts) == 2:
            s = parts[0] + "." + parts[1]
        else:
            return None
    try:
        return float(s)
    except ValueError:  # pragma: no cover - guarded by the regex
        return None


def _word(key: str, allow_article: bool = False) -> tuple[str, float, str] | None:
    """(kind, value, form) of a number word, trying the clitic-free forms too."""
    for i, form in enumerate(candidates(key)):
        if (
            i
            and form != key
            and key.startswith(("ال", "وال", "بال", "لل"))
            and form not in _VAGUE
            and form not in _PLURAL_SCALES
            and not (allow_article and form in _SCALES)
        ):
            # "الاثنين" is Monday, "الاحد" Sunday, "بالمئة" per cent: the article only
            # passes on vague counts and on scales after a count ("عشرات الآلاف").
            continue
        if form in _UNITS:
            return "u", _UNITS[form], form
        if form in _HUNDREDS:
            return "h", _HUNDREDS[form], form
        if form in _SCALES:
            return "s", _SCALES[form], form
        if form in _VAGUE:
            return "v", _VAGUE[form], form
        v = _digits_value(form)
        if v is not None:
            return "d", v, form
    return None


def _qualifier(toks: list[Token], start: int, end: int) -> tuple[str | None, int, int]:
    """Relation stated around the number toks[start:end] and the token range it covers."""
    keys = [t.key for t in toks]
    for n in range(_MAX_QUAL, 0, -1):
        if start - n < 0:
            continue
        seq = tuple(strip_clitics(k, 2) if j == 0 else k for j, k in enumerate(keys[start - n : start]))
        raw = tuple(keys[start - n : start])
        for cand in (raw, seq):
            if cand in _QUALIFIERS:
                return _QUALIFIERS[cand], start - n, end
    # Right after the number, or after the counted word ("125 قتيلا على الأقل").
    for off in (0, 1):
        for n in (2, 1):
            cand = tuple(keys[end + off : end + off + n])
            if len(cand) == n and cand in _QUAL_AFTER:
                return _QUAL_AFTER[cand], start, end + off + n
    return None, start, end


def find_quantities(text: str, toks: list[Token] | None = None) -> list[Quantity]:
    """Every number in ``text`` with its value, qualifier, counted unit and span."""
    toks = tokenize(text) if toks is None else toks
    out: list[Quantity] = []
    i = 0
    n = len(toks)
    while i < n:
        first = _word(toks[i].key)
        if first is None or (first[0] == "u" and first[2] in ("احد", "احدي", "one") and not _next_is_number(toks, i)):
            # "أحد" / "one" alone is a pronoun far more often than a count.
            i += 1
            continue
        total, current, vague = 0.0, 0.0, False
        j = i
        while j < n:
            w = _word(toks[j].key, allow_article=j > i)
            if w is None:
                # "two hundred and five": a bare connector between number words.
                if toks[j].key == "and" and j + 1 < n and _word(toks[j + 1].key) and j > i:
                    j += 1
                    continue
                break
            kind, val, form = w
            if j > i and kind == "d":
                break  # two digit groups in a row are two numbers
            if kind == "d":
                current = val
            elif kind == "u":
                if form in ("عشر", "عشره") and 0 < current < 10:
                    current += 10
                elif j > i and current and current % 10 == 0 and val >= 10 and not toks[j].key.startswith("و"):
                    break
                else:
                    current += val
            elif kind == "h":
                current = current * val if 0 < current < 10 and val == 100 else current + val
            elif kind == "s":
                if form in _PLURAL_SCALES and current == 0 and total == 0:
                    vague = True
                if form in _DUAL_SCALES:
                    total += val
                elif j == i and form in _DUAL_CONSTRUCT and not _next_is_number(toks, j):
                    # "مليارا دولار", "ألفا جندي": a dual before its noun (the ن drops),
                    # not the accusative of "عشرين مليارا".
                    total += 2 * val
                else:
                    total += (current or 1) * val
                current = 0
            else:  # vague plural
                if j > i:
                    break
                vague = True
                current = val
            j += 1
        value = total + current
        span_start, span_end = toks[i].start, toks[j - 1].end
        qual, q_first, _ = _qualifier(toks, i, j)
        surface = text[span_start:span_end]
        is_year = (
            first[0] == "d" and j == i + 1 and float(value).is_integer() and 1900 <= value <= 2100
            and re.fullmatch(r"\d{4}", first[2]) is not None
        )
        unit = None
        k = j
        while k < n and toks[k].key in _UNIT_SKIP:
            k += 1
        if k < n and (toks[k].key in _PERCENT or (toks[k].key == "في" and k + 1 < n and toks[k + 1].key in _PERCENT)):
            unit = "%"
        elif k < n and _word(toks[k].key) is None:
            unit = toks[k].stem
        q_start = toks[q_first].start if q_first < i else None
        out.append(Quantity(value, surface, span_start, span_end, qual, vague, unit, is_year, q_start))
        i = j
    return out


def _next_is_number(toks: list[Token], i: int) -> bool:
    return i + 1 < len(toks) and _word(toks[i + 1].key, allow_article=True) is not None


def format_number(v: float) -> str:
    """Canonical text of a value: 1000, 2.5."""
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def extract_numbers(text: str) -> list[str]:
    """Normalised numbers mentioned in ``text`` (display text or key), in order.

    "100", "١٠٠" and "مئة" all read as "100"; "3 آلاف"/"ثلاثة آلاف" reads 3000.
    """
    return [format_number(q.value) for q in find_quantities(text)]

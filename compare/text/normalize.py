"""Arabic-aware text normalisation: the display text and the match key.

Two texts per claim: the *display* text keeps what the outlet wrote (only mending words
broken to dodge filters and tidying invisible characters), the *match key* folds every
variation that does not change meaning so that lexical comparison sees through spelling.
"""

from __future__ import annotations

import re
import unicodedata

# Harakat, superscript alef, Quranic annotation marks.
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]")
_TATWEEL = "\u0640"
# Bidi controls, zero-width characters, soft hyphen, BOM: invisible, never meaningful here.
_INVISIBLE = re.compile("[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")

# A word broken with tatweel-dot-tatweel (العسـ.ـكريين, الإرهـ.ـابـ.ـيين): letters on both
# sides, a dot, and at least one tatweel next to it. Plain "word.word" is left alone.
_ARABIC_LETTER = "[\u0621-\u063a\u0641-\u064a\u0671-\u06d3]"
_BROKEN = re.compile(
    f"(?<={_ARABIC_LETTER}|{_TATWEEL})(?:{_TATWEEL}+[.\u06d4\u2022·]{_TATWEEL}*|{_TATWEEL}*[.\u06d4\u2022·]{_TATWEEL}+)(?={_ARABIC_LETTER})"
)

_LETTER_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ى": "ي",
        "ی": "ي",  # Persian yeh
        "ة": "ه",
        "ک": "ك",  # Persian keheh
        "ؤ": "و",
        "ئ": "ي",
        # Arabic-Indic and Extended Arabic-Indic digits.
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        "٫": ".",  # Arabic decimal separator
        "٬": ",",  # Arabic thousands separator
    }
)

# Punctuation folded to a space in the key; digits' separators survive when between digits.
_PUNCT = re.compile(r"(?!(?<=\d)\.(?=\d))(?:[^\w\s]|_)")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")


def mend_broken_words(text: str) -> str:
    """Join words broken with ``ـ.ـ`` (العسـ.ـكريين -> العسكريين). Length may change."""
    return _BROKEN.sub("", text)


def clean_display(text: str) -> str:
    """Display text: mended words, no invisible marks, whitespace collapsed, ends trimmed."""
    text = mend_broken_words(text)
    text = _INVISIBLE.sub("", text)
    return _SPACES.sub(" ", text).strip()


def strip_marks(text: str) -> str:
    """Harakat and tatweel removed, letters left as written (وتُسيّر -> وتسير)."""
    return _DIACRITICS.sub("", text.replace(_TATWEEL, ""))


def fold_letters(text: str) -> str:
    """Arabic orthographic folding only (no punctuation or case changes)."""
    return strip_marks(text).translate(_LETTER_FOLD)


def match_key(text: str) -> str:
    """The match key: the text every lexical comparison works on. Idempotent.

    NFKC (presentation forms, full-width Latin), broken words mended, invisible marks
    dropped, harakat and tatweel removed, alef/ya/ta-marbuta/hamza-seat variants folded,
    Arabic-Indic digits to ASCII, Latin case-folded, punctuation to spaces (except decimal
    and thousands separators between digits, so 1,000 and 2.5 stay numbers).
    """
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", mend_broken_words(text))
    text = fold_letters(text).casefold()
    # NFKC and casefold can re-introduce variants (e.g. ß -> ss is stable; presentation
    # forms are gone): a second fold keeps the function idempotent.
    text = fold_letters(unicodedata.normalize("NFKC", text))
    text = _THOUSANDS.sub("", text)
    text = _PUNCT.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def tokens(key: str) -> list[str]:
    """Tokens of a match key (already folded): whitespace split."""
    return key.split()


def is_latin(key: str) -> bool:
    """Is a match key mostly Latin script? Pairs of two Latin-script claims are scored by
    the models fitted on English (character n-grams and wording behave differently there:
    on MSRP the Arabic-fitted hybrid scored English pairs too low), a Latin-script claim
    against an Arabic one by the English-Arabic model, and the contrast judge compares
    only values across scripts."""
    latin = sum(1 for ch in key if "a" <= ch <= "z")
    return latin > 0 and latin >= sum(1 for ch in key if ch.isalpha()) - latin

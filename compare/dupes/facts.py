"""Fact check: two similar units are one text only when their numbers and date words agree
(and no negator was added or removed: see negation.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import polars as pl

from .negation import NEGATORS, negation_differs
from .similarity import LONG_CHARS

# A fact a unit states: ("number", "5"), or a date word's (kind, value): ("weekday", "1").
Fact = tuple[str, str]
# Keys by index: a list, or a dict of the keys of one batch of pairs.
KeysByIndex = Sequence[str] | Mapping[int, str]
# Words per unit by index: a list, a dict or a numpy array.
WordCounts = Sequence[int] | Mapping[int, int] | npt.NDArray[np.int64]

# Second words of two-word months (كانون الثاني): a date word only next to the first.
_MONTH_SECOND = frozenset({"الاول", "اول", "الثاني", "ثاني"})


def text_facts(text: str) -> Counter[Fact]:
    """The numbers and date words (years left out) a display text states, counted."""
    from ..text.numbers import extract_numbers

    if len(text) > LONG_CHARS:
        text = text[:LONG_CHARS]  # a huge unit: its opening is enough to tell templates apart
    out: Counter[Fact] = Counter(("number", n) for n in extract_numbers(text))
    try:
        from ..text.dates import find_dates
    except ImportError:  # pragma: no cover - dates is optional for this check
        return out
    out.update((d.kind, d.value) for d in find_dates(text) if d.kind != "year")
    return out


def facts_agree(facts_a: Counter[Fact], facts_b: Counter[Fact], words_a: int, words_b: int) -> bool:
    """The shorter unit states no number or date that the longer one does not state.

    Units of equal length must state the same ones: "5 killed in Idlib on Monday" and
    "12 killed in Idlib on Friday" are one template with two different facts.
    """
    if words_a == words_b:
        return facts_a == facts_b
    return not (facts_a - facts_b) if words_a < words_b else not (facts_b - facts_a)


@lru_cache(maxsize=65536)
def _may_state_fact(word: str) -> bool:
    """Whether a key word is, or is part of, a number or a date."""
    from ..text.numbers import find_quantities

    if any(ch.isdigit() for ch in word) or word in _MONTH_SECOND or find_quantities(word):
        return True
    try:
        from ..text.dates import find_dates
    except ImportError:  # pragma: no cover
        return False
    return bool(find_dates(word))


class Facts:
    """Numbers and date words of units, computed lazily (only for verified-similar pairs).

    ``texts`` may be a polars Series: a text becomes a Python string only when read.
    """

    def __init__(self, texts: Sequence[str] | pl.Series) -> None:
        self._texts = texts
        self._cache: dict[int, Counter[Fact]] = {}

    def of(self, index: int) -> Counter[Fact]:
        got = self._cache.get(index)
        if got is None:
            got = text_facts(self._texts[index])
            self._cache[index] = got
        return got

    def agree(self, i: int, j: int, word_counts: WordCounts, keys: KeysByIndex | None = None) -> bool:
        """Units ``i`` and ``j`` state the same facts (``facts_agree``); given their keys,
        also neither adds or removes a negator (``negation_differs``)."""
        # Reading numbers and dates is slow; when no word that differs between the two keys
        # can carry one, the facts agree without reading them.
        if keys is not None:
            key_a, key_b = keys[i], keys[j]
            words_a, words_b = Counter(key_a.split()), Counter(key_b.split())
            differ = (words_a - words_b) + (words_b - words_a)
            if not NEGATORS.isdisjoint(differ) and negation_differs(key_a, key_b):
                return False
            if not any(_may_state_fact(w) for w in differ):
                return True
        return facts_agree(self.of(i), self.of(j), word_counts[i], word_counts[j])

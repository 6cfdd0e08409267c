"""Negation check: a copy with a negator added or removed is a contrast, not reuse."""

from __future__ import annotations

import difflib

from ..text import negation
from ..text.normalize import match_key
from .worddiff import DIFF_MAX_TOKENS

# Negators as match keys, with the clitic "and"/"so" on the Arabic ones.
NEGATORS = frozenset(
    [match_key(p + w) for w in negation.ARABIC_NEGATORS for p in ("", "و", "ف")]
    + list(negation.ENGLISH_NEGATORS)
)
_NEG_EXCEPT_NEXT: dict[str, frozenset[str]] = {
    match_key(w): frozenset(match_key(x) for x in following) for w, following in negation.NOT_NEGATION_NEXT.items()
}
NEGATION_EDIT_WORDS = 2  # an edit this small, with a negator on one side only, is a negation
NEGATION_CONTEXT_WORDS = 3  # common words it must sit in (both sides; the start counts)

# A difflib opcode: (tag, i1, i2, j1, j2).
_Opcode = tuple[str, int, int, int, int]


def _negator_at(words: list[str], index: int) -> bool:
    word = words[index]
    return word in NEGATORS and not (
        index + 1 < len(words) and words[index + 1] in _NEG_EXCEPT_NEXT.get(word, ())
    )


def _common_run(op: _Opcode) -> bool:
    """An equal stretch long enough to count as the context a negation sits in."""
    return op[0] == "equal" and op[2] - op[1] >= NEGATION_CONTEXT_WORDS


def negation_differs(key_a: str, key_b: str) -> bool:
    """A negator inserted, removed or replaced inside the text the two keys share.

    "X does not seek Y" and "X seeks Y" differ by one word, so they pass the similarity
    threshold, yet one denies the other: that is a contrast, not reuse. Counts only a
    small edit (at most ``NEGATION_EDIT_WORDS`` words a side) with a negator on one side
    only, sitting between runs of at least ``NEGATION_CONTEXT_WORDS`` common words (or
    after the common opening words, before such a run): a clause added at the end, a longer inserted clause, one negator
    swapped for another ("بدون" / "دون", "لم" / "ولم"), a spacing change ("لاتمثل") or an
    idiom ("لا يزال") does not count.
    """
    words_a, words_b = key_a.split(), key_b.split()
    if NEGATORS.isdisjoint(words_a) and NEGATORS.isdisjoint(words_b):
        return False
    if max(len(words_a), len(words_b)) > DIFF_MAX_TOKENS:
        return False  # word alignment is quadratic; such units are compared by shingles only
    ops = difflib.SequenceMatcher(None, words_a, words_b, autojunk=False).get_opcodes()
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal" or max(i2 - i1, j2 - j1) > NEGATION_EDIT_WORDS:
            continue
        if "".join(words_a[i1:i2]) == "".join(words_b[j1:j2]):
            continue  # the same letters, spaced otherwise ("لاتمثل" / "لا تمثل")
        negated_a = any(_negator_at(words_a, i) for i in range(i1, i2))
        negated_b = any(_negator_at(words_b, j) for j in range(j1, j2))
        if negated_a == negated_b:
            continue
        # Common text after it, and before it too unless it is at or near the start.
        common_after = k + 1 < len(ops) and _common_run(ops[k + 1])
        common_before = k == 0 or _common_run(ops[k - 1]) or (k == 1 and ops[0][0] == "equal")
        if common_after and common_before:
            return True
    return False

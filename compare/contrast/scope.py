"""What a word bears on inside one claim, and which words two claims share: the words a
negator negates, whether a word is asserted (not demanded, hoped for or owed), the
content words around a span, and one word across two claims (inflection aside)."""

from __future__ import annotations

from functools import lru_cache

from ..text.numbers import candidates
from .align import are_variants
from .analysis import Analysis, Hit
from .lexicon import (
    CLAUSE_BREAKS,
    DUTY,
    FUNCTION_WORDS,
    GENERIC_WORDS,
    IRREALIS,
    MODALS,
    NEGATORS,
    REPORTING,
    lexicon_forms,
)

_SENTENCE_END = frozenset(".!?؟؛;")  # a trigger word does not reach across these
_IRREALIS_REACH = 12  # tokens back from a flip a trigger may govern it
_DUTY_REACH = 5  # tokens back: the duty word governs the act and its object ("المسؤولية عن فصل المعارضة")


def preceded_by(a: Analysis, i: int, triggers: frozenset[str] | set[str], reach: int) -> bool:
    """Does a trigger word stand within ``reach`` tokens before token i, in its sentence?"""
    for k in range(i - 1, max(-1, i - 1 - reach), -1):
        if any(ch in _SENTENCE_END for ch in a.text[a.toks[k].end : a.toks[k + 1].start]):
            return False
        if any(f in triggers for f in lexicon_forms(a.toks[k].key)):
            return True
    return False


def is_irrealis(a: Analysis, i: int) -> bool:
    """Is token i inside a demand, hope, necessity, condition or question?"""
    if a.text.rstrip(" \"'»”)").endswith(("?", "؟")):
        return True
    return preceded_by(a, i, IRREALIS, _IRREALIS_REACH)


def is_owed(a: Analysis, i: int) -> bool:
    """Is token i right after a duty word (what is owed, not said to be done)?"""
    return preceded_by(a, i, DUTY, _DUTY_REACH)


@lru_cache(maxsize=65536)
def _match_forms(key: str) -> tuple[str, ...]:
    """Forms of a token to match across claims: clitics and one suffix off, and for an
    Arabic verb its imperfect prefix or perfect hamza too (تنسحب / انسحبت -> نسحب)."""
    forms = [f for f in lexicon_forms(key) if len(f) >= 3]
    forms += [f[1:] for f in forms if len(f) >= 5 and not f.isascii() and f[0] in "يتنا"]
    return tuple(dict.fromkeys(forms))


def same_word(a: Analysis, i: int, b: Analysis, j: int) -> bool:
    """Tokens i of a and j of b are one word (clitics, inflection and spelling aside)."""
    return any(are_variants(x, y) for x in _match_forms(a.toks[i].key) for y in _match_forms(b.toks[j].key))


def is_content_word(a: Analysis, i: int) -> bool:
    """Token i can carry what a claim says: not a particle, a negator or a reporting verb."""
    return (
        len(a.stems[i]) >= 3
        and not any(f in FUNCTION_WORDS for f in candidates(a.toks[i].key))
        and not any(x.first <= i < x.last for x in a.negators)
        and not any(f in REPORTING for f in candidates(a.toks[i].key))
    )


def context_words(a: Analysis, start: int, end: int, width: int = 3) -> set[str]:
    """Content words within ``width`` tokens of a span: what a date or negation is about."""
    idx = [i for i, t in enumerate(a.toks) if start <= t.start < end]
    if not idx:
        return set()
    lo, hi = max(0, idx[0] - width), min(len(a.toks), idx[-1] + width + 1)
    return {
        a.stems[i]
        for i in range(lo, hi)
        if i not in idx and len(a.stems[i]) >= 3 and a.stems[i] not in GENERIC_WORDS
    }


def negated_words(a: Analysis, h: Hit[str]) -> list[int]:
    """Token indices a negator may bear on: content words within four tokens after it.
    Particles and pronouns are skipped; after a negating particle so are actor names
    unless one comes first ("بغير الدولار", "لا إيران"): in "لم يعلن الروس" the negation
    bears on يعلن, and الروس is only its subject."""
    # A negative predicate ("ترفض إقراض لبنان", "تتجاهل أزمة تركيا") is the verb itself:
    # everything after it is its complement, actors included.
    particle = any(f in NEGATORS for f in candidates(a.toks[h.first].key))
    actor_toks = {i for x in a.actors for i in range(x.first, x.last)} if particle else set()
    out: list[int] = []
    for i in range(h.last, min(len(a.toks), h.last + 4)):
        if any(x.first <= i < x.last for x in a.negators):
            break  # a second negator: what follows is its business
        forms = candidates(a.toks[i].key)
        if any(f in CLAUSE_BREAKS for f in forms) and not all(
            any(f in MODALS for f in candidates(a.toks[k].key)) for k in out
        ):
            # "لا يعني أنه ينبغي علينا الاتفاق": the negation ends where the clause it
            # negates opens another; only after a modal ("لا يمكن أن") does it carry on.
            break
        if any(f in FUNCTION_WORDS for f in forms) or len(a.stems[i]) < 3:
            continue
        if i in actor_toks and out:
            continue
        out.append(i)
    return out


def negated_tokens(a: Analysis) -> set[int]:
    """Token indices some negator of ``a`` bears on."""
    return {i for h in a.negators for i in negated_words(a, h)}

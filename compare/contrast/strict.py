"""Strict mode: contrasts between claims linked only as "related".

Two claims about one event that are not paraphrases differ everywhere, so a typed
difference alone says little. A contrast between them needs a polarity flip on a
predicate both state, with an argument they share, in a sentence that asserts it (not a
demand, hope or question), and a topic (actor or place) both name; or a number on a
noun both count, or a date in a shared context, under the same topic.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from ..records import Difference
from ..text.numbers import candidates
from .align import Alignment, are_variants
from .analysis import Analysis, Hit, token_index_at
from .gazetteer import ACTOR_CONCEPTS
from .lexicon import MODALS, REPORTING
from .rules import counted_quantities, date_diffs, quantity_difference, same_value
from .scope import (
    context_words,
    is_content_word,
    is_irrealis,
    negated_tokens,
    negated_words,
    same_word,
)


def _argument_slots(a: Analysis, i: int) -> list[int]:
    """Where the arguments of predicate i stand: two words before it, three after. Polarity
    words of another antonym group are not arguments (they are predicates of their own:
    "تهبط بأعلى وتيرة"), those of its own group may be ("أوفت بالتزاماتها"); an actor counts
    only right beside it ("الذهب يصعد"): a country named two words off is the topic."""
    actor_toks = {k for x in a.actors for k in range(x.first, x.last)}
    own = {x.value.group for x in a.antonyms if x.first == i}
    polar = {x.first for x in a.antonyms if x.value.group not in own}
    return [
        k
        for k in range(max(0, i - 2), min(len(a.toks), i + 4))
        if k != i and is_content_word(a, k) and k not in polar and (k not in actor_toks or abs(k - i) == 1)
    ]


def _shared_argument(a: Analysis, i: int, b: Analysis, j: int) -> bool:
    """A word next to predicate i of a is also next to predicate j of b: "أوفت
    بالتزاماتها" / "الوفاء بالعديد من الالتزامات"."""
    wb = _argument_slots(b, j)
    return any(same_word(a, x, b, y) for x in _argument_slots(a, i) for y in wb)


class _Topic(NamedTuple):
    """What a claim is about: an actor (canonical name) or a framing concept naming one."""

    kind: Literal["actor", "concept"]
    name: str


def _topics(a: Analysis) -> set[_Topic]:
    concepts = {h.value.concept for h in a.framing}
    return {_Topic("actor", h.value) for h in a.actors} | {_Topic("concept", c) for c in concepts & ACTOR_CONCEPTS}


def _shared_topic(a: Analysis, b: Analysis) -> bool:
    """An actor or place both name, or one actor both name under a framing label."""
    return bool(_topics(a) & _topics(b))


def _negated_head(a: Analysis, h: Hit[str]) -> list[int]:
    """What a negator negates, strictly: the first content word after it (an actor only
    when nothing comes before it), with any modals on the way ("قادرة ... الوفاء")."""
    out: list[int] = []
    for i in negated_words(a, h):
        out.append(i)
        if not any(f in MODALS for f in candidates(a.toks[i].key)):
            break
    return out


def _strict_negation(a: Analysis, b: Analysis) -> list[Difference]:
    if len(a.negators) % 2 == len(b.negators) % 2:
        return []
    neg_side, other, negation_in_a = (a, b, True) if len(a.negators) > len(b.negators) else (b, a, False)
    groups = {x.first: x.value for x in neg_side.antonyms}
    negated_other = negated_tokens(other)
    candidates_other = [
        j for j in range(len(other.toks)) if is_content_word(other, j) and j not in negated_other and not is_irrealis(other, j)
    ]
    for h in neg_side.negators:
        if is_irrealis(neg_side, h.first):
            continue
        for i in _negated_head(neg_side, h):
            for j in candidates_other:
                # The same act in other words, same pole ("غير قادرة على الوفاء" / "أوفت");
                # the opposite pole under a negation ("لم يف" / "أخل") agrees.
                same_act = i in groups and any(y.first == j and y.value == groups[i] for y in other.antonyms)
                if not (same_act or same_word(neg_side, i, other, j)):
                    continue
                if not _shared_argument(neg_side, i, other, j):
                    continue
                d = Difference("negation", h.text, "", (h.start, h.end), None)
                return [d if negation_in_a else d.swapped()]
    return []


# Superlatives and comparatives qualify the noun right after them ("أعلى وتيرة").
_COMPARATIVE_GROUPS = frozenset({"high_low", "more_less"})


def _strict_antonyms(a: Analysis, b: Analysis) -> list[Difference]:
    poles_a: dict[str, set[int]] = {}
    poles_b: dict[str, set[int]] = {}
    for h in a.antonyms:
        poles_a.setdefault(h.value.group, set()).add(h.value.pole)
    for h in b.antonyms:
        poles_b.setdefault(h.value.group, set()).add(h.value.pole)
    negated_a, negated_b = negated_tokens(a), negated_tokens(b)
    for x in a.antonyms:
        g = x.value.group
        if len(poles_a[g]) != 1 or len(poles_b.get(g, ())) != 1 or poles_b[g] == poles_a[g]:
            continue  # both poles on one side: "gold rises as the dollar falls"
        for y in b.antonyms:
            if y.value.group != g:
                continue
            if x.first in negated_a or y.first in negated_b:
                continue  # "لم يرتفع" vs "انخفض": negation and antonym cancel, or not; unclear
            if is_irrealis(a, x.first) or is_irrealis(b, y.first):
                continue
            i, j = x.first + 1, y.first + 1
            if (
                g in _COMPARATIVE_GROUPS
                and i < len(a.toks) and j < len(b.toks) and is_content_word(a, i) and is_content_word(b, j)
                and not same_word(a, i, b, j)
            ):
                continue  # "أعلى وتيرة" vs "أدنى مستوى": the poles qualify different things
            if _shared_argument(a, x.first, b, y.first):
                return [Difference("antonym", x.text, y.text, (x.start, x.end), (y.start, y.end))]
    return []


def _strict_numbers(a: Analysis, b: Analysis) -> list[Difference]:
    qa, qb = counted_quantities(a), counted_quantities(b)
    for p in qa:
        if p.unit is None or p.unit == "%" or is_irrealis(a, token_index_at(a, p.start)):
            continue
        same = [q for q in qb if q.unit is not None and q.unit != "%" and are_variants(p.unit, q.unit)]
        if not same or any(same_value(p, q) for q in same):
            continue
        q = next((q for q in same if not is_irrealis(b, token_index_at(b, q.start))), None)
        if q is not None:
            return [quantity_difference("number", p, q)]
    return []


def _strict_dates(a: Analysis, b: Analysis, al: Alignment) -> list[Difference]:
    """A date difference whose shared context is an act, not only who spoke."""
    out = []
    for d in date_diffs(a, b, al):
        assert d.a_span is not None and d.b_span is not None
        ca = context_words(a, *d.a_span) - _actor_stems(a) - _speaker_stems(a) - REPORTING
        cb = context_words(b, *d.b_span) - _actor_stems(b) - _speaker_stems(b) - REPORTING
        if ca & cb:
            out.append(d)
    return out


def _speaker_stems(a: Analysis) -> set[str]:
    """The word right after a reporting verb ("قال لافروف", "said Smith"): who spoke, which
    two statements on different days share without stating one act."""
    return {a.stems[i + 1] for i in range(len(a.stems) - 1) if a.stems[i] in REPORTING}


def _actor_stems(a: Analysis) -> set[str]:
    return {a.stems[i] for x in a.actors for i in range(x.first, x.last)}


_STRICT_MAX_TOKENS = 200


def _strict_scope(a: Analysis, b: Analysis) -> bool:
    """Claim-sized texts under a shared topic: where strict evidence is sought at all."""
    return max(len(a.toks), len(b.toks)) <= _STRICT_MAX_TOKENS and _shared_topic(a, b)


def strict_possible(a: Analysis, b: Analysis) -> bool:
    """Necessary conditions of ``strict_evidence``, cheap enough to test on every related
    link before aligning it (most related links fail them: no shared topic, or nothing on
    either side that could flip)."""
    if not _strict_scope(a, b):
        return False
    return (
        len(a.negators) % 2 != len(b.negators) % 2
        or (bool(a.antonyms) and bool(b.antonyms))
        or (bool(a.quantities) and bool(b.quantities))
        or (bool(a.dates) and bool(b.dates))
    )


def strict_evidence(a: Analysis, b: Analysis, al: Alignment) -> list[Difference]:
    """The differences that make two merely related claims a contrast (see the module
    docstring).
    Sought only in claim-sized texts: in longer ones every predicate would be compared
    with every word of the other (quadratic), and a text that long is not one claim."""
    if not _strict_scope(a, b):
        return []
    return _strict_negation(a, b) + _strict_antonyms(a, b) + _strict_numbers(a, b) + _strict_dates(a, b, al)

"""Per-claim analysis: tokens, quantities, dates and the lexicon hits of one claim,
computed once per text (cached) and shared by every pair the claim is in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

from ..text.dates import DateMention, find_dates
from ..text.normalize import fold_letters
from ..text.numbers import Quantity, Token, candidates, find_quantities, tokenize
from .gazetteer import ACTOR_INDEX, FRAMING_INDEX, FramingTerm, PhraseIndex, PhraseValue, actor_kind
from .lexicon import (
    ALWAYS_SOURCE,
    ANTONYMS,
    HEDGES,
    NEGATIVE_PREDICATES,
    NEGATORS,
    NOT_NEGATION_BEFORE,
    REPORTING,
    SOURCE_OF,
    Pole,
    is_idiomatic,
    lexicon_forms,
)

HitValue = TypeVar("HitValue", covariant=True)


@dataclass(frozen=True)
class Hit(Generic[HitValue]):
    """A lexicon or gazetteer match in one claim."""

    value: HitValue  # canonical actor, FramingTerm, antonym Pole, source category, ...
    first: int  # token range [first, last)
    last: int
    start: int  # character span in the text
    end: int
    text: str


@dataclass(frozen=True)
class Analysis:
    """One claim, analysed: what the rules compare between two claims."""

    text: str
    toks: tuple[Token, ...]
    stems: tuple[str, ...]
    quantities: tuple[Quantity, ...]
    dates: tuple[DateMention, ...]
    negators: tuple[Hit[str], ...]  # value "neg"
    antonyms: tuple[Hit[Pole], ...]
    actors: tuple[Hit[str], ...]  # value: the canonical actor
    framing: tuple[Hit[FramingTerm], ...]
    hedges: tuple[Hit[str], ...]  # value "hedge"
    sources: tuple[Hit[str], ...]  # value: the source category ("official", "activists"...)
    special: frozenset[int]  # token indices explained by a typed lexicon (not "wording")


def token_index_at(a: Analysis, start: int) -> int:
    """The first token starting at or after character ``start`` (else the last token)."""
    return next((i for i, t in enumerate(a.toks) if t.start >= start), max(0, len(a.toks) - 1))


def _match_phrases(
    toks: Sequence[Token], idx: PhraseIndex[PhraseValue], text: str
) -> list[Hit[PhraseValue]]:
    """Longest phrases of ``idx`` in the tokens, left to right, never overlapping."""
    out: list[Hit[PhraseValue]] = []
    i = 0
    while i < len(toks):
        found: tuple[int, PhraseValue] | None = None
        forms: tuple[str, ...] = candidates(toks[i].key)
        inflected: list[str] = [f for f in lexicon_forms(toks[i].key) if f not in forms]
        for form in (*forms, *inflected):
            for phrase, value in idx.get(form, ()):
                n = len(phrase)
                if form not in forms and n > 1:
                    continue  # inflected forms ("الروسيان") only for one-word entries
                if i + n <= len(toks) and all(
                    phrase[k] in candidates(toks[i + k].key) for k in range(1, n)
                ):
                    found = (n, value)
                    break
            if found:
                break
        if found:
            n, value = found
            s, e = toks[i].start, toks[i + n - 1].end
            out.append(Hit(value, i, i + n, s, e, text[s:e]))
            i += n
        else:
            i += 1
    return out


def _is_nisba(hit: Hit[str]) -> bool:
    """A relational adjective ("السورية", "الروسي", "Syrian"): it describes a noun."""
    key = fold_letters(hit.text).casefold().replace("\u0651", "")
    if " " in key:
        return False
    if key.isascii():
        return key.endswith(("ian", "ish", "ese"))
    if key.startswith(("و", "ف")):
        return False  # coordinated ("والسورية"): a second name, not a descriptor
    return key.endswith(("ي", "يه", "يون", "يين"))


def _descriptors_dropped(actors: list[Hit[str]]) -> list[Hit[str]]:
    """Drop an adjective that describes the place named just before it ("إدلب السورية",
    "دمشق السورية"): it is part of that name, not a second actor who could stand in for
    another. After a currency or a commodity it is kept: "الليرة التركية" vs "الليرة
    اللبنانية" is two different things."""
    out: list[Hit[str]] = []
    for h in actors:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.last == h.first
            and prev.value != h.value
            and actor_kind(prev.value) == "place"
            and not _is_nisba(prev)
            and _is_nisba(h)
        ):
            continue
        out.append(h)
    return out


def _antonym_hits(toks: Sequence[Token], skip: set[int]) -> list[Hit[Pole]]:
    out: list[Hit[Pole]] = []
    for i, t in enumerate(toks):
        if i in skip:
            continue
        seen: set[str] = set()
        plain = candidates(t.key)
        for form in lexicon_forms(t.key):
            if form in ANTONYMS and is_idiomatic(toks, i, form, inflected=form not in plain):
                continue
            for pole in ANTONYMS.get(form, ()):
                # A word may sit in several groups (فشلت: failed to succeed / to fulfil).
                if pole.group not in seen:
                    seen.add(pole.group)
                    out.append(Hit(pole, i, i + 1, t.start, t.end, t.text))
    return out


def _negator_hits(toks: Sequence[Token], text: str, skip: set[int]) -> list[Hit[str]]:
    out: list[Hit[str]] = []
    for i, t in enumerate(toks):
        if i in skip:
            continue
        form = next((f for f in candidates(t.key) if f in NEGATORS), None)
        if form is None and any(f in NEGATIVE_PREDICATES for f in lexicon_forms(t.key)):
            out.append(Hit("neg", i, i + 1, t.start, t.end, t.text))
            continue
        if form is None and t.key == "t" and i > 0 and toks[i - 1].key.endswith("n"):
            # didn't / won't: the key splits at the apostrophe.
            out.append(Hit("neg", i - 1, i + 1, toks[i - 1].start, t.end, text[toks[i - 1].start : t.end]))
            continue
        if form is None:
            continue
        nxt = toks[i + 1].key if i + 1 < len(toks) else ""
        if any(f in NOT_NEGATION_BEFORE.get(form, ()) for f in candidates(nxt)):
            continue
        out.append(Hit("neg", i, i + 1, t.start, t.end, t.text))
    return out


def _source_hits(toks: Sequence[Token]) -> list[Hit[str]]:
    reporting = [i for i, t in enumerate(toks) if any(f in REPORTING for f in candidates(t.key))]
    out: list[Hit[str]] = []
    for i, t in enumerate(toks):
        cat = next((SOURCE_OF[f] for f in candidates(t.key) if f in SOURCE_OF), None)
        if cat is None:
            continue
        if cat in ALWAYS_SOURCE or any(abs(i - r) <= 4 for r in reporting):
            out.append(Hit(cat, i, i + 1, t.start, t.end, t.text))
    return out


# The framing hits of the claims analysed in this process, by text: what the framing
# table needs, kept after the full analysis leaves the bounded cache (a few hundred bytes
# a claim; emptied past _FRAMING_SEEN_MAX so a long-lived process does not grow).
_FRAMING_SEEN: dict[str, tuple[Hit[FramingTerm], ...]] = {}
_FRAMING_SEEN_MAX = 1_000_000


def _remember_framing(text: str, hits: tuple[Hit[FramingTerm], ...]) -> None:
    if len(_FRAMING_SEEN) >= _FRAMING_SEEN_MAX:
        _FRAMING_SEEN.clear()
    _FRAMING_SEEN[text] = hits


def framing_hits(text: str) -> tuple[Hit[FramingTerm], ...]:
    """The framing hits of a claim: from its analysis when the judge made one (in this
    process), else found on their own, without the rest of the analysis."""
    got = _FRAMING_SEEN.get(text)
    if got is None:
        got = tuple(_match_phrases(tokenize(text), FRAMING_INDEX, text))
        _remember_framing(text, got)
    return got


@lru_cache(maxsize=16384)  # about 7 KiB each: ~110 MiB at most
def analyse(text: str) -> Analysis:
    """Tokens, quantities, dates and lexicon hits of a claim's display text."""
    toks = tokenize(text)
    quantities = find_quantities(text, toks)
    dates = find_dates(text, toks)
    # Tokens inside a number qualifier ("ما لا يقل عن") are not negation or antonyms.
    qual_toks: set[int] = set()
    for i, t in enumerate(toks):
        for q in quantities:
            if q.qualifier_start is not None and q.qualifier_start <= t.start < q.start:
                qual_toks.add(i)
    actors = _descriptors_dropped(_match_phrases(toks, ACTOR_INDEX, text))
    # Nor are words inside a name ("أطباء بلا حدود", "Doctors Without Borders").
    name_toks = qual_toks | {i for h in actors for i in range(h.first, h.last)}
    negators = _negator_hits(toks, text, name_toks)
    antonyms = _antonym_hits(toks, name_toks)
    framing = _match_phrases(toks, FRAMING_INDEX, text)
    _remember_framing(text, tuple(framing))
    hedges = [
        Hit("hedge", i, i + 1, t.start, t.end, t.text)
        for i, t in enumerate(toks)
        if any(f in HEDGES for f in candidates(t.key))
    ]
    sources = _source_hits(toks)
    special: set[int] = set()
    for h in (*negators, *antonyms, *actors, *framing, *hedges, *sources):
        special.update(range(h.first, h.last))
    for i, t in enumerate(toks):
        if any(q.start <= t.start < q.end for q in quantities) or any(d.start <= t.start < d.end for d in dates):
            special.add(i)
    return Analysis(
        text=text,
        toks=tuple(toks),
        stems=tuple(t.stem for t in toks),
        quantities=tuple(quantities),
        dates=tuple(dates),
        negators=tuple(negators),
        antonyms=tuple(antonyms),
        actors=tuple(actors),
        framing=tuple(framing),
        hedges=tuple(hedges),
        sources=tuple(sources),
        special=frozenset(special),
    )

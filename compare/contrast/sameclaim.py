"""The same-claim test: do two sentences state one claim, so that a fact that differs
between them is a contrast and not two different events?

The judge (``judge_pair``) answers "how do two versions of one claim differ?". On a real
corpus most pairs it is asked about are not one claim: two items of a timeline written
with one template ("on 5 March a bomb killed 15 ..." against "on 19 August a bomb killed
20 ..."), two statements of one speaker months apart, a sentence and a teaser on the same
topic. Those pairs share a topic and a few words, but each side carries a long stretch
the other does not say. One claim told twice lines up almost word for word around the
changed fact, whatever the outlet's wording.

So the test asks of the token alignment (``align``):

- **shared anchors**: the two sides share ``MIN_SHARED`` content words (not function
  words, digits or one- and two-letter stems), or one fewer and an actor or place of the
  gazetteer both name, so a bare figure ("585 مليار درهم .") or a clock time against
  another is not a claim;
- **one time**: not two different years (a timeline's items, a statement and another a
  year later);
- **an aligned predicate**: no unaligned stretch longer than ``MAX_GAP`` tokens on either
  side, where the claims would say different things;
- **coverage**: at least ``MIN_COVER_SHORT`` of the shorter side's tokens and
  ``MIN_COVER_LONG`` of the longer side's are aligned (the longer may add a clause, an
  attribution or a date, not a second story);
- **one fact on a shared slot**: exactly one typed fact difference (``FACT_KINDS``), and
  it is a number whose two values stand in one unaligned stretch, one put for the other,
  or a negation or antonym (which the judge only reports on a word both claims say). Two
  facts changed at once ("5 killed in Orakzai" / "4 killed in Khar") are two events.

The thresholds were set on tuning data only: the ANS dev ``tune`` half (contrasts the
judge finds there, all one claim by construction, should pass) and the contrast links of
an earlier Baly dev run (``docs/quality.md`` says which figures are held out).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..records import Difference
from ..text.numbers import candidates
from .align import Alignment
from .analysis import Analysis, token_index_at
from .lexicon import FUNCTION_WORDS, NUMBER_LABELS, lexicon_forms
from .rules import FACT_KINDS

MIN_SHARED = 3
MAX_GAP = 5
MIN_COVER_SHORT = 0.5
MIN_COVER_LONG = 0.3
# Differently worded versions pass on anchors instead when two named speakers say them
# ("Russia says Turkey failed its obligations"; "Turkey says it met them"), the changed
# stretch is still sentence-part sized and a quarter of the shorter side aligns. Unattributed
# sentences that share a topic pass this far too easily on a real corpus.
MAX_ANCHORED_GAP = 12
MIN_ANCHORED_COVER = 0.25
# The facts a contrast may rest on. A differing weekday is mostly the day each outlet
# reported on, and a differing place mostly a second event ("protests in Khartoum" /
# "protests in Tehran"): they are shown as differences, never the reason for a contrast.
SLOT_KINDS = frozenset({"number", "negation", "antonym"})
# Negation and antonyms differ by a word one side has and the other lacks.
_ONE_SIDED = frozenset({"negation", "antonym"})


@dataclass(frozen=True)
class SameClaim:
    """The verdict of the same-claim test, and what it was read from. ``reason`` names
    the first requirement that failed ("" when the pair is one claim)."""

    is_same: bool
    reason: str
    shared_words: int
    largest_gap: int
    cover_short: float
    cover_long: float


def content_tokens(a: Analysis) -> list[int]:
    """Indices of the tokens that carry content: not function words, not bare figures,
    not one- or two-letter stems."""
    return [
        i for i, stem in enumerate(a.stems)
        if len(stem) >= 3 and not stem.isdigit()
        and not any(f in FUNCTION_WORDS for f in candidates(a.toks[i].key))
    ]


def largest_gap(al: Alignment) -> int:
    """The longest unaligned stretch, in tokens, on either side."""
    return max((max(bl.a1 - bl.a0, bl.b1 - bl.b0) for bl in al.blocks), default=0)


def is_label(a: Analysis, i: int) -> bool:
    """Does token ``i``, a number, name something ("رقم 215", "resolution 2254") rather
    than count it?"""
    return i > 0 and any(f in NUMBER_LABELS for f in lexicon_forms(a.toks[i - 1].key))


def on_shared_slot(a: Analysis, b: Analysis, al: Alignment, d: Difference) -> bool:
    """Does a fact difference stand on a slot both claims fill: a negation or antonym
    (judged on a shared word already), or two values put one for the other inside one
    unaligned stretch ("killed 100" / "killed 1000"), not two values from different
    places of two sentences?"""
    if d.kind in _ONE_SIDED:
        return True
    if d.kind not in FACT_KINDS or d.a_span is None or d.b_span is None:
        return False
    if d.kind != "number":
        return False
    i, j = token_index_at(a, d.a_span[0]), token_index_at(b, d.b_span[0])
    if is_label(a, i) or is_label(b, j):
        return False
    return any(bl.a0 <= i < bl.a1 and bl.b0 <= j < bl.b1 for bl in al.blocks) or anchored(a, b, d)


def fact_count(facts: Sequence[Difference]) -> int:
    """How many facts changed: each number, date or actor difference is one; negations
    and antonyms are one together (the judge reports "failed" against "met" as both)."""
    return len([d for d in facts if d.kind not in _ONE_SIDED]) + int(any(d.kind in _ONE_SIDED for d in facts))


def different_years(a: Analysis, b: Analysis) -> bool:
    """Do both claims name a year, with no year in common? Two items of a timeline, or
    one statement and another a year later: two events, whatever else they share."""
    ya = {d.value for d in a.dates if d.kind == "year"}
    yb = {d.value for d in b.dates if d.kind == "year"}
    return bool(ya and yb and not ya & yb)


def same_claim(a: Analysis, b: Analysis, al: Alignment, diffs: Sequence[Difference], *,
               two_speakers: bool = False) -> SameClaim:
    """Do ``a`` and ``b`` (aligned as ``al``, differing as ``diffs``) state one claim?
    ``two_speakers``: each claim is attributed, to a different speaker (then two
    differently worded versions may pass on anchors)."""
    shared = len([i for i in content_tokens(a) if i in al.matched_a])
    gap = largest_gap(al)
    cover_a = len(al.matched_a) / max(len(a.stems), 1)
    cover_b = len(al.matched_b) / max(len(b.stems), 1)
    short, long_ = (cover_a, cover_b) if len(a.stems) <= len(b.stems) else (cover_b, cover_a)
    facts = [d for d in diffs if d.kind in FACT_KINDS]
    shared_actor = bool({h.value for h in a.actors} & {h.value for h in b.actors})
    close = (gap <= MAX_GAP and short >= MIN_COVER_SHORT and long_ >= MIN_COVER_LONG
             and (shared >= MIN_SHARED or shared_actor))
    if different_years(a, b):
        reason = "different years"
    elif fact_count(facts) != 1:
        reason = "not one fact"
    elif not any(d.kind in SLOT_KINDS and on_shared_slot(a, b, al, d) for d in facts):
        reason = "no shared slot"
    elif shared < MIN_SHARED - 1:
        reason = "few shared words"
    elif not close and not (two_speakers and anchored(a, b, facts[0]) and shared >= MIN_SHARED
                            and gap <= MAX_ANCHORED_GAP and short >= MIN_ANCHORED_COVER):
        reason = "not aligned, not anchored"
    else:
        reason = ""
    return SameClaim(not reason, reason, shared, gap, round(short, 6), round(long_, 6))


def anchored(a: Analysis, b: Analysis, fact: Difference) -> bool:
    """Is a fact that two differently worded claims state tied to the same thing? Two
    figures of one counted noun ("100 attacks" / "1000 attacks"); a negation or antonym
    under an actor or place both name (Turkey met / did not meet its obligations in
    Idlib)."""
    if fact.kind == "number":
        qa = next((q for q in a.quantities if fact.a_span and q.start <= fact.a_span[0] < q.end), None)
        qb = next((q for q in b.quantities if fact.b_span and q.start <= fact.b_span[0] < q.end), None)
        return qa is not None and qb is not None and qa.unit is not None and qa.unit == qb.unit
    return len({h.value for h in a.actors} & {h.value for h in b.actors}) >= 2


def same_claim_texts(a_text: str, b_text: str, diffs: Sequence[Difference], *, two_speakers: bool = False) -> SameClaim:
    """``same_claim`` on two texts (analysed through the shared cache)."""
    from .align import align
    from .analysis import analyse

    a, b = analyse(a_text or ""), analyse(b_text or "")
    return same_claim(a, b, align(a, b), diffs, two_speakers=two_speakers)

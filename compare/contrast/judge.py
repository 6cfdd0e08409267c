"""The judges of one pair: ``judge_pair`` (two versions of a claim in one script) and
``judge_across_scripts`` (an English and an Arabic version, values only)."""

from __future__ import annotations

from ..records import Difference, Judgement
from ..text.dates import DateMention
from ..text.numbers import Quantity
from .align import align
from .analysis import Analysis, analyse, token_index_at
from .lexicon import DURATIONS, REPORTING, fold_word, lexicon_forms
from .model import JudgeModel, judge_inputs, load_model, score_pair
from .rules import (
    FACT_KINDS,
    KINDS,
    counted_quantities,
    explains_contrast,
    quantity_difference,
    same_value,
)
from .scope import preceded_by
from .strict import strict_evidence

_KIND_ORDER = {k: i for i, k in enumerate(KINDS)}


def _display_order(d: Difference) -> tuple[int, tuple[int, int], tuple[int, int], str, str]:
    """Differences by kind (in ``KINDS`` order), then by where they stand."""
    return (_KIND_ORDER.get(d.kind, 99), d.a_span or (-1, -1), d.b_span or (-1, -1), d.a, d.b)


def judge_pair(
    a_text: str,
    b_text: str,
    *,
    a_speaker: str | None = None,
    b_speaker: str | None = None,
    model: JudgeModel | str | None = "default",
    strict: bool = False,
) -> Judgement:
    """Do two versions of a claim disagree, and how? Symmetric: swapping a and b swaps
    the sides of every difference and changes nothing else.

    ``strict``: for claims that are only related (same event, not the same claim). A
    contrast then also needs strict evidence: a negation or antonym on a predicate both
    claims state, next to an argument both share, asserted (not demanded, hoped for or
    asked), under a topic (actor or place) both name; or a number on a noun both count,
    or a date in a shared context. Only that evidence is reported as facts that changed
    (plus attribution, framing, hedging and wording)."""
    a_text = a_text or ""
    b_text = b_text or ""
    # One canonical order, so judge(a, b) and judge(b, a) are the same judgement.
    flip = (b_text, b_speaker or "") < (a_text, a_speaker or "")
    if flip:
        a_text, b_text, a_speaker, b_speaker = b_text, a_text, b_speaker, a_speaker
    a, b = analyse(a_text), analyse(b_text)
    al = align(a, b)
    diffs, feats, unmatched = judge_inputs(a, b, al, a_speaker, b_speaker)
    m = load_model() if isinstance(model, str) else model
    p, is_contrast = score_pair(feats, unmatched, diffs, m)
    # A contrast the report cannot explain is not shown as one.
    is_contrast = is_contrast and explains_contrast(diffs)
    if strict:
        evidence = strict_evidence(a, b, al)
        is_contrast = is_contrast and bool(evidence)
        diffs = evidence + [d for d in diffs if d.kind not in FACT_KINDS]
    if flip:
        diffs = [d.swapped() for d in diffs]
    return Judgement(round(p, 6), is_contrast, tuple(sorted(set(diffs), key=_display_order)))


def _is_duration(q: Quantity) -> bool:
    return q.unit is not None and fold_word(q.unit) in DURATIONS


_SPOKEN_REACH = 3  # tokens back from a date a reporting verb may govern it


def when_spoken(a: Analysis, d: DateMention) -> bool:
    """Does a reporting verb govern a date (when someone spoke, not when the event was)?
    Up to ``_SPOKEN_REACH`` tokens before it ("said on Monday", "قال لافروف يوم الاثنين"),
    or the token right after it ("الاثنين قال"); "reached Idlib on Wednesday, officials
    said" keeps its date."""
    i = token_index_at(a, d.start)
    after = token_index_at(a, d.end)
    return preceded_by(a, i, REPORTING, _SPOKEN_REACH) or (
        a.toks[after].start >= d.end and any(f in REPORTING for f in lexicon_forms(a.toks[after].key)))


def judge_across_scripts(a_text: str, b_text: str) -> Judgement:
    """An English and an Arabic version of one claim: do their facts differ?

    The wording judge aligns tokens and has nothing to align across scripts, so only the
    values both scripts write alike are compared: a contrast when, once the values both
    sides state are set aside, exactly one counted quantity is left on each side (bounds
    and rounding read as in ``judge_pair``: "more than 100" is not "1,000"), or when both
    name an event date of one kind (weekday, month, year; not one a reporting verb
    governs, see ``when_spoken``) with no value in common. Negation,
    antonyms and actors cannot be compared this way: such pairs stay paraphrases. The
    score is the rule's verdict, 1.0 or 0.0. Symmetric like ``judge_pair``."""
    a_text, b_text = a_text or "", b_text or ""
    flip = b_text < a_text
    if flip:
        a_text, b_text = b_text, a_text
    a, b = analyse(a_text), analyse(b_text)
    diffs: list[Difference] = []
    # Values both sides state cancel out; one left on each side is the changed figure.
    # More than one left is ambiguous without aligned words: no verdict. Durations ("in
    # two weeks") are set aside: Arabic writes two as a dual (أسبوعين) with no number.
    qa = [q for q in counted_quantities(a) if not q.vague and not _is_duration(q)]
    qb = [q for q in counted_quantities(b) if not q.vague and not _is_duration(q)]
    for q in list(qa):
        twin = next((r for r in qb if same_value(q, r)), None)
        if twin is not None:
            qa.remove(q)
            qb.remove(twin)
    if len(qa) == 1 and len(qb) == 1:
        diffs.append(quantity_difference("number", qa[0], qb[0]))
    # Dates of the event only: "said on Monday" is when someone spoke, and two outlets
    # often report one statement on different days.
    for kind in ("year", "month", "weekday"):
        da = [d for d in a.dates if d.kind == kind and not when_spoken(a, d)]
        db = [d for d in b.dates if d.kind == kind and not when_spoken(b, d)]
        if da and db and not {d.value for d in da} & {d.value for d in db}:
            x, y = da[0], db[0]
            diffs.append(Difference("date", x.text, y.text, (x.start, x.end), (y.start, y.end)))
    if flip:
        diffs = [d.swapped() for d in diffs]
    return Judgement(1.0 if diffs else 0.0, bool(diffs), tuple(sorted(set(diffs), key=_display_order)))

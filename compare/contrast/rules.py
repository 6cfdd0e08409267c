"""The typed difference rules: every way two aligned claims differ, as ``Difference``
records with the surface strings and character spans in each claim's display text.

Kinds: ``number``, ``date``, ``actor``, ``negation``, ``antonym``, ``attribution``,
``framing``, ``hedge`` and ``wording`` (a plain substitution nothing else explains).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz

from ..records import Difference
from ..text.normalize import match_key
from ..text.numbers import Quantity, candidates, format_number
from .align import Alignment, are_variants, in_same_place, in_small_change
from .analysis import Analysis, Hit, HitValue, token_index_at
from .gazetteer import FramingTerm, actor_kind
from .lexicon import FUNCTION_WORDS, MODALS, Pole
from .scope import context_words, is_owed, negated_tokens, negated_words, same_word

KINDS = ("number", "date", "actor", "negation", "antonym", "attribution", "framing", "hedge", "wording")
# Kinds that change a fact on their own. Attribution, framing and hedging say *how* two
# versions differ but two outlets may frame or attribute the same fact differently.
FACT_KINDS = frozenset({"number", "date", "actor", "negation", "antonym"})


def explains_contrast(diffs: Sequence[Difference]) -> bool:
    """Can the report say what changed? Only a typed fact (number, date, actor, negation,
    antonym) explains a contrast. Word swaps alone are what paraphrases look like across
    real outlets (يؤكدان / يجددان), so they never make a contrast by themselves: this is
    the precision-first operating point (ANS dev, measured 2026-11-28: P 0.942, R 0.414;
    allowing crisp word swaps too gave P 0.821, R 0.622; after the seed rules of issue #5,
    P 0.961, R 0.416)."""
    return any(d.kind in FACT_KINDS for d in diffs)


# --- numbers and dates --------------------------------------------------------------------


def same_value(p: Quantity, q: Quantity) -> bool:
    """Could two quantities state the same figure (bounds, approximations and vague
    plurals read generously)?"""
    x, y = p.value, q.value
    if x == y:
        return True
    lo, hi = min(x, y), max(x, y)
    if "~" in (p.qualifier, q.qualifier) and hi <= lo * 1.1:
        return True
    for v, other in ((p, q), (q, p)):
        # A bound is consistent with a value just past it: "أكثر من مليار" with 1.25
        # billion, "less than 100" with 80 (news rounds to the round number below or
        # above). Ten times past it ("أكثر من 100" vs "ألف") is another figure.
        if other.qualifier in (None, "~"):
            if v.qualifier in (">", ">=") and v.value <= other.value <= 2 * v.value:
                return True
            if v.qualifier in ("<", "<=") and v.value / 2 <= other.value <= v.value:
                return True
        # "عشرات" (tens of) is consistent with 40, "hundreds" with 300, and a bare plural
        # scale ("آلاف", "millions") with anything below the next scale (270 ألف).
        if v.vague:
            span = 1000 if v.value in (1e3, 1e6, 1e9) else 10
            if v.value <= other.value < v.value * span:
                return True
    return False


def _same_unit(u: str | None, v: str | None) -> bool | None:
    if u is None or v is None:
        return None
    return are_variants(u, v) or u[:3] == v[:3]


def counted_quantities(a: Analysis) -> list[Quantity]:
    """The claim's quantities that count something: not years, not days of a month."""
    month_starts = {d.start for d in a.dates if d.kind == "month"}
    out = []
    for q in a.quantities:
        if q.is_year:
            continue
        # Day of month ("5 آب") is a date, not a count.
        nxt = next((t for t in a.toks if t.start > q.end), None)
        if nxt is not None and nxt.start in month_starts:
            continue
        out.append(q)
    return out


def _number_diffs(a: Analysis, b: Analysis, al: Alignment) -> list[Difference]:
    """Counted quantities of one unit that disagree (or the same bound turned around)."""
    qa, qb = counted_quantities(a), counted_quantities(b)
    diffs: list[Difference] = []
    used_b: set[int] = set()
    pending_a: list[Quantity] = []
    for p in qa:
        same = [j for j, q in enumerate(qb) if _same_unit(p.unit, q.unit)]
        if any(same_value(p, qb[j]) for j in same) or (not same and any(same_value(p, q) for q in qb)):
            j = next((j for j in (same or range(len(qb))) if same_value(p, qb[j])), None)
            if j is not None:
                used_b.add(j)
                q = qb[j]
                # Same value, opposite direction ("أكثر من 100" vs "أقل من 100").
                dirs = {p.qualifier, q.qualifier}
                if {">", "<"} <= {d[0] for d in dirs if d}:
                    diffs.append(quantity_difference("number", p, q))
                elif p.qualifier != q.qualifier and "~" not in dirs and not (p.vague or q.vague):
                    diffs.append(quantity_difference("hedge", p, q))
            continue
        free = [j for j in same if j not in used_b]
        if free:
            used_b.add(free[0])
            diffs.append(quantity_difference("number", p, qb[free[0]]))
        else:
            pending_a.append(p)
    pending_b = [q for j, q in enumerate(qb) if j not in used_b and not any(same_value(q, p) for p in qa)]
    # What is left pairs in order, unless both sides name different things counted.
    for p, q in zip(pending_a, pending_b, strict=False):
        if _same_unit(p.unit, q.unit) is False or not in_same_place(a, b, al, token_index_at(a, p.start), token_index_at(b, q.start)):
            continue
        diffs.append(quantity_difference("number", p, q))
    return diffs


def _quantity_label(q: Quantity) -> str:
    rel = {">": "> ", ">=": ">= ", "<": "< ", "<=": "<= ", "~": "~"}.get(q.qualifier or "", "")
    return f"{q.text} ({rel}{format_number(q.value)})"


def quantity_difference(kind: str, p: Quantity, q: Quantity) -> Difference:
    """A difference between two quantities, each shown as written and as a value."""
    return Difference(kind, _quantity_label(p), _quantity_label(q), (p.start, p.end), (q.start, q.end))


def date_diffs(a: Analysis, b: Analysis, al: Alignment) -> list[Difference]:
    """Dates of one kind (year, month, weekday) with no value in common, in one context."""
    diffs = []
    for kind in ("year", "month", "weekday"):
        da = [d for d in a.dates if d.kind == kind]
        db = [d for d in b.dates if d.kind == kind]
        if not da or not db:
            continue
        va, vb = {d.value for d in da}, {d.value for d in db}
        if va & vb:
            continue
        # The dates must stand in a shared context ("وصل الوفد ... يوم الاثنين" vs "...
        # يوم الخميس"): in long claims a weekday is often just when someone spoke.
        pair = next(
            (
                (x, y)
                for x in da
                for y in db
                if context_words(a, x.start, x.end) & context_words(b, y.start, y.end)
                and in_same_place(a, b, al, token_index_at(a, x.start), token_index_at(b, y.start))
            ),
            None,
        )
        if pair is not None:
            x, y = pair
            diffs.append(Difference("date", x.text, y.text, (x.start, x.end), (y.start, y.end)))
    return diffs


# --- actors -------------------------------------------------------------------------------


def unmatched_hits(hits: Iterable[Hit[HitValue]], matched: frozenset[int]) -> list[Hit[HitValue]]:
    """The hits with a token the alignment left unmatched."""
    return [h for h in hits if any(i not in matched for i in range(h.first, h.last))]


def _actor_diffs(a: Analysis, b: Analysis, al: Alignment) -> list[Difference]:
    """An actor put for another of its kind in the same place, or two actors whose roles
    swap."""
    diffs = []
    names_a = {h.value for h in a.actors}
    names_b = {h.value for h in b.actors}
    ua = [h for h in unmatched_hits(a.actors, al.matched_a) if h.value not in names_b]
    ub = [h for h in unmatched_hits(b.actors, al.matched_b) if h.value not in names_a]
    # English proper names outside the gazetteer: capitalised, not sentence-initial.
    ua += _proper_names(a, al.matched_a, b)
    ub += _proper_names(b, al.matched_b, a)
    used: set[int] = set()
    for ha in ua:
        kind_a = actor_kind(ha.value)
        k = next(
            (
                k
                for k, h in enumerate(ub)
                if k not in used
                and (actor_kind(h.value) == kind_a or "name" in (kind_a, actor_kind(h.value)))
                and in_same_place(a, b, al, ha.first, h.first)
            ),
            None,
        )
        if k is None:
            continue
        used.add(k)
        hb = ub[k]
        diffs.append(Difference("actor", ha.text, hb.text, (ha.start, ha.end), (hb.start, hb.end)))
    return diffs + _swapped_roles(a, b, sorted(names_a & names_b))


def _swapped_roles(a: Analysis, b: Analysis, shared: list[str]) -> list[Difference]:
    """Two actors both claims name, in the opposite order around a shared word."""
    diffs = []
    pos_a = {v: min(h.first for h in a.actors if h.value == v) for v in shared}
    pos_b = {v: min(h.first for h in b.actors if h.value == v) for v in shared}
    for i, x in enumerate(shared):
        for y in shared[i + 1 :]:
            if (pos_a[x] < pos_a[y]) == (pos_b[x] < pos_b[y]):
                continue
            if _anchor_between(a, b, pos_a[x], pos_a[y], pos_b[x], pos_b[y]):
                hx = next(h for h in a.actors if h.value == x and h.first == pos_a[x])
                hy = next(h for h in a.actors if h.value == y and h.first == pos_a[y])
                gx = next(h for h in b.actors if h.value == x and h.first == pos_b[x])
                gy = next(h for h in b.actors if h.value == y and h.first == pos_b[y])
                first_a, first_b = sorted((hx, hy), key=lambda h: h.first), sorted((gx, gy), key=lambda h: h.first)
                diffs.append(
                    Difference(
                        "actor",
                        f"{first_a[0].text} … {first_a[1].text}",
                        f"{first_b[0].text} … {first_b[1].text}",
                        (first_a[0].start, first_a[1].end),
                        (first_b[0].start, first_b[1].end),
                    )
                )
    return diffs


_SWAP_SPAN = 6  # most tokens between two actors whose roles may swap


def _anchor_between(a: Analysis, b: Analysis, ax: int, ay: int, bx: int, by: int) -> bool:
    """A content word between the two actors in both claims: a verb they share roles of."""
    lo_a, hi_a = sorted((ax, ay))
    lo_b, hi_b = sorted((bx, by))
    if hi_a - lo_a < 2 or hi_b - lo_b < 2:
        return False  # adjacent or coordinated ("روسيا وتركيا"): order carries no role
    if hi_a - lo_a > _SWAP_SPAN or hi_b - lo_b > _SWAP_SPAN:
        return False  # far apart in a long claim: different clauses, not one act's roles
    between_b = {b.stems[j] for j in range(lo_b + 1, hi_b)}
    return any(
        len(a.stems[i]) >= 3 and a.stems[i] in between_b and i not in a.special for i in range(lo_a + 1, hi_a)
    )


def _proper_names(a: Analysis, matched: frozenset[int], other: Analysis) -> list[Hit[str]]:
    other_keys = {t.key for t in other.toks}
    out: list[Hit[str]] = []
    for i, t in enumerate(a.toks):
        if (
            i > 0
            and i not in matched
            and i not in a.special
            and t.text[:1].isupper()
            and t.text.isascii()
            and t.key not in other_keys
            and not a.toks[i - 1].text.endswith((".", "!", "?"))
        ):
            out.append(Hit(t.key, i, i + 1, t.start, t.end, t.text))
    return out


# --- negation and antonyms ----------------------------------------------------------------


def _negation_diffs(a: Analysis, b: Analysis, al: Alignment) -> list[Difference]:
    """One side negates (an odd number of negators more) what both sides say."""
    if len(a.negators) % 2 == len(b.negators) % 2:
        return []
    ua = unmatched_hits(a.negators, al.matched_a) or list(a.negators)
    ub = unmatched_hits(b.negators, al.matched_b) or list(b.negators)
    if len(a.negators) > len(b.negators):
        h = next((h for h in ua if _negates_shared(a, h, b) and in_small_change(a, b, al, h.first, "a")), None)
        return [Difference("negation", h.text, "", (h.start, h.end), None)] if h else []
    h = next((h for h in ub if _negates_shared(b, h, a) and in_small_change(a, b, al, h.first, "b")), None)
    return [Difference("negation", "", h.text, None, (h.start, h.end))] if h else []


def _negates_shared(a: Analysis, h: Hit[str], other: Analysis) -> bool:
    """Is what the negator negates also said in the other claim (the same word, or a word
    of the same antonym group)? Sharing a particle ("أنه") or the subject of an unshared
    verb is not enough: a negation in a long claim often bears on something the other
    never says."""
    groups_other = {x.value.group for x in other.antonyms}
    other_words = [
        j for j, v in enumerate(other.stems)
        if len(v) >= 3 and not any(f in FUNCTION_WORDS for f in candidates(other.toks[j].key))
    ]
    for i in negated_words(a, h):
        if any(f in MODALS for f in candidates(a.toks[i].key)):
            continue  # "لا يمكن": the modal is not what the claims share
        # "failed to separate" does not deny "is responsible for separating".
        if any(same_word(a, i, other, j) and not is_owed(other, j) for j in other_words):
            return True
        if any(x.first == i and x.value.group in groups_other for x in a.antonyms):
            return True  # "غير قادرة على الوفاء" vs "أوفت": the same act, other wording
    return False


def _poles(a: Analysis) -> dict[str, dict[int, Hit[Pole]]]:
    """Antonym group -> pole -> first hit. A negated pole is left out: "لم نتمكن من فصل"
    (could not separate) is no antonym of "فشل في فصل" (failed to separate), and where
    the two poles really disagree the negation itself is the difference."""
    negated = negated_tokens(a)
    out: dict[str, dict[int, Hit[Pole]]] = {}
    for h in a.antonyms:
        if h.first not in negated:
            out.setdefault(h.value.group, {}).setdefault(h.value.pole, h)
    return out


def _antonym_diffs(a: Analysis, b: Analysis, al: Alignment) -> list[Difference]:
    """Opposite poles of one antonym group in the same place ("ارتفع" / "انخفض")."""
    diffs = []
    poles_a, poles_b = _poles(a), _poles(b)
    seen_a: set[int] = set()
    for g in sorted(set(poles_a) & set(poles_b)):
        pa, pb = poles_a[g], poles_b[g]
        if len(pa) == 1 and len(pb) == 1 and set(pa) != set(pb):
            x = next(iter(pa.values()))
            y = next(iter(pb.values()))
            if x.first in seen_a or not in_same_place(a, b, al, x.first, y.first):
                continue
            seen_a.add(x.first)
            diffs.append(Difference("antonym", x.text, y.text, (x.start, x.end), (y.start, y.end)))
    # Both poles on each side ("gold rises as the dollar falls" vs "gold falls as the
    # dollar rises"): compare the pole attached to the same actor.
    ta, tb = _anchored_poles(a, b), _anchored_poles(b, a)
    for key in sorted(set(ta) & set(tb)):
        (qa, xa), (qb, yb) = ta[key], tb[key]
        if len(qa) == 1 and len(qb) == 1 and qa != qb and xa.first not in seen_a and in_same_place(a, b, al, xa.first, yb.first):
            seen_a.add(xa.first)
            diffs.append(Difference("antonym", xa.text, yb.text, (xa.start, xa.end), (yb.start, yb.end)))
    return diffs


def _anchored_poles(a: Analysis, other: Analysis) -> dict[tuple[str, str], tuple[set[int], Hit[Pole]]]:
    """(antonym group, nearest actor or shared word) -> poles used for it, first hit."""
    other_stems = set(other.stems)
    out: dict[tuple[str, str], tuple[set[int], Hit[Pole]]] = {}
    for h in a.antonyms:
        g, pole = h.value
        best: tuple[int, str] | None = None
        for act in a.actors:
            d = max(act.first - h.last, h.first - act.last) + 1
            if d <= 4 and (best is None or d < best[0]):
                best = (d, act.value)
        if best is None:
            for i in (h.first - 1, h.last, h.first - 2, h.last + 1):
                if 0 <= i < len(a.stems) and i not in a.special and len(a.stems[i]) >= 3 and a.stems[i] in other_stems:
                    best = (0, a.stems[i])
                    break
        if best is None:
            continue
        poles, first = out.get((g, best[1]), (set(), h))
        poles.add(pole)
        out[(g, best[1])] = (poles, first)
    return out


# --- framing, hedges, attribution, wording ------------------------------------------------


def _framing_diffs(a: Analysis, b: Analysis) -> list[Difference]:
    """One concept under different labels ("الإرهابيين" / "الفصائل"), or a hedge on one
    side only."""
    diffs = []
    labels_a: dict[str, dict[str, Hit[FramingTerm]]] = {}
    labels_b: dict[str, dict[str, Hit[FramingTerm]]] = {}
    for hits, labels in ((a.framing, labels_a), (b.framing, labels_b)):
        for h in hits:
            labels.setdefault(h.value.concept, {}).setdefault(h.value.label, h)
    for concept in sorted(set(labels_a) & set(labels_b)):
        la, lb = labels_a[concept], labels_b[concept]
        only_a = sorted(set(la) - set(lb))
        only_b = sorted(set(lb) - set(la))
        if only_a and only_b:
            x, y = la[only_a[0]], lb[only_b[0]]
            diffs.append(Difference("framing", x.text, y.text, (x.start, x.end), (y.start, y.end)))
    ha, hb = a.hedges, b.hedges
    if bool(ha) != bool(hb):
        if ha:
            diffs.append(Difference("hedge", ha[0].text, "", (ha[0].start, ha[0].end), None))
        else:
            diffs.append(Difference("hedge", "", hb[0].text, None, (hb[0].start, hb[0].end)))
    return diffs


def find_span(text: str, needle: str) -> tuple[int, int] | None:
    """Where ``needle`` first occurs in ``text`` (None: empty or absent)."""
    if not needle:
        return None
    i = text.find(needle)
    return (i, i + len(needle)) if i >= 0 else None


def _attribution_diffs(a: Analysis, b: Analysis, a_speaker: str | None, b_speaker: str | None) -> list[Difference]:
    """Different speakers, or (without speakers) sources of disjoint categories."""
    sa = (a_speaker or "").strip()
    sb = (b_speaker or "").strip()
    if sa and sb:
        ka, kb = match_key(sa), match_key(sb)
        if ka and kb and fuzz.token_set_ratio(ka, kb) < 80:
            return [Difference("attribution", sa, sb, find_span(a.text, sa), find_span(b.text, sb))]
        return []
    cats_a = {h.value for h in a.sources}
    cats_b = {h.value for h in b.sources}
    if cats_a and cats_b and not (cats_a & cats_b):
        x = a.sources[0]
        y = b.sources[0]
        return [Difference("attribution", x.text, y.text, (x.start, x.end), (y.start, y.end))]
    return []


def _script_of(text: str) -> str:
    arabic = sum(1 for ch in text if "\u0600" <= ch <= "\u06ff")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return "arabic" if arabic >= latin else "latin"


def _wording_diffs(a: Analysis, b: Analysis, al: Alignment) -> list[Difference]:
    """Replaced content words nothing typed explains: a generic substitution."""
    diffs = []
    for a0, a1, b0, b1 in al.blocks:
        ia = [i for i in range(a0, a1) if i not in al.matched_a and i not in a.special and len(a.stems[i]) >= 3]
        ib = [j for j in range(b0, b1) if j not in al.matched_b and j not in b.special and len(b.stems[j]) >= 3]
        if ia and ib:
            s = a.toks[ia[0]].start
            e = a.toks[ia[-1]].end
            s2 = b.toks[ib[0]].start
            e2 = b.toks[ib[-1]].end
            if _script_of(a.text[s:e]) != _script_of(b.text[s2:e2]):
                continue  # Arabic for English is a translation, not a changed fact
            diffs.append(Difference("wording", a.text[s:e], b.text[s2:e2], (s, e), (s2, e2)))
    return diffs


def _outside_speakers(diffs: list[Difference], a: Analysis, b: Analysis,
                      a_speaker: str | None, b_speaker: str | None) -> list[Difference]:
    """Actor differences whose word on either side is that claim's speaker ("وأكد
    الكرملين أن ...") are who says it, not who did what: the attribution difference
    reports them, and an actor difference there would pair the speaker with whatever
    place the other claim names ("الكرملين" against "إدلب"). Applied after pairing on
    purpose: leaving the speaker out before pairing lets the other claim's place pair
    with the next actor instead ("إدلب" against "التركي"), another false contrast."""
    spans = [find_span(t.text, sp.strip()) if sp and sp.strip() else None
             for t, sp in ((a, a_speaker), (b, b_speaker))]

    def inside(span: tuple[int, int] | None, within: tuple[int, int] | None) -> bool:
        return span is not None and within is not None and within[0] <= span[0] and span[1] <= within[1]

    return [d for d in diffs if not (inside(d.a_span, spans[0]) or inside(d.b_span, spans[1]))]


def typed_differences(
    a: Analysis, b: Analysis, al: Alignment, a_speaker: str | None, b_speaker: str | None
) -> list[Difference]:
    """Every difference of the eight rules, in rule order."""
    diffs: list[Difference] = []
    diffs += _number_diffs(a, b, al)
    diffs += date_diffs(a, b, al)
    diffs += _outside_speakers(_actor_diffs(a, b, al), a, b, a_speaker, b_speaker)
    diffs += _negation_diffs(a, b, al)
    diffs += _antonym_diffs(a, b, al)
    diffs += _attribution_diffs(a, b, a_speaker, b_speaker)
    diffs += _framing_diffs(a, b)
    diffs += _wording_diffs(a, b, al)
    return diffs

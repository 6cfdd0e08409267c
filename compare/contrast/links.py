"""``judge_links``: the contrast stage over a links table. Which links are judged, in
an order kind to the analysis cache, each pair judged once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
import polars as pl

from ..errors import InputError, UsageError
from ..records import Difference, Judgement
from ..schema import DIFFERENCE, DIFFERENCES, LINKS
from ..text.normalize import is_latin, match_key
from .analysis import analyse
from .judge import judge_across_scripts, judge_pair
from .sameclaim import PRECISIONS, same_claim_texts
from .strict import strict_possible

DIFFERENCE_FIELDS = DIFFERENCE.fields


def difference_rows(diffs: Iterable[Difference]) -> list[dict[str, object]]:
    """Differences as rows of the ``differences`` column (schema.DIFFERENCE)."""
    return [d.to_dict() for d in diffs]


RELATED_MODES = ("skip", "strict")


def _by_locality(todo: list[int], a_ids: list[str], b_ids: list[str]) -> list[int]:
    """The links ``todo`` in an order where both claims of nearby links are near in the
    order too (reverse Cuthill-McKee on the claim graph, links by their claims' earlier
    position), so that ``analyse``'s bounded cache holds the claims in use: in id order
    a link's second claim is anywhere in the corpus. The order changes nothing in the
    output."""
    if len(todo) < 2:
        return todo
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import reverse_cuthill_mckee

    index: dict[str, int] = {}
    rows = np.asarray([index.setdefault(a_ids[i], len(index)) for i in todo])
    cols = np.asarray([index.setdefault(b_ids[i], len(index)) for i in todo])
    m = len(index)
    graph = coo_matrix((np.ones(2 * len(todo), dtype=np.int8), (np.r_[rows, cols], np.r_[cols, rows])), shape=(m, m))
    perm = reverse_cuthill_mckee(graph.tocsr(), symmetric_mode=True)
    pos = np.empty(m, dtype=np.int64)
    pos[perm] = np.arange(m)
    lo, hi = np.minimum(pos[rows], pos[cols]), np.maximum(pos[rows], pos[cols])
    order = np.lexsort((hi, lo))
    return [todo[k] for k in order.tolist()]


# claim_id -> (text, speaker)
_ClaimInfo = dict[str, tuple[str, str | None]]
# claim_id -> (outlet, speaker): who says it
_Voices = dict[str, tuple[str, str]]


def _is_latin_claim(memo: dict[str, bool], claim_id: str, text: str) -> bool:
    """Is the claim in Latin script (memoised per claim id)?"""
    got = memo.get(claim_id)
    if got is None:
        got = memo[claim_id] = is_latin(match_key(text))
    return got


def judge_links(links: pl.DataFrame, claims: pl.DataFrame, related: str = "skip",
                precision: str = "balanced") -> pl.DataFrame:
    """Judge every ``paraphrase`` link: fill ``contrast`` and ``differences``, and set the
    relation to "contrast" where the judge says so. Other links get ``contrast`` null and
    no differences (see below).

    ``related``: "skip" (default) leaves ``related`` links unjudged; "strict" judges them
    with ``judge_pair(..., strict=True)``: one that becomes a contrast gets its score and
    differences, the others stay ``related`` with ``contrast`` null and no differences.
    A link between a Latin-script and an Arabic claim is judged by
    ``judge_across_scripts`` (values only) when it is a paraphrase, and left alone when
    it is only related.

    A contrast sets two voices against each other: different outlets, or different
    speakers inside one outlet (when ``claims`` has an ``outlet`` column). A pair the
    judge calls a contrast in one voice keeps its score and differences but not the
    relation: the link stays what the scorer made it.

    A contrast is also one story: when ``claims`` has a ``story_id`` column
    (``stories.group_stories``), a pair from two different stories keeps its score and
    differences but not the relation either. Stories are grouped by words, which cannot
    join an English and an Arabic article of one event, so a pair across scripts is not
    held to its stories (judged on values only, as before).

    Last, a contrast must pass the same-claim test (``sameclaim.same_claim``): shared
    anchors, an aligned predicate, one fact changed on a slot both sides fill. A pair the
    judge calls a contrast that fails it is not called one: it keeps its score, its
    differences and the scorer's relation (shown together, typed, not a contrast).
    ``precision`` ("high", "balanced", "recall"; ``sameclaim.PRECISIONS``) sets how much
    evidence the test asks for ("recall": none, the judge's verdict stands)."""
    if precision not in PRECISIONS:
        raise UsageError(f"precision={precision!r}: expected one of {', '.join(PRECISIONS)}")
    if related not in RELATED_MODES:
        raise UsageError(f"related={related!r}: expected one of {', '.join(RELATED_MODES)}")
    if links.height == 0:
        return links.select([pl.col(c).cast(t) if c in links.columns else pl.lit(None, t).alias(c) for c, t in LINKS.items()])
    info = _claim_info(claims)
    voices = _voices(claims)
    story = _stories(claims)
    a_ids, b_ids, rels = links["claim_a"].to_list(), links["claim_b"].to_list(), links["relation"].to_list()
    for a_id, b_id in zip(a_ids, b_ids, strict=True):
        if a_id not in info or b_id not in info:
            raise InputError(
                f"link {a_id} - {b_id} names a claim missing from the claims table",
                hint="judge links against the claims table they were built from",
            )
    n = len(rels)
    scores: list[float | None] = [None] * n
    judged_rows: list[int] = []
    judged_diffs: list[list[dict[str, object]]] = []
    relations: list[str | None] = list(rels)
    latin: dict[str, bool] = {}
    for i, j in _judgements(a_ids, b_ids, rels, info, related, latin):
        scores[i] = j.contrast
        judged_rows.append(i)
        judged_diffs.append(difference_rows(j.differences))
        a_id, b_id = a_ids[i], b_ids[i]
        two_voices = voices.get(a_id) != voices.get(b_id) if voices else True
        one_story = (not story or story.get(a_id) == story.get(b_id)
                     or _is_latin_claim(latin, a_id, info[a_id][0]) != _is_latin_claim(latin, b_id, info[b_id][0]))
        if j.is_contrast and two_voices and one_story:
            relations[i] = "contrast" if _same_claim(info[a_id], info[b_id], j, latin, (a_id, b_id), precision) else rels[i]
    out = links.with_columns(
        pl.Series("contrast", scores, dtype=pl.Float64),
        pl.Series("relation", relations, dtype=pl.String),
    )
    out = _with_differences(out, judged_rows, judged_diffs)
    for c, t in LINKS.items():
        if c not in out.columns:
            out = out.with_columns(pl.lit(None, t).alias(c))
    return out.select([pl.col(c).cast(t) for c, t in LINKS.items()] + [c for c in out.columns if c not in LINKS])


def _same_claim(a: tuple[str, str | None], b: tuple[str, str | None], j: Judgement, latin: dict[str, bool],
                ids: tuple[str, str], precision: str) -> bool:
    """Does a pair (text, speaker) the judge calls a contrast pass the same-claim test? A
    pair across scripts has no aligned words to test: the judge read its values only, and
    only a changed figure counts."""
    (a_text, a_speaker), (b_text, b_speaker) = a, b
    a_id, b_id = ids
    if _is_latin_claim(latin, a_id, a_text) != _is_latin_claim(latin, b_id, b_text):
        # Values only: a differing year or weekday across scripts is mostly a reference
        # list or a dateline, not one event told twice; a changed figure may be.
        return precision == "recall" or any(d.kind == "number" for d in j.differences)
    two_speakers = bool(a_speaker and b_speaker and a_speaker != b_speaker)
    return same_claim_texts(a_text, b_text, j.differences, two_speakers=two_speakers, precision=precision).is_same


def _with_differences(links: pl.DataFrame, rows: list[int], diffs: list[list[dict[str, object]]]) -> pl.DataFrame:
    """The ``differences`` column: the judged rows' lists, an empty list elsewhere. Built
    from flat columns grouped by row: a struct list per row made from Python objects
    costs seconds and hundreds of MB on a large links table."""
    flat: dict[str, list[object]] = {"_row": [], "kind": [], "a": [], "b": [], "a_span": [], "b_span": []}
    for row, items in zip(rows, diffs, strict=True):
        for d in items:
            flat["_row"].append(row)
            for key in ("kind", "a", "b", "a_span", "b_span"):
                flat[key].append(d[key])
    judged = (pl.DataFrame(flat, schema={"_row": pl.UInt32, **{f.name: f.dtype for f in DIFFERENCE_FIELDS}})
              .group_by("_row", maintain_order=True)
              .agg(pl.struct([f.name for f in DIFFERENCE_FIELDS]).alias("differences")))
    return (links.drop("differences", strict=False).with_row_index("_row").join(judged, on="_row", how="left")
            .sort("_row").drop("_row")
            .with_columns(pl.col("differences").fill_null(pl.lit([], dtype=DIFFERENCES))))


def _claim_info(claims: pl.DataFrame) -> _ClaimInfo:
    """Text and speaker of every claim, by id."""
    missing = [c for c in ("claim_id", "text") if c not in claims.columns]
    if missing:
        raise InputError(f"claims table lacks column(s) {missing}", hint="pass the claims frame from segment_claims")
    has_speaker = "speaker" in claims.columns
    return {
        str(r["claim_id"]): (str(r["text"] or ""), (r.get("speaker") if has_speaker else None))
        for r in claims.select(["claim_id", "text", *(["speaker"] if has_speaker else [])]).iter_rows(named=True)
    }


def _voices(claims: pl.DataFrame) -> _Voices:
    """Outlet and speaker of every claim, by id; empty when the claims have no outlet."""
    if "outlet" not in claims.columns:
        return {}
    speaker = pl.col("speaker").fill_null("") if "speaker" in claims.columns else pl.lit("")
    rows = claims.select("claim_id", pl.col("outlet").fill_null(""), speaker.alias("speaker")).iter_rows()
    return {str(c): (str(o), str(sp)) for c, o, sp in rows}


def _stories(claims: pl.DataFrame) -> dict[str, str | None]:
    """Story of every claim, by id; empty when the claims have no story_id."""
    if "story_id" not in claims.columns:
        return {}
    return dict(zip(claims["claim_id"].cast(pl.String).to_list(), claims["story_id"].to_list(), strict=True))


def _judgements(
    a_ids: list[str], b_ids: list[str], rels: list[str], info: _ClaimInfo, related: str, latin: dict[str, bool]
) -> Iterator[tuple[int, Judgement]]:
    """(row, judgement) for each link that gets a score and differences, each distinct
    pair judged once."""
    # Only a link that already says "same claim" (paraphrase) can become a contrast:
    # duplicates cannot contradict themselves, and "related" links (same event, other
    # claim) gave mostly false contrasts on the seed articles (long sentences on one
    # topic always differ somewhere). So only paraphrase links are judged: this also
    # keeps the stage linear in the same-claim links, not in all links. The strict mode
    # judges related links too, under rules that ask what a contrast between two
    # different sentences needs (see judge_pair).
    todo = [i for i, rel in enumerate(rels) if rel == "paraphrase" or (rel == "related" and related == "strict")]
    # ``latin``: script per claim, read once when a link first needs it.
    cache: dict[tuple[str, str, bool], Judgement | None] = {}
    for i in _by_locality(todo, a_ids, b_ids):
        a_id, b_id = a_ids[i], b_ids[i]
        strict = rels[i] == "related"
        pair = (a_id, b_id, strict)
        if pair not in cache:
            (ta, _), (tb, _) = info[a_id], info[b_id]
            across = _is_latin_claim(latin, a_id, ta) != _is_latin_claim(latin, b_id, tb)
            cache[pair] = _judge_link(info[a_id], info[b_id], strict=strict, across_scripts=across)
        j = cache[pair]
        if j is None or (strict and not j.is_contrast):
            continue  # a related link stays related unless it became a contrast
        yield i, j


def _judge_link(
    a: tuple[str, str | None], b: tuple[str, str | None], *, strict: bool, across_scripts: bool
) -> Judgement | None:
    """The judgement of one link's claims (text, speaker); None where it is left unjudged."""
    (ta, sa), (tb, sb) = a, b
    if across_scripts:
        if strict:
            return None  # related across scripts: no shared noun to anchor a value on
        return judge_across_scripts(ta, tb)
    if strict and not strict_possible(analyse(ta), analyse(tb)):
        return None  # cannot be a strict contrast (judge_pair would say so after aligning)
    return judge_pair(ta, tb, a_speaker=sa, b_speaker=sb, strict=strict)

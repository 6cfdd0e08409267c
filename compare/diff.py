"""Diff two outlets (or two groups of outlets): what one carried that the other did not.

Buckets, per claim or per matched pair:

- ``same``: near-verbatim (link relation ``duplicate``);
- ``reworded``: the same claim in other words (``paraphrase``);
- ``contrasting``: the same claim with a changed fact (``contrast``, with typed differences);
- ``only_a`` / ``only_b``: claims the other side has no same/reworded/contrasting match for.

A pair is matched only through a same-claim link (duplicate, paraphrase, contrast) whose
two claims belong to one story (when the claims carry ``story_id``): a sentence that
merely resembles one in an unrelated article is no match. Stories are word-based and
cannot join an English and an Arabic article, so a link across scripts is kept on its own
(as the contrast stage does). Pairs with the same two texts
(page furniture or a wire sentence repeated on many pages) are one row, with ``repeats``
counting the claim pairs it stands for.

Everything is a function of the linked claims, and every rule treats A and B alike, so
``diff(A, B)`` is ``diff(B, A)`` with the sides swapped. ``render.diff`` and
``render.html`` lay the result out; ``pipeline.make_diff`` is the command.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from . import schema
from .errors import UsageError
from .records import Difference
from .text.normalize import is_latin, match_key

BUCKETS = ("contrasting", "only_a", "only_b", "reworded", "same")
MATCHED = {"duplicate": "same", "paraphrase": "reworded", "contrast": "contrasting"}

DIFF_SCHEMA: dict[str, pl.DataType] = {
    "bucket": pl.String(),
    "claim_a": pl.String(),
    "claim_b": pl.String(),
    "outlet_a": pl.String(),
    "outlet_b": pl.String(),
    "article_a": pl.String(),
    "article_b": pl.String(),
    "text_a": pl.String(),
    "text_b": pl.String(),
    "score": pl.Float64(),
    "differences": schema.DIFFERENCES,
    "repeats": pl.Int64(),  # claim pairs with these same two texts (1 for single claims)
}

PAIRING_SCHEMA: dict[str, pl.DataType] = {
    "article_a": pl.String(),
    "article_b": pl.String(),
    "title_a": pl.String(),
    "title_b": pl.String(),
    "shared_clusters": pl.Int64(),
    "score": pl.Float64(),
}


@dataclass(frozen=True)
class OutletDiff:
    side_a: tuple[str, ...]
    side_b: tuple[str, ...]
    rows: pl.DataFrame  # DIFF_SCHEMA
    pairing: pl.DataFrame  # PAIRING_SCHEMA
    unmatched_a: tuple[str, ...]  # article ids
    unmatched_b: tuple[str, ...]
    matched_a: int = 0  # claims of A with a match on B (before identical pairs are merged)
    matched_b: int = 0

    def coverage(self, claims: pl.DataFrame) -> tuple[int, int, float, float]:
        """Claims of A and of B, and the share of each side with a match on the other."""
        n_a = claims.filter(pl.col("outlet").is_in(list(self.side_a))).height
        n_b = claims.filter(pl.col("outlet").is_in(list(self.side_b))).height
        cov_a = self.matched_a / n_a if n_a else 0.0
        cov_b = self.matched_b / n_b if n_b else 0.0
        return n_a, n_b, cov_a, cov_b

    def counts(self) -> dict[str, int]:
        got = dict(self.rows.group_by("bucket").len().iter_rows())
        return {b: int(got.get(b, 0)) for b in BUCKETS}


def check_sides(outlets: Sequence[str], a: Sequence[str], b: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Validate the two sides against the outlets the corpus has."""
    known = sorted(set(outlets))
    if not a or not b:
        raise UsageError(
            "name both sides with --a OUTLET and --b OUTLET, or give exactly two paths",
            hint="known outlets: " + ", ".join(known),
        )
    for name in [*a, *b]:
        if name not in known:
            raise UsageError(f"unknown outlet {name!r}", hint="known outlets: " + ", ".join(known))
    overlap = sorted(set(a) & set(b))
    if overlap:
        raise UsageError(
            f"{', '.join(overlap)} is on both sides", hint="A and B must be different outlets"
        )
    return tuple(sorted(set(a))), tuple(sorted(set(b)))


def diff_outlets(
    claims: pl.DataFrame, links: pl.DataFrame, side_a: Sequence[str], side_b: Sequence[str]
) -> OutletDiff:
    """Bucket the claims of side A against side B. ``claims`` carries ``cluster_id``."""
    sa, sb = set(side_a), set(side_b)
    side = {cid: ("a" if o in sa else "b" if o in sb else None) for cid, o in zip(claims["claim_id"], claims["outlet"], strict=True)}
    rows_by_id = {r["claim_id"]: r for r in claims.iter_rows(named=True)}
    for name, members in (("A", sa), ("B", sb)):
        if not any(s == name.lower() for s in side.values()):
            raise UsageError(f"side {name} ({', '.join(sorted(members))}) has no claims", hint="check the outlet names")

    out: list[dict[str, object]] = []
    matched: set[str] = set()
    story = dict(zip(claims["claim_id"], claims["story_id"], strict=True)) if "story_id" in claims.columns else None
    latin = {str(r["claim_id"]): is_latin(str(r["key"] or match_key(str(r["text"])))) for r in rows_by_id.values()}
    for lk in links.iter_rows(named=True):
        bucket = MATCHED.get(lk["relation"])
        if bucket is None:
            continue
        x, y = lk["claim_a"], lk["claim_b"]
        if story is not None and story.get(x) != story.get(y) and latin.get(x) == latin.get(y):
            continue
        if side.get(x) == "b" and side.get(y) == "a":
            x, y = y, x
            diffs = _swap_differences(lk["differences"])
        elif side.get(x) == "a" and side.get(y) == "b":
            diffs = lk["differences"] or []
        else:
            continue
        matched.update((x, y))
        ra, rb = rows_by_id[x], rows_by_id[y]
        out.append(
            {
                "bucket": bucket, "claim_a": x, "claim_b": y, "outlet_a": ra["outlet"], "outlet_b": rb["outlet"],
                "article_a": ra["article_id"], "article_b": rb["article_id"], "text_a": ra["text"], "text_b": rb["text"],
                "score": float(lk["contrast"] if bucket == "contrasting" and lk["contrast"] is not None else lk["score"]),
                "differences": diffs if bucket == "contrasting" else [], "repeats": 1,
            }
        )
    for cid, s in side.items():
        if s is None or cid in matched:
            continue
        r = rows_by_id[cid]
        a_side = s == "a"
        out.append(
            {
                "bucket": "only_a" if a_side else "only_b",
                "claim_a": cid if a_side else None, "claim_b": None if a_side else cid,
                "outlet_a": r["outlet"] if a_side else None, "outlet_b": None if a_side else r["outlet"],
                "article_a": r["article_id"] if a_side else None, "article_b": None if a_side else r["article_id"],
                "text_a": r["text"] if a_side else None, "text_b": None if a_side else r["text"],
                "score": None, "differences": [], "repeats": 1,
            }
        )
    rows = pl.DataFrame(out, schema=DIFF_SCHEMA) if out else pl.DataFrame(schema=DIFF_SCHEMA)
    rows = rows.sort(["bucket", "claim_a", "claim_b"], nulls_last=True)

    pairing, un_a, un_b = _pair_articles(claims, rows, side, rows_by_id)
    pairs = rows.filter(pl.col("bucket").is_in(list(MATCHED.values())))
    return OutletDiff(tuple(sorted(sa)), tuple(sorted(sb)), _merge_repeats(rows), pairing, un_a, un_b,
                      pairs["claim_a"].n_unique(), pairs["claim_b"].n_unique())


def _merge_repeats(rows: pl.DataFrame) -> pl.DataFrame:
    """One row per distinct pair of texts in a bucket (per text for ``only_*``): the
    strongest (then first by claim ids) stands for the others, which ``repeats`` counts.
    Texts are compared after folding spaces, so a furniture line that differs only in
    layout is one row too. The result is symmetric in A and B, as the rows are."""
    if not rows.height:
        return rows
    fold = [pl.col(c).fill_null("").str.replace_all(r"\s+", " ").str.strip_chars().alias(f"_{c}") for c in ("text_a", "text_b")]
    a, b = pl.col("claim_a").fill_null(""), pl.col("claim_b").fill_null("")
    # Ties go to the pair whose claim ids, in either order, come first: the same in diff(B, A).
    tie = pl.when(a <= b).then(a + "|" + b).otherwise(b + "|" + a).alias("_tie")
    keyed = rows.with_columns(*fold, tie).sort(
        ["bucket", "_text_a", "_text_b", "score", "_tie"], descending=[False, False, False, True, False], nulls_last=True,
    )
    merged = keyed.group_by(["bucket", "_text_a", "_text_b"], maintain_order=True).agg(
        pl.all().exclude("repeats", "_tie").first(), pl.col("repeats").sum()
    )
    return merged.select(list(DIFF_SCHEMA)).sort(["bucket", "claim_a", "claim_b"], nulls_last=True)


def _swap_differences(rows: list[dict[str, object]] | None) -> list[dict[str, object]]:
    """The differences of a link seen from the other side (a and b exchanged)."""
    return [Difference.from_dict(d).swapped().to_dict() for d in rows or []]

def _pair_articles(
    claims: pl.DataFrame, rows: pl.DataFrame, side: dict[str, str | None], rows_by_id: dict[str, dict[str, object]]
) -> tuple[pl.DataFrame, tuple[str, ...], tuple[str, ...]]:
    """Articles of A and B that cover the same story: overlap of their matched claims.

    score = matched claim pairs / claims of the shorter article, so a short wire item fully
    contained in a long feature still pairs with it.
    """
    n_claims = dict(claims.group_by("article_id").len().iter_rows())
    shared: dict[tuple[str, str], int] = {}
    for r in rows.filter(pl.col("bucket").is_in(["same", "reworded", "contrasting"])).iter_rows(named=True):
        key = (str(r["article_a"]), str(r["article_b"]))
        shared[key] = shared.get(key, 0) + 1
    titles = {str(r["article_id"]): r["title"] for r in rows_by_id.values()}
    out = [
        {
            "article_a": a, "article_b": b, "title_a": titles.get(a), "title_b": titles.get(b), "shared_clusters": n,
            "score": round(min(1.0, n / max(1, min(n_claims.get(a, 1), n_claims.get(b, 1)))), 4),
        }
        for (a, b), n in shared.items()
    ]
    pairing = pl.DataFrame(out, schema=PAIRING_SCHEMA) if out else pl.DataFrame(schema=PAIRING_SCHEMA)
    pairing = pairing.sort(["score", "article_a", "article_b"], descending=[True, False, False])
    arts_a = sorted({str(rows_by_id[c]["article_id"]) for c, s in side.items() if s == "a"})
    arts_b = sorted({str(rows_by_id[c]["article_id"]) for c, s in side.items() if s == "b"})
    paired_a, paired_b = set(pairing["article_a"].to_list()), set(pairing["article_b"].to_list())
    return (
        pairing,
        tuple(a for a in arts_a if a not in paired_a),
        tuple(b for b in arts_b if b not in paired_b),
    )

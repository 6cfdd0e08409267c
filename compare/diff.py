"""Diff two outlets (or two groups of outlets): what one carried that the other did not.

Buckets, per claim or per matched pair:

- ``same``: near-verbatim (link relation ``duplicate``);
- ``reworded``: the same claim in other words (``paraphrase``);
- ``contrasting``: the same claim with a changed fact (``contrast``, with typed differences);
- ``only_a`` / ``only_b``: claims the other side has no same/reworded/contrasting match for.

Everything is a function of the linked claims, and every rule treats A and B alike, so
``diff(A, B)`` is ``diff(B, A)`` with the sides swapped.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from .errors import UsageError
from .markdown import anchor, md_cell, md_table, md_text
from .records import Article
from .report import Version, _differences, _source, _speaker, _version, highlight

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
    "differences": pl.String(),
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

    def coverage(self, claims: pl.DataFrame) -> tuple[int, int, float, float]:
        """Claims of A and of B, and the share of each side with a match on the other."""
        n_a = claims.filter(pl.col("outlet").is_in(list(self.side_a))).height
        n_b = claims.filter(pl.col("outlet").is_in(list(self.side_b))).height
        matched = self.rows.filter(pl.col("bucket").is_in(["same", "reworded", "contrasting"]))
        cov_a = matched["claim_a"].n_unique() / n_a if n_a else 0.0
        cov_b = matched["claim_b"].n_unique() / n_b if n_b else 0.0
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
    for lk in links.iter_rows(named=True):
        bucket = MATCHED.get(lk["relation"])
        if bucket is None:
            continue
        x, y = lk["claim_a"], lk["claim_b"]
        if side.get(x) == "b" and side.get(y) == "a":
            x, y = y, x
            diffs = _swap_differences(lk["differences"])
        elif side.get(x) == "a" and side.get(y) == "b":
            diffs = lk["differences"] or "[]"
        else:
            continue
        matched.update((x, y))
        ra, rb = rows_by_id[x], rows_by_id[y]
        out.append(
            {
                "bucket": bucket, "claim_a": x, "claim_b": y, "outlet_a": ra["outlet"], "outlet_b": rb["outlet"],
                "article_a": ra["article_id"], "article_b": rb["article_id"], "text_a": ra["text"], "text_b": rb["text"],
                "score": float(lk["contrast"] if bucket == "contrasting" and lk["contrast"] is not None else lk["score"]),
                "differences": diffs if bucket == "contrasting" else "[]",
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
                "score": None, "differences": "[]",
            }
        )
    rows = pl.DataFrame(out, schema=DIFF_SCHEMA) if out else pl.DataFrame(schema=DIFF_SCHEMA)
    rows = rows.sort(["bucket", "claim_a", "claim_b"], nulls_last=True)

    pairing, un_a, un_b = _pair_articles(claims, rows, side, rows_by_id)
    return OutletDiff(tuple(sorted(sa)), tuple(sorted(sb)), rows, pairing, un_a, un_b)


def _swap_differences(raw: str | None) -> str:
    """The differences of a link seen from the other side (a and b exchanged)."""
    from .contrast import differences_json
    from .records import Difference

    items = json.loads(raw or "[]")
    return differences_json(
        Difference(
            d["kind"], d.get("a", ""), d.get("b", ""),
            tuple(d["a_span"]) if d.get("a_span") else None,
            tuple(d["b_span"]) if d.get("b_span") else None,
        ).swapped()
        for d in items
    )


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


# --- Markdown -------------------------------------------------------------------------


def _importance(v: Version, numbers: int) -> tuple[int, str, int]:
    # Claims with a speaker or a number first: the ones a desk editor checks.
    return (-(2 * (v.speaker is not None) + (numbers > 0) + 4 * v.is_title), v.article_id, v.start)


def render_diff_markdown(
    d: OutletDiff, claims: pl.DataFrame, *, out_dir: Path | None = None, limit: int = 100
) -> str:
    rows_by_id = {r["claim_id"]: r for r in claims.iter_rows(named=True)}
    name_a, name_b = " + ".join(d.side_a), " + ".join(d.side_b)
    counts = d.counts()
    n_a, n_b, cov_a, cov_b = d.coverage(claims)

    out = [f"# Diff: {md_text(name_a)} (A) vs {md_text(name_b)} (B)", ""]
    out += [
        "## Summary",
        "",
        md_table(
            ["bucket", "rows"],
            [
                ["contrasting (same claim, changed fact)", str(counts["contrasting"])],
                [f"only in A ({md_text(name_a)})", str(counts["only_a"])],
                [f"only in B ({md_text(name_b)})", str(counts["only_b"])],
                ["reworded", str(counts["reworded"])],
                ["same", str(counts["same"])],
            ],
        ),
        "",
        f"Coverage overlap: {cov_a:.0%} of A's {n_a} claims and {cov_b:.0%} of B's {n_b} claims have a match on the other side.",
        "",
        "## Articles covering the same story",
        "",
    ]
    if d.pairing.height:
        out.append(
            md_table(
                ["A article", "B article", "matched claims", "score"],
                [
                    [md_cell(r["title_a"] or r["article_a"], 80), md_cell(r["title_b"] or r["article_b"], 80), str(r["shared_clusters"]), f"{r['score']:.2f}"]
                    for r in d.pairing.iter_rows(named=True)
                ],
            )
        )
    else:
        out.append("No article of A shares a claim with an article of B.")
    out.append("")
    for label, arts in (("A", d.unmatched_a), ("B", d.unmatched_b)):
        if arts:
            titles = {r["article_id"]: r["title"] for r in rows_by_id.values()}
            out.append(f"Unmatched articles of {label}: " + "; ".join(md_text(titles.get(a) or a, 80) for a in arts))
            out.append("")

    out += ["## Contrasting", ""]
    con = d.rows.filter(pl.col("bucket") == "contrasting").sort(["score", "claim_a"], descending=[True, False])
    if not con.height:
        out += ["No contrasting claims.", ""]
    for r in con.head(limit).iter_rows(named=True):
        va, vb = _version(rows_by_id[r["claim_a"]], out_dir), _version(rows_by_id[r["claim_b"]], out_dir)
        diffs = _differences(r["differences"])
        out += [
            f'<a id="{anchor("diff", r["claim_a"], r["claim_b"])}"></a>',
            md_table(
                ["", f"A: {md_cell(va.outlet)}", f"B: {md_cell(vb.outlet)}"],
                [
                    ["claim", highlight(va.text, [x.a_span for x in diffs if x.a_span]), highlight(vb.text, [x.b_span for x in diffs if x.b_span])],
                    ["who says it", _speaker(va), _speaker(vb)],
                    ["source", _source(va), _source(vb)],
                ],
            ),
            "",
        ]
        out += [f"- **{x.kind}**: {md_text(x.a) or '—'} ↔ {md_text(x.b) or '—'}" for x in diffs] or ["- judged contrasting; no single typed difference isolated"]
        out.append("")

    for bucket, label, col in (("only_a", f"Only in A ({md_text(name_a)})", "claim_a"), ("only_b", f"Only in B ({md_text(name_b)})", "claim_b")):
        out += [f"## {label}", ""]
        ids = d.rows.filter(pl.col("bucket") == bucket)[col].to_list()
        versions = sorted(
            ((_version(rows_by_id[c], out_dir), len(rows_by_id[c]["numbers"] or [])) for c in ids),
            key=lambda t: _importance(*t),
        )
        out += [f"- {md_text(v.text, 300)} — {_speaker(v)}, {_source(v)}" for v, _ in versions[:limit]]
        if len(versions) > limit:
            out.append(f"- … and {len(versions) - limit} more (see diff.parquet).")
        if not versions:
            out.append("None.")
        out.append("")

    for bucket, label in (("reworded", "Reworded"), ("same", "Same")):
        out += [f"## {label}", ""]
        part = d.rows.filter(pl.col("bucket") == bucket)
        if not part.height:
            out += ["None.", ""]
            continue
        out.append(
            md_table(
                [f"A: {md_text(name_a)}", f"B: {md_text(name_b)}", "score"],
                [[md_cell(r["text_a"], 200), md_cell(r["text_b"], 200), f"{r['score']:.2f}"] for r in part.head(limit).iter_rows(named=True)],
            )
        )
        if part.height > limit:
            out.append(f"\n… and {part.height - limit} more (see diff.parquet).")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# --- command --------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffOutputs:
    out_dir: Path
    files: tuple[str, ...]
    counts: tuple[tuple[str, int], ...]
    diff: OutletDiff


def _short_form_articles(paths: Sequence[str | Path], ingest_options: dict[str, object]) -> tuple[list[Article], str, str]:
    """`compare diff PATH_A PATH_B`: every article of a path belongs to that path's side."""
    from .ingest import read_articles

    pa, pb = (Path(p) for p in paths)
    if pa.resolve() == pb.resolve():
        raise UsageError(f"{pa} is given as both A and B", hint="give two different paths")
    name_a = pa.stem if pa.is_file() else pa.name
    name_b = pb.stem if pb.is_file() else pb.name
    if name_a == name_b:
        name_a, name_b = f"{name_a} (A)", f"{name_b} (B)"
    arts = []
    for path, name in ((pa, name_a), (pb, name_b)):
        for art in read_articles([path], **ingest_options):  # type: ignore[arg-type]
            arts.append(dataclasses.replace(art, outlet=name, outlet_rule="diff-path"))
    return arts, name_a, name_b


def make_diff(
    paths: Sequence[str | Path],
    out_dir: str | Path,
    *,
    a: Sequence[str] = (),
    b: Sequence[str] = (),
    encoder: str = "default",
    semantic: str = "auto",
    cache_dir: Path | None = None,
    progress: bool = False,
    ingest_options: dict[str, object] | None = None,
) -> DiffOutputs:
    """`compare diff`: writes diff.md and diff.parquet atomically."""
    from .clean import clean_articles
    from .html_report import article_texts, render_diff_html
    from .ingest import read_articles
    from .io import atomic_dir, write_table, write_text_atomic
    from .pipeline import compare_claims
    from .segment import segment_claims

    out_dir = Path(out_dir)
    opts = ingest_options or {}
    if not a and not b and len(paths) == 2:
        articles, name_a, name_b = _short_form_articles(paths, opts)
        a, b = [name_a], [name_b]
    else:
        articles = read_articles(paths, **opts)  # type: ignore[arg-type]
    side_a, side_b = check_sides([x.outlet for x in articles], a, b)
    keep = set(side_a) | set(side_b)
    claims = segment_claims(clean_articles([x for x in articles if x.outlet in keep]))
    for name, side in (("A", side_a), ("B", side_b)):
        if not claims.filter(pl.col("outlet").is_in(list(side))).height:
            raise UsageError(f"side {name} ({', '.join(side)}) has no claims after cleaning", hint="check its articles")
    comp = compare_claims(claims, encoder=encoder, semantic=semantic, cache_dir=cache_dir, progress=progress)
    d = diff_outlets(comp.claims, comp.links, side_a, side_b)
    with atomic_dir(out_dir) as stage:
        write_text_atomic(stage / "diff.md", render_diff_markdown(d, comp.claims, out_dir=out_dir))
        write_text_atomic(stage / "diff.html", render_diff_html(d, comp.claims, article_texts(articles), out_dir=out_dir))
        write_table(d.rows, stage / "diff.parquet")
    return DiffOutputs(out_dir, ("diff.md", "diff.html", "diff.parquet"), tuple(d.counts().items()), d)

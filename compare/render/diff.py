"""The outlet diff (``diff.OutletDiff``) as Markdown: summary, paired articles, then one
section per bucket. ``render.html.render_diff_html`` lays out the same buckets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from ..diff import OutletDiff
from .markdown import anchor, md_cell, md_table, md_text
from .report import Version, parse_differences, version_from_row
from .report_markdown import highlight, md_source, md_speaker

ClaimRows = dict[str, dict[str, Any]]  # claim_id -> claims row


def importance_key(v: Version, numbers: int) -> tuple[int, str, int]:
    """Sort key for a claim with ``numbers`` numbers: titles, then claims with a speaker or
    a number (the ones a desk editor checks) first; then by article and position."""
    return (-(2 * (v.speaker is not None) + (numbers > 0) + 4 * v.is_title), v.article_id, v.start)


def render_diff_markdown(
    d: OutletDiff, claims: pl.DataFrame, *, out_dir: Path | None = None, limit: int = 100
) -> str:
    """diff.md: a pure function of its arguments, at most ``limit`` rows per bucket."""
    rows_by_id = {r["claim_id"]: r for r in claims.iter_rows(named=True)}
    name_a, name_b = " + ".join(d.side_a), " + ".join(d.side_b)
    out = [f"# Diff: {md_text(name_a)} (A) vs {md_text(name_b)} (B)", ""]
    out += _summary(d, claims, name_a, name_b)
    out += _paired_articles(d, rows_by_id)
    out += _contrasting(d, rows_by_id, out_dir, limit)
    out += _only_in_one_side(d, rows_by_id, name_a, name_b, out_dir, limit)
    out += _matched(d, name_a, name_b, limit)
    return "\n".join(out).rstrip() + "\n"


def _summary(d: OutletDiff, claims: pl.DataFrame, name_a: str, name_b: str) -> list[str]:
    counts = d.counts()
    n_a, n_b, cov_a, cov_b = d.coverage(claims)
    return [
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
    ]


def _paired_articles(d: OutletDiff, rows_by_id: ClaimRows) -> list[str]:
    out = ["## Articles covering the same story", ""]
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
    return out


def _contrasting(d: OutletDiff, rows_by_id: ClaimRows, out_dir: Path | None, limit: int) -> list[str]:
    out = ["## Contrasting", ""]
    con = d.rows.filter(pl.col("bucket") == "contrasting").sort(["score", "claim_a"], descending=[True, False])
    if not con.height:
        out += ["No contrasting claims.", ""]
    for r in con.head(limit).iter_rows(named=True):
        va, vb = version_from_row(rows_by_id[r["claim_a"]], out_dir), version_from_row(rows_by_id[r["claim_b"]], out_dir)
        diffs = parse_differences(r["differences"])
        out += [
            f'<a id="{anchor("diff", r["claim_a"], r["claim_b"])}"></a>',
            md_table(
                ["", f"A: {md_cell(va.outlet)}", f"B: {md_cell(vb.outlet)}"],
                [
                    ["claim", highlight(va.text, [x.a_span for x in diffs if x.a_span]), highlight(vb.text, [x.b_span for x in diffs if x.b_span])],
                    ["who says it", md_speaker(va), md_speaker(vb)],
                    ["source", md_source(va), md_source(vb)],
                ],
            ),
            "",
        ]
        out += [f"- **{x.kind}**: {md_text(x.a) or '—'} ↔ {md_text(x.b) or '—'}" for x in diffs] or ["- judged contrasting; no single typed difference isolated"]
        out.append("")
    return out


def _only_in_one_side(
    d: OutletDiff, rows_by_id: ClaimRows, name_a: str, name_b: str, out_dir: Path | None, limit: int
) -> list[str]:
    out: list[str] = []
    for bucket, label, col in (("only_a", f"Only in A ({md_text(name_a)})", "claim_a"), ("only_b", f"Only in B ({md_text(name_b)})", "claim_b")):
        out += [f"## {label}", ""]
        ids = d.rows.filter(pl.col("bucket") == bucket)[col].to_list()
        versions = sorted(
            ((version_from_row(rows_by_id[c], out_dir), len(rows_by_id[c]["numbers"] or [])) for c in ids),
            key=lambda t: importance_key(*t),
        )
        out += [f"- {md_text(v.text, 300)} — {md_speaker(v)}, {md_source(v)}" for v, _ in versions[:limit]]
        if len(versions) > limit:
            out.append(f"- … and {len(versions) - limit} more (see diff.parquet).")
        if not versions:
            out.append("None.")
        out.append("")
    return out


def _matched(d: OutletDiff, name_a: str, name_b: str, limit: int) -> list[str]:
    out: list[str] = []
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
    return out

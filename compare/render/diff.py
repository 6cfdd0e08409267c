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


def article_names(claims: pl.DataFrame) -> dict[str, str]:
    """Article id -> how a reader knows the article: its title and outlet (the source
    file's name when it has no title), never its hash."""
    out: dict[str, str] = {}
    for r in claims.select("article_id", "title", "outlet", "source").unique("article_id", keep="first").iter_rows(named=True):
        title = " ".join(str(r["title"] or "").split()) or Path(str(r["source"] or "")).name or "untitled"
        out[str(r["article_id"])] = f"{title} ({r['outlet']})"
    return out


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
    names = article_names(claims)
    out += _summary(d, claims, name_a, name_b)
    out += _paired_articles(d, names)
    out += _contrasting(d, rows_by_id, names, out_dir, limit)
    out += _only_in_one_side(d, rows_by_id, names, name_a, name_b, out_dir, limit)
    out += _matched(d, names, name_a, name_b, limit)
    return "\n".join(out).rstrip() + "\n"


def _summary(d: OutletDiff, claims: pl.DataFrame, name_a: str, name_b: str) -> list[str]:
    counts = d.counts()
    n_a, n_b, cov_a, cov_b = d.coverage(claims)
    return [
        "## Summary",
        "",
        md_table(
            ["bucket", "distinct rows"],
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
        "Claims are matched only inside one story (or across scripts, which stories cannot join); "
        "pairs with the same two texts are one row (×N says how many).",
        "",
    ]


def _paired_articles(d: OutletDiff, names: dict[str, str]) -> list[str]:
    out = ["## Articles covering the same story", ""]
    if d.pairing.height:
        out.append(
            md_table(
                ["A article", "B article", "matched claims", "score"],
                [
                    [md_cell(names.get(r["article_a"], r["article_a"]), 100), md_cell(names.get(r["article_b"], r["article_b"]), 100),
                     str(r["shared_clusters"]), f"{r['score']:.2f}"]
                    for r in d.pairing.iter_rows(named=True)
                ],
            )
        )
    else:
        out.append("No article of A shares a claim with an article of B.")
    out.append("")
    for label, arts in (("A", d.unmatched_a), ("B", d.unmatched_b)):
        if arts:
            out.append(f"Unmatched articles of {label}: " + "; ".join(md_text(names.get(a, a), 100) for a in arts))
            out.append("")
    return out


def _repeats(r: dict[str, Any]) -> str:
    return f" ×{r['repeats']}" if (r.get("repeats") or 1) > 1 else ""


def _contrasting(d: OutletDiff, rows_by_id: ClaimRows, names: dict[str, str], out_dir: Path | None,
                 limit: int) -> list[str]:
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
                    ["article", md_cell(names.get(va.article_id), 100), md_cell(names.get(vb.article_id), 100)],
                    ["claim" + _repeats(r), highlight(va.text, [x.a_span for x in diffs if x.a_span]), highlight(vb.text, [x.b_span for x in diffs if x.b_span])],
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
    d: OutletDiff, rows_by_id: ClaimRows, names: dict[str, str], name_a: str, name_b: str, out_dir: Path | None,
    limit: int,
) -> list[str]:
    out: list[str] = []
    for bucket, label, col in (("only_a", f"Only in A ({md_text(name_a)})", "claim_a"), ("only_b", f"Only in B ({md_text(name_b)})", "claim_b")):
        out += [f"## {label}", ""]
        part = d.rows.filter(pl.col("bucket") == bucket)
        repeats = dict(zip(part[col].to_list(), part["repeats"].to_list(), strict=True))
        versions = sorted(
            ((version_from_row(rows_by_id[c], out_dir), len(rows_by_id[c]["numbers"] or [])) for c in repeats),
            key=lambda t: importance_key(*t),
        )
        out += [f"- {md_text(v.text, 300)}" + (f" ×{repeats[v.claim_id]}" if repeats[v.claim_id] > 1 else "")
                + f" — {md_speaker(v)}, in {md_text(names.get(v.article_id), 100)}, {md_source(v)}"
                for v, _ in versions[:limit]]
        if len(versions) > limit:
            out.append(f"- … and {len(versions) - limit} more (see diff.parquet).")
        if not versions:
            out.append("None.")
        out.append("")
    return out


def _matched(d: OutletDiff, names: dict[str, str], name_a: str, name_b: str, limit: int) -> list[str]:
    out: list[str] = []
    for bucket, label in (("reworded", "Reworded"), ("same", "Same")):
        out += [f"## {label}", ""]
        part = d.rows.filter(pl.col("bucket") == bucket)
        if not part.height:
            out += ["None.", ""]
            continue
        out.append(
            md_table(
                [f"A: {md_text(name_a)}", f"B: {md_text(name_b)}", "A article", "B article", "score"],
                [[md_cell(r["text_a"], 200) + _repeats(r), md_cell(r["text_b"], 200),
                  md_cell(names.get(r["article_a"]), 60), md_cell(names.get(r["article_b"]), 60), f"{r['score']:.2f}"]
                 for r in part.head(limit).iter_rows(named=True)],
            )
        )
        if part.height > limit:
            out.append(f"\n… and {part.height - limit} more (see diff.parquet).")
        out.append("")
    return out

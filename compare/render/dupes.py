"""The duplicate audit (``compare.dupes``) as Markdown: dupes.md."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import polars as pl

from ..dupes import MIN_TOKENS, SCOPES, diff_ops
from .markdown import anchor, md_cell, md_table, md_text

if TYPE_CHECKING:
    from ..dupes import DupesResult


def render_dupes_markdown(result: DupesResult, *, title: str, limit: int = 200) -> str:
    """The audit as Markdown: summary, outlet reuse, who copies whom, then every group."""
    out = [f"# {md_text(title)}", ""]
    out += _summary(result)
    out += ["## Outlet reuse", ""]
    out += _outlet_reuse_section(result.outlet_reuse)
    out += ["", "## Who copies whom", ""]
    out += _copies_section(result.copies)
    out += ["## Groups", ""]
    out += _groups_section(result.groups, result.members, limit)
    return "\n".join(out).rstrip() + "\n"


def _summary(result: DupesResult) -> list[str]:
    """Units, threshold and group counts, the undated groups, groups per scope."""
    groups = result.groups
    n_verbatim = groups.filter(pl.col("kind") == "verbatim").height
    n_near = groups.height - n_verbatim
    out = [
        f"{result.units} units audited (at least {MIN_TOKENS} words), threshold {result.threshold:.2f}"
        + (f", scope {result.scope}" if result.scope else "")
        + f": {groups.height} groups ({n_verbatim} verbatim, {n_near} near), "
        f"{result.members.height} duplicated units."
    ]
    if result.undated:
        out.append("")
        out.append(
            f"{result.undated} group(s): origin unknown (undated, or first published the same day by several outlets)."
        )
    out.append("")
    if groups.height:
        by_scope = dict(groups.group_by("scope").len().iter_rows())
        out.append(md_table(["scope", "groups"], [[s, str(by_scope.get(s, 0))] for s in SCOPES]))
        out.append("")
    return out


def _outlet_reuse_section(outlet_reuse: pl.DataFrame) -> list[str]:
    if not outlet_reuse.height:
        return ["No units."]
    return [
        md_table(
            ["outlet", "units", "found elsewhere", "share", "origin of", "copied from others"],
            [
                [md_cell(r["outlet"]), str(r["paragraphs"]), str(r["found_elsewhere"]), f"{r['share']:.0%}",
                 str(r["originated"]), str(r["copied"])]
                for r in outlet_reuse.iter_rows(named=True)
            ],
        )
    ]


def _copies_section(copies: pl.DataFrame) -> list[str]:
    """Dated outlet pairs (from the earliest), then the undated ones."""
    out: list[str] = []
    dated = copies.filter(pl.col("direction") == "dated")
    unknown = copies.filter(pl.col("direction") == "unknown")
    if dated.height:
        out.append(md_table(["from (earliest)", "to", "groups", "units"], _outlet_pair_rows(dated)))
        out.append("")
    if unknown.height:
        out.append("Shared across outlets, origin unknown (undated):")
        out.append("")
        out.append(md_table(["outlet", "outlet", "groups", "units"], _outlet_pair_rows(unknown)))
        out.append("")
    if not copies.height:
        out += ["No unit is shared by two outlets.", ""]
    return out


def _outlet_pair_rows(copies: pl.DataFrame) -> list[list[str]]:
    return [
        [md_cell(r["outlet_from"]), md_cell(r["outlet_to"]), str(r["groups"]), str(r["paragraphs"])]
        for r in copies.iter_rows(named=True)
    ]


def _groups_section(groups: pl.DataFrame, members: pl.DataFrame, limit: int) -> list[str]:
    """The first ``limit`` groups, each with its members' diffs against the reference."""
    out: list[str] = []
    if not groups.height:
        out.append("No duplicates found.")
    members_by_group: dict[str, list[dict[str, object]]] = defaultdict(list)
    for r in members.iter_rows(named=True):
        members_by_group[str(r["group_id"])].append(r)
    for r in groups.head(limit).iter_rows(named=True):
        gid = str(r["group_id"])
        origin = (
            f"origin {md_text(r['origin_outlet'])}" + (f", {md_text(r['origin_date'])}" if r["origin_date"] else "")
            if r["origin_id"]
            else "origin unknown (undated)"
        )
        out += [
            f'<a id="{anchor("dupes", gid)}"></a>',
            f"### {gid}: {r['kind']}, {r['scope']}, {r['size']} units, {r['n_outlets']} outlet(s)",
            "",
            f"{origin}; similarity min {r['similarity_min']:.2f}, mean {r['similarity_mean']:.2f}",
            "",
            f"> {md_text(r['text'], 600)}",
            "",
        ]
        rows = [_member_row(str(r["text"]), member) for member in members_by_group[gid]]
        out.append(md_table(["outlet", "date", "unit", "role", "similarity", "diff vs reference"], rows))
        out.append("")
    if groups.height > limit:
        out.append(f"… and {groups.height - limit} more groups (see duplicates.parquet).")
    return out


def _member_row(reference_text: str, member: dict[str, object]) -> list[str]:
    role = "origin" if member["is_origin"] else "reference" if member["is_reference"] else ""
    return [
        md_cell(str(member["outlet"])), md_cell(str(member["date"] or "undated")), md_cell(str(member["paragraph_id"])),
        role, f"{member['similarity']:.2f}",
        "identical" if member["is_reference"] else _md_diff(reference_text, str(member["text"])),
    ]


def _md_diff(ref: str, text: str, limit: int = 400) -> str:
    """The compact diff with every piece of article text escaped; changes in bold/strike."""
    if ref == text:
        return "identical"
    ops = diff_ops(ref, text)
    if ops == [("…", "")]:
        return "too long to diff"
    out, used = [], 0
    for op, words in ops:
        if used > limit:
            out.append("…")
            break
        used += len(words)
        if op == "=":
            out.append(md_text(words))
        elif op == "-":
            out.append(f"~~{md_text(words)}~~")
        elif op == "+":
            out.append(f"**{md_text(words)}**")
        else:
            out.append("…")
    return " ".join(out)

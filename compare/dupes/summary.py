"""Per-outlet tables of the audit: how much of each outlet is found elsewhere, and who
copies whom."""

from __future__ import annotations

from collections import Counter, defaultdict

import polars as pl

from .. import schema

OUTLET_REUSE = schema.OUTLET_REUSE
COPIES = schema.COPIES


def outlet_reuse_table(units: pl.DataFrame, groups: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame:
    """Per outlet (``units``: the outlet of every audited unit): units, those found in a
    cross-outlet group, how many it originated and how many it copied."""
    totals = units.group_by("outlet").len("paragraphs")
    across = members.join(
        groups.filter(pl.col("n_outlets") > 1).select("group_id", "origin_outlet"), on="group_id"
    )
    per = across.group_by("outlet").agg(
        pl.col("paragraph_id").n_unique().alias("found_elsewhere"),
        pl.col("is_origin").sum().cast(pl.Int64).alias("originated"),
        (pl.col("origin_outlet").is_not_null() & (pl.col("origin_outlet") != pl.col("outlet")))
        .sum()
        .cast(pl.Int64)
        .alias("copied"),
    )
    out = totals.join(per, on="outlet", how="left").with_columns(
        pl.col("found_elsewhere", "originated", "copied").fill_null(0).cast(pl.Int64),
        pl.col("paragraphs").cast(pl.Int64),
    )
    out = out.with_columns((pl.col("found_elsewhere") / pl.col("paragraphs")).round(4).alias("share"))
    return out.select(list(OUTLET_REUSE)).cast(OUTLET_REUSE).sort(  # type: ignore[arg-type]
        ["share", "outlet"], descending=[True, False]
    )


def copies_table(groups: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame:
    """Outlet pairs sharing cross-outlet groups: from the origin's outlet to each other one
    ("dated"), or both ways when the origin is unknown ("unknown"); groups and units."""
    # (outlet_from, outlet_to, direction) -> [groups, paragraphs]
    totals: dict[tuple[str, str, str], list[int]] = {}
    by_group: dict[str, Counter[str]] = defaultdict(Counter)
    for gid, outlet in zip(members["group_id"], members["outlet"], strict=True):
        by_group[gid][outlet] += 1
    for group in groups.filter(pl.col("n_outlets") > 1).iter_rows(named=True):
        counts = by_group[group["group_id"]]
        source = group["origin_outlet"]
        if source is not None:
            for outlet, n_units in counts.items():
                if outlet != source:
                    acc = totals.setdefault((source, outlet, "dated"), [0, 0])
                    acc[0] += 1
                    acc[1] += n_units
        else:
            outlets = sorted(counts)
            for i, outlet_a in enumerate(outlets):
                for outlet_b in outlets[i + 1 :]:
                    acc = totals.setdefault((outlet_a, outlet_b, "unknown"), [0, 0])
                    acc[0] += 1
                    acc[1] += counts[outlet_a] + counts[outlet_b]
    out = [
        {"outlet_from": a, "outlet_to": b, "direction": direction, "groups": n_groups, "paragraphs": n_units}
        for (a, b, direction), (n_groups, n_units) in totals.items()
    ]
    return schema.frame(out, COPIES).sort(
        ["direction", "groups", "paragraphs", "outlet_from", "outlet_to"], descending=[False, True, True, False, False]
    )

"""The duplicate audit: one batch function, frames in and out, as a list of stages (units
-> verbatim classes -> signatures and candidates -> verified pairs -> groups -> frames)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import polars as pl

from .. import schema
from ..errors import UsageError
from .facts import Facts
from .groups import SCOPES, GroupRows, UnitColumns, class_graph, connected_components, group_rows
from .near import BANDS, NUM_PERM, lsh_candidates, verify_candidate_parts
from .similarity import DEFAULT_THRESHOLD, Score
from .summary import copies_table, outlet_reuse_table
from .units import VerbatimClasses, audit_columns, unit_rows, verbatim_classes

if TYPE_CHECKING:
    from ..engine import Engine

MIN_TOKENS = 5

GROUPS = schema.DUPE_GROUPS
MEMBERS = schema.DUPE_MEMBERS

# The column whose values pool the units of a scope: units are compared only inside one pool.
_POOL_COLUMN = {"within-article": "article_id", "within-outlet": "outlet"}


@dataclass(frozen=True)
class DupesResult:
    groups: pl.DataFrame  # GROUPS
    members: pl.DataFrame  # MEMBERS
    outlet_reuse: pl.DataFrame  # OUTLET_REUSE
    copies: pl.DataFrame  # COPIES
    undated: int  # groups whose origin is unknown
    units: int  # units audited
    threshold: float
    scope: str | None


@dataclass(frozen=True)
class Representatives:
    """The first unit of each verbatim class, which stands for it in the near-duplicate
    search, by class number."""

    keys: pl.Series  # match keys (views into the input frame's strings)
    facts: Facts  # numbers and dates of its display text, read lazily
    pool: npt.NDArray[np.int64] | None  # scope pool labels; None: one pool


def audit_duplicates(
    units: pl.DataFrame,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    scope: str | None = None,
    min_tokens: int = MIN_TOKENS,
    num_perm: int = NUM_PERM,
    bands: int = BANDS,
    engine: Engine | None = None,
    chunk_size: int | None = None,
) -> DupesResult:
    """Find verbatim and near-verbatim duplicate units (paragraphs or claims).

    ``scope``: None = every group; "within-article" = repeats inside one article only;
    "within-outlet" = repeats across articles of one outlet; "across" = groups spanning
    outlets. Each scope pools the units accordingly, so a paragraph repeated inside its
    article is reported under "within-article" even when other outlets also carry it.
    ``chunk_size``: distinct keys held in memory at once for MinHash-LSH (default
    ``CHUNK_UNITS``); above it band keys are spilled to a temporary folder (same result).
    """
    check_options(scope, threshold, chunk_size)
    frame = audit_columns(units)
    rows = audited_rows(frame, min_tokens)
    if len(rows) == 0:
        return empty_result(threshold, scope)
    pool = scope_pools(frame, rows, scope)
    classes = verbatim_classes(frame["key"].gather(rows), pool)
    reps = representatives(frame, rows, classes, pool)
    with lsh_candidates(
        reps.keys, reps.pool, num_perm=num_perm, bands=bands, engine=engine, chunk_size=chunk_size
    ) as candidates:
        edges = verify_candidate_parts(candidates, reps.keys, reps.facts, threshold)
    table_rows = build_groups(frame, rows, classes, reps, edges, threshold)
    del edges, reps  # the pair graph and the facts read: freed before the frames are built
    return result_frames(table_rows, frame["outlet"].gather(rows), threshold, scope)


def check_options(scope: str | None, threshold: float, chunk_size: int | None) -> None:
    """Refuse an unknown scope, a threshold outside (0, 1] or a chunk size under 1."""
    if scope is not None and scope not in SCOPES:
        raise UsageError(f"unknown scope {scope!r}", hint="use within-article, within-outlet or across")
    if not 0.0 < threshold <= 1.0:
        raise UsageError(f"threshold {threshold} is out of range", hint="give a similarity between 0 and 1")
    if chunk_size is not None and chunk_size < 1:
        raise UsageError(f"chunk size {chunk_size} must be at least 1", hint="pass chunk_size=None for the default")


def audited_rows(frame: pl.DataFrame, min_tokens: int) -> npt.NDArray[np.int64]:
    """Rows of the audited units in paragraph_id order; unit u is row ``rows[u]``.

    A unit with fewer than ``min_tokens`` words in its key is left out (labels, bylines,
    "SHARE": identical short strings are templates, not reuse). Per-unit state is numpy
    arrays and 16-byte views into the frame's strings: Python objects are made only for
    the units being verified or grouped, so memory per unit stays small.
    """
    rows = unit_rows(frame)
    keys = frame["key"]
    long_enough = ((keys.str.len_chars() > 0) & (keys.str.count_matches(" ").fill_null(0) + 1 >= min_tokens)).to_numpy()
    return rows[long_enough[rows]]


def scope_pools(frame: pl.DataFrame, rows: npt.NDArray[np.int64], scope: str | None) -> npt.NDArray[np.int64] | None:
    """The pool label of every unit (its article or outlet as a number) when the scope
    pools units; None when every unit is in one pool."""
    column = _POOL_COLUMN.get(scope or "")
    if column is None:
        return None
    return frame[column].gather(rows).cast(pl.Categorical).to_physical().cast(pl.Int64).to_numpy()


def representatives(
    frame: pl.DataFrame,
    rows: npt.NDArray[np.int64],
    classes: VerbatimClasses,
    pool: npt.NDArray[np.int64] | None,
) -> Representatives:
    """The keys, facts and pools of the classes' first units."""
    first_rows = rows[classes.first_units]
    return Representatives(
        keys=frame["key"].gather(first_rows),
        facts=Facts(frame["text"].gather(first_rows)),
        pool=None if pool is None else pool[classes.first_units],
    )


def build_groups(
    frame: pl.DataFrame,
    rows: npt.NDArray[np.int64],
    classes: VerbatimClasses,
    reps: Representatives,
    edges: dict[tuple[int, int], Score],
    threshold: float,
) -> GroupRows:
    """Components of verified pairs, split against a reference so no member is only
    chained in, as GROUPS and MEMBERS rows."""
    components = connected_components(edges, classes.with_copies())
    graph = class_graph(components, edges, classes, reps.keys, reps.facts)
    units = UnitColumns.of(frame, rows, graph.units())
    return group_rows(components, graph, units, threshold)


def result_frames(
    table_rows: GroupRows, outlets: pl.Series, threshold: float, scope: str | None
) -> DupesResult:
    """The result tables, groups largest first; ``outlets``: the outlet of every audited
    unit. Empties ``table_rows`` once they are frames (the row dicts are the larger copy)."""
    groups = schema.frame(table_rows.groups, GROUPS)
    members = schema.frame(table_rows.members, MEMBERS)
    table_rows.groups.clear()
    table_rows.members.clear()
    if scope is not None:
        groups = groups.filter(pl.col("scope") == scope)
        members = members.filter(pl.col("group_id").is_in(groups["group_id"].implode()))
    groups = groups.sort(["size", "group_id"], descending=[True, False])
    members = members.join(groups.select("group_id", pl.col("size").alias("_size")), on="group_id").sort(
        ["_size", "group_id", "is_reference", "date", "paragraph_id"],
        descending=[True, False, True, False, False],
        nulls_last=True,
    ).drop("_size")
    return DupesResult(
        groups=groups,
        members=members,
        outlet_reuse=outlet_reuse_table(outlets.to_frame(), groups, members),
        copies=copies_table(groups, members),
        undated=int(groups["origin_id"].null_count()),
        units=len(outlets),
        threshold=threshold,
        scope=scope,
    )


def empty_result(threshold: float, scope: str | None) -> DupesResult:
    """The result of an audit with no unit to audit."""
    return DupesResult(
        groups=schema.empty(GROUPS),
        members=schema.empty(MEMBERS),
        outlet_reuse=schema.empty(schema.OUTLET_REUSE),
        copies=schema.empty(schema.COPIES),
        undated=0,
        units=0,
        threshold=threshold,
        scope=scope,
    )

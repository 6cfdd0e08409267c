"""The audit's units: input columns, one row per unit, and verbatim classes (equal keys)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from .. import schema
from ..errors import UsageError
from ..text.normalize import match_key


def units_from_claims(claims: pl.DataFrame) -> pl.DataFrame:
    """Claims (schema.CLAIMS) as audit units with the PARAGRAPHS columns (one per claim)."""
    if claims.height == 0:
        return schema.empty(schema.PARAGRAPHS)
    return claims.select(
        pl.col("claim_id").alias("paragraph_id"),
        "article_id",
        "outlet",
        "source",
        "date",
        # Position of the claim in the article: orders within-article occurrences.
        (pl.col("paragraph") * 1_000_000 + pl.col("sentence") * 1_000 + pl.col("clause")).alias("paragraph"),
        "start",
        "end",
        "text",
        "key",
    ).cast(schema.PARAGRAPHS)  # type: ignore[arg-type]


def audit_columns(units: pl.DataFrame) -> pl.DataFrame:
    """The audit's columns, cast, every row kept; a missing key is computed from the text."""
    need = ("paragraph_id", "article_id", "outlet", "text")
    missing = [c for c in need if c not in units.columns]
    if missing:
        raise UsageError(
            f"duplicate audit: units lack column(s) {', '.join(missing)}",
            hint="pass a PARAGRAPHS frame (clean.paragraphs_frame) or dupes.units_from_claims(claims)",
        )
    df = units
    for col, dtype in (("date", pl.String()), ("paragraph", pl.Int64()), ("key", pl.String())):
        if col not in df.columns:
            df = df.with_columns(pl.lit(None, dtype=dtype).alias(col))
    df = df.select(
        pl.col("paragraph_id").cast(pl.String),
        pl.col("article_id").cast(pl.String),
        pl.col("outlet").cast(pl.String).fill_null(""),
        pl.col("date").cast(pl.String),
        pl.col("paragraph").cast(pl.Int64),
        pl.col("text").cast(pl.String).fill_null(""),
        pl.col("key").cast(pl.String),
    )
    # A missing key is computed here, so callers may pass bare text.
    if df["key"].null_count():
        keys = [k if k is not None else match_key(t) for k, t in zip(df["key"], df["text"], strict=True)]
        df = df.with_columns(pl.Series("key", keys, dtype=pl.String))
    # Keys and texts are gathered in bulk: from one chunk a gather copies 16-byte string
    # views, from several (a frame read from parquet) the strings themselves. Rechunking a
    # string column shares its data buffers, so this costs views, not text.
    return df.with_columns(df["key"].rechunk(), df["text"].rechunk())


def unit_rows(df: pl.DataFrame) -> npt.NDArray[np.int64]:
    """Row numbers of the units: one per paragraph_id (its first row), in id order."""
    # A distinct-mask and one sort of the ids: a frame unique + sort held ~4x the memory.
    ids = df["paragraph_id"].rechunk()
    rows = np.flatnonzero((ids.is_first_distinct() & ids.is_not_null()).to_numpy()).astype(np.int64)
    return rows[ids.gather(rows).arg_sort().to_numpy()]


def with_normal_dates(df: pl.DataFrame) -> pl.DataFrame:
    """Dates stripped, a blank one null (undated)."""
    date = pl.col("date").str.strip_chars()
    return df.with_columns(pl.when(date == "").then(None).otherwise(date).alias("date"))


def prepare_units(units: pl.DataFrame) -> pl.DataFrame:
    """The units as the audit sees them: one row per paragraph_id, sorted by it, keys set."""
    df = audit_columns(units)
    return with_normal_dates(df[unit_rows(df)])


@dataclass(frozen=True)
class VerbatimClasses:
    """Units with an equal key in one pool, numbered by first occurrence; the first unit of
    a class represents it."""

    first_units: npt.NDArray[np.int64]  # first unit of each class, ascending (index = class number)
    class_of: npt.NDArray[np.int64]  # class of every unit
    units_by_class: npt.NDArray[np.int64]  # units of class c: [offsets[c]:offsets[c + 1]], ascending
    offsets: npt.NDArray[np.int64]

    def copies(self, class_number: int) -> list[int]:
        """The units of a class, ascending."""
        return self.units_by_class[self.offsets[class_number] : self.offsets[class_number + 1]].tolist()

    def with_copies(self) -> list[int]:
        """The classes of more than one unit."""
        return np.flatnonzero(np.diff(self.offsets) > 1).tolist()


def verbatim_classes(keys: pl.Series, pool: npt.NDArray[np.int64] | None = None) -> VerbatimClasses:
    """Verbatim classes of units (equal key, equal pool label; no ``pool``: one pool) and
    their units."""
    if pool is None:
        pool = np.zeros(len(keys), dtype=np.int64)
    first_units, class_of = _first_units_and_classes(keys, pool)
    units_by_class = np.argsort(class_of, kind="stable")
    offsets = np.concatenate(([0], np.cumsum(np.bincount(class_of, minlength=len(first_units)))))
    return VerbatimClasses(first_units, class_of, units_by_class, offsets)


def _first_units_and_classes(
    keys: pl.Series, pool: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Verbatim classes (equal key, equal pool label), numbered by first occurrence.

    Returns the first unit of each class (ascending: index = class number) and the class of
    every unit. Done with one string sort and integer arrays: a polars group-by over the
    keys took ~450 MB of working memory at a million units, this ~100 MB.
    """
    n = len(keys)
    order = keys.arg_sort().to_numpy().astype(np.int64)
    by_key = keys.gather(order)
    same = (by_key.slice(1) == by_key.slice(0, n - 1)).to_numpy()
    del by_key
    key_id = np.empty(n, dtype=np.int64)
    key_id[order] = np.concatenate(([0], np.cumsum(~same)))
    del same
    order = np.lexsort((pool, key_id))
    sorted_keys, sorted_pools = key_id[order], pool[order]
    new_run = np.concatenate(([True], (sorted_keys[1:] != sorted_keys[:-1]) | (sorted_pools[1:] != sorted_pools[:-1])))
    del sorted_keys, sorted_pools, key_id
    first_of_run = np.minimum.reduceat(order, np.flatnonzero(new_run))
    first = np.sort(first_of_run)
    class_of = np.empty(n, dtype=np.int64)
    class_of[order] = np.searchsorted(first, first_of_run)[np.cumsum(new_run) - 1]
    return first, class_of

"""MinHash banding on disk (shingle.BandSpill): the same candidate pairs as in memory."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compare import shingle


def spilled(folder: Path, keys: np.ndarray, cuts: list[int], group: np.ndarray | None, parts: int,
            max_bucket: int) -> np.ndarray:
    spill = shingle.BandSpill(folder, keys.shape[1])
    for a, b in zip([0, *cuts], [*cuts, keys.shape[0]], strict=True):
        spill.add(keys[a:b])
    got = list(spill.candidate_pairs(group, max_bucket=max_bucket, parts=parts))
    return np.concatenate(got) if got else np.zeros((0, 2), dtype=np.int64)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 60),
    bands=st.integers(1, 5),
    alphabet=st.integers(1, 6),
    parts=st.integers(1, 9),
    pools=st.integers(0, 3),
    max_bucket=st.integers(2, 8),
    seed=st.integers(0, 2**32 - 1),
)
def test_spilled_candidates_equal_in_memory(
    tmp_path_factory: pytest.TempPathFactory, n: int, bands: int, alphabet: int, parts: int, pools: int,
    max_bucket: int, seed: int,
) -> None:
    # A small key alphabet makes many collisions and big buckets (the chained case).
    rng = np.random.default_rng(seed)
    keys = rng.integers(0, alphabet, size=(n, bands)).astype(np.uint64)
    group = rng.integers(0, pools, size=n).astype(np.int64) if pools else None
    cuts = sorted(set(rng.integers(1, n, size=3).tolist())) if n > 1 else []
    want = shingle.candidate_pairs(keys, group, max_bucket=max_bucket)
    folder = tmp_path_factory.mktemp("spill")
    got = spilled(folder, keys, cuts, group, parts, max_bucket)
    assert got.tolist() == want.tolist()
    assert not list(folder.glob("part*"))  # parts are removed once read


def test_spill_pairs_come_in_order_and_parts_split_by_first_index(tmp_path: Path) -> None:
    keys = np.array([[1, 9], [1, 8], [1, 7], [2, 7], [3, 8]], dtype=np.uint64)
    spill = shingle.BandSpill(tmp_path, 2)
    spill.add(keys[:2])
    spill.add(keys[2:])
    parts = [p.tolist() for p in spill.candidate_pairs(parts=3)]
    # Part width 2: first index 0-1, 2-3, 4 (no pair starts at 4).
    assert parts == [[[0, 1], [0, 2], [1, 2], [1, 4]], [[2, 3]]]
    assert spill.n == 5


def test_spill_rejects_another_band_count(tmp_path: Path) -> None:
    spill = shingle.BandSpill(tmp_path, 4)
    with pytest.raises(ValueError, match="band count"):
        spill.add(np.zeros((3, 2), dtype=np.uint64))


def test_empty_spill_yields_nothing(tmp_path: Path) -> None:
    assert list(shingle.BandSpill(tmp_path, 8).candidate_pairs(parts=4)) == []

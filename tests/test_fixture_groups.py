"""The comparison report's clusters against the hand labels in fixtures/labels/groups.csv.

Each labelled group is one fact as several outlets state it (in Arabic and in English).
Measured pairwise: labelled members of one group that land in one cluster, and members
of different groups kept apart. The figures are printed and floored just under what was
measured, so the clustering's agreement with the labels cannot drop silently.
"""

from __future__ import annotations

import csv
from itertools import combinations
from pathlib import Path

import pytest

from compare.pipeline import compare_claims, extract_claims
from tests.conftest import FIXTURES

ENGLISH = ("levant-post", "global-monitor")


@pytest.fixture(scope="module")
def labelled(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, str]]:
    """(group, cluster_id, file) per labelled claim."""
    run = extract_claims([FIXTURES / "corpus"])
    comp = compare_claims(run.claims, cache_dir=tmp_path_factory.mktemp("cache"))
    rel = {a.article_id: Path(a.source).resolve().relative_to(FIXTURES.resolve()).as_posix() for a in run.articles}
    rows = list(comp.claims.iter_rows(named=True))
    out = []
    for g in csv.DictReader((FIXTURES / "labels" / "groups.csv").open(encoding="utf-8")):
        # The first claim of the file that carries the labelled words (a headline may
        # repeat them: the labels name the first).
        hit = sorted((r["start"], r["cluster_id"]) for r in rows
                     if rel[r["article_id"]] == g["file"] and g["substring"] in r["text"])
        assert hit, g
        out.append((g["group"], hit[0][1], g["file"]))
    return out


def _english(file: str) -> bool:
    return file.split("/")[1] in ENGLISH


def test_clusters_agree_with_hand_labels(labelled: list[tuple[str, str, str]]) -> None:
    pairs = list(combinations(labelled, 2))
    same = [a[1] == b[1] for a, b in pairs if a[0] == b[0]]
    apart = [a[1] != b[1] for a, b in pairs if a[0] != b[0]]
    across = [a[1] == b[1] for a, b in pairs if a[0] == b[0] and _english(a[2]) != _english(b[2])]
    assert len(same) >= 40 and len(across) >= 15  # the labels really are exercised
    msg = (f"same-group pairs in one cluster {sum(same)}/{len(same)}, of them English-Arabic "
           f"{sum(across)}/{len(across)}; different-group pairs apart {sum(apart)}/{len(apart)}")
    # Measured 2026-11-28 (fourth session): 24/46 together, English-Arabic 9/19 (3/19
    # before English-Arabic pairs had their own model), 571/584 apart (the merges are
    # contrasts the labels file under two groups, "failed" vs "met" obligations, and
    # headlines clustered with their stories). Floors just under.
    assert sum(same) / len(same) >= 0.5, msg
    assert sum(across) / len(across) >= 0.45, msg
    assert sum(apart) / len(apart) >= 0.97, msg

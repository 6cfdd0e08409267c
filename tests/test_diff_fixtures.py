"""`compare diff` on the fixture corpus against the hand labels in fixtures/labels/.

groups.csv says which claims of two outlets are the same fact; contrasts.csv which pairs
state it differently (number, negation, date...). The figures are printed and floored
just under what was measured, so the diff's agreement with the labels cannot drop
silently.
"""

from __future__ import annotations

import csv
from itertools import combinations, product

import polars as pl
import pytest

from compare.pipeline import make_diff
from tests.conftest import FIXTURES

OUTLETS = ("dimashq-today", "global-monitor", "idlib-voice", "levant-post", "marsad-turk")
# Every pair of outlets: Arabic with Arabic, English with English, and English with Arabic.
PAIRS = tuple(combinations(OUTLETS, 2))
FACT_TYPES = {"number", "negation", "date"}


def _outlet(file: str) -> str:
    return file.split("/")[1]


@pytest.fixture(scope="module")
def diffs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], pl.DataFrame]:
    tmp = tmp_path_factory.mktemp("diff")
    out = {}
    for a, b in PAIRS:
        res = make_diff([FIXTURES / "corpus"], tmp / f"{a}-{b}", a=[a], b=[b], cache_dir=tmp / "cache")
        out[(a, b)] = res.diff.rows
    return out


def _buckets(rows: pl.DataFrame, sa: str, sb: str) -> set[str]:
    hit = rows.filter(pl.col("text_a").str.contains(sa, literal=True) & pl.col("text_b").str.contains(sb, literal=True))
    return set(hit["bucket"].to_list())


def _label_pairs(diffs: dict[tuple[str, str], pl.DataFrame]) -> tuple[list[bool], list[bool]]:
    groups: dict[str, list[dict[str, str]]] = {}
    for g in csv.DictReader((FIXTURES / "labels" / "groups.csv").open(encoding="utf-8")):
        groups.setdefault(g["group"], []).append(g)
    matched = []
    for (a, b), rows in diffs.items():
        for members in groups.values():
            for x, y in product(members, members):
                if _outlet(x["file"]) == a and _outlet(y["file"]) == b:
                    matched.append(bool(_buckets(rows, x["substring"], y["substring"]) & {"same", "reworded", "contrasting"}))
    contrasted = []
    for c in csv.DictReader((FIXTURES / "labels" / "contrasts.csv").open(encoding="utf-8")):
        if not FACT_TYPES & set(c["types"].split(";")):
            continue
        for (fa, sa, fb, sb) in ((c["file_a"], c["substring_a"], c["file_b"], c["substring_b"]),
                                 (c["file_b"], c["substring_b"], c["file_a"], c["substring_a"])):
            key = (_outlet(fa), _outlet(fb))
            if key in diffs:
                contrasted.append("contrasting" in _buckets(diffs[key], sa, sb))
    return matched, contrasted


def test_diff_agrees_with_hand_labels(diffs: dict[tuple[str, str], pl.DataFrame]) -> None:
    matched, contrasted = _label_pairs(diffs)
    assert len(matched) >= 40 and len(contrasted) >= 7  # the labels really are exercised
    same_rate = sum(matched) / len(matched)
    contrast_rate = sum(contrasted) / len(contrasted)
    msg = f"labelled same-fact pairs matched: {sum(matched)}/{len(matched)}; labelled contrasts found: {sum(contrasted)}/{len(contrasted)}"
    # Measured 2026-11-28 (fourth session) over all ten outlet pairs: 28/42 matched, 5/7
    # contrasts found (21/42 and 4/7 before English-Arabic pairs had their own model; on
    # the three same-script pairs alone 13/16 and 3/5, unchanged). The same-claim test
    # (sixth session) trades contrast recall for precision on real corpora: 28/42 and 4/7
    # (the convoy pair changes three facts at once and no longer counts as one claim).
    # Floors just under.
    assert same_rate >= 0.65, msg
    assert contrast_rate >= 0.55, msg


def test_wire_copy_is_same_or_reworded(diffs: dict[tuple[str, str], pl.DataFrame]) -> None:
    rows = diffs[("dimashq-today", "marsad-turk")]
    assert _buckets(rows, "مضيفا أن شحنتين أخريين ستصلان قبل نهاية الشهر", "مضيفا أن شحنتين أخريين ستصلان قبل نهاية الشهر") == {"same"}
    assert _buckets(rows, "عمليات تفريغ الشحنة ستستغرق خمسة أيام", "تفريغ الشحنة سيستغرق خمسة أيام") <= {"same", "reworded"}


def test_lavrov_and_oktay_contrast(diffs: dict[tuple[str, str], pl.DataFrame]) -> None:
    rows = diffs[("dimashq-today", "idlib-voice")]
    assert "contrasting" in _buckets(rows, "تركيا فشلت في الوفاء بالتزاماتها", "تركيا أوفت بجميع التزاماتها في إدلب")


def test_only_buckets_hold_unmatched_claims(diffs: dict[tuple[str, str], pl.DataFrame]) -> None:
    for rows in diffs.values():
        only_a = rows.filter(pl.col("bucket") == "only_a")
        assert only_a["claim_b"].null_count() == only_a.height
        matched_a = set(rows.filter(pl.col("bucket").is_in(["same", "reworded", "contrasting"]))["claim_a"].to_list())
        assert not matched_a & set(only_a["claim_a"].to_list())

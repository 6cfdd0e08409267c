"""Quality floors on the labelled data in ../shared (skipped when it is absent).

Floors sit just under the figures measured by ``python benchmarks/quality.py --encoders use``
(USE v3, the default encoder; e5 is left out to keep this file to a few minutes on a cold
cache). Full data, no subsampling: ANS dev 755 pairs, CheckThat 85 tweets x 50 candidates,
Baly eval half 351 items / 127 claims, MSRP eval half 426 sentences / 137 groups. Embeddings are cached
under ~/.cache/compare-eval.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import SHARED, needs_shared

pytestmark = [needs_shared("data"), pytest.mark.shared, pytest.mark.slow]


@pytest.fixture(scope="module")
def figures() -> dict[str, Any]:
    from compare.evaluate import run_evaluation

    return run_evaluation(SHARED, encoders=("use",))


def test_sts17(figures: dict[str, Any]) -> None:
    sts = figures["sts17_spearman"]
    assert sts["ar-ar"]["lexical"] >= 0.70
    assert sts["ar-ar"]["use"] >= 0.69
    assert sts["ar-ar"]["hybrid-use"] >= 0.72
    assert sts["ar-en"]["use"] >= 0.72
    assert sts["ar-en"]["hybrid-use"] >= 0.72


def test_ans_and_checkthat(figures: dict[str, Any]) -> None:
    ans = figures["ans_dev_accuracy"]
    assert ans["hybrid-use"] >= 0.985
    assert ans["hybrid-use"] > ans["majority"]
    mrr = figures["checkthat_mrr"]
    assert mrr["hybrid-use"] >= 0.89
    assert mrr["hybrid-use"] >= mrr["use"]


def test_clustering(figures: dict[str, Any]) -> None:
    clus = figures["clustering"]["use"]
    baly, msrp = clus["baly"], clus["msrp"]
    assert baly["hybrid"]["b3_f1"] >= 0.76
    assert baly["hybrid-auto"]["b3_f1"] >= 0.76
    # MSRP eval half (English, held out; the @latin models are fitted on the other half).
    assert msrp["hybrid"]["b3_f1"] >= 0.97
    assert msrp["hybrid"]["ari"] >= 0.92
    # Every component alone (raw n-gram cosine, raw fuzz, semantic cosine, each at its best
    # threshold on the fit half) and both sentence-transformers baselines on the same
    # vectors: the hybrid beats them all, on both held-out sets.
    for other in ("lexical-cosine", "fuzz", "semantic", "st-community", "st-paraphrase-mining"):
        assert msrp["hybrid"]["b3_f1"] > msrp[other]["b3_f1"], other
        assert baly["hybrid"]["b3_f1"] > baly[other]["b3_f1"], other
    # Its lexical stage alone (n-gram cosine and fuzz, the same model without the semantic
    # part): beaten on Arabic news; on near-verbatim English groups it saturates (0.981 both).
    assert baly["hybrid"]["b3_f1"] > baly["lexical"]["b3_f1"]
    assert msrp["hybrid"]["b3_f1"] >= msrp["lexical"]["b3_f1"]
    assert baly["hybrid-auto"]["embedded_fraction"] < 1.0
    # The n-gram cosine calibrated like the hybrid is the one method the hybrid does not
    # beat (Baly 0.787 vs 0.783, MSRP 0.981 both): they tie within threshold noise.
    for clus_set in (baly, msrp):
        assert abs(clus_set["hybrid"]["b3_f1"] - clus_set["cosine-calibrated"]["b3_f1"]) <= 0.01


def test_english_arabic_pairs(figures: dict[str, Any]) -> None:
    # STS17 ar-en held-out half (125 pairs, 40 the same claim): with the Arabic model these
    # pairs scored about 0.01 and none reached the link threshold; the @cross model
    # (semantic cosine alone, fitted on the other half) measured P 0.71 / R 0.55 at the
    # cluster threshold, AUC 0.867.
    x = figures["cross_language"]["use"]
    assert x["auc"] >= 0.85
    assert x["recall@cluster"] >= 0.5
    assert x["precision@cluster"] >= 0.65


def test_baly_both_halves(figures: dict[str, Any]) -> None:
    # Each half of Baly held out in turn (the models refitted on the other half): the
    # hybrid beats every raw component and both baselines on the mean of the two. A
    # calibrated cosine alone is not beaten with USE (0.796 vs 0.792); see the README.
    cf = figures["baly_cross_fit"]["use"]
    for other in ("lexical", "lexical-cosine", "fuzz", "semantic", "st-community", "st-paraphrase-mining"):
        assert cf["hybrid"]["mean"] > cf[other]["mean"], other
    # Not beaten with USE, only tied: the calibrated cosine alone (0.796 vs 0.792).
    assert abs(cf["hybrid"]["mean"] - cf["cosine-calibrated"]["mean"]) <= 0.01
    assert cf["hybrid"]["mean"] >= 0.78

"""The comparison pipeline on the five real seed articles (../shared/seeds): the obvious
cross-outlet groups form, the two contrasts the issue names are found and typed, and no
other pair is called a contrast. Claims are named by claim_id (a hash of outlet, text and
offsets) with what they say in English, so no seed text is copied here. Skipped when
../shared is absent."""

from __future__ import annotations

import polars as pl
import pytest

from compare.pipeline import compare_claims, extract_claims
from tests.conftest import SHARED, needs_shared

pytestmark = [needs_shared("seeds"), pytest.mark.shared]

# (claim, claim) -> the difference kind that must explain the contrast.
CONTRASTS = {
    # 003: Oktay, "Turkey met its obligations in Idlib" / Lavrov, "Turkey is unable to meet many key obligations".
    ("c1525a46c0942", "c785c166014ab"): "negation",
    # 004: the ministry's "more than 100 attacks" / the foreign ministry's "1000 attacks in two weeks".
    ("cb849a0ad1ed8", "cf8e749c8559e"): "number",
}
GROUPS = {
    # The presidents' commitment to the Idlib agreements (000 / 001 / 004).
    "commitment": {"c4339db0edf98", "ce2b249df8a2a"},
    # The September 2018 Sochi memorandum on the de-escalation zone (000 / 003).
    "2018 zone": {"c73c5ea828170", "c636788270eba"},
    # Russia says the armed opposition has not been separated from the terrorists: Peskov's
    # "so far we have not been able to separate the terrorists (from the armed opposition)",
    # a clause of a longer quote (000), and "the armed opposition was not separated from
    # the terrorists" (003).
    "separation": {"c45f9f09feaa2", "c347877e6f68f"},
    # The presidents stress full implementation of the Russian-Turkish agreements (000 / 001).
    "implementation": {"c1346fc16fe91", "c5b3de2699e9f"},
}


@pytest.fixture(scope="module")
def comparison(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    run = extract_claims([SHARED / "seeds"])
    return compare_claims(run.claims, cache_dir=tmp_path_factory.mktemp("cache"))


def test_named_contrasts_found_typed_and_nothing_else(comparison) -> None:  # type: ignore[no-untyped-def]
    links = comparison.links.filter(pl.col("relation") == "contrast")
    found = {(a, b): d for a, b, d in zip(links["claim_a"], links["claim_b"], links["differences"].to_list(), strict=True)}
    assert set(found) == set(CONTRASTS), sorted(found)
    cluster = dict(zip(comparison.claims["claim_id"], comparison.claims["cluster_id"], strict=True))
    flagged = set(comparison.clusters.filter(pl.col("has_contrast"))["cluster_id"].to_list())
    for (a, b), kind in CONTRASTS.items():
        assert kind in {d["kind"] for d in found[(a, b)]}
        assert cluster[a] == cluster[b] and cluster[a] in flagged


@pytest.mark.xfail(strict=True, reason=(
    "issue #18: a cluster edge needs same-claim evidence (compare/evidence.py). These four "
    "groups are real paraphrases across outlets, but at a character n-gram cosine of "
    "0.28-0.43, two of them across stories; on Baly dev, 84 of 99 hand-labelled clusters "
    "held by links in that range were not one claim, and neither the score nor the USE "
    "cosine told the two kinds apart (docs/quality.md). Strict: passes again -> remove."))
def test_obvious_groups_form_across_outlets(comparison) -> None:  # type: ignore[no-untyped-def]
    claims = comparison.claims
    cluster = dict(zip(claims["claim_id"], claims["cluster_id"], strict=True))
    outlets = comparison.clusters.select("cluster_id", "n_outlets")
    n_outlets = dict(zip(outlets["cluster_id"], outlets["n_outlets"], strict=True))
    for name, members in GROUPS.items():
        ids = {cluster[m] for m in members}
        assert len(ids) == 1, name
        assert n_outlets[ids.pop()] >= 2, name

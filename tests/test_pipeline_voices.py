"""Which pairs may be called contrasts (two voices, not one repeating itself; decided by
the contrast stage), and how a contrast weighs when clustering (decided by the cluster
stage)."""

from __future__ import annotations

from conftest import claim_row, claims_frame

from compare import schema
from compare.cluster import cluster_claims
from compare.contrast import judge_links

FAILED = "قالت الوزارة إن تركيا فشلت في الوفاء بالتزاماتها في إدلب"
MET = "قالت الوزارة إن تركيا أوفت بالتزاماتها في إدلب"


def _link(a: str, b: str, relation: str = "paraphrase", score: float = 0.9) -> dict[str, object]:
    return {"claim_a": a, "claim_b": b, "outlet_a": "", "outlet_b": "", "relation": relation, "score": score,
            "lexical": 0.5, "semantic": None, "fuzz": 50.0, "contrast": None, "differences": []}


def test_contrast_needs_two_outlets_or_two_speakers() -> None:
    claims = claims_frame([
        claim_row("c1", "A", FAILED, article="a1", speaker="الوزارة"),
        claim_row("c2", "A", MET, article="a1", speaker="الخارجية"),  # same outlet, other speaker
        claim_row("c3", "A", MET, article="a2", speaker="الوزارة"),  # same outlet, same speaker
        claim_row("c4", "B", MET, article="b1", speaker="الوزارة"),  # other outlet
        claim_row("c5", "A", FAILED, article="a3"),
        claim_row("c6", "A", MET, article="a4"),  # both unattributed, one outlet
    ])
    links = schema.frame([_link("c1", "c2"), _link("c1", "c3"), _link("c1", "c4"), _link("c5", "c6")], schema.LINKS)
    out = judge_links(links, claims, related="strict")
    assert out["relation"].to_list() == ["contrast", "paraphrase", "contrast", "paraphrase"]
    # One voice: the judge's score and differences are kept, the relation is the scorer's.
    assert all(c is not None and c > 0.5 for c in out["contrast"].to_list())
    assert out["differences"][1].len() > 0
    # Without outlets (a bare claims table) every judged contrast stands.
    bare = claims.drop("outlet")
    assert judge_links(links, bare, related="strict")["relation"].to_list() == ["contrast"] * 4


def test_a_contrast_link_weighs_as_the_same_claim() -> None:
    claims = claims_frame([claim_row(f"c{i}", "AB"[i % 2], t, article=f"a{i}")
                           for i, t in enumerate((FAILED, MET, FAILED, MET))])
    links = schema.frame([_link("c0", "c1", "contrast", 0.08), _link("c2", "c3", "related", 0.08)], schema.LINKS)
    clustered, clusters = cluster_claims(claims, links)
    cluster_of = dict(zip(clustered["claim_id"], clustered["cluster_id"], strict=True))
    assert cluster_of["c0"] == cluster_of["c1"]  # weighed at the cluster threshold
    assert cluster_of["c2"] != cluster_of["c3"]  # a weak related link does not join
    flagged = set(clusters.filter(clusters["has_contrast"])["cluster_id"].to_list())
    assert flagged == {cluster_of["c0"]}

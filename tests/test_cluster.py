"""Clustering: no chaining, deterministic ids, every claim gets a cluster."""

from __future__ import annotations

import hashlib

import polars as pl
import pytest
from conftest import claim_row, claims_frame, link_row, links_frame

from compare import schema
from compare.cluster import cluster_claims


def _claims(n: int) -> pl.DataFrame:
    return claims_frame([claim_row(f"c{i:02d}", f"o{i % 5}", f"نص رقم {i}", article=f"a{i}") for i in range(n)])


def _links(edges: list[tuple[int, int, float]]) -> pl.DataFrame:
    return links_frame([link_row(f"c{a:02d}", f"c{b:02d}", f"o{a % 5}", f"o{b % 5}", "related", s)
                        for a, b, s in edges])


def test_long_thin_chain_does_not_merge_ends() -> None:
    # c00 - c01 - ... - c09, each neighbour linked at 0.8 and nothing else.
    claims = _claims(10)
    links = _links([(i, i + 1, 0.8) for i in range(9)])
    out, clusters = cluster_claims(claims, links, min_score=0.5)
    cid = dict(zip(out["claim_id"], out["cluster_id"], strict=True))
    assert cid["c00"] != cid["c09"]
    assert clusters["size"].max() <= 2  # only dense parts survive: a chain splits into pairs
    # Single-link would have merged everything: the graph is one component.
    assert clusters.height >= 5


def test_dense_group_with_weak_bridge() -> None:
    clique_a = [(a, b, 0.9) for a in range(4) for b in range(a + 1, 4)]
    clique_b = [(a, b, 0.9) for a in range(4, 8) for b in range(a + 1, 8)]
    bridge = [(3, 4, 0.55)]
    out, clusters = cluster_claims(_claims(9), _links(clique_a + clique_b + bridge), min_score=0.5)
    cid = dict(zip(out["claim_id"], out["cluster_id"], strict=True))
    assert len({cid[f"c{i:02d}"] for i in range(4)}) == 1
    assert len({cid[f"c{i:02d}"] for i in range(4, 8)}) == 1
    assert cid["c00"] != cid["c04"]
    assert out.height == 9 and out["cluster_id"].null_count() == 0  # c08 is a singleton
    top = clusters.filter(pl.col("size") == 4)
    assert top.height == 2
    assert top["cohesion"].to_list() == [pytest.approx(0.9), pytest.approx(0.9)]
    single = clusters.filter(pl.col("size") == 1)
    assert single["representative"].to_list() == ["c08"] and single["cohesion"][0] == 1.0


def test_ids_schema_and_determinism() -> None:
    claims = _claims(6)
    links = _links([(0, 1, 0.9), (1, 2, 0.85), (0, 2, 0.8), (4, 5, 0.3)])
    out, clusters = cluster_claims(claims, links, min_score=0.5)
    assert clusters.schema == pl.Schema(schema.CLUSTERS)
    assert out.columns == [*claims.columns, "cluster_id"]
    assert out["claim_id"].to_list() == claims["claim_id"].to_list()  # caller's order kept
    cid = dict(zip(out["claim_id"], out["cluster_id"], strict=True))
    assert cid["c00"] == "k" + hashlib.sha1(b"c00").hexdigest()[:10] == cid["c02"]
    assert cid["c04"] != cid["c05"]  # below min_score
    big = clusters.row(0, named=True)
    assert big["size"] == 3 and big["outlets"] == ["o0", "o1", "o2"] and big["n_outlets"] == 3
    assert big["representative"] == "c01"  # highest summed link score
    out2, clusters2 = cluster_claims(claims.reverse(), links.reverse(), min_score=0.5)
    assert clusters.equals(clusters2)
    assert out.sort("claim_id").equals(out2.sort("claim_id"))


def test_no_links_and_existing_cluster_column() -> None:
    claims = _claims(3)
    out, clusters = cluster_claims(claims, schema.empty(schema.LINKS), min_score=0.5)
    assert clusters.height == 3 and out["cluster_id"].n_unique() == 3
    again, _ = cluster_claims(out, schema.empty(schema.LINKS))  # re-clustering replaces the column
    assert again.columns == out.columns

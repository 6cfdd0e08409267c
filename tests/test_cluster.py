"""Clustering: no chaining, deterministic ids, every claim gets a cluster."""

from __future__ import annotations

import hashlib

import polars as pl
import pytest
from conftest import claim_row, claims_frame, link_row, links_frame

from compare import schema
from compare.cluster import cluster_claims


def _claims(n: int) -> pl.DataFrame:
    return claims_frame([claim_row(f"c{i:02d}", f"o{i % 5}", f"نص رقم {i} عن الاتفاق الجديد", article=f"a{i}") for i in range(n)])


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


def _dense_reference(n: int, edges: list[tuple[int, int, float]], min_score: float) -> set[frozenset[int]]:
    """Slow and obvious: scipy average linkage on the full matrix (missing links = 0)."""
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    sim = np.zeros((n, n))
    for a, b, w in edges:
        sim[a, b] = sim[b, a] = max(sim[a, b], w)
    dist = 1.0 - sim
    np.fill_diagonal(dist, 0.0)
    labels = fcluster(linkage(squareform(dist, checks=False), method="average"), t=1.0 - min_score + 1e-9,
                      criterion="distance")
    return {frozenset(np.flatnonzero(labels == lab).tolist()) for lab in set(labels.tolist())}


@pytest.mark.parametrize("seed", range(6))
def test_sparse_agglomeration_equals_dense_average_linkage(seed: int) -> None:
    import random

    import numpy as np

    from compare.cluster import cluster_graph

    rng = random.Random(seed)
    n = 60
    edges = []
    # A few planted groups with varied internal weights, plus random links of any weight.
    for g in range(6):
        members = list(range(g * 8, g * 8 + rng.randint(3, 8)))
        edges += [(a, b, rng.uniform(0.3, 1.0)) for a in members for b in members if a < b and rng.random() < 0.8]
    edges += [(a, b, rng.uniform(0.0, 0.9)) for a, b in (sorted(rng.sample(range(n), 2)) for _ in range(80))]
    pairs = np.array([(a, b) for a, b, _ in edges])
    weights = np.array([w for _, _, w in edges])
    for min_score in (0.45, 0.6):
        label = cluster_graph(n, pairs, weights, min_score)
        got = {frozenset(np.flatnonzero(label == lab).tolist()) for lab in set(label.tolist())}
        assert got == _dense_reference(n, edges, min_score)
        assert all(label[i] == min(np.flatnonzero(label == label[i])) for i in range(n))


def test_big_component_keeps_its_groups() -> None:
    # 40 groups of 80 claims (3,200 claims: above the old 3,000 cut) in ONE component:
    # 25 tight groups (every pair 0.9-1.0) and 15 looser ones (every pair 0.5, 0.6 or 0.7),
    # each group joined to the next by three links at 0.5. The old rule raised the edge
    # threshold to the median link weight (~0.95 here) and shattered every looser group.
    import random

    rng = random.Random(5)
    size, n_groups = 80, 40
    ids = [f"c{i:05d}" for i in range(size * n_groups)]
    claims = claims_frame([claim_row(c, f"o{i % 7}", "نص", article=f"a{i}") for i, c in enumerate(ids)])
    rows = []
    for g in range(n_groups):
        base = g * size
        for a in range(size):
            for b in range(a + 1, size):
                w = rng.uniform(0.9, 1.0) if g < 25 else rng.choice((0.5, 0.6, 0.7))
                rows.append((ids[base + a], ids[base + b], w))
        if g + 1 < n_groups:
            rows += [(ids[base + x], ids[base + size + x], 0.5) for x in range(3)]
    links = pl.DataFrame({"claim_a": [a for a, _, _ in rows], "claim_b": [b for _, b, _ in rows],
                          "score": [w for _, _, w in rows]})
    links = links.with_columns(pl.lit("o").alias("outlet_a"), pl.lit("o").alias("outlet_b"),
                               pl.lit("related").alias("relation"), pl.col("score").alias("lexical"),
                               pl.lit(None, dtype=pl.Float64).alias("semantic"), pl.lit(90.0).alias("fuzz"),
                               pl.lit(None, dtype=pl.Float64).alias("contrast"), pl.lit([], dtype=schema.DIFFERENCES).alias("differences"))
    links = links.select(list(schema.LINKS)).cast(dict(schema.LINKS))  # type: ignore[arg-type]
    # The linkage alone: these one-word claims share no content words.
    out, clusters = cluster_claims(claims, links, min_score=0.45, evidence=False)
    cid = out["cluster_id"].to_list()
    groups = [set(cid[g * size:(g + 1) * size]) for g in range(n_groups)]
    assert all(len(g) == 1 for g in groups)  # every group whole
    assert len(set.union(*groups)) == n_groups  # and no two groups merged
    assert clusters.height == n_groups and clusters["size"].to_list() == [size] * n_groups


def test_cluster_vectors_planted_groups_exact_and_ann() -> None:
    import numpy as np

    from compare.cluster import cluster_vectors

    rng = np.random.default_rng(0)
    centres = rng.normal(size=(150, 64))
    group = rng.integers(0, 150, size=1200)
    x = centres[group] + 0.25 * rng.normal(size=(1200, 64))  # same group: cosine ~0.94
    x = (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)
    # Exhaustive and the approximate index: every planted group whole.
    for exact_below in (5000, 100):
        label = cluster_vectors(x, min_sim=0.8, exact_below=exact_below)
        for g in range(150):
            members = np.flatnonzero(group == g)
            if members.size:
                assert len(set(label[members].tolist())) == 1
                assert (label[members] == members.min()).all()
        assert len(set(label.tolist())) == len(set(group.tolist()))
    # Coarse buckets (approximate too): no false merge, nearly every planted pair together.
    label = cluster_vectors(x, min_sim=0.8, exact_below=100, bucket_above=200)
    same_group = group[:, None] == group[None, :]
    same_label = label[:, None] == label[None, :]
    assert not (same_label & ~same_group).any()
    upper = np.triu(same_group, 1)
    assert (same_label & upper).sum() / upper.sum() >= 0.99

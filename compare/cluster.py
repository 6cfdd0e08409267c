"""Clusters of claims that state the same thing across outlets.

Rule (no chaining): links with ``score >= min_score`` define a graph; inside each connected
component, claims are merged by average-linkage agglomeration where the similarity of two
claims is their link score and a MISSING link counts as 0. Two groups merge only while the
mean similarity over all cross pairs stays >= ``min_score``. A chain a-b-c-d of links
therefore cannot pull a and d together: the absent a-c, a-d, b-d pairs drag the average
below the threshold, so a long thin chain of weak links splits into its dense parts.

Components larger than ``_MAX_COMPONENT`` claims (a dense matrix would be too big) are first
cut by raising the edge threshold for that component until every part fits.

Ids are ``"k" + sha1(smallest member claim_id)[:10]``; the output is sorted, so the same
input gives identical frames.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Any

import numpy as np
import polars as pl

from . import schema

_MAX_COMPONENT = 3000


def cluster_id(smallest_member: str) -> str:
    return "k" + hashlib.sha1(smallest_member.encode("utf-8")).hexdigest()[:10]


def _components(n: int, edges: list[tuple[int, int]]) -> list[list[int]]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[find(i)].append(i)
    return [sorted(g) for g in groups.values()]


def _average_linkage(members: list[int], weights: dict[tuple[int, int], float],
                     min_score: float) -> list[list[int]]:
    """Average-linkage groups of one component (missing pairs = 0 similarity)."""
    m = len(members)
    if m <= 2:
        if m == 2:
            a, b = members
            return [members] if weights.get((a, b), 0.0) >= min_score else [[a], [b]]
        return [members]
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    pos = {c: i for i, c in enumerate(members)}
    sim = np.zeros((m, m), dtype=np.float64)
    for (a, b), w in weights.items():
        if a in pos and b in pos:
            sim[pos[a], pos[b]] = sim[pos[b], pos[a]] = w
    dist = 1.0 - sim
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(dist, checks=False), method="average")
    # A tiny tolerance so a merge at exactly min_score is kept.
    labels = fcluster(tree, t=1.0 - min_score + 1e-9, criterion="distance")
    groups: dict[int, list[int]] = defaultdict(list)
    for c, lab in zip(members, labels.tolist(), strict=True):
        groups[int(lab)].append(c)
    return [sorted(g) for g in groups.values()]


def _split_large(members: list[int], weights: dict[tuple[int, int], float],
                 min_score: float) -> list[list[int]]:
    if len(members) <= _MAX_COMPONENT:
        return _average_linkage(members, weights, min_score)
    inside = set(members)
    local = {e: w for e, w in weights.items() if e[0] in inside and e[1] in inside}
    cut = sorted(set(local.values()))
    # Raise the edge threshold (median of the remaining edge weights) until parts are small.
    thr = float(np.median(cut)) if cut else 1.0
    kept = [e for e, w in local.items() if w >= thr and w > min_score]
    index = {c: i for i, c in enumerate(members)}
    parts = _components(len(members), [(index[a], index[b]) for a, b in kept])
    out: list[list[int]] = []
    for part in parts:
        sub = [members[i] for i in part]
        if len(sub) == len(members):  # no progress (all weights equal): keep singletons
            return [[c] for c in members]
        out.extend(_split_large(sub, weights, min_score))
    return out


def cluster_claims(claims: pl.DataFrame, links: pl.DataFrame, *,
                   min_score: float | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Claims + ``cluster_id`` (every claim, singletons too) and a schema.CLUSTERS frame.

    ``min_score`` defaults to the calibrated ``cluster`` threshold. ``cohesion`` is the mean
    link score over all member pairs (missing links count 0; 1.0 for a singleton);
    ``representative`` is the member with the highest summed link score to the others
    (ties: smallest claim_id); ``has_contrast`` is False here (set by the contrast stage).
    """
    if "cluster_id" in claims.columns:
        claims = claims.drop("cluster_id")
    if min_score is None:
        from .score import load_calibration

        min_score = float(load_calibration()["thresholds"]["cluster"])
    ordered = claims.sort("claim_id")
    ids: list[str] = ordered["claim_id"].to_list()
    index = {c: i for i, c in enumerate(ids)}
    weights: dict[tuple[int, int], float] = {}
    if links.height:
        for a, b, s in zip(links["claim_a"].to_list(), links["claim_b"].to_list(),
                           links["score"].to_list(), strict=True):
            if a not in index or b not in index or a == b or s is None:
                continue
            i, j = sorted((index[a], index[b]))
            weights[(i, j)] = max(weights.get((i, j), 0.0), float(s))
    strong = [e for e, w in weights.items() if w >= min_score]
    groups: list[list[int]] = []
    for comp in _components(len(ids), sorted(strong)):
        groups.extend(_split_large(comp, weights, min_score) if len(comp) > 1 else [comp])

    outlets = ordered["outlet"].to_list()
    texts = ordered["text"].to_list()
    assign: list[str] = [""] * len(ids)
    rows: list[dict[str, Any]] = []
    for g in groups:
        g = sorted(g)
        cid = cluster_id(ids[g[0]])
        for i in g:
            assign[i] = cid
        pair_scores = [weights.get((a, b), 0.0) for x, a in enumerate(g) for b in g[x + 1:]]
        cohesion = float(np.mean(pair_scores)) if pair_scores else 1.0
        totals = [sum(weights.get((min(a, b), max(a, b)), 0.0) for b in g if b != a) for a in g]
        rep = g[int(np.argmax(totals))] if len(g) > 1 else g[0]
        outs = sorted({o for o in (outlets[i] for i in g) if o is not None})
        rows.append({
            "cluster_id": cid, "size": len(g), "n_outlets": len(outs), "outlets": outs,
            "representative": ids[rep], "representative_text": texts[rep],
            "cohesion": round(cohesion, 6), "has_contrast": False,
        })
    clustered = ordered.with_columns(pl.Series("cluster_id", assign, dtype=pl.String))
    clusters = schema.frame(rows, schema.CLUSTERS)
    if clusters.height:
        clusters = clusters.sort(["size", "cluster_id"], descending=[True, False])
    # Keep the caller's row order for claims (ids assigned by claim_id, so deterministic).
    order = claims.select("claim_id").with_row_index("_row")
    clustered = order.join(clustered, on="claim_id", how="left").sort("_row").drop("_row")
    return clustered.select([*claims.columns, "cluster_id"]), clusters

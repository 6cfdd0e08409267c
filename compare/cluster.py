"""Clusters of claims that state the same thing across outlets.

Rule (no chaining): links with ``score >= min_score`` define a graph; inside each connected
component, claims are merged by average-linkage agglomeration where the similarity of two
claims is their link score and a MISSING link counts as 0. Two groups merge only while the
mean similarity over all cross pairs stays >= ``min_score``. A chain a-b-c-d of links
therefore cannot pull a and d together: the absent a-c, a-d, b-d pairs drag the average
below the threshold, so a long thin chain of weak links splits into its dense parts.

The agglomeration is exact and sparse (no dense matrix, whatever the component size):
only groups joined by at least one link can have a positive average, so a heap of linked
group pairs, with the summed link weight between them, is enough. Average linkage never
creates a pair above the threshold from two pairs below it (a merged pair's average lies
between its parts'), so only pairs at or above ``min_score`` enter the heap. Ties go to
the pair with the smallest member indices, so the result is deterministic. Components of
any size are treated alike: a big component of dense groups joined by weak links keeps
its groups whole (earlier versions cut components above 3,000 claims by raising the edge
threshold, which shattered real groups).

Ids are ``"k" + sha1(smallest member claim_id)[:10]``; the output is sorted, so the same
input gives identical frames.
"""

from __future__ import annotations

import hashlib
import heapq
from typing import Any

import numpy as np
import polars as pl

from . import schema


def cluster_id(smallest_member: str) -> str:
    return "k" + hashlib.sha1(smallest_member.encode("utf-8")).hexdigest()[:10]


def connected_components(n: int, edges: list[tuple[int, int]]) -> list[list[int]]:
    """Connected components of rows 0..n-1 (single linkage), each sorted, ordered by their
    smallest row (used by ``compare.evaluate`` for its single-link baseline)."""
    if n == 0:
        return []
    e = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    comp = _component_labels(n, e[:, 0], e[:, 1])
    order = np.argsort(comp, kind="stable")
    parts = np.split(order, np.flatnonzero(np.diff(comp[order])) + 1)
    return sorted((p.tolist() for p in parts), key=lambda g: g[0])


def _component_labels(n: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Connected-component label (int64) of each row 0..n-1 of the graph with edges (i, j)."""
    from scipy.sparse import coo_matrix, csgraph

    graph = coo_matrix((np.ones(i.shape[0], dtype=np.int8), (i, j)), shape=(n, n))
    return np.asarray(csgraph.connected_components(graph, directed=False)[1], dtype=np.int64)


def _edges(n: int, pairs: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, w) with i < j, one row per pair (the highest weight wins), sorted by (i, j)."""
    p = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    w = np.asarray(weights, dtype=np.float64).ravel()
    keep = (p[:, 0] != p[:, 1]) & np.isfinite(w) & (p >= 0).all(axis=1) & (p < n).all(axis=1)
    p, w = p[keep], w[keep]
    i, j = np.minimum(p[:, 0], p[:, 1]), np.maximum(p[:, 0], p[:, 1])
    order = np.lexsort((-w, j, i))  # by pair, best weight first
    i, j, w = i[order], j[order], w[order]
    first = np.ones(i.shape[0], dtype=bool)
    first[1:] = (i[1:] != i[:-1]) | (j[1:] != j[:-1])
    return i[first], j[first], w[first]


def _agglomerate(members: list[int], edges: list[tuple[int, int, float]], min_score: float) -> list[list[int]]:
    """Exact average linkage of one component on its sparse links (missing = 0).

    ``edges``: (a, b, w), a < b, unique, both ends in ``members``. A group is named by its
    smallest member; ``link[g][h]`` is the summed weight of the links between groups g, h.
    """
    link: dict[int, dict[int, float]] = {m: {} for m in members}
    heap: list[tuple[float, int, int]] = []
    for a, b, w in edges:
        link[a][b] = w
        link[b][a] = w
        if w >= min_score:
            heap.append((-w, a, b))
    heapq.heapify(heap)
    size = dict.fromkeys(members, 1)
    groups: dict[int, list[int]] = {m: [m] for m in members}
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in groups or b not in groups:
            continue
        total = link[a].get(b)
        if total is None or total / (size[a] * size[b]) != -neg:
            continue  # stale: one side has grown since this entry was pushed
        # Merge into the group named by the smaller index, reusing the larger link map.
        keep, gone = a, b  # a < b always
        la, lb = link.pop(a), link.pop(b)
        big, small = (la, lb) if len(la) >= len(lb) else (lb, la)
        for c, x in small.items():
            big[c] = big.get(c, 0.0) + x
        big.pop(a, None)
        big.pop(b, None)
        link[keep] = big
        size[keep] = size[a] + size[b]
        del size[gone]
        ga, gb = groups.pop(a), groups.pop(b)
        ga.extend(gb)
        groups[keep] = ga
        s = size[keep]
        for c, x in big.items():
            lc = link[c]
            lc.pop(a, None)
            lc.pop(b, None)
            lc[keep] = x
            avg = x / (s * size[c])
            if avg >= min_score:
                heapq.heappush(heap, (-avg, min(keep, c), max(keep, c)))
    return [sorted(g) for g in groups.values()]


def cluster_graph(n: int, pairs: np.ndarray, weights: np.ndarray, min_score: float) -> np.ndarray:
    """Cluster label per row 0..n-1 (the smallest row of its cluster), from weighted links.

    ``pairs``: (m, 2) row indices; ``weights``: (m,) link scores (duplicates: the highest
    counts). Components of the links ``>= min_score`` are agglomerated by average linkage
    with missing links = 0 (see the module docstring).
    """
    if n == 0:
        return np.arange(0, dtype=np.int64)
    return _cluster_edges(n, *_edges(n, pairs, weights), min_score)


def _cluster_edges(n: int, i: np.ndarray, j: np.ndarray, w: np.ndarray, min_score: float) -> np.ndarray:
    """``cluster_graph`` on edges already deduplicated by ``_edges``."""
    label = np.arange(n, dtype=np.int64)
    strong = w >= min_score
    if not strong.any():
        return label
    comp = _component_labels(n, i[strong], j[strong])
    sizes = np.bincount(comp)
    # Only links inside one component matter (a pair across components averages < min_score).
    inside = (comp[i] == comp[j]) & (sizes[comp[i]] > 1)
    ei, ej, ew, ec = i[inside], j[inside], w[inside], comp[i[inside]]
    order = np.argsort(ec, kind="stable")  # stays sorted by (i, j) within a component
    ei, ej, ew, ec = ei[order], ej[order], ew[order], ec[order]
    rows = np.argsort(comp, kind="stable")
    bounds_rows = np.concatenate([[0], np.cumsum(sizes)])
    comps = np.flatnonzero(sizes > 1)
    starts = np.searchsorted(ec, comps, side="left")
    ends = np.searchsorted(ec, comps, side="right")
    ei_l, ej_l, ew_l = ei.tolist(), ej.tolist(), ew.tolist()
    for c, s, e in zip(comps.tolist(), starts.tolist(), ends.tolist(), strict=True):
        members = rows[bounds_rows[c]:bounds_rows[c + 1]].tolist()
        if len(members) == 2:  # one strong link: a pair
            label[members[1]] = members[0]
            continue
        edges = list(zip(ei_l[s:e], ej_l[s:e], ew_l[s:e], strict=True))
        for g in _agglomerate(members, edges, min_score):
            label[g] = g[0]
    return label


def _summaries(label: np.ndarray, i: np.ndarray, j: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: summed link weight to the other members of its cluster; per cluster label:
    summed link weight over member pairs."""
    n = label.shape[0]
    same = label[i] == label[j]
    si, sj, sw = i[same], j[same], w[same]
    # Row totals in the order of the other member's index (the lower partners first).
    totals = np.bincount(np.concatenate([sj, si]), weights=np.concatenate([sw, sw]), minlength=n)
    pair_sum = np.bincount(label[si], weights=sw, minlength=n)
    return totals, pair_sum


def _weighted_pairs(claims: pl.DataFrame, links: pl.DataFrame, ids: list[str], min_score: float,
                    evidence: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row pairs, their weights, the contrast pairs), rows by position in ``ids``: a
    contrast weighs at least ``min_score``; with ``evidence``, a link without same-claim
    evidence weighs 0."""
    empty = np.zeros((0, 2), dtype=np.int64)
    if not links.height:
        return empty, np.zeros(0, dtype=np.float64), empty
    index = pl.DataFrame({"claim_id": ids, "_i": np.arange(len(ids), dtype=np.int64)},
                         schema={"claim_id": pl.String, "_i": pl.Int64})
    is_contrast = (pl.col("relation") == "contrast") if "relation" in links.columns else pl.lit(False)
    weight = pl.when(is_contrast).then(pl.max_horizontal(pl.col("score"), pl.lit(min_score)))
    if evidence:
        from .evidence import has_evidence

        links = links.with_columns(pl.when(pl.Series(has_evidence(claims, links)))
                                   .then(pl.col("score")).otherwise(0.0).alias("score"))
    lk = (links.select("claim_a", "claim_b", weight.otherwise(pl.col("score")).alias("weight"),
                       is_contrast.alias("is_contrast")).drop_nulls()
          .join(index.rename({"claim_id": "claim_a", "_i": "_a"}), on="claim_a", how="inner")
          .join(index.rename({"claim_id": "claim_b", "_i": "_b"}), on="claim_b", how="inner"))
    pairs = np.stack([lk["_a"].to_numpy(), lk["_b"].to_numpy()], axis=1).astype(np.int64)
    return pairs, lk["weight"].cast(pl.Float64).to_numpy(), pairs[lk["is_contrast"].to_numpy()]


def cluster_claims(claims: pl.DataFrame, links: pl.DataFrame, *, min_score: float | None = None,
                   evidence: bool = True) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Claims + ``cluster_id`` (every claim, singletons too) and a schema.CLUSTERS frame.

    ``min_score`` defaults to the calibrated ``cluster`` threshold. ``cohesion`` is the mean
    link score over all member pairs (missing links count 0; 1.0 for a singleton);
    ``representative`` is the member with the highest summed link score to the others
    (ties: smallest claim_id); ``has_contrast``: a ``contrast`` link joins two members.

    Each link weighs its ``score``, except a contrast: it is the same claim with a changed
    fact (ANS "disagree"), so it weighs at least ``min_score`` even when it was found on a
    loosely scored ``related`` link (Lavrov's "Turkey is unable to meet its obligations"
    against Oktay's "Turkey met them").

    ``evidence``: a link without same-claim evidence (``evidence.has_evidence``: lexical
    overlap above a bar that is higher across stories, shared content words) weighs 0, so
    clusters hold one claim, not one topic. Off, every link weighs its score (the bare
    average linkage, as stories use it).
    """
    if "cluster_id" in claims.columns:
        claims = claims.drop("cluster_id")
    if min_score is None:
        from .score import load_calibration

        min_score = float(load_calibration()["thresholds"]["cluster"])
    ordered = claims.sort("claim_id")
    ids: list[str] = ordered["claim_id"].to_list()
    n = len(ids)
    pairs, scores, contrast_pairs = _weighted_pairs(claims, links, ids, float(min_score), evidence)
    i, j, w = _edges(n, pairs, scores)
    label = _cluster_edges(n, i, j, w, float(min_score))
    totals, pair_sum = _summaries(label, i, j, w)

    outlets = ordered["outlet"].to_list()
    texts = ordered["text"].to_list()
    # A contrast only counts inside a cluster: its two claims must end in one.
    contrasting = {int(label[a]) for a, b in contrast_pairs.tolist() if label[a] == label[b]}
    order = np.argsort(label, kind="stable")  # members ascending inside each cluster
    bounds = np.flatnonzero(np.diff(label[order])) + 1
    rows: list[dict[str, Any]] = []
    assign: list[str] = [""] * n
    for g_arr in np.split(order, bounds):
        g = g_arr.tolist()
        cid = cluster_id(ids[g[0]])
        for x in g:
            assign[x] = cid
        m = len(g)
        cohesion = float(pair_sum[g[0]]) / (m * (m - 1) / 2) if m > 1 else 1.0
        rep = g[int(np.argmax(totals[g_arr]))] if m > 1 else g[0]
        outs = sorted({o for o in (outlets[x] for x in g) if o is not None})
        rows.append({
            "cluster_id": cid, "size": m, "n_outlets": len(outs), "outlets": outs,
            "representative": ids[rep], "representative_text": texts[rep],
            "cohesion": round(cohesion, 6), "has_contrast": int(label[g[0]]) in contrasting,
        })
    clustered = ordered.with_columns(pl.Series("cluster_id", assign, dtype=pl.String))
    clusters = schema.frame(rows, schema.CLUSTERS)
    if clusters.height:
        clusters = clusters.sort(["size", "cluster_id"], descending=[True, False])
    # Keep the caller's row order for claims (ids assigned by claim_id, so deterministic).
    order_df = claims.select("claim_id").with_row_index("_row")
    clustered = order_df.join(clustered, on="claim_id", how="left").sort("_row").drop("_row")
    return clustered.select([*claims.columns, "cluster_id"]), clusters


def cluster_vectors(vecs: np.ndarray, *, min_sim: float, k: int = 20, exact_below: int = 5000,
                    bucket_above: int | None = None, floor: float | None = None) -> np.ndarray:
    """Cluster label per row of L2-normalised vectors (cached embeddings), without texts:
    candidate pairs (exact below ``exact_below`` rows, else the approximate index, always
    verified exactly; coarse buckets from ``bucket_above`` rows), link weight = cosine, then the same average linkage as
    ``cluster_claims`` with ``min_score = min_sim``. ``floor`` (default ``min_sim``): the
    lowest cosine kept as a link; lower links count as missing (0) in the averages."""
    from .candidates import BUCKET_ABOVE, scored_pairs

    vecs = np.asarray(vecs, dtype=np.float32)
    pairs, sims = scored_pairs(vecs, k=k, min_sim=min_sim if floor is None else floor, exact_below=exact_below,
                               bucket_above=BUCKET_ABOVE if bucket_above is None else bucket_above)
    return cluster_graph(vecs.shape[0], pairs, sims, min_sim)

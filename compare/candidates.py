"""Candidate pairs: which claims are worth scoring at all.

Small inputs (fewer than ``exact_below`` rows) are compared exhaustively, block by block,
so nothing is missed. Larger inputs go through an approximate nearest-neighbour index
(usearch HNSW, cosine) that proposes ``k`` neighbours per row; every proposal is then
verified with the exact cosine of the input representation, so the approximate step can
only lose pairs (recall, measured in tests against the exhaustive reference), never add
false ones.

The same functions serve lexical rows (scipy sparse TF-IDF, from
``LexicalEncoder.sparse``) and semantic rows (dense, L2-normalised). A sparse input is
sketched to dense for the index with a fixed, seeded count sketch.

Dense inputs of ``bucket_above`` rows or more (cached embeddings at the million scale) skip
the HNSW index: its insertion must run on one thread to be deterministic, ~350-2,000
rows/s on this project's 2-core machine, i.e. 10-45 minutes for 1M rows. Instead each row
goes to its nearest of ~sqrt(2n) centres (seeded spherical k-means on a sample) and is
compared exactly, by blocked matrix products that use every core, with the rows of its
two nearest buckets (``_bucket_scored``); again ``k`` best per row and bucket, verified.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_BLOCK = 1024
_SKETCH_DIM = 256
_SEED = 1234
_GATHER = 1 << 21  # stored values per side of a pair_cosine chunk (~16 MiB of float32 + indices)
BUCKET_ABOVE = 200_000  # dense rows from which coarse buckets replace the HNSW index
_PROBE = 2  # buckets searched per row
_SPREAD = 1.0  # bucket size relative to sqrt(n / 2) rows
_QUERY_BLOCK = 2048  # query rows per matrix product inside a bucket


def _is_sparse(x: Any) -> bool:
    import scipy.sparse as sp

    return bool(sp.issparse(x))


def pair_cosine(x: Any, pairs: np.ndarray) -> np.ndarray:
    """Exact cosine of each pair's rows (rows are L2-normalised, so a dot product)."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if pairs.shape[0] == 0:
        return np.zeros(0, dtype=np.float64)
    out = np.empty(pairs.shape[0], dtype=np.float64)
    # Bounded memory for the row gathers: a chunk holds about _GATHER stored values per
    # side, whatever the row width (65,536 pairs of 2**20-wide TF-IDF rows gathered at
    # once cost ~450 MiB, a fixed step in the memory curve).
    width = x.nnz / max(1, x.shape[0]) if _is_sparse(x) else float(x.shape[1])
    step = int(min(65536, max(256, _GATHER // max(1.0, width))))
    for s in range(0, pairs.shape[0], step):
        p = pairs[s:s + step]
        if _is_sparse(x):
            prod = x[p[:, 0]].multiply(x[p[:, 1]])
            out[s:s + step] = np.asarray(prod.sum(axis=1)).ravel()
        else:
            out[s:s + step] = np.einsum("ij,ij->i", x[p[:, 0]], x[p[:, 1]], dtype=np.float64)
    return np.clip(out, -1.0, 1.0)


def _finish(pairs: list[np.ndarray]) -> np.ndarray:
    if not pairs:
        return np.zeros((0, 2), dtype=np.int64)
    arr = np.concatenate(pairs).astype(np.int64, copy=False).reshape(-1, 2)
    if arr.shape[0] == 0:
        return np.zeros((0, 2), dtype=np.int64)
    top = int(arr.max()) + 1
    if top < (1 << 31):  # one int64 key per pair: a 1-D sort, much faster than rows
        key = np.unique(arr[:, 0] * top + arr[:, 1])
        return np.ascontiguousarray(np.stack([key // top, key % top], axis=1))
    arr = np.unique(arr, axis=0)  # sorted lexicographically, duplicates gone
    return np.ascontiguousarray(arr)


def exact_pairs(x: Any, min_sim: float) -> np.ndarray:
    """Every pair i<j with cosine >= ``min_sim``: blocked all-pairs, exact."""
    n = x.shape[0]
    found: list[np.ndarray] = []
    xt = x.T.tocsr() if _is_sparse(x) else np.ascontiguousarray(np.asarray(x, np.float32).T)
    for s in range(0, n, _BLOCK):
        block = x[s:s + _BLOCK] @ xt
        if _is_sparse(block):
            block = block.tocoo()
            rows, cols, vals = block.row + s, block.col, block.data
            keep = (cols > rows) & (vals >= min_sim)
            found.append(np.stack([rows[keep], cols[keep]], axis=1))
        else:
            r, c = np.nonzero(np.asarray(block) >= min_sim)
            r = r + s
            keep = c > r
            found.append(np.stack([r[keep], c[keep]], axis=1))
    return _finish(found)


def count_sketch(x: Any, dim: int = _SKETCH_DIM, seed: int = _SEED) -> np.ndarray:
    """Dense sketch of a sparse matrix: each column hashed to one of ``dim`` buckets with a
    random sign (a count sketch), rows re-normalised. Dot products are preserved in
    expectation; no projection matrix is built, so it is cheap for 2**20 hashed columns."""
    import scipy.sparse as sp

    x = sp.csr_matrix(x)
    cols = x.indices.astype(np.uint64)
    h = (cols * np.uint64(0x9E3779B97F4A7C15) + np.uint64(seed)) & np.uint64(0xFFFFFFFFFFFF)
    h ^= h >> np.uint64(17)
    h = (h * np.uint64(0xBF58476D1CE4E5B9)) & np.uint64(0xFFFFFFFFFFFF)
    bucket = (h % np.uint64(dim)).astype(np.int64)
    sign = np.where((h >> np.uint64(40)) & np.uint64(1), 1.0, -1.0).astype(np.float32)
    sk = sp.csr_matrix((x.data.astype(np.float32) * sign, bucket, x.indptr), shape=(x.shape[0], dim))
    dense = np.asarray(sk.toarray(), dtype=np.float32)  # duplicates in a row are summed
    norms = np.linalg.norm(dense, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return dense / norms


def _ann_scored(x: Any, *, k: int, min_sim: float) -> tuple[np.ndarray, np.ndarray]:
    """Approximate: ``k`` nearest neighbours per row (usearch HNSW), verified exactly."""
    from usearch.index import Index

    n = x.shape[0]
    dense = count_sketch(x) if _is_sparse(x) else np.ascontiguousarray(x, dtype=np.float32)
    index = Index(ndim=dense.shape[1], metric="cos", dtype="f32", connectivity=16,
                  expansion_add=128, expansion_search=max(64, 2 * k))
    # One thread while building: HNSW insertion order then fixes the graph (deterministic).
    index.add(np.arange(n, dtype=np.uint64), dense, threads=1)
    matches = index.search(dense, min(k + 1, n), threads=0)
    keys = np.asarray(matches.keys, dtype=np.int64).reshape(n, -1)
    rows = np.repeat(np.arange(n, dtype=np.int64), keys.shape[1])
    cols = keys.ravel()
    ok = (cols >= 0) & (cols < n) & (cols != rows)
    rows, cols = rows[ok], cols[ok]
    cand = _finish([np.stack([np.minimum(rows, cols), np.maximum(rows, cols)], axis=1)])
    if cand.shape[0] == 0:
        return cand, np.zeros(0, dtype=np.float64)
    sims = pair_cosine(x, cand)
    keep = sims >= min_sim
    return cand[keep], sims[keep]


def _spherical_kmeans(x: np.ndarray, n_centres: int, seed: int, iters: int = 6) -> np.ndarray:
    """Unit centres from a seeded sample of rows (a few Lloyd steps on the cosine)."""
    rng = np.random.default_rng(seed)
    n = x.shape[0]
    sample = np.sort(rng.choice(n, size=min(n, 16 * n_centres), replace=False))
    xs = x[sample]
    centres = xs[np.sort(rng.choice(xs.shape[0], size=n_centres, replace=False))].copy()
    for _ in range(iters):
        assign = np.concatenate([np.argmax(xs[s:s + 8192] @ centres.T, axis=1)
                                 for s in range(0, xs.shape[0], 8192)])
        order = np.argsort(assign, kind="stable")
        labels, starts = np.unique(assign[order], return_index=True)
        sums = np.add.reduceat(xs[order], starts, axis=0)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        centres[labels] = sums / norms  # an empty centre keeps its place
    return np.ascontiguousarray(centres, dtype=np.float32)


def _bucket_scored(x: np.ndarray, *, k: int, min_sim: float) -> tuple[np.ndarray, np.ndarray]:
    """Coarse buckets, exact blocks: each row is stored in its nearest centre's bucket and
    compared with the rows of its ``_PROBE`` nearest buckets; per row and bucket the ``k``
    most similar with a float32 cosine near ``min_sim`` or above are verified in float64."""
    n, _ = x.shape
    n_centres = max(1, min(n // 8, round((2 * n) ** 0.5 / _SPREAD)))
    centres = _spherical_kmeans(x, n_centres, _SEED)
    probe = min(_PROBE, n_centres)
    near = np.empty((n, probe), dtype=np.int64)
    for s in range(0, n, 8192):
        sims = x[s:s + 8192] @ centres.T
        top = np.argpartition(-sims, probe - 1, axis=1)[:, :probe] if probe < n_centres else \
            np.tile(np.arange(n_centres), (sims.shape[0], 1))
        # Nearest first, so column 0 is the bucket that stores the row.
        part = np.take_along_axis(sims, top, axis=1)
        near[s:s + 8192] = np.take_along_axis(top, np.argsort(-part, axis=1, kind="stable"), axis=1)
    home = near[:, 0]
    stored = np.argsort(home, kind="stable")
    store_bounds = np.searchsorted(home[stored], np.arange(n_centres + 1))
    flat_q = np.repeat(np.arange(n, dtype=np.int64), probe)
    flat_b = near.ravel()
    qorder = np.argsort(flat_b, kind="stable")
    q_rows, q_buckets = flat_q[qorder], flat_b[qorder]
    q_bounds = np.searchsorted(q_buckets, np.arange(n_centres + 1))
    floor = min_sim - 1e-4  # float32 products may round just below a float64 cosine
    found: list[np.ndarray] = []
    for b in range(n_centres):
        data = stored[store_bounds[b]:store_bounds[b + 1]]
        queries = q_rows[q_bounds[b]:q_bounds[b + 1]]
        if data.size == 0 or queries.size == 0:
            continue
        xd_t = np.ascontiguousarray(x[data].T)
        kk = min(k + 1, data.size)
        for s in range(0, queries.size, _QUERY_BLOCK):
            q = queries[s:s + _QUERY_BLOCK]
            sims = x[q] @ xd_t
            if kk < data.size:
                cols = np.argpartition(-sims, kk - 1, axis=1)[:, :kk]
                vals = np.take_along_axis(sims, cols, axis=1)
            else:
                cols = np.broadcast_to(np.arange(data.size), sims.shape)
                vals = sims
            r, c = np.nonzero(vals >= floor)
            a, d = q[r], data[cols[r, c]]
            keep = a != d
            a, d = a[keep], d[keep]
            found.append(np.stack([np.minimum(a, d), np.maximum(a, d)], axis=1))
    cand = _finish(found)
    if cand.shape[0] == 0:
        return cand, np.zeros(0, dtype=np.float64)
    sims64 = pair_cosine(x, cand)
    keep = sims64 >= min_sim
    return cand[keep], sims64[keep]


def scored_pairs(x: Any, *, k: int = 20, min_sim: float, exact_below: int = 5000,
                 bucket_above: int = BUCKET_ABOVE) -> tuple[np.ndarray, np.ndarray]:
    """``candidate_pairs`` and the exact cosine of each pair (float64, aligned)."""
    n = x.shape[0]
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.float64)
    if not _is_sparse(x):
        x = np.asarray(x, dtype=np.float32)
    if n < exact_below:
        pairs = exact_pairs(x, min_sim)
        return pairs, pair_cosine(x, pairs)
    if not _is_sparse(x) and n >= bucket_above:
        return _bucket_scored(x, k=k, min_sim=min_sim)
    return _ann_scored(x, k=k, min_sim=min_sim)


def candidate_pairs(lex: Any, *, k: int = 20, min_sim: float, exact_below: int = 5000,
                    bucket_above: int = BUCKET_ABOVE) -> np.ndarray:
    """Pairs (i, j), i<j, int64, shape (m, 2), sorted, whose exact cosine is >= ``min_sim``.

    ``lex``: L2-normalised rows, scipy sparse (lexical TF-IDF) or a dense float array
    (semantic vectors; the same path adds cross-wording pairs). Below ``exact_below`` rows
    every qualifying pair is returned; above, the ``k`` nearest neighbours of each row
    (HNSW; dense rows from ``bucket_above`` on: coarse buckets, see the module docstring).
    """
    n = lex.shape[0]
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64)
    if not _is_sparse(lex):
        lex = np.asarray(lex, dtype=np.float32)
    if n < exact_below:
        return exact_pairs(lex, min_sim)  # no need for the cosines scored_pairs adds
    return scored_pairs(lex, k=k, min_sim=min_sim, exact_below=exact_below, bucket_above=bucket_above)[0]

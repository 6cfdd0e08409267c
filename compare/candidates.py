"""Candidate pairs: which claims are worth scoring at all.

Small inputs (fewer than ``exact_below`` rows) are compared exhaustively, block by block,
so nothing is missed. Larger inputs go through an approximate nearest-neighbour index
(usearch HNSW, cosine) that proposes ``k`` neighbours per row; every proposal is then
verified with the exact cosine of the input representation, so the approximate step can
only lose pairs (recall, measured in tests against the exhaustive reference), never add
false ones.

The same functions serve lexical rows (scipy sparse TF-IDF, from
``LexicalEncoder.sparse``) and semantic rows (dense, L2-normalised). A sparse input is
sketched to dense for the index with a fixed, seeded random projection.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_BLOCK = 1024
_SKETCH_DIM = 256
_SEED = 1234


def _is_sparse(x: Any) -> bool:
    import scipy.sparse as sp

    return bool(sp.issparse(x))


def pair_cosine(x: Any, pairs: np.ndarray) -> np.ndarray:
    """Exact cosine of each pair's rows (rows are L2-normalised, so a dot product)."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if pairs.shape[0] == 0:
        return np.zeros(0, dtype=np.float64)
    out = np.empty(pairs.shape[0], dtype=np.float64)
    step = 65536  # bounded memory for the row gathers
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


def ann_pairs(x: Any, *, k: int, min_sim: float) -> np.ndarray:
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
        return cand
    sims = pair_cosine(x, cand)
    return cand[sims >= min_sim]


def candidate_pairs(lex: Any, *, k: int = 20, min_sim: float, exact_below: int = 5000) -> np.ndarray:
    """Pairs (i, j), i<j, int64, shape (m, 2), sorted, whose exact cosine is >= ``min_sim``.

    ``lex``: L2-normalised rows, scipy sparse (lexical TF-IDF) or a dense float array
    (semantic vectors; the same path adds cross-wording pairs). Below ``exact_below`` rows
    every qualifying pair is returned; above, the ``k`` nearest neighbours of each row.
    """
    n = lex.shape[0]
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64)
    if not _is_sparse(lex):
        lex = np.asarray(lex, dtype=np.float32)
    if n < exact_below:
        return exact_pairs(lex, min_sim)
    return ann_pairs(lex, k=k, min_sim=min_sim)

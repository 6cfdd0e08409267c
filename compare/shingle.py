"""Vectorised word shingling, MinHash signatures and LSH banding (numpy only).

Why our own and not ``datasketch.MinHashLSH``: datasketch hashes every shingle of every
document in a Python loop and keeps a dict of buckets; here each chunk of documents is one
numpy pass (token ids -> shingle hashes -> ``num_perm`` universal hashes -> per-document
minimum), so throughput is several times higher at the same recall (see
benchmarks/dupes_bench.py). Everything is deterministic: token hashes come from blake2b,
never Python's salted ``hash()``, and the hash family from a fixed seed.

Memory stays flat: signatures are computed in blocks of at most ``block`` shingles (a 1 MB
paragraph is processed in slices), and candidate generation keeps ``n x bands`` band keys,
never an ``n x n`` matrix.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]

_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
# Odd multipliers for combining the k token ids of a shingle (position-sensitive).
_POS = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
                 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53], dtype=np.uint64)


def _mix64(x: U64) -> U64:
    """splitmix64 finaliser: spreads the bits of a combined shingle value."""
    with np.errstate(over="ignore"):
        x = x ^ (x >> np.uint64(30))
        x = x * _MIX1
        x = x ^ (x >> np.uint64(27))
        x = x * _MIX2
        return x ^ (x >> np.uint64(31))


class TokenHasher:
    """Stable 64-bit ids for tokens, cached (a corpus has far fewer types than tokens)."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}

    def ids(self, toks: Sequence[str]) -> U64:
        get = self._ids.get
        out = []
        for t in toks:
            v = get(t)
            if v is None:
                v = int.from_bytes(hashlib.blake2b(t.encode("utf-8"), digest_size=8).digest(), "little")
                self._ids[t] = v
            out.append(v)
        return np.array(out, dtype=np.uint64)


def shingles(token_ids: U64, k: int) -> U32:
    """32-bit hashes of the word k-shingles of one document (a shorter one: one shingle)."""
    n = token_ids.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.uint32)
    k = min(k, n)
    with np.errstate(over="ignore"):
        acc = np.zeros(n - k + 1, dtype=np.uint64)
        for j in range(k):
            acc += token_ids[j : n - k + 1 + j] * _POS[j % len(_POS)]
    return (_mix64(acc) >> np.uint64(32)).astype(np.uint32)


def hash_family(num_perm: int, seed: int = 1) -> tuple[U64, U64]:
    """Multiply-add-shift family h(x) = ((a*x + b) mod 2^64) >> 32 on 32-bit x.

    Strongly universal for 32-bit keys (Dietzfelbinger 1996), and one uint64 multiply-add
    per (shingle, permutation), with no modulo.
    """
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
    return a, b


def signatures(
    docs: Iterable[U32], n_docs: int, num_perm: int = 128, seed: int = 1, block: int = 16384
) -> U32:
    """MinHash signatures (n_docs x num_perm, uint32) of documents given as shingle hashes.

    Documents are consumed in order and packed into blocks of about ``block`` shingles, so
    the temporary ``block x num_perm`` matrix bounds memory whatever the document sizes.
    A document with no shingle gets all-ones (it matches nothing but another empty one;
    callers drop empty units before).
    """
    a, b = hash_family(num_perm, seed)
    sig = np.full((n_docs, num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    pend: list[U32] = []
    pend_doc: list[int] = []
    pend_len = 0

    def flush() -> None:
        nonlocal pend, pend_doc, pend_len
        if not pend:
            return
        flat = np.concatenate(pend)
        lens = np.array([p.shape[0] for p in pend], dtype=np.int64)
        starts = np.concatenate(([0], np.cumsum(lens)[:-1]))
        # (num_perm, block) layout: reduceat then runs along contiguous rows (~4x faster
        # than reducing a (block, num_perm) matrix along axis 0).
        with np.errstate(over="ignore"):
            h = ((a[:, None] * flat.astype(np.uint64)[None, :] + b[:, None]) >> np.uint64(32)).astype(np.uint32)
        mins = np.minimum.reduceat(h, starts, axis=1).T
        rows = np.array(pend_doc, dtype=np.int64)
        # A document split over blocks appears in several flushes: keep the running minimum.
        sig[rows] = np.minimum(sig[rows], mins)
        pend, pend_doc, pend_len = [], [], 0

    for i, sh in enumerate(docs):
        if i >= n_docs:
            raise ValueError("more documents than n_docs")
        pos = 0
        while pos < sh.shape[0]:
            take = min(sh.shape[0] - pos, block - pend_len)
            pend.append(sh[pos : pos + take])
            pend_doc.append(i)
            pend_len += take
            pos += take
            if pend_len >= block:
                flush()
    flush()
    return sig


def band_keys(sig: U32, bands: int) -> U64:
    """One 64-bit key per (document, band): rows of a band combined and mixed."""
    n, p = sig.shape
    rows = p // bands
    if rows < 1:
        raise ValueError("more bands than permutations")
    out = np.zeros((n, bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(rows):
            out = out * np.uint64(0x100000001B3) + sig[:, j : bands * rows : rows].astype(np.uint64) + np.uint64(j + 1)
    return _mix64(out)


def candidate_pairs(keys: U64, group: I64 | None = None, max_bucket: int = 200) -> I64:
    """Unique candidate pairs (i < j) sharing a band key, as an (m, 2) int64 array.

    ``group``: when given, only pairs with equal group labels are emitted (scope pools).
    Buckets larger than ``max_bucket`` are linked as a chain over their sorted members
    rather than all pairs: a huge bucket is one template repeated, and the grouping step
    connects the chain anyway (it verifies each member against the group's reference).
    """
    n, bands = keys.shape
    found: list[I64] = []
    for band in range(bands):
        col = keys[:, band]
        if group is not None:
            order = np.lexsort((col, group))
            same = (col[order][1:] == col[order][:-1]) & (group[order][1:] == group[order][:-1])
        else:
            order = np.argsort(col, kind="stable")
            same = col[order][1:] == col[order][:-1]
        if not same.any():
            continue
        # Runs of equal keys: start/end positions in the sorted order.
        edges = np.flatnonzero(np.diff(np.concatenate(([0], same.astype(np.int8), [0]))))
        starts, ends = edges[0::2], edges[1::2] + 1
        sizes = ends - starts
        small = sizes <= max_bucket
        # All pairs inside small buckets, vectorised by bucket size.
        for size in np.unique(sizes[small]):
            st = starts[small & (sizes == size)]
            iu, ju = np.triu_indices(int(size), k=1)
            members = order[st[:, None] + np.arange(size)[None, :]]
            found.append(np.stack([members[:, iu].ravel(), members[:, ju].ravel()], axis=1))
        for s, e in zip(starts[~small], ends[~small], strict=True):
            mem = np.sort(order[s:e])
            found.append(np.stack([mem[:-1], mem[1:]], axis=1))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.concatenate(found).astype(np.int64)
    pairs.sort(axis=1)
    code = pairs[:, 0] * np.int64(n) + pairs[:, 1]
    code = np.unique(code)
    return np.stack([code // n, code % n], axis=1)


def jaccard(a: U32, b: U32) -> float:
    """Exact Jaccard similarity of two shingle sets (used for units too long for rapidfuzz)."""
    ua, ub = np.unique(a), np.unique(b)
    if ua.size == 0 and ub.size == 0:
        return 1.0
    inter = np.intersect1d(ua, ub, assume_unique=True).size
    return inter / (ua.size + ub.size - inter)

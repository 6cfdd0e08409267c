"""Vectorised word shingling, MinHash signatures and LSH banding (numpy only).

Why our own and not ``datasketch.MinHashLSH``: datasketch hashes every shingle of every
document in a Python loop and keeps a dict of buckets; here each chunk of documents is one
numpy pass (token ids -> shingle hashes -> ``num_perm`` universal hashes -> per-document
minimum), so throughput is several times higher at the same recall (see
benchmarks/dupes_bench.py). Everything is deterministic: token hashes come from blake2b,
never Python's salted ``hash()``, and the hash family from a fixed seed.

Memory: signatures are computed in blocks of at most ``block`` shingles (a 1 MB paragraph is
processed in slices); candidate generation never builds an ``n x n`` matrix. In memory it
keeps ``n x bands`` band keys; ``BandSpill`` writes them to disk chunk by chunk and reads
back one band at a time, so a large corpus holds one band column and one part of the
candidates instead (compare/dupes/near.py picks the spilled path above one chunk of units).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

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


def _band_pairs(col: U64, group: I64 | None, max_bucket: int) -> list[I64]:
    """Pairs of rows sharing a key in one band column (unordered inside a pair, may repeat)."""
    found: list[I64] = []
    if group is not None:
        order = np.lexsort((col, group))
        sc, sg = col[order], group[order]
        same = (sc[1:] == sc[:-1]) & (sg[1:] == sg[:-1])
        del sg
    else:
        order = np.argsort(col, kind="stable")
        sc = col[order]
        same = sc[1:] == sc[:-1]
    del sc
    if not same.any():
        return found
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
    return found


def _pair_codes(found: list[I64], n: int) -> I64:
    """Pairs as sorted unique codes i * n + j (i < j): code order is (i, j) order."""
    if not found:
        return np.zeros(0, dtype=np.int64)
    pairs = np.concatenate(found).astype(np.int64)
    pairs.sort(axis=1)
    return np.unique(pairs[:, 0] * np.int64(n) + pairs[:, 1])


def _decode(code: I64, n: int) -> I64:
    return np.stack([code // n, code % n], axis=1) if code.size else np.zeros((0, 2), dtype=np.int64)


def candidate_pairs(keys: U64, group: I64 | None = None, max_bucket: int = 200) -> I64:
    """Unique candidate pairs (i < j) sharing a band key, as an (m, 2) int64 array, sorted.

    ``group``: when given, only pairs with equal group labels are emitted (scope pools).
    Buckets larger than ``max_bucket`` are linked as a chain over their sorted members
    rather than all pairs: a huge bucket is one template repeated, and the grouping step
    connects the chain anyway (it verifies each member against the group's reference).
    """
    n, bands = keys.shape
    found: list[I64] = []
    for band in range(bands):
        found += _band_pairs(keys[:, band], group, max_bucket)
    return _decode(_pair_codes(found, n), n)


class BandSpill:
    """Band keys of many documents on disk, so that candidate generation holds one band.

    ``add`` takes the band keys of consecutive chunks of documents (``band_keys`` of each
    chunk's signatures) and appends each band's column to its own file (row = document
    order, so no index is stored). ``candidate_pairs`` then reads one band at a time,
    writes that band's pairs to ``parts`` files by range of the first index, and yields
    each part's unique pairs in turn: the concatenation equals ``candidate_pairs`` on the
    whole key matrix, while memory holds one band column (8 bytes a document, plus its
    sort order) and one part of the candidates. The caller owns ``folder`` (a temporary
    directory, removed when done).
    """

    def __init__(self, folder: Path, bands: int) -> None:
        self.folder = folder
        self.bands = bands
        self.n = 0

    def _band(self, b: int) -> Path:
        return self.folder / f"band{b:03d}.u64"

    def add(self, keys: U64) -> None:
        if keys.shape[1] != self.bands:
            raise ValueError("band count differs from the spill's")
        cols = np.ascontiguousarray(keys.T)
        for b in range(self.bands):
            with self._band(b).open("ab") as fh:
                cols[b].tofile(fh)
        self.n += keys.shape[0]

    def candidate_pairs(self, group: I64 | None = None, max_bucket: int = 200, parts: int = 1) -> Iterator[I64]:
        n = self.n
        if n == 0:
            return
        parts = max(1, min(parts, n))
        width = -(-n // parts)  # first indices per part
        part_files = [self.folder / f"part{p:05d}.i64" for p in range(parts)]
        for b in range(self.bands):
            col = np.fromfile(self._band(b), dtype=np.uint64)
            code = _pair_codes(_band_pairs(col, group, max_bucket), n)
            del col
            # Codes are sorted, and a part is a contiguous code range (first index range).
            cut = np.searchsorted(code, np.arange(1, parts, dtype=np.int64) * width * np.int64(n))
            for p, piece in enumerate(np.split(code, cut)):
                if piece.size:
                    with part_files[p].open("ab") as fh:
                        piece.tofile(fh)
        for f in part_files:
            if f.exists():
                yield _decode(np.unique(np.fromfile(f, dtype=np.int64)), n)
                f.unlink()


def jaccard(a: U32, b: U32) -> float:
    """Exact Jaccard similarity of two shingle sets (used for units too long for rapidfuzz)."""
    ua, ub = np.unique(a), np.unique(b)
    if ua.size == 0 and ub.size == 0:
        return 1.0
    inter = np.intersect1d(ua, ub, assume_unique=True).size
    return inter / (ua.size + ub.size - inter)

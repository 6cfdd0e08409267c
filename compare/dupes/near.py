"""Near duplicates among distinct match keys: MinHash-LSH candidates, each verified.

Signatures are word ``SHINGLE_K``-shingle MinHashes (compare/shingle.py, 128 permutations,
64 bands of 2 rows: pairs with shingle Jaccard above ~0.15 become candidates, so a clause
contained in a longer unit is found too; with 42 bands of 3 rows, 14% of the exact near
pairs of a Baly sample were missed). Each candidate pair is verified with ``similarity``
on the match keys, the fact check and the negation check (``verify``).

Up to ``CHUNK_UNITS`` keys the step runs in memory; above it signatures and band keys are
computed one chunk at a time and spilled to a temporary folder, so that its memory is set
by the chunk size, not by the corpus. Both paths give the same pairs.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import polars as pl

from ..errors import UsageError
from ..shingle import BandSpill, TokenHasher, band_keys, candidate_pairs, shingles, signatures
from .facts import Facts, KeysByIndex, facts_agree, text_facts
from .negation import negation_differs
from .similarity import DEFAULT_THRESHOLD, SHINGLE_K, Score, similarity

if TYPE_CHECKING:
    from ..engine import Engine

NUM_PERM = 128
BANDS = 64
SIG_BATCH = 50_000  # units per engine task
# Above this many distinct keys the audit spills band keys to disk (see verified_pairs).
# The MinHash-LSH step then holds ~100 MB at any corpus size (~290 MB with a 100k chunk);
# on 100k synthetic paragraphs a 25k chunk was as fast as keeping everything in memory.
# Smaller corpora (fixtures, a day of news) pay no disk round trip.
CHUNK_UNITS = 25_000
VERIFY_BATCH = 65_536  # candidate pairs turned into Python ints at a time
SPILL_PREFIX = "compare-dupes-"
_SPILL_NAME = re.compile(re.escape(SPILL_PREFIX) + r"(\d+)-")


def verify(key_a: str, text_a: str, key_b: str, text_b: str, threshold: float = DEFAULT_THRESHOLD) -> Score | None:
    """The pair rule used by the audit: similar keys and agreeing facts; None when not."""
    score = similarity(key_a, key_b, threshold)
    if not score.passes(threshold):
        return None
    if not facts_agree(text_facts(text_a), text_facts(text_b), key_a.count(" ") + 1, key_b.count(" ") + 1):
        return None
    if negation_differs(key_a, key_b):
        return None
    return similarity(key_a, key_b)


def verified_pairs(
    keys: Sequence[str] | pl.Series,
    facts: Facts | Sequence[str] | pl.Series,
    threshold: float = DEFAULT_THRESHOLD,
    pool: npt.NDArray[np.int64] | None = None,
    *,
    num_perm: int = NUM_PERM,
    bands: int = BANDS,
    engine: Engine | None = None,
    chunk_size: int | None = None,
) -> dict[tuple[int, int], Score]:
    """Near-duplicate pairs (i < j) among distinct keys: MinHash-LSH candidates, verified.

    ``keys``: match keys, a list or a polars String Series (then Python strings are made
    only for the keys of one slice of work at a time). ``facts``: the display texts aligned
    with ``keys`` (numbers and dates are read from them, lazily); ``pool``: optional labels,
    only pairs with equal labels are considered. Pairs come out in (i, j) order whichever
    path runs.

    Memory: up to ``chunk_size`` keys (default ``CHUNK_UNITS``) everything stays in memory
    (``len(keys) x bands`` band keys). Above it, signatures and band keys are computed one
    chunk at a time and spilled to a temporary folder (shingle.BandSpill), candidates are
    found one band at a time and verified one part at a time, so the working memory is set
    by the chunk size, one band column (8 bytes a key) and the verified pairs, not by
    ``len(keys) x bands``. Both paths give the same pairs.
    """
    with lsh_candidates(
        keys, pool, num_perm=num_perm, bands=bands, engine=engine, chunk_size=chunk_size
    ) as candidates:
        return verify_candidate_parts(candidates, keys, facts, threshold)


@contextmanager
def lsh_candidates(
    keys: Sequence[str] | pl.Series,
    pool: npt.NDArray[np.int64] | None = None,
    *,
    num_perm: int = NUM_PERM,
    bands: int = BANDS,
    engine: Engine | None = None,
    chunk_size: int | None = None,
) -> Iterator[Iterator[npt.NDArray[np.int64]]]:
    """MinHash signatures of ``keys``, their band keys, then the candidate pairs (rows of
    i < j indices; with ``pool``, equal labels only) one part at a time.

    Signatures and candidates are one step: above ``chunk_size`` keys every chunk's band
    keys are spilled before any band's candidates can be found, and the spill folder lives
    as long as the candidates are read (inside the ``with``).
    """
    n_keys = len(keys)
    if n_keys < 2:
        yield iter(())
        return
    chunk_units = CHUNK_UNITS if chunk_size is None else chunk_size
    if chunk_units < 1:
        raise UsageError(f"chunk size {chunk_units} must be at least 1", hint="pass chunk_size=None for the default")
    if n_keys <= chunk_units:
        yield iter([candidate_pairs(band_keys(_signatures(_key_window(keys, 0, n_keys), num_perm, engine), bands), pool)])
        return
    # With an engine, windows span several engine tasks so that workers run side by side.
    window = chunk_units if engine is None else max(chunk_units, 4 * SIG_BATCH)
    sweep_stale_spills()
    with tempfile.TemporaryDirectory(prefix=f"{SPILL_PREFIX}{os.getpid()}-") as tmp:
        spill = BandSpill(Path(tmp), bands)
        for start in range(0, n_keys, window):
            spill.add(band_keys(_signatures(_key_window(keys, start, window), num_perm, engine), bands))
        yield spill.candidate_pairs(pool, parts=-(-n_keys // chunk_units))


def verify_candidate_parts(
    candidates: Iterable[npt.NDArray[np.int64]],
    keys: Sequence[str] | pl.Series,
    facts: Facts | Sequence[str] | pl.Series,
    threshold: float = DEFAULT_THRESHOLD,
) -> dict[tuple[int, int], Score]:
    """The candidate pairs (parts of rows i < j) that pass, in the order they come."""
    if not isinstance(facts, Facts):
        facts = Facts(facts)
    if isinstance(keys, pl.Series):
        word_counts = (keys.str.count_matches(" ").fill_null(0) + 1).to_numpy()
    else:
        word_counts = np.array([k.count(" ") + 1 for k in keys], dtype=np.int64)
    edges: dict[tuple[int, int], Score] = {}
    for part in candidates:
        verify_candidates_into(edges, keys, facts, part, threshold, word_counts)
    return edges


def verify_candidates_into(
    edges: dict[tuple[int, int], Score],
    keys: Sequence[str] | pl.Series,
    facts: Facts,
    pairs: npt.NDArray[np.int64],
    threshold: float,
    word_counts: npt.NDArray[np.int64],
) -> None:
    """Add to ``edges`` the candidate ``pairs`` (rows of i < j) that pass ``similarity``
    and the fact and negation checks, with their uncut scores."""
    # One slice of pairs at a time becomes Python objects (a pair as a list costs ~100 bytes),
    # and with a Series only that slice's keys become strings.
    for start in range(0, len(pairs), VERIFY_BATCH):
        batch = pairs[start : start + VERIFY_BATCH]
        batch_keys: KeysByIndex
        if isinstance(keys, pl.Series):
            indices = np.unique(batch)
            batch_keys = dict(zip(indices.tolist(), keys.gather(indices).to_list(), strict=True))
        else:
            batch_keys = keys
        for a, b in batch.tolist():
            score = similarity(batch_keys[a], batch_keys[b], threshold)
            if score.passes(threshold) and facts.agree(a, b, word_counts, batch_keys):
                edges[(a, b)] = similarity(batch_keys[a], batch_keys[b])  # uncut scores, for the report


def verify_candidates(
    keys: list[str], facts: Facts | list[str], pairs: Iterable[Sequence[int]], threshold: float = DEFAULT_THRESHOLD
) -> dict[tuple[int, int], Score]:
    """The pairs (indices into ``keys``, any order, repeats allowed) that pass
    ``similarity`` and the fact check, as ``verified_pairs`` checks its candidates."""
    ordered = np.asarray([(min(a, b), max(a, b)) for a, b in pairs if a != b], dtype=np.int64).reshape(-1, 2)
    return verify_candidate_parts([np.unique(ordered, axis=0)], keys, facts, threshold)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def sweep_stale_spills(folder: Path | None = None) -> list[Path]:
    """Remove spill folders left by audits that were killed (SIGKILL skips the cleanup):
    each is named after its process id, and is stale once that process is gone. Returns
    what was removed."""
    root = Path(folder or tempfile.gettempdir())
    removed: list[Path] = []
    try:
        entries = sorted(root.iterdir())
    except OSError:
        return removed
    for path in entries:
        match = _SPILL_NAME.match(path.name)
        if match and path.is_dir() and not path.is_symlink() and not _process_alive(int(match.group(1))):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _key_window(keys: Sequence[str] | pl.Series, start: int, size: int) -> list[str]:
    part = keys[start : start + size]
    return part.to_list() if isinstance(part, pl.Series) else list(part)


def _signatures(keys: list[str], num_perm: int, engine: Engine | None) -> npt.NDArray[np.uint32]:
    if engine is None:
        return _signature_chunk(keys, num_perm)
    # Signatures are per unit: chunks give the same rows (blake2b token ids, fixed seed).
    return np.concatenate(engine.map_chunks(partial(_signature_chunk, num_perm=num_perm), keys, SIG_BATCH))


def _signature_chunk(keys: list[str], num_perm: int = NUM_PERM) -> npt.NDArray[np.uint32]:
    """MinHash signatures of one chunk of match keys (word SHINGLE_K-shingles)."""
    hasher = TokenHasher()
    return signatures((shingles(hasher.ids(k.split()), SHINGLE_K) for k in keys), len(keys), num_perm)

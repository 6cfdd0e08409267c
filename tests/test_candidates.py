"""Candidate generation: the fast paths against a slow, obvious all-pairs reference."""

from __future__ import annotations

import random

import numpy as np
import pytest

from compare.candidates import candidate_pairs, exact_pairs, pair_cosine
from compare.encode import LexicalEncoder

_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def _corpus(n_groups: int, seed: int) -> list[str]:
    """Groups of 1-4 near-variants of a random sentence (one or two words changed)."""
    rng = random.Random(seed)
    vocab = ["".join(rng.choice(_LETTERS) for _ in range(rng.randint(3, 8))) for _ in range(3000)]
    texts: list[str] = []
    for _ in range(n_groups):
        base = [rng.choice(vocab) for _ in range(rng.randint(6, 14))]
        texts.append(" ".join(base))
        for _ in range(rng.randint(0, 3)):
            var = list(base)
            for _ in range(rng.randint(1, 2)):
                var[rng.randrange(len(var))] = rng.choice(vocab)
            texts.append(" ".join(var))
    rng.shuffle(texts)
    return texts


def _reference(x: object, min_sim: float) -> set[tuple[int, int]]:
    """Slow and obvious: the full similarity matrix, every pair above the threshold."""
    if hasattr(x, "toarray"):  # sparse: the full product, densified (the rows are 2**20 wide)
        sim = np.asarray((x @ x.T).toarray(), dtype=np.float64)  # type: ignore[operator]
    else:
        dense = np.asarray(x, dtype=np.float64)
        sim = dense @ dense.T
    n = sim.shape[0]
    return {(i, j) for i in range(n) for j in range(i + 1, n) if sim[i, j] >= min_sim}


def _check_shape(p: np.ndarray) -> None:
    assert p.dtype == np.int64 and p.ndim == 2 and p.shape[1] == 2
    if len(p):
        assert (p[:, 0] < p[:, 1]).all()
        assert [tuple(r) for r in p.tolist()] == sorted({tuple(r) for r in p.tolist()})


def test_exact_path_equals_reference_sparse() -> None:
    lex = LexicalEncoder().sparse(_corpus(150, 1))
    got = candidate_pairs(lex, min_sim=0.4, exact_below=10_000)
    _check_shape(got)
    assert {tuple(r) for r in got.tolist()} == _reference(lex, 0.4)
    assert len(got) > 50  # the corpus does hold near-duplicates


def test_exact_path_dense_semantic_vectors() -> None:
    rng = np.random.default_rng(3)
    base = rng.normal(size=(60, 32))
    x = np.concatenate([base, base[:30] + 0.2 * rng.normal(size=(30, 32))]).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    got = candidate_pairs(x, min_sim=0.8)
    _check_shape(got)
    assert {tuple(r) for r in got.tolist()} == _reference(x, 0.8)
    assert len(got) >= 25


@pytest.mark.parametrize("min_sim", [0.4, 0.6])
def test_ann_path_recall_against_reference(min_sim: float) -> None:
    texts = _corpus(900, 7)
    lex = LexicalEncoder().sparse(texts)
    ref = _reference(lex, min_sim)
    got = candidate_pairs(lex, min_sim=min_sim, k=20, exact_below=500)  # force the ANN path
    _check_shape(got)
    got_set = {tuple(r) for r in got.tolist()}
    assert got_set <= ref  # verified with the exact score: never a false pair
    recall = len(got_set & ref) / len(ref)
    assert recall >= 0.95, recall


def test_ann_path_dense_and_deterministic() -> None:
    texts = _corpus(400, 11)
    x = LexicalEncoder().encode(texts)
    a = candidate_pairs(x, min_sim=0.5, exact_below=100)
    b = candidate_pairs(x, min_sim=0.5, exact_below=100)
    assert np.array_equal(a, b)
    ref = _reference(x, 0.5)
    assert len({tuple(r) for r in a.tolist()} & ref) / max(len(ref), 1) >= 0.95


def test_pair_cosine_matches_dot_and_small_inputs() -> None:
    lex = LexicalEncoder().sparse(["مرحبا بالعالم", "مرحبا بالعالم", "شيء اخر"])
    sims = pair_cosine(lex, np.array([[0, 1], [0, 2]]))
    assert sims[0] == pytest.approx(1.0, abs=1e-6) and sims[1] < 0.5
    assert candidate_pairs(lex[:1], min_sim=0.1).shape == (0, 2)
    assert exact_pairs(lex, 0.99).tolist() == [[0, 1]]


@pytest.mark.parametrize("min_sim", [0.5, 0.8])
def test_bucket_path_recall_and_determinism(min_sim: float) -> None:
    from compare.candidates import scored_pairs

    rng = np.random.default_rng(5)
    centres = rng.normal(size=(300, 48))
    x = centres[rng.integers(0, 300, size=3000)] + 0.45 * rng.normal(size=(3000, 48))
    x = (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)
    ref = _reference(x, min_sim)
    got = candidate_pairs(x, min_sim=min_sim, k=20, exact_below=100, bucket_above=1000)  # force buckets
    _check_shape(got)
    got_set = {tuple(r) for r in got.tolist()}
    assert got_set <= ref  # verified exactly: never a false pair
    assert len(got_set) / len(ref) >= 0.95, len(got_set) / len(ref)
    again, sims = scored_pairs(x, min_sim=min_sim, k=20, exact_below=100, bucket_above=1000)
    assert np.array_equal(again, got)
    assert np.allclose(sims, pair_cosine(x, got)) and (sims >= min_sim).all()

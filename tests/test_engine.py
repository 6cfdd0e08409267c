"""compare/engine.py: the heavy batch functions give the same result batch by batch, inline
or on Ray, as one plain call.

The batch functions exercised are the ones the pipeline sends through the engine:
segmentation per article batch, encoding per text batch, exact verification of candidate
pairs per chunk (``candidates.pair_cosine``), rapidfuzz scoring per pair chunk
(``score.fuzz_pairs``), MinHash signatures per unit chunk (``shingle.signatures``) and the
contrast judge per link chunk (``contrast.judge_links``).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import polars as pl
import pytest

from compare.engine import Engine, LocalEngine, RayEngine, get_engine
from compare.errors import InputError, UsageError
from tests.conftest import FIXTURES


class HashEncoder:
    """A tiny deterministic encoder (hashed character trigrams): no model weights."""

    name = "test-hash-trigram-64"
    dim = 64

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for r, t in enumerate(texts):
            for i in range(max(1, len(t) - 2)):
                h = hashlib.blake2b(t[i:i + 3].encode(), digest_size=4).digest()
                out[r, h[0] % self.dim] += 1.0 if h[1] & 1 else -1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms


@pytest.fixture(scope="module")
def run() -> Any:
    from compare.pipeline import extract_claims

    return extract_claims([FIXTURES / "corpus"])


def _segment(cleaned: list[Any]) -> pl.DataFrame:
    from compare.segment import segment_claims

    return segment_claims(cleaned)


def _signatures(keys: list[str]) -> np.ndarray:
    from compare.dupes import NUM_PERM, SHINGLE_K
    from compare.shingle import TokenHasher, shingles, signatures

    th = TokenHasher()
    return signatures((shingles(th.ids(k.split()), SHINGLE_K) for k in keys), len(keys), NUM_PERM)


def _heavy_stages(engine: Engine, run: Any) -> dict[str, Any]:
    """Each heavy batch function through ``engine``, in small batches (several per stage)."""
    from compare.candidates import exact_pairs, pair_cosine
    from compare.contrast import judge_links
    from compare.encode import LexicalEncoder
    from compare.score import fuzz_pairs, link_claims

    claims = run.claims.sort("claim_id")
    texts = claims["text"].to_list()
    keys = claims["key"].to_list()
    out: dict[str, Any] = {}
    out["segment"] = pl.concat(engine.map_chunks(_segment, list(run.cleaned), 4))
    out["encode"] = np.concatenate(engine.map_chunks(HashEncoder().encode, texts, 16))
    lex = LexicalEncoder().sparse(keys)
    pairs = exact_pairs(lex, 0.2)
    assert pairs.shape[0] > 10, "the fixture corpus has enough candidate pairs to chunk"
    out["verify"] = np.concatenate(engine.map_chunks(functools.partial(pair_cosine, lex), list(pairs), 7))
    a = [keys[i] for i in pairs[:, 0]]
    b = [keys[j] for j in pairs[:, 1]]
    out["fuzz"] = np.concatenate(engine.map_chunks(lambda ab: fuzz_pairs([x for x, _ in ab], [y for _, y in ab]),
                                                   list(zip(a, b, strict=True)), 9))
    out["signatures"] = np.concatenate(engine.map_chunks(_signatures, keys, 10))
    links, _ = link_claims(claims, None, semantic="none")
    assert links.height >= 3
    out["contrast"] = engine.map_frames(functools.partial(judge_links, claims=claims), links, 2)
    return out


def _plain(run: Any) -> dict[str, Any]:
    """The same functions called once on everything: the reference."""
    from compare.candidates import exact_pairs, pair_cosine
    from compare.contrast import judge_links
    from compare.encode import LexicalEncoder
    from compare.score import fuzz_pairs, link_claims
    from compare.segment import segment_claims

    claims = run.claims.sort("claim_id")
    keys = claims["key"].to_list()
    lex = LexicalEncoder().sparse(keys)
    pairs = exact_pairs(lex, 0.2)
    links, _ = link_claims(claims, None, semantic="none")
    return {
        "segment": segment_claims(run.cleaned),
        "encode": HashEncoder().encode(claims["text"].to_list()),
        "verify": pair_cosine(lex, pairs),
        "fuzz": fuzz_pairs([keys[i] for i in pairs[:, 0]], [keys[j] for j in pairs[:, 1]]),
        "signatures": _signatures(keys),
        "contrast": judge_links(links, claims),
    }


def _assert_same(got: dict[str, Any], want: dict[str, Any]) -> None:
    assert set(got) == set(want)
    for name, w in want.items():
        g = got[name]
        if isinstance(w, pl.DataFrame):
            assert g.equals(w), name
        else:
            assert g.dtype == w.dtype and np.array_equal(g, w), name


def test_local_engine_equals_plain_calls(run: Any) -> None:
    _assert_same(_heavy_stages(LocalEngine(), run), _plain(run))


def test_local_engine_batches_and_order() -> None:
    eng = get_engine("local")
    items = list(range(23))
    assert eng.map_batches(lambda b: [x * 3 for x in b], items, 5) == [x * 3 for x in items]
    assert eng.map_chunks(len, items, 5) == [5, 5, 5, 5, 3]
    assert eng.map_batches(lambda b: b, [], 4) == []
    df = pl.DataFrame({"a": list(range(7))})
    assert eng.map_frames(lambda d: d.with_columns(b=pl.col("a") * 2), df, 3).equals(
        df.with_columns(b=pl.col("a") * 2))
    empty = eng.map_frames(lambda d: d.with_columns(b=pl.col("a") * 2), df.clear(), 3)
    assert empty.height == 0 and empty.columns == ["a", "b"]
    with pytest.raises(UsageError):
        eng.map_batches(lambda b: b, items, 0)


def test_get_engine_names_and_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    assert get_engine("local").name == "local"
    assert isinstance(get_engine("LOCAL"), LocalEngine)
    with pytest.raises(UsageError) as e:
        get_engine("spark")
    assert "local or ray" in (e.value.hint or "")
    with pytest.raises(UsageError):
        get_engine("local", address="ray://x:10001")
    monkeypatch.setenv("RAY_ADDRESS", "ray://head:10001")
    eng = get_engine("ray")
    assert isinstance(eng, RayEngine) and eng.address == "ray://head:10001"  # nothing started yet


def test_local_engine_does_not_import_ray() -> None:
    import subprocess
    import sys

    code = ("import sys; from compare.engine import get_engine; e = get_engine('local');"
            "e.map_batches(lambda b: b, [1, 2], 1); print('ray' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=FIXTURES.parent)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- Ray

@pytest.fixture(scope="module")
def ray_engine() -> Iterator[RayEngine]:
    ray = pytest.importorskip("ray")
    import sys

    # pytest imports this file as a top-level module that Ray workers cannot import:
    # ship its helpers (HashEncoder, _segment, ...) by value instead.
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    eng = RayEngine()
    yield eng
    eng.close()
    if started:
        ray.shutdown()


@pytest.mark.slow
def test_ray_engine_equals_local_engine(ray_engine: RayEngine, run: Any) -> None:
    _assert_same(_heavy_stages(ray_engine, run), _heavy_stages(LocalEngine(), run))


@pytest.mark.slow
def test_ray_engine_keeps_order_and_stage_errors(ray_engine: RayEngine) -> None:
    items = list(range(101))
    assert ray_engine.map_batches(lambda b: [x * x for x in b], items, 7) == [x * x for x in items]

    def bad(batch: list[int]) -> list[int]:
        raise InputError("row is broken", "corpus.jsonl", 3, hint="fix row 3")

    with pytest.raises(InputError) as e:
        ray_engine.map_batches(bad, [1], 1)
    assert e.value.hint == "fix row 3"

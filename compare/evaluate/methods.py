"""Clustering methods compared on a grouped set, each over a grid of thresholds.

The hybrid as shipped (``semantic="all"`` and ``"auto"``), its lexical stage alone, the
n-gram cosine calibrated like the hybrid, each raw component alone (n-gram cosine, fuzz,
semantic cosine) through the same average-linkage clustering, and sentence-transformers'
``community_detection`` / ``paraphrase_mining`` on the same semantic vectors.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from .. import schema
from ..encode import Encoder, LexicalEncoder, encode_cached
from .datasets import Grouped
from .metrics import best_b3_threshold, cluster_metrics

CLUSTER_GRID = tuple(round(x, 2) for x in np.arange(0.3, 0.96, 0.05))
# Raw similarities sit lower than calibrated scores and move less per unit of evidence
# (near the hybrid's threshold 0.05 of its score is about 0.01 of lexical cosine): a
# wider, finer grid, so a component alone gets as fine a threshold choice as the hybrid.
COMPONENT_GRID = tuple(round(x, 2) for x in np.arange(0.1, 0.96, 0.01))

# Predicted cluster label per claim_id, for one threshold.
Assigner = Callable[[float], dict[str, str]]


class _Sweep:
    """Runs each method of one grouped set over its thresholds and collects the metrics."""

    def __init__(self, g: Grouped, cal: dict[str, Any], thresholds: dict[str, float] | None,
                 grid: Sequence[float]) -> None:
        self.g = g
        self.ids: list[str] = g.claims["claim_id"].to_list()
        self.thresholds = thresholds
        # The calibrated cluster threshold is measured too, even when off the grid.
        self.default_grid = sorted({*grid, float(cal["thresholds"]["cluster"])})
        self.results: dict[str, dict[str, Any]] = {}

    def run(self, name: str, assign: Assigner, own_grid: Sequence[float] | None = None) -> None:
        """Metrics of ``name`` at its given threshold, else at every threshold of its grid."""
        ts = ([self.thresholds[name]] if self.thresholds and name in self.thresholds
              else sorted(own_grid) if own_grid is not None
              else self.default_grid)
        t0 = time.perf_counter()
        by_threshold = {t: cluster_metrics(assign(t), self.g.gold) for t in ts}
        self.results[name] = {"by_threshold": by_threshold, "seconds": round(time.perf_counter() - t0, 2)}

    def clusters_of(self, links: pl.DataFrame) -> Assigner:
        """Production clustering (``cluster_claims``) of these links at a threshold, on
        every link's score: these sweeps compare the scorers, so the same-claim evidence
        gate (built on the lexical scorer) stays off; it is measured end to end."""
        from ..cluster import cluster_claims

        def assign(t: float) -> dict[str, str]:
            clustered, _ = cluster_claims(self.g.claims, links, min_score=t, evidence=False)
            return dict(zip(clustered["claim_id"], clustered["cluster_id"], strict=True))
        return assign

    def labels_of(self, groups: list[list[int]]) -> dict[str, str]:
        """Cluster label per claim from groups of row indices (a claim in none: alone)."""
        pred = {c: c for c in self.ids}
        for gi, members in enumerate(groups):
            for m in members:
                pred[self.ids[m]] = f"g{gi}"
        return pred


def cluster_methods(g: Grouped, enc: Encoder, cache_dir: Path | None, cal: dict[str, Any],
                    thresholds: dict[str, float] | None = None,
                    only: Sequence[str] | None = None,
                    grid: Sequence[float] = CLUSTER_GRID) -> dict[str, dict[str, Any]]:
    """Every clustering method at every grid threshold (or at the given ones)."""
    sweep = _Sweep(g, cal, thresholds, grid)
    _sweep_linked_methods(sweep, enc, cache_dir, cal, only, grid)
    if only is not None:
        return sweep.results
    _sweep_lexical_components(sweep)
    _sweep_semantic_baselines(sweep, enc, cache_dir)
    return sweep.results


def _linked_runs(cal: dict[str, Any], grid: Sequence[float]) -> list[tuple[str, str, dict[str, Any]]]:
    """(semantic mode, method name, calibration) of each method scored by ``link_claims``."""
    low = dict(cal)
    # Links as in production (calibrated link threshold), and never above the lowest grid value.
    low["thresholds"] = {**cal["thresholds"],
                         "link": min(float(cal["thresholds"]["link"]), min(grid) - 1e-9)}
    runs = [("all", "hybrid", low), ("auto", "hybrid-auto", low), ("none", "lexical", low)]
    if "cosine-only" in cal["models"]:
        # The lexical-only scorer with the cosine-only model, for every script.
        cosine_only = {**low, "models": {k: v for k, v in cal["models"].items() if not k.startswith("lexical")}}
        cosine_only["models"]["lexical"] = cal["models"]["cosine-only"]
        runs.append(("none", "cosine-calibrated", cosine_only))
    return runs


def _sweep_linked_methods(sweep: _Sweep, enc: Encoder, cache_dir: Path | None, cal: dict[str, Any],
                          only: Sequence[str] | None, grid: Sequence[float]) -> None:
    """The methods that go through ``link_claims`` (the hybrid and its lexical variants)."""
    from ..score import link_claims

    for mode, name, run_cal in _linked_runs(cal, grid):
        if only is not None and name not in only:
            continue
        t0 = time.perf_counter()
        links, stats = link_claims(sweep.g.claims, enc, cache_dir=cache_dir, semantic=mode, calibration=run_cal)
        link_s = time.perf_counter() - t0
        sweep.run(name, sweep.clusters_of(links))
        sweep.results[name]["link_seconds"] = round(link_s, 2)
        sweep.results[name]["embedded_fraction"] = stats["embedded_fraction"]


def _sweep_lexical_components(sweep: _Sweep) -> None:
    """Each lexical component alone, on raw values (no fitted model): character n-gram
    cosine, and rapidfuzz token_sort_ratio / 100 on the same candidate pairs."""
    from ..candidates import candidate_pairs, pair_cosine
    from ..score import fuzz_pairs

    claims = sweep.g.claims
    keys = claims["key"].to_list()
    art = np.asarray(claims["article_id"].to_list(), dtype=object)
    lex = LexicalEncoder().sparse(keys)
    lex_pairs = candidate_pairs(lex, min_sim=min(COMPONENT_GRID))
    lex_pairs = lex_pairs[art[lex_pairs[:, 0]] != art[lex_pairs[:, 1]]] if lex_pairs.size else lex_pairs
    cos = pair_cosine(lex, lex_pairs)
    fz = fuzz_pairs([keys[i] for i in lex_pairs[:, 0]], [keys[j] for j in lex_pairs[:, 1]]) / 100
    for name, values in (("lexical-cosine", cos), ("fuzz", fz)):
        sweep.run(name, sweep.clusters_of(_raw_score_links(sweep.ids, lex_pairs, values)), COMPONENT_GRID)


def _sweep_semantic_baselines(sweep: _Sweep, enc: Encoder, cache_dir: Path | None) -> None:
    """The semantic cosine alone through the same clustering, then sentence-transformers'
    ``community_detection`` and ``paraphrase_mining`` (single link) on the same vectors."""
    import torch
    from sentence_transformers import util

    from ..candidates import candidate_pairs
    from ..cluster import connected_components

    vecs = encode_cached(enc, sweep.g.claims["text"].to_list(), cache_dir, progress=True)
    sem_pairs = candidate_pairs(vecs, min_sim=min(CLUSTER_GRID))
    sims = np.einsum("ij,ij->i", vecs[sem_pairs[:, 0]], vecs[sem_pairs[:, 1]]) if sem_pairs.size else np.zeros(0)
    sweep.run("semantic", sweep.clusters_of(_raw_score_links(sweep.ids, sem_pairs, sims)))
    emb = torch.from_numpy(vecs)
    n = len(sweep.ids)

    def communities(t: float) -> dict[str, str]:
        comms = util.community_detection(emb, threshold=t, min_community_size=1)
        return sweep.labels_of([list(c) for c in comms])

    sweep.run("st-community", communities)
    mined = util.paraphrase_mining_embeddings(emb, top_k=20, max_pairs=10**7)

    def mined_components(t: float) -> dict[str, str]:
        pairs = [(int(i), int(j)) for s, i, j in mined if s >= t]
        return sweep.labels_of(connected_components(n, pairs))

    sweep.run("st-paraphrase-mining", mined_components)


def _raw_score_links(ids: list[str], pairs: np.ndarray, values: np.ndarray) -> pl.DataFrame:
    """A links table whose score is one raw similarity (for clustering a component alone)."""
    return schema.frame([
        {"claim_a": ids[i], "claim_b": ids[j], "outlet_a": "", "outlet_b": "", "relation": "related",
         "score": float(v), "lexical": None, "semantic": None, "fuzz": None, "contrast": None,
         "differences": []} for (i, j), v in zip(pairs.tolist(), np.asarray(values).tolist(), strict=True)
    ], schema.LINKS)


def chosen_thresholds(on_fit: dict[str, dict[str, Any]], cal: dict[str, Any]) -> dict[str, float]:
    """Each method's best B-cubed threshold on a fit half; the hybrid keeps its calibrated one."""
    chosen = {m: float(best_b3_threshold(v["by_threshold"])) for m, v in on_fit.items()}
    chosen["hybrid"] = chosen["hybrid-auto"] = float(cal["thresholds"]["cluster"])
    return chosen

"""Baly clustering with each half held out in turn (the shipped fit, then refitted swapped)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..encode import Encoder
from .calibrate import calibrate
from .datasets import load_baly
from .methods import chosen_thresholds, cluster_methods


def baly_cross_fit(shared: Path, encs: Mapping[str, Encoder], cache_dir: Path | None,
                   baly_limit: int | None = None) -> dict[str, dict[str, Any]]:
    """Baly clustering measured on both halves: as shipped (fitted on the fit half, measured
    on the eval half), and swapped (every Arabic model and the cluster threshold refitted
    on the eval half with ``calibrate(part="eval")``, every method's threshold chosen there,
    measured on the fit half). Each half holds only ~50 claims with two or more lines, so one
    split moves B-cubed F1 by about 0.01 between neighbouring thresholds; the mean of the
    two held-out halves uses every claim once. Per encoder and method: both figures and
    their mean."""
    from ..score import load_calibration

    shipped = load_calibration()
    # e5 only when it is measured (its cold cache costs minutes on 2 cores).
    swapped = calibrate(shared, cache_dir, part="eval", other_scripts=False, with_e5="e5" in encs)
    # The English and English-Arabic models come from MSRP and STS, not Baly: the same in
    # both folds.
    swapped["models"].update({k: v for k, v in shipped["models"].items() if k.endswith(("@latin", "@cross"))})
    halves = {p: load_baly(shared, baly_limit, part=p) for p in ("fit", "eval")}
    out: dict[str, dict[str, Any]] = {}
    for key, enc in encs.items():
        folds: list[dict[str, float]] = []
        for cal, train, test in ((shipped, "fit", "eval"), (swapped, "eval", "fit")):
            chosen = chosen_thresholds(cluster_methods(halves[train], enc, cache_dir, cal), cal)
            on = cluster_methods(halves[test], enc, cache_dir, cal, thresholds=chosen)
            folds.append({m: next(iter(v["by_threshold"].values()))["b3_f1"] for m, v in on.items()})
        out[key] = {m: {"eval_half": folds[0][m], "fit_half": folds[1][m],
                        "mean": (folds[0][m] + folds[1][m]) / 2} for m in folds[0]}
    return out

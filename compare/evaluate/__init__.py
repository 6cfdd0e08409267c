"""Quality evaluation and calibration on the labelled data in ../shared/data.

Nothing here is shipped data: the datasets are read from ``shared`` at run time (tests and
benchmarks skip when it is absent). Semantic embeddings are cached under
``~/.cache/compare-eval`` so reruns are quick.

``calibrate(shared)`` fits the scoring models and thresholds and returns the dict written to
compare/data/calibration.json (with the figures that chose them); ``run_evaluation`` measures:

- STS17 ar-ar / ar-en: Spearman of each similarity with the gold 0-5 scores;
- ANS dev: accuracy of "same claim" (agree|disagree vs other), threshold chosen on train;
- CheckThat 2021 2A Arabic dev: MRR of the 50 candidates ranked per tweet;
- clustering on MSRP groups and Baly dev (per Baly claim: the claim sentence and the rationale
  lines of its agree/disagree articles are one gold group): pairwise precision/recall,
  B-cubed F1, ARI, for the hybrid, each component alone, and sentence-transformers'
  ``community_detection`` / ``paraphrase_mining`` on the same semantic vectors. Each method's
  clustering threshold is chosen on the Baly fit half (even-position claims) and
  reused unchanged on the Baly eval half; on MSRP, thresholds are chosen on the fit half
  (even-position groups) and measured on the eval half (the hybrid keeps its calibrated one).

Modules: ``datasets`` (loaders), ``metrics``, ``features`` (pair features), ``methods``
(clustering methods), ``calibrate``, ``crossfit`` (Baly halves swapped), ``crosslang``
(English-Arabic pairs), ``report`` (``run_evaluation``, ``format_report``), ``__main__``.
"""

from __future__ import annotations

from .calibrate import (
    CALIBRATION_FILE,
    LATIN_GRID,
    apply_logistic,
    calibrate,
    fit_logistic,
    write_calibration,
)
from .crossfit import baly_cross_fit
from .crosslang import cross_language_figures
from .datasets import (
    SAME_STS,
    Grouped,
    load_ans,
    load_baly,
    load_checkthat,
    load_msrp,
    load_sts,
    sts_ar_en_half,
)
from .features import DEFAULT_CACHE, PairFeatures, encoder_key, hybrid_scores
from .methods import CLUSTER_GRID, COMPONENT_GRID, chosen_thresholds, cluster_methods
from .metrics import (
    best_accuracy_threshold,
    best_b3_threshold,
    cluster_metrics,
    cluster_metrics_at,
    mean_reciprocal_rank,
    spearman,
)
from .report import format_report, run_evaluation

__all__ = [
    "CALIBRATION_FILE",
    "CLUSTER_GRID",
    "COMPONENT_GRID",
    "DEFAULT_CACHE",
    "LATIN_GRID",
    "SAME_STS",
    "Grouped",
    "PairFeatures",
    "apply_logistic",
    "baly_cross_fit",
    "best_accuracy_threshold",
    "best_b3_threshold",
    "calibrate",
    "chosen_thresholds",
    "cluster_methods",
    "cluster_metrics",
    "cluster_metrics_at",
    "cross_language_figures",
    "encoder_key",
    "fit_logistic",
    "format_report",
    "hybrid_scores",
    "load_ans",
    "load_baly",
    "load_checkthat",
    "load_msrp",
    "load_sts",
    "mean_reciprocal_rank",
    "run_evaluation",
    "spearman",
    "sts_ar_en_half",
    "write_calibration",
]

"""Calibration: the scoring models and thresholds of compare/data/calibration.json.

Pair models are logistic regressions of (lexical, semantic, fuzz); the Arabic ones are
fitted on ANS train plus the candidate pairs of the Baly fit half, the English ones
(``@latin``) on the MSRP fit half, the English-Arabic ones (``@cross``) on the STS17 ar-en
fit half. The held-out halves stay out, so ``run_evaluation`` measures on unseen data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from ..encode import Encoder, LexicalEncoder, encode_cached, get_encoder
from .datasets import SAME_STS, Grouped, load_ans, load_baly, load_msrp, sts_ar_en_half
from .features import DEFAULT_CACHE, PairFeatures, encoder_key
from .methods import cluster_methods
from .metrics import best_accuracy_threshold, best_b3_threshold

# The file ``python -m compare.evaluate --calibrate`` writes (read back by score.load_calibration).
CALIBRATION_FILE = Path(__file__).resolve().parents[1] / "data" / "calibration.json"
LATIN_GRID = tuple(round(x, 2) for x in np.arange(0.05, 0.96, 0.05))
DUPLICATE_LEXICAL = 0.9  # design constant (near-verbatim), not fitted

# Per encoder key: feature name -> values of the training pairs, and their same-claim labels.
Features = dict[str, dict[str, np.ndarray]]
Labels = dict[str, np.ndarray]


def fit_logistic(x: np.ndarray, y: np.ndarray, names: list[str]) -> dict[str, Any]:
    """Logistic regression (C=10). A negative semantic weight would make a pair that
    means more alike score lower: where the fit gives one (e5 on English, whose cosines
    are compressed into 0.8-0.9), the semantic feature is dropped and the rest refitted,
    its weight recorded as 0."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=10.0, max_iter=1000).fit(x, y)
    weights = dict(zip(names, (float(w) for w in model.coef_[0]), strict=True))
    if weights.get("semantic", 0.0) < 0:
        keep = [i for i, n in enumerate(names) if n != "semantic"]
        inner = fit_logistic(x[:, keep], y, [names[i] for i in keep])
        return {"intercept": inner["intercept"],
                "weights": {n: inner["weights"].get(n, 0.0) for n in names}}
    return {"intercept": round(float(model.intercept_[0]), 6),
            "weights": {n: round(w, 6) for n, w in weights.items()}}


def apply_logistic(model: dict[str, Any], feats: dict[str, np.ndarray]) -> np.ndarray:
    """The probability a fitted model (``fit_logistic``) gives each row of ``feats``."""
    z = np.full(len(next(iter(feats.values()))), model["intercept"], dtype=np.float64)
    for n, w in model["weights"].items():
        z += w * feats[n]
    return 1.0 / (1.0 + np.exp(-z))


def _grouped_pair_features(g: Grouped, enc: Encoder, cache_dir: Path | None, lex_floor: float,
                           sem_floor: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Candidate pairs of a grouped set (cross-article) with features and same-group labels."""
    from ..candidates import candidate_pairs, pair_cosine
    from ..score import fuzz_pairs

    keys = g.claims["key"].to_list()
    ids = g.claims["claim_id"].to_list()
    art = np.asarray(g.claims["article_id"].to_list(), dtype=object)
    lex = LexicalEncoder().sparse(keys)
    vecs = encode_cached(enc, g.claims["text"].to_list(), cache_dir, progress=True)
    pairs = np.unique(np.concatenate([candidate_pairs(lex, min_sim=lex_floor),
                                      candidate_pairs(vecs, min_sim=sem_floor)]), axis=0)
    pairs = pairs[art[pairs[:, 0]] != art[pairs[:, 1]]]
    lx = pair_cosine(lex, pairs)
    sm = pair_cosine(vecs, pairs)
    fz = fuzz_pairs([keys[i] for i in pairs[:, 0]], [keys[j] for j in pairs[:, 1]])
    y = np.asarray([g.gold[ids[i]] == g.gold[ids[j]] for i, j in pairs.tolist()])
    return lx, sm, fz, y


def calibrate(shared: Path, cache_dir: Path | None = DEFAULT_CACHE, *, part: str = "fit",
              other_scripts: bool = True, with_e5: bool = True) -> dict[str, Any]:
    """Fit the scoring models and thresholds; returns the calibration dict (not written).

    Pair models: logistic regression on ANS train (all pairs; nearly all are same-claim, so
    it mostly teaches that changed numbers/actors still link) plus the candidate pairs of
    the Baly "fit" half (same gold claim vs not: the hard negatives of real use). Thresholds
    from the same pairs; the cluster threshold from B-cubed F1 on the Baly fit half.
    The Baly "eval" half and MSRP stay out of calibration.

    ``part``: the Baly half to fit on ("eval" only for cross-fitting, ``baly_cross_fit``);
    ``other_scripts``: also fit the English models (MSRP fit half) and the English-Arabic
    ones (STS17 ar-en fit half); ``with_e5``: also the e5 variants (``hybrid:e5``)."""
    if other_scripts and not with_e5:
        raise ValueError("the English and English-Arabic models are fitted for both encoders")
    use, e5 = get_encoder("use"), get_encoder("e5")
    semantic = [(use, "hybrid"), *([(e5, "hybrid:e5")] if with_e5 else [])]
    a, b, y_ans, stance = load_ans(shared, "train")
    ans = PairFeatures(a, b, [enc for enc, _ in semantic], cache_dir)
    baly = load_baly(shared, part=part)
    feats, ys = _training_features(ans, y_ans, baly, semantic, cache_dir)
    models = _fit_models(feats, ys, semantic, use)
    agree = np.asarray([s_ == "agree" for s_ in stance])
    thresholds, pair_figs = _pair_thresholds(models, feats[encoder_key(use)], ys[encoder_key(use)],
                                             ans.lexical[agree])
    cal: dict[str, Any] = {"models": models, "thresholds": thresholds}
    res = cluster_methods(baly, use, cache_dir, cal, thresholds=None, only=("hybrid",))
    by_t = res["hybrid"]["by_threshold"]
    thresholds["cluster"] = round(max(float(best_b3_threshold(by_t)), thresholds["link"]), 4)
    latin_figs = _calibrate_latin(shared, cache_dir, cal, use, e5) if other_scripts else {}
    cross_figs = _calibrate_cross(shared, cache_dir, cal, use, e5) if other_scripts else {}
    cal["figures"] = {
        "source": "ANS train (2652 pairs) + candidate pairs of the Baly fit half (even-position "
                  "claims) for models and pair thresholds; Baly fit half for the cluster threshold",
        **pair_figs,
        "baly_fit_b3_f1_by_cluster_threshold": {str(t): round(v["b3_f1"], 4) for t, v in by_t.items()},
        "duplicate_lexical": "design constant (near-verbatim), not fitted",
        "auto_max_embed": "design budget: ~1-2 min of e5 on 2 cores, seconds with USE",
        "k": "neighbours per claim in the approximate path (brief)",
        "latin": latin_figs,
        "cross": cross_figs,
    }
    return cal


def _training_features(ans: PairFeatures, y_ans: np.ndarray, baly: Grouped,
                       semantic: list[tuple[Encoder, str]],
                       cache_dir: Path | None) -> tuple[Features, Labels]:
    """Per encoder: the ANS train pairs followed by the Baly candidate pairs (fuzz as 0-1)."""
    feats: Features = {}
    ys: Labels = {}
    for enc, _ in semantic:
        lx, sm, fz, yb = _grouped_pair_features(baly, enc, cache_dir, 0.1, 0.3)
        feats[encoder_key(enc)] = {
            "lexical": np.concatenate([ans.lexical, lx]),
            "semantic": np.concatenate([ans.semantic[encoder_key(enc)], sm]),
            "fuzz": np.concatenate([ans.fuzz, fz]) / 100,
        }
        ys[encoder_key(enc)] = np.concatenate([y_ans, yb])
    return feats, ys


def _fit_models(feats: Features, ys: Labels, semantic: list[tuple[Encoder, str]],
                use: Encoder) -> dict[str, Any]:
    """The Arabic pair models: lexical-only and cosine-only on USE's pairs, a hybrid per encoder."""
    fu, y = feats[encoder_key(use)], ys[encoder_key(use)]
    models = {"lexical": fit_logistic(np.stack([fu["lexical"], fu["fuzz"]], 1), y, ["lexical", "fuzz"]),
              # The n-gram cosine alone, calibrated the same way (evaluation only: the
              # component-alone baseline whose link weights read as probabilities).
              "cosine-only": fit_logistic(fu["lexical"][:, None], y, ["lexical"])}
    for enc, key in semantic:
        fe = feats[encoder_key(enc)]
        models[key] = fit_logistic(np.stack([fe["lexical"], fe["semantic"], fe["fuzz"]], 1),
                                   ys[encoder_key(enc)], ["lexical", "semantic", "fuzz"])
    return models


def _pair_thresholds(models: dict[str, Any], fu: dict[str, np.ndarray], y: np.ndarray,
                     ans_agree_lexical: np.ndarray) -> tuple[dict[str, Any], dict[str, Any]]:
    """Pair thresholds from USE's training pairs ``fu`` (labels ``y``), and the figures that
    chose them. ``cluster`` is a placeholder here: it is fitted on clusters afterwards."""
    p_lex = apply_logistic(models["lexical"], fu)
    p_hyb = apply_logistic(models["hybrid"], fu)
    para_t, para_acc = best_accuracy_threshold(p_hyb, y)
    # "related" keeps 95% of same-claim pairs (never above the paraphrase threshold).
    link_t = min(float(np.quantile(p_hyb[y], 0.05)), para_t)
    lexical_min = float(np.quantile(fu["lexical"][y], 0.05))
    semantic_min = float(np.quantile(fu["semantic"][y], 0.05))
    # Grey zone of the lexical-only score: below grey_low it rejects (5% of same-claim pairs
    # lie there), above grey_high it accepts (2% of different-claim pairs lie there).
    lo, hi = float(np.quantile(p_lex[y], 0.05)), float(np.quantile(p_lex[~y], 0.98))
    grey_low, grey_high = min(lo, hi), max(lo, hi)
    thresholds = {
        "k": 20, "lexical_min": round(lexical_min, 4), "semantic_min": round(semantic_min, 4),
        "grey_low": round(grey_low, 4), "grey_high": round(grey_high, 4), "auto_max_embed": 5000,
        "link": round(link_t, 4), "paraphrase": round(para_t, 4), "duplicate_lexical": DUPLICATE_LEXICAL,
        "cluster": 0.5,
    }
    figures = {
        "pairs": len(y), "positives": int(y.sum()),
        "accuracy_at_paraphrase": round(para_acc, 4),
        "same_claim_recall_at_link": round(float(np.mean(p_hyb[y] >= link_t)), 4),
        "ans_train_agree_pairs_lexical_ge_duplicate": round(
            float(np.mean(ans_agree_lexical >= DUPLICATE_LEXICAL)), 4),
        "different_pairs_lexical_only_ge_grey_high": round(float(np.mean(p_lex[~y] >= grey_high)), 4),
        "same_pairs_lexical_only_lt_grey_low": round(float(np.mean(p_lex[y] < grey_low)), 4),
    }
    return thresholds, figures


def _logit(p: float) -> float:
    return float(np.log(p / (1.0 - p)))


def _calibrate_latin(shared: Path, cache_dir: Path | None, cal: dict[str, Any], use: Encoder,
                     e5: Encoder) -> dict[str, Any]:
    """English-fitted variants (``lexical@latin``, ``hybrid@latin``, ``hybrid:e5@latin``)
    for pairs of two Latin-script claims, added to ``cal["models"]``.

    Fitted on the candidate pairs of the MSRP fit half (even-position groups; the odd half
    stays held out). The Arabic-fitted models put English paraphrases too low (measured on
    MSRP: the hybrid's best cluster threshold there was 0.25, not the Arabic 0.45), so each
    English model's intercept is then shifted by logit(cluster) - logit(t_en), where t_en
    is its best B-cubed threshold on the MSRP fit half: one shared cluster threshold then
    serves both scripts."""
    msrp = load_msrp(shared, part="fit")
    models = cal["models"]
    figs: dict[str, Any] = {"source": "MSRP fit half (even-position groups): candidate pairs for the "
                                      "models, B-cubed F1 for each model's English threshold"}
    for enc, key in ((use, "hybrid"), (e5, "hybrid:e5")):
        lx, sm, fz, y = _grouped_pair_features(msrp, enc, cache_dir, 0.1, 0.3)
        models[f"{key}@latin"] = fit_logistic(np.stack([lx, sm, fz / 100], 1), y, ["lexical", "semantic", "fuzz"])
        if enc is use:
            models["lexical@latin"] = fit_logistic(np.stack([lx, fz / 100], 1), y, ["lexical", "fuzz"])
        figs[f"pairs_{encoder_key(enc)}"] = len(y)
        figs[f"positives_{encoder_key(enc)}"] = int(y.sum())
    for key in ("hybrid", "hybrid:e5"):
        if models[f"{key}@latin"]["weights"]["semantic"] == 0.0:
            # The encoder adds nothing on English: its hybrid is the lexical model.
            lex_model = models["lexical@latin"]
            models[f"{key}@latin"] = {"intercept": lex_model["intercept"],
                                      "weights": {**lex_model["weights"], "semantic": 0.0}}
            figs[f"{key}@latin_falls_back_to_lexical"] = True
    target = float(cal["thresholds"]["cluster"])
    for enc, key, method in ((use, "hybrid", "hybrid"), (use, "lexical", "lexical"), (e5, "hybrid:e5", "hybrid")):
        res = cluster_methods(msrp, enc, cache_dir, cal, only=(method,), grid=LATIN_GRID)
        by_t = {t: v for t, v in res[method]["by_threshold"].items() if t in LATIN_GRID}
        t_en = best_b3_threshold(by_t)
        shift = _logit(target) - _logit(t_en)
        m = models[f"{key}@latin"]
        m["intercept"] = round(float(m["intercept"]) + shift, 6)
        figs[f"{key}@latin"] = {"best_threshold_before_shift": t_en, "intercept_shift": round(shift, 6),
                                "msrp_fit_b3_f1_by_threshold": {str(t): round(v["b3_f1"], 4) for t, v in by_t.items()}}
    return figs


def _calibrate_cross(shared: Path, cache_dir: Path | None, cal: dict[str, Any], use: Encoder,
                     e5: Encoder) -> dict[str, Any]:
    """Cross-script variants (``hybrid@cross``, ``hybrid:e5@cross``) for pairs of one
    Latin-script and one other claim, added to ``cal["models"]``.

    Character n-grams and fuzz carry nothing across scripts (the Arabic model put English
    paraphrases of Arabic claims at about 0.01, far below the link threshold), so this is
    a logistic of the semantic cosine alone, fitted on the STS17 ar-en fit half
    (even-position pairs; the odd half stays held out). No threshold shift: these pairs
    are semantic neighbours of mixed similarity, as candidate pairs are."""
    a, b, y = sts_ar_en_half(shared, "fit")
    figs: dict[str, Any] = {"source": f"STS17 ar-en fit half ({len(y)} pairs, even positions); "
                                      f"same claim = gold >= {SAME_STS}", "positives": int(y.sum())}
    f = PairFeatures(a, b, [use, e5], cache_dir)
    for enc, key in ((use, "hybrid"), (e5, "hybrid:e5")):
        fitted = fit_logistic(f.semantic[encoder_key(enc)][:, None], y, ["semantic"])
        cal["models"][f"{key}@cross"] = {
            "intercept": fitted["intercept"],
            "weights": {"lexical": 0.0, "semantic": fitted["weights"]["semantic"], "fuzz": 0.0}}
    return figs


# Fixed pairs whose lexical features fingerprint the feature code (shared with the judge's).
PROBE_PAIRS = Path(__file__).resolve().parents[2] / "fixtures" / "judge" / "probe.tsv"


def write_calibration(cal: dict[str, Any], path: Path = CALIBRATION_FILE) -> dict[str, Any]:
    """Write ``cal`` to ``path`` and return what was written: the file's ``encoders`` entry
    (the measured encoder choice, not refitted here) is kept, and the fingerprint of the
    lexical features the models were fitted on is recorded."""
    from ..contrast import read_probe_pairs
    from ..score import lexical_feature_fingerprint

    old = json.loads(path.read_text("utf-8")) if path.exists() else {}
    pairs = [(a, b) for a, b, _, _ in read_probe_pairs(PROBE_PAIRS)]
    written = {**{k: v for k, v in old.items() if k == "encoders"}, **cal,
               "lexical_feature_fingerprint": lexical_feature_fingerprint(pairs)}
    path.write_text(json.dumps(written, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8")
    return written

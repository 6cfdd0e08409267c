"""All evaluation figures (``run_evaluation``) and their plain-text table (``format_report``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..encode import Encoder, get_encoder
from .crossfit import baly_cross_fit
from .crosslang import cross_language_figures
from .datasets import load_ans, load_baly, load_checkthat, load_msrp, load_sts
from .features import DEFAULT_CACHE, PairFeatures, encoder_key, hybrid_scores
from .methods import chosen_thresholds, cluster_methods
from .metrics import best_accuracy_threshold, mean_reciprocal_rank, spearman


def run_evaluation(shared: Path, encoders: Sequence[str] = ("use", "e5"),
                   cache_dir: Path | None = DEFAULT_CACHE, *, sample: int | None = None,
                   baly_limit: int | None = None, clustering: bool = True) -> dict[str, Any]:
    """All figures as a nested dict. ``sample`` caps ANS dev / CheckThat tweets
    (deterministic: the first ``sample`` in file order / sorted tweet id)."""
    from ..score import load_calibration

    cal = load_calibration()
    by_name = {e: get_encoder(e) for e in encoders}
    res: dict[str, Any] = {"encoders": {e: enc.name for e, enc in by_name.items()}}
    res["sts17_spearman"] = _sts_figures(shared, cal, by_name, cache_dir)
    res["cross_language"] = cross_language_figures(shared, by_name, cache_dir, cal)
    res["ans_dev_accuracy"] = _ans_figures(shared, cal, by_name, cache_dir, sample)
    res["checkthat_mrr"], res["checkthat_tweets"] = _checkthat_figures(shared, cal, by_name, cache_dir, sample)
    if clustering:
        res.update(_clustering_figures(shared, cal, by_name, cache_dir, baly_limit))
    return res


def _scored_methods(cal: dict[str, Any], f1: PairFeatures, f2: PairFeatures,
                    encs: Mapping[str, Encoder]) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(method, scores on ``f1``, scores on ``f2``) of every pair-level method."""
    from ..score import lexical_score

    out = [
        ("lexical", f1.lexical, f2.lexical),
        ("fuzz", f1.fuzz, f2.fuzz),
        ("lexical+fuzz", lexical_score(f1.lexical, f1.fuzz, cal), lexical_score(f2.lexical, f2.fuzz, cal)),
    ]
    for n, enc in encs.items():
        out.append((n, f1.semantic[encoder_key(enc)], f2.semantic[encoder_key(enc)]))
        out.append((f"hybrid-{n}", hybrid_scores(cal, f1, enc), hybrid_scores(cal, f2, enc)))
    return out


def _sts_figures(shared: Path, cal: dict[str, Any], encs: Mapping[str, Encoder],
                 cache_dir: Path | None) -> dict[str, dict[str, float]]:
    """Per STS17 track: Spearman of each similarity with the gold 0-5 scores."""
    sts: dict[str, dict[str, float]] = {}
    for track, (a, b, gold) in load_sts(shared).items():
        f = PairFeatures(a, b, list(encs.values()), cache_dir)
        row: dict[str, float] = {"lexical": spearman(f.lexical, gold), "fuzz": spearman(f.fuzz, gold)}
        for e, enc in encs.items():
            row[e] = spearman(f.semantic[encoder_key(enc)], gold)
            row[f"hybrid-{e}"] = spearman(hybrid_scores(cal, f, enc), gold)
        sts[track] = row
    return sts


def _ans_figures(shared: Path, cal: dict[str, Any], encs: Mapping[str, Encoder],
                 cache_dir: Path | None, sample: int | None) -> dict[str, float]:
    """ANS dev accuracy of "same claim" per method, each at its best threshold on ANS train."""
    tr_a, tr_b, tr_y, _ = load_ans(shared, "train")
    dv_a, dv_b, dv_y, _ = load_ans(shared, "dev")
    if sample:
        dv_a, dv_b, dv_y = dv_a[:sample], dv_b[:sample], dv_y[:sample]
    ftr = PairFeatures(tr_a, tr_b, list(encs.values()), cache_dir)
    fdv = PairFeatures(dv_a, dv_b, list(encs.values()), cache_dir)
    ans: dict[str, float] = {}
    for name, s_tr, s_dv in _scored_methods(cal, ftr, fdv, encs):
        t, _ = best_accuracy_threshold(s_tr, tr_y)
        ans[name] = float(np.mean((s_dv >= t) == dv_y))
    ans["majority"] = float(max(np.mean(dv_y), 1 - np.mean(dv_y)))
    return ans


def _checkthat_figures(shared: Path, cal: dict[str, Any], encs: Mapping[str, Encoder],
                       cache_dir: Path | None, sample: int | None) -> tuple[dict[str, float], int]:
    """CheckThat MRR per method (the 50 candidates ranked per tweet), and the tweets measured."""
    ct = load_checkthat(shared)
    keys = list(ct)[:sample] if sample else list(ct)
    qa: list[str] = []
    qb: list[str] = []
    bounds: list[tuple[int, int]] = []
    for k in keys:
        tweet, cands, _ = ct[k]
        bounds.append((len(qa), len(qa) + len(cands)))
        qa.extend([tweet] * len(cands))
        qb.extend(cands)
    fct = PairFeatures(qa, qb, list(encs.values()), cache_dir)
    labels = [ct[k][2] for k in keys]
    mrr: dict[str, float] = {}
    for name, _, s in _scored_methods(cal, fct, fct, encs):
        mrr[name] = mean_reciprocal_rank([(s[x:y], lab) for (x, y), lab in zip(bounds, labels, strict=True)])
    return mrr, len(keys)


def _clustering_figures(shared: Path, cal: dict[str, Any], encs: Mapping[str, Encoder],
                        cache_dir: Path | None, baly_limit: int | None) -> dict[str, Any]:
    """Every clustering method on the held-out Baly and MSRP halves, Baly with each half
    held out in turn, and the sizes of the held-out sets."""
    clus: dict[str, Any] = {}
    baly_fit = load_baly(shared, baly_limit, part="fit")
    baly = load_baly(shared, baly_limit, part="eval")
    msrp_fit = load_msrp(shared, part="fit")
    msrp = load_msrp(shared, part="eval")
    for e, enc in encs.items():
        # Every method's threshold is its best B-cubed F1 on the Baly fit half (the
        # hybrid's is the calibrated one, chosen the same way); Baly eval is then
        # measured at those thresholds, unseen.
        chosen = chosen_thresholds(cluster_methods(baly_fit, enc, cache_dir, cal), cal)
        on_baly = cluster_methods(baly, enc, cache_dir, cal, thresholds=chosen)
        # English the same way: thresholds from the MSRP fit half, measured on the eval half.
        chosen_en = chosen_thresholds(cluster_methods(msrp_fit, enc, cache_dir, cal), cal)
        on_msrp = cluster_methods(msrp, enc, cache_dir, cal, thresholds=chosen_en)
        clus[e] = {
            "threshold": chosen,
            "threshold_msrp": chosen_en,
            **{ds: {m: {**next(iter(v["by_threshold"].values())),
                        "embedded_fraction": v.get("embedded_fraction")}
                    for m, v in on.items()}
               for ds, on in (("baly", on_baly), ("msrp", on_msrp))},
        }
    return {
        "clustering": clus,
        "baly_cross_fit": baly_cross_fit(shared, encs, cache_dir, baly_limit),
        "clustering_items": {"baly": baly.claims.height, "msrp": msrp.claims.height,
                             "baly_groups": len(set(baly.gold.values())),
                             "msrp_groups": len(set(msrp.gold.values()))},
    }


def _fmt(x: object) -> str:
    """A figure to three decimals; "n/a" for a missing one (None, NaN)."""
    return "n/a" if not isinstance(x, float) or x != x else f"{x:.3f}"


def format_report(res: dict[str, object]) -> str:
    """The figures of ``run_evaluation`` as a plain-text table."""
    out: list[str] = []
    sts = res["sts17_spearman"]
    assert isinstance(sts, dict)
    methods = list(next(iter(sts.values())))
    out.append("STS17 Spearman      " + "".join(f"{m:>14}" for m in methods))
    for track, row in sts.items():
        out.append(f"  {track:<18}" + "".join(f"{_fmt(row[m]):>14}" for m in methods))
    for key, label in (("ans_dev_accuracy", "ANS dev accuracy"), ("checkthat_mrr", "CheckThat MRR")):
        row = res[key]
        assert isinstance(row, dict)
        out.append(f"{label:<20}" + "".join(f"{m}={_fmt(v)}  " for m, v in row.items()))
    clus = res.get("clustering", {})
    assert isinstance(clus, dict)
    for enc, by in clus.items():
        out.append(f"Clustering (semantic vectors: {enc}; thresholds Baly {by['threshold']}, "
                   f"MSRP {by.get('threshold_msrp')})")
        out.append(f"  {'set':<6}{'method':<22}{'pair_p':>8}{'pair_r':>8}{'b3_f1':>8}{'ari':>8}{'embedded':>10}")
        for ds in ("baly", "msrp"):
            for m, v in by[ds].items():
                emb = v.get("embedded_fraction")
                out.append(f"  {ds:<6}{m:<22}{_fmt(v['pair_p']):>8}{_fmt(v['pair_r']):>8}"
                           f"{_fmt(v['b3_f1']):>8}{_fmt(v['ari']):>8}{_fmt(emb) if emb is not None else '':>10}")
    cross_lang = res.get("cross_language", {})
    assert isinstance(cross_lang, dict)
    for enc, row in cross_lang.items():
        out.append(f"English-Arabic pairs, STS17 ar-en held-out half ({enc}): " + "  ".join(
            f"{k}={_fmt(v)}" for k, v in row.items()))
    cross = res.get("baly_cross_fit", {})
    assert isinstance(cross, dict)
    for enc, by_m in cross.items():
        out.append(f"Baly B-cubed F1, both halves held out in turn (semantic vectors: {enc})")
        out.append(f"  {'method':<22}{'eval half':>10}{'fit half':>10}{'mean':>8}")
        for m, v in by_m.items():
            out.append(f"  {m:<22}{_fmt(v['eval_half']):>10}{_fmt(v['fit_half']):>10}{_fmt(v['mean']):>8}")
    out.append(f"items: {res.get('clustering_items')}  checkthat tweets: {res.get('checkthat_tweets')}")
    return "\n".join(out)

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
"""

from __future__ import annotations

import csv
import json
import sys
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
import polars as pl

from . import schema
from .encode import Encoder, LexicalEncoder, encode_cached, get_encoder
from .errors import InputError
from .normalize import clean_display, is_latin, match_key
from .numbers import extract_numbers

DEFAULT_CACHE = Path.home() / ".cache" / "compare-eval"
CLUSTER_GRID = tuple(round(x, 2) for x in np.arange(0.3, 0.96, 0.05))
# Raw similarities sit lower than calibrated scores and move less per unit of evidence
# (near the hybrid's threshold 0.05 of its score is about 0.01 of lexical cosine): a
# wider, finer grid, so a component alone gets as fine a threshold choice as the hybrid.
COMPONENT_GRID = tuple(round(x, 2) for x in np.arange(0.1, 0.96, 0.01))


# --------------------------------------------------------------------------- data


def _data(shared: Path, *parts: str) -> Path:
    p = Path(shared) / "data" / Path(*parts)
    if not p.exists():
        raise InputError("labelled data is missing", path=p, hint="point --shared at the shared/ folder")
    return p


def load_sts(shared: Path) -> dict[str, tuple[list[str], list[str], np.ndarray]]:
    out = {}
    for track, stem in (("ar-ar", "track1.ar-ar"), ("ar-en", "track2.ar-en")):
        lines = _data(shared, "sts17-ar", f"STS.input.{stem}.txt").read_text("utf-8").splitlines()
        gold = _data(shared, "sts17-ar", f"STS.gs.{stem}.txt").read_text("utf-8").split()
        pairs = [ln.split("\t") for ln in lines if ln.strip()]
        out[track] = ([p[0] for p in pairs], [p[1] for p in pairs], np.asarray(gold, dtype=np.float64))
    return out


def load_ans(shared: Path, split: str) -> tuple[list[str], list[str], np.ndarray, list[str]]:
    with _data(shared, "ans-stance", f"stance-{split}.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    stance = [r["stance"] for r in rows]
    same = np.asarray([s in ("agree", "disagree") for s in stance])
    return [r["s1"] for r in rows], [r["s2"] for r in rows], same, stance


def load_checkthat(shared: Path) -> dict[str, tuple[str, list[str], np.ndarray]]:
    groups: dict[str, tuple[str, list[str], list[int]]] = {}
    with _data(shared, "checkthat21-ar", "dev-top50.tsv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            g = groups.setdefault(r["tweet_id"], (r["tweet_text"], [], []))
            g[1].append(r["vclaim"])
            g[2].append(int(r["label"]))
    return {k: (t, c, np.asarray(lab)) for k, (t, c, lab) in sorted(groups.items())}


@dataclass(frozen=True)
class Grouped:
    """Items with gold groups, as a claims frame ready for link_claims."""

    claims: pl.DataFrame
    gold: dict[str, str]  # claim_id -> gold group


def _claims(items: list[tuple[str, str, str, str]]) -> pl.DataFrame:
    """items: (claim_id, article_id, outlet, text)."""
    rows: list[dict[str, object]] = []
    for cid, art, outlet, text in items:
        disp = clean_display(text)
        rows.append({
            "claim_id": cid, "article_id": art, "outlet": outlet, "source": "eval", "row": None,
            "title": None, "date": None, "url": None, "paragraph": 1, "sentence": 0, "clause": 0,
            "start": 0, "end": len(disp), "text": disp, "key": match_key(disp), "speaker": None,
            "is_quote": False, "is_title": False, "numbers": extract_numbers(disp),
        })
    return schema.frame(rows, schema.CLAIMS)


def load_msrp(shared: Path, part: str | None = None) -> Grouped:
    """MSRP paraphrase groups; ``part``: "fit" (groups at even positions in sorted group
    order; calibration only), "eval" (odd positions; held out), None (all)."""
    sents = _data(shared, "msrp-groups-en", "phrases.txt").read_text("utf-8").splitlines()
    with _data(shared, "msrp-groups-en", "phrase_groups.csv").open(encoding="utf-8") as fh:
        grp = {int(r["phrase_index"]): r["paraphrase_group_index"] for r in csv.DictReader(fh)}
    if part is not None:
        order = sorted(set(grp.values()), key=lambda x: (len(x), x))
        keep = set(order[0::2] if part == "fit" else order[1::2])
        grp = {i: g for i, g in grp.items() if g in keep}
    items, gold = [], {}
    for i, s in enumerate(sents):
        if i in grp and s.strip():
            cid = f"m{i:05d}"
            items.append((cid, cid, f"o{i}", s))  # each sentence its own article/outlet
            gold[cid] = grp[i]
    return Grouped(_claims(items), gold)


def load_baly(shared: Path, limit: int | None = None, part: str | None = None) -> Grouped:
    """One gold group per Baly claim: the claim and its agree/disagree rationale lines.

    ``part``: "fit" (claims at even positions in file-name order; calibration only),
    "eval" (odd positions; held out from calibration), None (all). ``limit`` keeps the
    first claims of that list (deterministic subsample).
    A text seen twice (same line under two claims) is kept once, under its first claim."""
    files = sorted(_data(shared, "baly2018-dev", "claims").glob("*.json"))
    if part == "fit":
        files = files[0::2]
    elif part == "eval":
        files = files[1::2]
    if limit is not None:
        files = files[:limit]
    items, gold, seen = [], {}, set()
    for f in files:
        d = json.loads(f.read_text("utf-8"))
        cid0 = str(d["id"])
        texts: list[tuple[str, str, str]] = [(f"{cid0}:claim", "claim", str(d["claim"]))]
        for a, (art, url, stance, rat) in enumerate(
            zip(d["article"], d["url"], d["stance"], d["rationale"], strict=True)
        ):
            if stance not in ("agree", "disagree"):
                continue
            lines = str(art).split("\n")
            outlet = urlparse(str(url)).netloc.removeprefix("www.") or "unknown"
            for li in json.loads(rat) if isinstance(rat, str) else rat:
                if 0 <= int(li) < len(lines):
                    texts.append((f"{cid0}:a{a}", outlet, lines[int(li)]))
        for n, (art_id, outlet, text) in enumerate(texts):
            k = match_key(text)
            if not k or k in seen:
                continue
            seen.add(k)
            cid = f"{cid0}:{n:03d}"
            items.append((cid, art_id, outlet, text))
            gold[cid] = cid0
    return Grouped(_claims(items), gold)


# --------------------------------------------------------------------------- metrics


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


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    from scipy.stats import spearmanr

    if np.allclose(x, x[0]):
        return float("nan")
    return float(spearmanr(x, y).statistic)


def _best_threshold(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Threshold maximising accuracy of ``scores >= t`` (midpoints between sorted scores)."""
    order = np.sort(np.unique(scores))
    cands = np.concatenate([[order[0] - 1e-9], (order[:-1] + order[1:]) / 2, [order[-1] + 1e-9]])
    best_t, best_acc = float(cands[0]), -1.0
    for t in cands:
        acc = float(np.mean((scores >= t) == labels))
        if acc > best_acc:
            best_t, best_acc = float(t), acc
    return best_t, best_acc


def _mrr(groups: list[tuple[np.ndarray, np.ndarray]]) -> float:
    rr = []
    for scores, labels in groups:
        if labels.sum() == 0:
            continue
        order = np.argsort(-scores, kind="stable")
        rank = int(np.nonzero(labels[order])[0][0]) + 1
        rr.append(1.0 / rank)
    return float(np.mean(rr)) if rr else float("nan")


# --------------------------------------------------------------------------- features


class PairFeatures:
    """Lexical (TF-IDF fitted on the task's texts), fuzz and semantic cosine for pairs."""

    def __init__(self, a: Sequence[str], b: Sequence[str], encoders: Sequence[Encoder],
                 cache_dir: Path | None) -> None:
        from .score import fuzz_pairs

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
            self.semantic[_short(enc)] = np.einsum("ij,ij->i", vecs[ia], vecs[ib], dtype=np.float64)


def _short(enc: Encoder) -> str:
    return enc.name.split("@")[0].split("-v")[0] if not enc.name.startswith("st:") else enc.name


def _fit_logistic(x: np.ndarray, y: np.ndarray, names: list[str]) -> dict[str, Any]:
    """Logistic regression (C=10). A negative semantic weight would make a pair that
    means more alike score lower: where the fit gives one (e5 on English, whose cosines
    are compressed into 0.8-0.9), the semantic feature is dropped and the rest refitted,
    its weight recorded as 0."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=10.0, max_iter=1000).fit(x, y)
    weights = dict(zip(names, (float(w) for w in model.coef_[0]), strict=True))
    if weights.get("semantic", 0.0) < 0:
        keep = [i for i, n in enumerate(names) if n != "semantic"]
        inner = _fit_logistic(x[:, keep], y, [names[i] for i in keep])
        return {"intercept": inner["intercept"],
                "weights": {n: inner["weights"].get(n, 0.0) for n in names}}
    return {"intercept": round(float(model.intercept_[0]), 6),
            "weights": {n: round(w, 6) for n, w in weights.items()}}


def _apply(model: dict[str, Any], feats: dict[str, np.ndarray]) -> np.ndarray:
    z = np.full(len(next(iter(feats.values()))), model["intercept"], dtype=np.float64)
    for n, w in model["weights"].items():
        z += w * feats[n]
    return 1.0 / (1.0 + np.exp(-z))


# --------------------------------------------------------------------------- clustering


def _semantic_vectors(g: Grouped, enc: Encoder, cache_dir: Path | None) -> np.ndarray:
    return encode_cached(enc, g.claims["text"].to_list(), cache_dir, progress=True)


def _score_links(ids: list[str], pairs: np.ndarray, values: np.ndarray) -> pl.DataFrame:
    """A links table whose score is one raw similarity (for clustering a component alone)."""
    return schema.frame([
        {"claim_a": ids[i], "claim_b": ids[j], "outlet_a": "", "outlet_b": "", "relation": "related",
         "score": float(v), "lexical": None, "semantic": None, "fuzz": None, "contrast": None,
         "differences": "[]"} for (i, j), v in zip(pairs.tolist(), np.asarray(values).tolist(), strict=True)
    ], schema.LINKS)


def _assign(ids: list[str], groups: list[list[int]]) -> dict[str, str]:
    pred = {c: c for c in ids}
    for gi, members in enumerate(groups):
        for m in members:
            pred[ids[m]] = f"g{gi}"
    return pred


def _components_from_pairs(n: int, pairs: list[tuple[int, int]]) -> list[list[int]]:
    from .cluster import connected_components

    return connected_components(n, pairs)


def cluster_methods(g: Grouped, enc: Encoder, cache_dir: Path | None, cal: dict[str, Any],
                    thresholds: dict[str, float] | None = None,
                    only: Sequence[str] | None = None,
                    grid: Sequence[float] = CLUSTER_GRID) -> dict[str, dict[str, Any]]:
    """Every clustering method at every grid threshold (or at the given ones)."""
    import torch
    from sentence_transformers import util

    from .candidates import candidate_pairs, pair_cosine
    from .cluster import cluster_claims
    from .score import link_claims

    ids = g.claims["claim_id"].to_list()
    out: dict[str, dict[str, Any]] = {}
    low = dict(cal)
    # Links as in production (calibrated link threshold), and never above the lowest grid value.
    low["thresholds"] = {**cal["thresholds"],
                         "link": min(float(cal["thresholds"]["link"]), min(grid) - 1e-9)}

    def clusters_at(links: pl.DataFrame) -> Any:
        def fn(t: float) -> dict[str, str]:
            clustered, _ = cluster_claims(g.claims, links, min_score=t)
            return dict(zip(clustered["claim_id"], clustered["cluster_id"], strict=True))
        return fn

    def sweep(name: str, fn: Any, own_grid: Sequence[float] | None = None) -> None:
        ts = ([thresholds[name]] if thresholds and name in thresholds
              else sorted(own_grid) if own_grid is not None
              else sorted({*grid, float(cal["thresholds"]["cluster"])}))
        t0 = time.perf_counter()
        res = {t: cluster_metrics(fn(t), g.gold) for t in ts}
        out[name] = {"by_threshold": res, "seconds": round(time.perf_counter() - t0, 2)}

    cosine_only = None
    if "cosine-only" in cal["models"]:
        # The lexical-only scorer with the cosine-only model, for every script.
        cosine_only = {**low, "models": {k: v for k, v in cal["models"].items() if not k.startswith("lexical")}}
        cosine_only["models"]["lexical"] = cal["models"]["cosine-only"]
    runs = [("all", "hybrid", low), ("auto", "hybrid-auto", low), ("none", "lexical", low)]
    if cosine_only is not None:
        runs.append(("none", "cosine-calibrated", cosine_only))
    for mode, name, run_cal in runs:
        if only is not None and name not in only:
            continue
        t0 = time.perf_counter()
        links, stats = link_claims(g.claims, enc, cache_dir=cache_dir, semantic=mode, calibration=run_cal)
        link_s = time.perf_counter() - t0
        sweep(name, clusters_at(links))
        out[name]["link_seconds"] = round(link_s, 2)
        out[name]["embedded_fraction"] = stats["embedded_fraction"]

    if only is not None:
        return out
    # Each lexical component alone, on raw values (no fitted model): character n-gram
    # cosine, and rapidfuzz token_sort_ratio / 100 on the same candidate pairs.
    from .score import fuzz_pairs

    keys = g.claims["key"].to_list()
    art = np.asarray(g.claims["article_id"].to_list(), dtype=object)
    lex = LexicalEncoder().sparse(keys)
    lex_pairs = candidate_pairs(lex, min_sim=min(COMPONENT_GRID))
    lex_pairs = lex_pairs[art[lex_pairs[:, 0]] != art[lex_pairs[:, 1]]] if lex_pairs.size else lex_pairs
    cos = pair_cosine(lex, lex_pairs)
    fz = fuzz_pairs([keys[i] for i in lex_pairs[:, 0]], [keys[j] for j in lex_pairs[:, 1]]) / 100
    for name, values in (("lexical-cosine", cos), ("fuzz", fz)):
        sweep(name, clusters_at(_score_links(ids, lex_pairs, values)), COMPONENT_GRID)
    vecs = _semantic_vectors(g, enc, cache_dir)
    sem_pairs = candidate_pairs(vecs, min_sim=min(CLUSTER_GRID))
    sims = np.einsum("ij,ij->i", vecs[sem_pairs[:, 0]], vecs[sem_pairs[:, 1]]) if sem_pairs.size else np.zeros(0)
    sweep("semantic", clusters_at(_score_links(ids, sem_pairs, sims)))
    emb = torch.from_numpy(vecs)

    def cd_fn(t: float) -> dict[str, str]:
        comms = util.community_detection(emb, threshold=t, min_community_size=1)
        return _assign(ids, [list(c) for c in comms])

    sweep("st-community", cd_fn)
    mined = util.paraphrase_mining_embeddings(emb, top_k=20, max_pairs=10**7)

    def pm_fn(t: float) -> dict[str, str]:
        pairs = [(int(i), int(j)) for s, i, j in mined if s >= t]
        return _assign(ids, _components_from_pairs(len(ids), pairs))

    sweep("st-paraphrase-mining", pm_fn)
    return out


# --------------------------------------------------------------------------- calibrate


def _grouped_pairs(g: Grouped, enc: Encoder, cache_dir: Path | None, lex_floor: float,
                   sem_floor: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Candidate pairs of a grouped set (cross-article) with features and same-group labels."""
    from .candidates import candidate_pairs, pair_cosine
    from .score import fuzz_pairs

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
    use, e5 = get_encoder("use"), get_encoder("e5")
    semantic = [(use, "hybrid"), *([(e5, "hybrid:e5")] if with_e5 else [])]
    a, b, y_ans, stance = load_ans(shared, "train")
    f = PairFeatures(a, b, [enc for enc, _ in semantic], cache_dir)
    baly = load_baly(shared, part=part)
    feats: dict[str, dict[str, np.ndarray]] = {}
    ys: dict[str, np.ndarray] = {}
    for enc, _ in semantic:
        lx, sm, fz, yb = _grouped_pairs(baly, enc, cache_dir, 0.1, 0.3)
        feats[_short(enc)] = {
            "lexical": np.concatenate([f.lexical, lx]), "semantic": np.concatenate([f.semantic[_short(enc)], sm]),
            "fuzz": np.concatenate([f.fuzz, fz]) / 100,
        }
        ys[_short(enc)] = np.concatenate([y_ans, yb])
    fu, y = feats[_short(use)], ys[_short(use)]
    models = {"lexical": _fit_logistic(np.stack([fu["lexical"], fu["fuzz"]], 1), y, ["lexical", "fuzz"]),
              # The n-gram cosine alone, calibrated the same way (evaluation only: the
              # component-alone baseline whose link weights read as probabilities).
              "cosine-only": _fit_logistic(fu["lexical"][:, None], y, ["lexical"])}
    for enc, key in semantic:
        fe = feats[_short(enc)]
        models[key] = _fit_logistic(np.stack([fe["lexical"], fe["semantic"], fe["fuzz"]], 1),
                                    ys[_short(enc)], ["lexical", "semantic", "fuzz"])
    p_lex = _apply(models["lexical"], fu)
    p_hyb = _apply(models["hybrid"], fu)
    para_t, para_acc = _best_threshold(p_hyb, y)
    # "related" keeps 95% of same-claim pairs (never above the paraphrase threshold).
    link_t = min(float(np.quantile(p_hyb[y], 0.05)), para_t)
    lexical_min = float(np.quantile(fu["lexical"][y], 0.05))
    semantic_min = float(np.quantile(fu["semantic"][y], 0.05))
    # Grey zone of the lexical-only score: below grey_low it rejects (5% of same-claim pairs
    # lie there), above grey_high it accepts (2% of different-claim pairs lie there).
    lo, hi = float(np.quantile(p_lex[y], 0.05)), float(np.quantile(p_lex[~y], 0.98))
    grey_low, grey_high = min(lo, hi), max(lo, hi)
    agree = np.asarray([s_ == "agree" for s_ in stance])
    dup_lex = 0.9
    thresholds = {
        "k": 20, "lexical_min": round(lexical_min, 4), "semantic_min": round(semantic_min, 4),
        "grey_low": round(grey_low, 4), "grey_high": round(grey_high, 4), "auto_max_embed": 5000,
        "link": round(link_t, 4), "paraphrase": round(para_t, 4), "duplicate_lexical": dup_lex,
        "cluster": 0.5,
    }
    cal: dict[str, Any] = {"models": models, "thresholds": thresholds}
    res = cluster_methods(baly, use, cache_dir, cal, thresholds=None, only=("hybrid",))
    by_t = res["hybrid"]["by_threshold"]
    thresholds["cluster"] = round(max(float(_best_t(by_t)), thresholds["link"]), 4)
    if other_scripts and not with_e5:
        raise ValueError("the English and English-Arabic models are fitted for both encoders")
    latin_figs = _calibrate_latin(shared, cache_dir, cal, use, e5) if other_scripts else {}
    cross_figs = _calibrate_cross(shared, cache_dir, cal, use, e5) if other_scripts else {}
    cal["figures"] = {
        "source": "ANS train (2652 pairs) + candidate pairs of the Baly fit half (even-position "
                  "claims) for models and pair thresholds; Baly fit half for the cluster threshold",
        "pairs": len(y), "positives": int(y.sum()),
        "accuracy_at_paraphrase": round(para_acc, 4),
        "same_claim_recall_at_link": round(float(np.mean(p_hyb[y] >= link_t)), 4),
        "ans_train_agree_pairs_lexical_ge_duplicate": round(float(np.mean(f.lexical[agree] >= dup_lex)), 4),
        "different_pairs_lexical_only_ge_grey_high": round(float(np.mean(p_lex[~y] >= grey_high)), 4),
        "same_pairs_lexical_only_lt_grey_low": round(float(np.mean(p_lex[y] < grey_low)), 4),
        "baly_fit_b3_f1_by_cluster_threshold": {str(t): round(v["b3_f1"], 4) for t, v in by_t.items()},
        "duplicate_lexical": "design constant (near-verbatim), not fitted",
        "auto_max_embed": "design budget: ~1-2 min of e5 on 2 cores, seconds with USE",
        "k": "neighbours per claim in the approximate path (brief)",
        "latin": latin_figs,
        "cross": cross_figs,
    }
    return cal


LATIN_GRID = tuple(round(x, 2) for x in np.arange(0.05, 0.96, 0.05))


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
        lx, sm, fz, y = _grouped_pairs(msrp, enc, cache_dir, 0.1, 0.3)
        models[f"{key}@latin"] = _fit_logistic(np.stack([lx, sm, fz / 100], 1), y, ["lexical", "semantic", "fuzz"])
        if enc is use:
            models["lexical@latin"] = _fit_logistic(np.stack([lx, fz / 100], 1), y, ["lexical", "fuzz"])
        figs[f"pairs_{_short(enc)}"] = len(y)
        figs[f"positives_{_short(enc)}"] = int(y.sum())
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
        t_en = _best_t(by_t)
        shift = _logit(target) - _logit(t_en)
        m = models[f"{key}@latin"]
        m["intercept"] = round(float(m["intercept"]) + shift, 6)
        figs[f"{key}@latin"] = {"best_threshold_before_shift": t_en, "intercept_shift": round(shift, 6),
                                "msrp_fit_b3_f1_by_threshold": {str(t): round(v["b3_f1"], 4) for t, v in by_t.items()}}
    return figs


SAME_STS = 3.0  # STS guideline 3: "roughly equivalent, but some important information differs"
# (the same claim, possibly with a changed fact: what this tool clusters and contrasts)


def sts_ar_en_half(shared: Path, part: str) -> tuple[list[str], list[str], np.ndarray]:
    """STS17 ar-en pairs at even ("fit") or odd ("eval") positions: English, Arabic, and
    whether the pair states the same claim (gold >= ``SAME_STS``)."""
    a, b, gold = load_sts(shared)["ar-en"]
    sl = slice(0, None, 2) if part == "fit" else slice(1, None, 2)
    return a[sl], b[sl], gold[sl] >= SAME_STS


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
        fitted = _fit_logistic(f.semantic[_short(enc)][:, None], y, ["semantic"])
        cal["models"][f"{key}@cross"] = {
            "intercept": fitted["intercept"],
            "weights": {"lexical": 0.0, "semantic": fitted["weights"]["semantic"], "fuzz": 0.0}}
    return figs


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
        s = _hyb(cal, f, enc)
        row: dict[str, float] = {"pairs": float(len(y)), "positives": float(y.sum()),
                                 "auc": float(roc_auc_score(y, s))}
        for name in ("link", "paraphrase", "cluster"):
            hit = s >= float(th[name])
            row[f"precision@{name}"] = float(y[hit].mean()) if hit.any() else float("nan")
            row[f"recall@{name}"] = float(hit[y].mean())
        out[key] = row
    return out


# --------------------------------------------------------------------------- evaluate


def run_evaluation(shared: Path, encoders: Sequence[str] = ("use", "e5"),
                   cache_dir: Path | None = DEFAULT_CACHE, *, sample: int | None = None,
                   baly_limit: int | None = None, clustering: bool = True) -> dict[str, Any]:
    """All figures as a nested dict. ``sample`` caps ANS dev / CheckThat tweets
    (deterministic: the first ``sample`` in file order / sorted tweet id)."""
    from .score import load_calibration

    cal = load_calibration()
    encs = [get_encoder(e) for e in encoders]
    res: dict[str, Any] = {"encoders": {e: enc.name for e, enc in zip(encoders, encs, strict=True)}}

    sts = {}
    for track, (a, b, gold) in load_sts(shared).items():
        f = PairFeatures(a, b, encs, cache_dir)
        row = {"lexical": _spearman(f.lexical, gold), "fuzz": _spearman(f.fuzz, gold)}
        for e, enc in zip(encoders, encs, strict=True):
            row[e] = _spearman(f.semantic[_short(enc)], gold)
            row[f"hybrid-{e}"] = _spearman(_hyb(cal, f, enc), gold)
        sts[track] = row
    res["sts17_spearman"] = sts
    by_name = dict(zip(encoders, encs, strict=True))
    res["cross_language"] = cross_language_figures(shared, by_name, cache_dir, cal)

    tr_a, tr_b, tr_y, _ = load_ans(shared, "train")
    dv_a, dv_b, dv_y, _ = load_ans(shared, "dev")
    if sample:
        dv_a, dv_b, dv_y = dv_a[:sample], dv_b[:sample], dv_y[:sample]
    ftr = PairFeatures(tr_a, tr_b, encs, cache_dir)
    fdv = PairFeatures(dv_a, dv_b, encs, cache_dir)
    ans: dict[str, float] = {}
    for name, s_tr, s_dv in _methods(cal, ftr, fdv, encs, encoders):
        t, _ = _best_threshold(s_tr, tr_y)
        ans[name] = float(np.mean((s_dv >= t) == dv_y))
    ans["majority"] = float(max(np.mean(dv_y), 1 - np.mean(dv_y)))
    res["ans_dev_accuracy"] = ans

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
    fct = PairFeatures(qa, qb, encs, cache_dir)
    labels = [ct[k][2] for k in keys]
    mrr = {}
    for name, _, s in _methods(cal, fct, fct, encs, encoders):
        mrr[name] = _mrr([(s[x:y], lab) for (x, y), lab in zip(bounds, labels, strict=True)])
    res["checkthat_mrr"] = mrr
    res["checkthat_tweets"] = len(keys)

    if clustering:
        clus: dict[str, Any] = {}
        baly_fit = load_baly(shared, baly_limit, part="fit")
        baly = load_baly(shared, baly_limit, part="eval")
        msrp_fit = load_msrp(shared, part="fit")
        msrp = load_msrp(shared, part="eval")
        for e, enc in zip(encoders, encs, strict=True):
            # Every method's threshold is its best B-cubed F1 on the Baly fit half (the
            # hybrid's is the calibrated one, chosen the same way); Baly eval is then
            # measured at those thresholds, unseen.
            chosen = _chosen_thresholds(cluster_methods(baly_fit, enc, cache_dir, cal), cal)
            on_baly = cluster_methods(baly, enc, cache_dir, cal, thresholds=chosen)
            # English the same way: thresholds from the MSRP fit half, measured on the eval half.
            chosen_en = _chosen_thresholds(cluster_methods(msrp_fit, enc, cache_dir, cal), cal)
            on_msrp = cluster_methods(msrp, enc, cache_dir, cal, thresholds=chosen_en)
            clus[e] = {
                "threshold": chosen,
                "threshold_msrp": chosen_en,
                **{ds: {m: {**next(iter(v["by_threshold"].values())),
                            "embedded_fraction": v.get("embedded_fraction")}
                        for m, v in on.items()}
                   for ds, on in (("baly", on_baly), ("msrp", on_msrp))},
            }
        res["clustering"] = clus
        res["baly_cross_fit"] = baly_cross_fit(shared, by_name, cache_dir, baly_limit)
        res["clustering_items"] = {"baly": baly.claims.height, "msrp": msrp.claims.height,
                                   "baly_groups": len(set(baly.gold.values())),
                                   "msrp_groups": len(set(msrp.gold.values()))}
    return res


def baly_cross_fit(shared: Path, encs: Mapping[str, Encoder], cache_dir: Path | None,
                   baly_limit: int | None = None) -> dict[str, dict[str, Any]]:
    """Baly clustering measured on both halves: as shipped (fitted on the fit half, measured
    on the eval half), and swapped (every Arabic model and the cluster threshold refitted
    on the eval half with ``calibrate(part="eval")``, every method's threshold chosen there,
    measured on the fit half). Each half holds only ~50 claims with two or more lines, so one
    split moves B-cubed F1 by about 0.01 between neighbouring thresholds; the mean of the
    two held-out halves uses every claim once. Per encoder and method: both figures and
    their mean."""
    from .score import load_calibration

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
            chosen = _chosen_thresholds(cluster_methods(halves[train], enc, cache_dir, cal), cal)
            on = cluster_methods(halves[test], enc, cache_dir, cal, thresholds=chosen)
            folds.append({m: next(iter(v["by_threshold"].values()))["b3_f1"] for m, v in on.items()})
        out[key] = {m: {"eval_half": folds[0][m], "fit_half": folds[1][m],
                        "mean": (folds[0][m] + folds[1][m]) / 2} for m in folds[0]}
    return out


def _chosen_thresholds(on_fit: dict[str, dict[str, Any]], cal: dict[str, Any]) -> dict[str, float]:
    """Each method's best B-cubed threshold on a fit half; the hybrid keeps its calibrated one."""
    chosen = {m: float(_best_t(v["by_threshold"])) for m, v in on_fit.items()}
    chosen["hybrid"] = chosen["hybrid-auto"] = float(cal["thresholds"]["cluster"])
    return chosen


def _best_t(by_t: dict[float, dict[str, float]]) -> float:
    """Threshold with the best B-cubed F1 (ties: the lower one)."""
    return max(by_t, key=lambda t: (by_t[t]["b3_f1"], -t))


def cluster_metrics_at(v: dict[str, Any], t: float) -> dict[str, float]:
    """Metrics at the grid threshold nearest to ``t`` (for a calibrated off-grid value)."""
    grid = sorted(v["by_threshold"])
    near = min(grid, key=lambda g: abs(g - t))
    return dict(v["by_threshold"][near])


def _hyb(cal: dict[str, Any], f: PairFeatures, enc: Encoder) -> np.ndarray:
    from .score import hybrid_score

    return hybrid_score(f.lexical, f.semantic[_short(enc)], f.fuzz, cal, enc.name, f.latin, f.cross)


def _methods(cal: dict[str, Any], f1: PairFeatures, f2: PairFeatures, encs: Sequence[Encoder],
             names: Sequence[str]) -> list[tuple[str, np.ndarray, np.ndarray]]:
    from .score import lexical_score

    out = [
        ("lexical", f1.lexical, f2.lexical),
        ("fuzz", f1.fuzz, f2.fuzz),
        ("lexical+fuzz", lexical_score(f1.lexical, f1.fuzz, cal), lexical_score(f2.lexical, f2.fuzz, cal)),
    ]
    for n, enc in zip(names, encs, strict=True):
        out.append((n, f1.semantic[_short(enc)], f2.semantic[_short(enc)]))
        out.append((f"hybrid-{n}", _hyb(cal, f1, enc), _hyb(cal, f2, enc)))
    return out


def _f(x: object) -> str:
    return "n/a" if not isinstance(x, float) or x != x else f"{x:.3f}"


def format_report(res: dict[str, object]) -> str:
    """The figures of ``run_evaluation`` as a plain-text table."""
    out: list[str] = []
    sts = res["sts17_spearman"]
    assert isinstance(sts, dict)
    methods = list(next(iter(sts.values())))
    out.append("STS17 Spearman      " + "".join(f"{m:>14}" for m in methods))
    for track, row in sts.items():
        out.append(f"  {track:<18}" + "".join(f"{_f(row[m]):>14}" for m in methods))
    for key, label in (("ans_dev_accuracy", "ANS dev accuracy"), ("checkthat_mrr", "CheckThat MRR")):
        row = res[key]
        assert isinstance(row, dict)
        out.append(f"{label:<20}" + "".join(f"{m}={_f(v)}  " for m, v in row.items()))
    clus = res.get("clustering", {})
    assert isinstance(clus, dict)
    for enc, by in clus.items():
        out.append(f"Clustering (semantic vectors: {enc}; thresholds Baly {by['threshold']}, "
                   f"MSRP {by.get('threshold_msrp')})")
        out.append(f"  {'set':<6}{'method':<22}{'pair_p':>8}{'pair_r':>8}{'b3_f1':>8}{'ari':>8}{'embedded':>10}")
        for ds in ("baly", "msrp"):
            for m, v in by[ds].items():
                emb = v.get("embedded_fraction")
                out.append(f"  {ds:<6}{m:<22}{_f(v['pair_p']):>8}{_f(v['pair_r']):>8}"
                           f"{_f(v['b3_f1']):>8}{_f(v['ari']):>8}{_f(emb) if emb is not None else '':>10}")
    cross_lang = res.get("cross_language", {})
    assert isinstance(cross_lang, dict)
    for enc, row in cross_lang.items():
        out.append(f"English-Arabic pairs, STS17 ar-en held-out half ({enc}): " + "  ".join(
            f"{k}={_f(v)}" for k, v in row.items()))
    cross = res.get("baly_cross_fit", {})
    assert isinstance(cross, dict)
    for enc, by_m in cross.items():
        out.append(f"Baly B-cubed F1, both halves held out in turn (semantic vectors: {enc})")
        out.append(f"  {'method':<22}{'eval half':>10}{'fit half':>10}{'mean':>8}")
        for m, v in by_m.items():
            out.append(f"  {m:<22}{_f(v['eval_half']):>10}{_f(v['fit_half']):>10}{_f(v['mean']):>8}")
    out.append(f"items: {res.get('clustering_items')}  checkthat tweets: {res.get('checkthat_tweets')}")
    return "\n".join(out)



def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m compare.evaluate")
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    ap.add_argument("--calibrate", action="store_true", help="write compare/data/calibration.json")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    args = ap.parse_args(argv)
    if args.calibrate:
        cal = calibrate(args.shared, args.cache)
        out = Path(__file__).resolve().parent / "data" / "calibration.json"
        old = json.loads(out.read_text("utf-8")) if out.exists() else {}
        cal = {**{k: v for k, v in old.items() if k == "encoders"}, **cal}
        out.write_text(json.dumps(cal, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8")
        json.dump(cal, sys.stdout, indent=1, ensure_ascii=False)
        return 0
    json.dump(run_evaluation(args.shared, cache_dir=args.cache), sys.stdout, indent=1, default=float)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

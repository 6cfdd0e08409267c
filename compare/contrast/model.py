"""The judge's features and the trained model that turns them into a contrast score.

Whether the differences amount to a contrast is decided by a small model over alignment
features, trained on the ANS Arabic news-stance train split (``benchmarks/train_judge.py``
writes ``compare/data/contrast_judge.json``; numpy + json only at run time). Without the
artefact, fixed rule weights decide. The artefact records a fingerprint of the features
computed here (``feature_fingerprint``), so a change to them is caught by a test.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from rapidfuzz import fuzz

from ..errors import ModelError
from ..records import Difference
from .align import Alignment, align
from .analysis import Analysis, analyse
from .rules import KINDS, explains_contrast, typed_differences, unmatched_hits

ARTEFACT = Path(__file__).parent.with_name("data") / "contrast_judge.json"

BASE_FEATURES = (
    "sim_token", "sim_char", "sim_tset", "unmatched_max", "unmatched_min", "len_ratio",
    "n_number", "n_date", "n_actor", "n_negation", "n_antonym", "n_attribution", "n_framing",
    "n_hedge", "n_wording", "any_typed", "typed_x_sim", "neg_any", "antonym_any_side",
)
# Learned from ANS train: log-odds that a word left unaligned marks a disagreement.
LEXICON_FEATURES = ("lex_max", "lex_min", "lex_sum")
FEATURES = BASE_FEATURES + LEXICON_FEATURES


def base_features(a: Analysis, b: Analysis, al: Alignment, diffs: Sequence[Difference]) -> dict[str, float]:
    """The ``BASE_FEATURES`` of an aligned pair: similarity, what is left unaligned, and
    how many differences of each kind were found."""
    sa, sb = set(a.stems), set(b.stems)
    union = sa | sb
    sim_token = len(sa & sb) / len(union) if union else 0.0
    ka, kb = " ".join(a.stems), " ".join(b.stems)
    sim_char = fuzz.ratio(ka, kb) / 100.0 if ka or kb else 0.0
    sim_tset = fuzz.token_set_ratio(ka, kb) / 100.0 if ka and kb else 0.0
    ua = 1 - len(al.matched_a) / len(a.stems) if a.stems else 1.0
    ub = 1 - len(al.matched_b) / len(b.stems) if b.stems else 1.0
    la, lb = len(a.stems), len(b.stems)
    counts = Counter(d.kind for d in diffs)
    typed = sum(v for k, v in counts.items() if k not in ("wording", "hedge", "framing"))
    f = {
        "sim_token": sim_token,
        "sim_char": sim_char,
        "sim_tset": sim_tset,
        "unmatched_max": max(ua, ub),
        "unmatched_min": min(ua, ub),
        "len_ratio": min(la, lb) / max(la, lb) if max(la, lb) else 0.0,
        **{f"n_{k}": float(min(counts.get(k, 0), 2)) for k in KINDS},
        "any_typed": float(typed > 0),
        "typed_x_sim": float(typed > 0) * sim_token,
        "neg_any": float(bool(a.negators) or bool(b.negators)),
        "antonym_any_side": float(bool(unmatched_hits(a.antonyms, al.matched_a)) or bool(unmatched_hits(b.antonyms, al.matched_b))),
    }
    return {k: f[k] for k in BASE_FEATURES}


def unmatched_stems(a: Analysis, b: Analysis, al: Alignment) -> tuple[str, ...]:
    """The words either side leaves unaligned (what the learned lexicon weighs)."""
    words = {a.stems[i] for i in range(len(a.stems)) if i not in al.matched_a}
    words |= {b.stems[j] for j in range(len(b.stems)) if j not in al.matched_b}
    return tuple(sorted(w for w in words if len(w) >= 2 and not w.isdigit()))


class JudgeInputs(NamedTuple):
    """What the judge decides on: the typed differences, the rule features and the words
    left unaligned."""

    differences: list[Difference]
    features: dict[str, float]
    unmatched: tuple[str, ...]


def judge_inputs(
    a: Analysis, b: Analysis, al: Alignment, a_speaker: str | None, b_speaker: str | None
) -> JudgeInputs:
    diffs = typed_differences(a, b, al, a_speaker, b_speaker)
    return JudgeInputs(diffs, base_features(a, b, al, diffs), unmatched_stems(a, b, al))


def lexicon_key(word: str) -> str:
    """Key of a word in the learned lexicon: a short hash, so the shipped artefact holds
    weights but no text from the corpus it was trained on."""
    return hashlib.blake2b(word.encode("utf-8"), digest_size=5).hexdigest()


def lexicon_features(unmatched: Sequence[str], lexicon: dict[str, float]) -> dict[str, float]:
    """Strongest, weakest and summed learned weight of the words left unaligned."""
    keys = [lexicon_key(w) for w in unmatched]
    ws = [lexicon[k] for k in keys if k in lexicon]
    return {
        "lex_max": max(ws, default=0.0),
        "lex_min": min(ws, default=0.0),
        "lex_sum": float(np.clip(sum(ws), -6.0, 6.0)),
    }


# Fallback weights when the trained artefact is missing: how strongly each kind alone
# signals a contrast (a changed number or a negation almost always does; a substitution
# may be a synonym the lexicons miss).
_RULE_WEIGHTS = {
    "number": 0.8, "antonym": 0.8, "negation": 0.75, "date": 0.6, "actor": 0.6,
    "attribution": 0.5, "framing": 0.3, "hedge": 0.3, "wording": 0.2,
}


@dataclass(frozen=True)
class _Tree:
    """One regression tree as flat arrays (sklearn layout): go left when x <= threshold."""

    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]

    def predict(self, x: np.ndarray) -> float:
        node = 0
        for _ in range(len(self.feature)):  # bounded: a malformed tree cannot loop forever
            if self.left[node] < 0:
                return self.value[node]
            node = self.left[node] if x[self.feature[node]] <= self.threshold[node] else self.right[node]
        raise ModelError("contrast judge: malformed tree", hint="rebuild with `python benchmarks/train_judge.py`")


@dataclass(frozen=True)
class JudgeModel:
    """The trained judge: ``kind`` "logistic" (standardised features, coefficients) or
    "trees" (gradient-boosted trees on raw features), a threshold, a learned lexicon."""

    kind: str
    features: tuple[str, ...]
    threshold: float
    lexicon: dict[str, float]
    mean: np.ndarray | None = None
    scale: np.ndarray | None = None
    coef: np.ndarray | None = None
    intercept: float = 0.0
    trees: tuple[_Tree, ...] = ()
    learning_rate: float = 1.0

    def raw(self, x: np.ndarray) -> float:
        if self.kind == "trees":
            return self.intercept + self.learning_rate * sum(t.predict(x) for t in self.trees)
        assert self.mean is not None and self.scale is not None and self.coef is not None
        return float(((x - self.mean) / self.scale) @ self.coef + self.intercept)


MODEL_CACHE: dict[str, JudgeModel | None] = {}  # artefact path -> model (None: no artefact)


def _parse_model(raw: dict[str, Any]) -> JudgeModel:
    feats = tuple(raw["features"])
    if feats != FEATURES:
        raise ValueError(f"features {list(feats)} do not match this version")
    lexicon = {str(k): float(v) for k, v in raw.get("lexicon", {}).items()}
    kind = raw.get("model", "logistic")
    if kind == "trees":
        trees = tuple(
            _Tree(
                tuple(int(v) for v in t["feature"]),
                tuple(float(v) for v in t["threshold"]),
                tuple(int(v) for v in t["left"]),
                tuple(int(v) for v in t["right"]),
                tuple(float(v) for v in t["value"]),
            )
            for t in raw["trees"]
        )
        for t in trees:
            n = len(t.feature)
            if not (n == len(t.threshold) == len(t.left) == len(t.right) == len(t.value)) or any(
                c >= n for c in (*t.left, *t.right)
            ):
                raise ValueError("malformed tree")
            if any(f >= len(feats) or f < 0 for f, c in zip(t.feature, t.left, strict=True) if c >= 0):
                raise ValueError("tree splits on an unknown feature")
        return JudgeModel(
            "trees", feats, float(raw["threshold"]), lexicon, intercept=float(raw["init"]),
            trees=trees, learning_rate=float(raw["learning_rate"]),
        )
    if kind != "logistic":
        raise ValueError(f"unknown model kind {kind!r}")
    return JudgeModel(
        "logistic", feats, float(raw["threshold"]), lexicon,
        mean=np.asarray(raw["mean"], dtype=np.float64),
        scale=np.asarray(raw["scale"], dtype=np.float64),
        coef=np.asarray(raw["coef"], dtype=np.float64),
        intercept=float(raw["intercept"]),
    )


def load_model(path: Path = ARTEFACT) -> JudgeModel | None:
    """The trained judge, or None when the artefact is absent (rules decide then)."""
    key = str(path)
    if key in MODEL_CACHE:
        return MODEL_CACHE[key]
    model: JudgeModel | None = None
    if path.exists():
        try:
            model = _parse_model(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelError(
                f"{path}: unreadable contrast judge ({exc})",
                hint="rebuild it with `python benchmarks/train_judge.py` or delete it to use rules",
            ) from exc
    MODEL_CACHE[key] = model
    return model


def score_pair(
    feats: dict[str, float], unmatched: Sequence[str], diffs: Sequence[Difference], model: JudgeModel | None
) -> tuple[float, bool]:
    """The contrast probability of a pair and whether it passes the operating threshold
    (the trained model's, or 0.5 for the rule weights when there is no model)."""
    if model is None:
        p_not = 1.0
        for d in diffs:
            p_not *= 1 - _RULE_WEIGHTS.get(d.kind, 0.0)
        p = 1 - p_not
        return p, p >= 0.5
    feats = {**feats, **lexicon_features(unmatched, model.lexicon)}
    x = np.array([feats[k] for k in model.features], dtype=np.float64)
    z = model.raw(x)
    p = 1 / (1 + math.exp(-max(-50.0, min(50.0, z))))
    return p, p >= model.threshold


@dataclass(frozen=True)
class PairFeatures:
    """What ``benchmarks/train_judge.py`` trains on: rule features, the unaligned words
    (for the learned lexicon), how many differences were found and whether they explain
    a contrast (only then may the judge call one)."""

    features: dict[str, float]
    unmatched: tuple[str, ...]
    n_differences: int
    explained: bool


def pair_features(
    a_text: str, b_text: str, *, a_speaker: str | None = None, b_speaker: str | None = None
) -> PairFeatures:
    """The judge's inputs for a pair, symmetric in a and b."""
    a_text, b_text = a_text or "", b_text or ""
    if (b_text, b_speaker or "") < (a_text, a_speaker or ""):
        a_text, b_text, a_speaker, b_speaker = b_text, a_text, b_speaker, a_speaker
    a, b = analyse(a_text), analyse(b_text)
    diffs, feats, unmatched = judge_inputs(a, b, align(a, b), a_speaker, b_speaker)
    return PairFeatures(feats, unmatched, len(diffs), explains_contrast(diffs))


def read_probe_pairs(path: Path) -> list[tuple[str, str, str | None, str | None]]:
    """Pairs of a TSV with a header (a, b, a_speaker, b_speaker); ``#`` lines are comments."""
    rows = [ln.split("\t") for ln in path.read_text("utf-8").splitlines() if ln and not ln.startswith("#")]
    return [(r[0], r[1], r[2] or None, r[3] or None) for r in rows[1:]]


def feature_fingerprint(pairs: Sequence[tuple[str, str, str | None, str | None]]) -> str:
    """SHA-256 of the feature names and of every feature and unaligned word the code
    computes on ``pairs`` (text a, text b, speaker a, speaker b).

    The trained judge records the fingerprint of the code it was trained on; a test
    recomputes it, so a feature changed, added or computed differently fails until the
    judge is retrained (``make judge``). Values are rounded to 6 decimals: the features
    are plain Python arithmetic, identical across machines to far more digits."""
    h = hashlib.sha256(json.dumps(list(FEATURES)).encode())
    for a, b, sa, sb in pairs:
        pf = pair_features(a, b, a_speaker=sa or None, b_speaker=sb or None)
        row = {k: round(v, 6) for k, v in sorted(pf.features.items())}
        h.update(json.dumps([row, list(pf.unmatched), pf.n_differences, pf.explained],
                            ensure_ascii=False, sort_keys=True).encode())
    return h.hexdigest()

"""The pair-model fit used by ``python -m compare.evaluate --calibrate`` (no ../shared needed)."""

from __future__ import annotations

import numpy as np

from compare.evaluate import fit_logistic


def _data(semantic_sign: float) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    y = rng.random(2000) < 0.4
    lexical = np.where(y, 0.6, 0.3) + rng.normal(0, 0.1, y.size)
    fuzz = lexical + rng.normal(0, 0.05, y.size)
    semantic = 0.5 + semantic_sign * np.where(y, 0.1, -0.1) + rng.normal(0, 0.1, y.size)
    return np.stack([lexical, semantic, fuzz], 1), y


def test_a_helpful_semantic_feature_keeps_its_weight() -> None:
    x, y = _data(+1.0)
    m = fit_logistic(x, y, ["lexical", "semantic", "fuzz"])
    assert m["weights"]["semantic"] > 0 and m["weights"]["lexical"] > 0


def test_a_negative_semantic_weight_is_dropped_and_the_rest_refitted() -> None:
    x, y = _data(-1.0)
    m = fit_logistic(x, y, ["lexical", "semantic", "fuzz"])
    assert m["weights"]["semantic"] == 0.0
    assert set(m["weights"]) == {"lexical", "semantic", "fuzz"}
    alone = fit_logistic(x[:, [0, 2]], y, ["lexical", "fuzz"])
    assert m["intercept"] == alone["intercept"]
    assert {k: v for k, v in m["weights"].items() if k != "semantic"} == alone["weights"]

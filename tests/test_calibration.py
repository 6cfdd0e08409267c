"""The pair-model fit used by ``python -m compare.evaluate --calibrate`` (no ../shared needed)."""

from __future__ import annotations

import numpy as np
import pytest

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


def test_shipped_calibration_matches_the_feature_code() -> None:
    """calibration.json was fitted on the lexical features the code computes now, and on
    the encoders installed now (their names carry the package versions)."""
    import json

    from compare.contrast import read_probe_pairs
    from compare.encode import get_encoder
    from compare.evaluate.calibrate import CALIBRATION_FILE, PROBE_PAIRS
    from compare.score import lexical_feature_fingerprint

    cal = json.loads(CALIBRATION_FILE.read_text("utf-8"))
    pairs = [(a, b) for a, b, _, _ in read_probe_pairs(PROBE_PAIRS)]
    assert cal["lexical_feature_fingerprint"] == lexical_feature_fingerprint(pairs), (
        "the lexical features changed under calibration.json: refit with `python -m compare.evaluate --calibrate`"
    )
    assert cal["encoders"]["measured"]["use"]["name"] == get_encoder("use").name, "the USE package changed: refit"


def test_fingerprint_sees_a_changed_lexical_feature(monkeypatch: pytest.MonkeyPatch) -> None:
    from compare import score

    pairs = [("تركيا فشلت في الوفاء بالتزاماتها", "تركيا أوفت بالتزاماتها"), ("the talks may resume", "talks will resume")]
    before = score.lexical_feature_fingerprint(pairs)
    real = score.fuzz_pairs
    monkeypatch.setattr(score, "fuzz_pairs", lambda a, b, engine=None: real(a, b) + 1.0)
    assert score.lexical_feature_fingerprint(pairs) != before

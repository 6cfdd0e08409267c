"""The shipped contrast judge must have been trained on the features the code computes now.

``compare/data/contrast_judge.json`` records its feature names and a fingerprint of the
features computed on the fixed pairs in ``fixtures/judge/probe.tsv``. A feature added,
removed or computed differently changes the fingerprint, and this test fails until the
judge is retrained with ``make judge``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compare.contrast import ARTEFACT, FEATURES, feature_fingerprint, read_probe_pairs
from tests.conftest import FIXTURES, ROOT, SHARED, needs_shared

PROBE = FIXTURES / "judge" / "probe.tsv"


def test_probe_covers_every_difference_kind() -> None:
    from compare.contrast import pair_features

    pairs = read_probe_pairs(PROBE)
    assert len(pairs) >= 20
    fired = set()
    for a, b, sa, sb in pairs:
        f = pair_features(a, b, a_speaker=sa, b_speaker=sb).features
        fired |= {k for k in f if k.startswith("n_") and f[k] > 0}
    # Each feature family moves on some probe pair, so a change to it shows in the fingerprint.
    assert fired >= {"n_number", "n_date", "n_actor", "n_negation", "n_antonym", "n_attribution", "n_hedge"}, fired


def test_shipped_judge_matches_the_feature_code() -> None:
    art = json.loads(ARTEFACT.read_text("utf-8"))
    assert art["features"] == list(FEATURES), "feature list changed: retrain with `make judge`"
    assert art["feature_fingerprint"] == feature_fingerprint(read_probe_pairs(PROBE)), (
        "the judge's features are computed differently from when it was trained: retrain with `make judge`"
    )


def test_fingerprint_sees_a_changed_feature(monkeypatch: pytest.MonkeyPatch) -> None:
    # Patched where feature_fingerprint and judge_inputs look them up.
    from compare.contrast import model

    pairs = read_probe_pairs(PROBE)
    before = feature_fingerprint(pairs)
    monkeypatch.setattr(model, "FEATURES", (*model.FEATURES, "n_new"))
    assert feature_fingerprint(pairs) != before
    monkeypatch.undo()
    real = model.base_features

    def shifted(*args: object, **kw: object) -> dict[str, float]:
        f = real(*args, **kw)  # type: ignore[arg-type]
        return {**f, "len_ratio": f["len_ratio"] + 0.01}

    monkeypatch.setattr(model, "base_features", shifted)
    assert feature_fingerprint(pairs) != before


@needs_shared("data/ans-stance")
@pytest.mark.slow
def test_training_reproduces_the_shipped_judge(tmp_path: Path) -> None:
    import subprocess
    import sys

    out = tmp_path / "judge.json"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "train_judge.py"), "--out", str(out),
                    "--data", str(SHARED / "data" / "ans-stance")], check=True, capture_output=True)
    assert json.loads(out.read_text("utf-8")) == json.loads(ARTEFACT.read_text("utf-8"))

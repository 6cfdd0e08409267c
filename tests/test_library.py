"""The library face: ``from compare import ...`` for every public name, loaded lazily."""

from __future__ import annotations

import subprocess
import sys

import compare
from tests.conftest import FIXTURES, ROOT


def test_every_public_name_resolves() -> None:
    for name in compare.__all__:
        assert getattr(compare, name) is not None, name
    from compare import (
        Difference,
        audit_duplicates,
        compare_claims,
        diff_outlets,
        extract_claims,
        judge_pair,
    )

    assert callable(extract_claims) and callable(compare_claims) and callable(diff_outlets)
    assert callable(audit_duplicates) and callable(judge_pair)
    assert Difference.__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_import_is_light() -> None:
    code = "import sys, compare; print(sorted(m for m in ('polars', 'torch', 'numpy') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_results_carry_their_counts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from compare import compare_claims, extract_claims

    run = extract_claims([FIXTURES / "corpus"])
    assert dict(run.counts) == {"articles": 15, "outlets": 5, "claims": run.claims.height}
    assert dict(run.outlet_rules) == {"subfolder": 15}
    assert sum(n for _, n in run.dropped_reasons) == run.dropped.height
    cmp = compare_claims(run.claims, semantic="none", cache_dir=tmp_path)
    counts = dict(cmp.counts)
    assert counts["clusters"] == cmp.clusters.height and counts["claims"] == run.claims.height
    assert 0 < counts["across outlets"] <= counts["clusters"]


def test_all_lists_exactly_the_exports() -> None:
    assert sorted(compare.__all__) == sorted(["__version__", *compare._EXPORTS])

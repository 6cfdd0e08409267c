"""reports/ holds the example outputs generated from fixtures/: they must stay in sync.

Regenerate with `make reports` after a change that alters them on purpose.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from compare.pipeline import make_diff, make_dupes, make_report
from tests.conftest import FIXTURES, ROOT

REPORTS = ROOT / "reports"


def _regenerate(tmp: Path) -> Path:
    """Run the commands as `make reports` does, from a copy laid out like the repo,
    so that relative links in the reports come out the same."""
    shutil.copytree(FIXTURES / "corpus", tmp / "fixtures" / "corpus")
    (tmp / "reports").mkdir()
    cache = tmp / "cache"
    make_report(["fixtures/corpus"], "reports/fixtures", cache_dir=cache)
    make_diff(["fixtures/corpus"], "reports/fixtures-diff", a=["dimashq-today"], b=["marsad-turk"], cache_dir=cache)
    # The English outlets against the Arabic ones.
    make_diff(["fixtures/corpus"], "reports/fixtures-diff-en-ar", a=["global-monitor", "levant-post"],
              b=["dimashq-today", "idlib-voice", "marsad-turk"], cache_dir=cache)
    make_dupes(["fixtures/corpus"], "reports/fixtures-dupes")
    return tmp / "reports"


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("sync")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(tmp)
        return _regenerate(tmp)


@pytest.mark.parametrize(
    "name",
    sorted(str(p.relative_to(REPORTS)) for p in REPORTS.rglob("*") if p.is_file() and p.suffix != ".png"),
)
def test_committed_report_matches_a_fresh_run(regenerated: Path, name: str) -> None:
    fresh = regenerated / name
    assert fresh.exists(), f"{name} is no longer produced: run `make reports`"
    if fresh.suffix == ".parquet":
        # Encoder scores move in their last digits between machines and BLAS builds:
        # tables are compared by value, floats to a tolerance; text stays byte-exact.
        assert_frame_equal(pl.read_parquet(fresh), pl.read_parquet(REPORTS / name),
                           check_exact=False, rel_tol=1e-4, abs_tol=1e-5)
    else:
        assert fresh.read_bytes() == (REPORTS / name).read_bytes(), f"reports/{name} is stale: run `make reports`"


def test_every_output_is_committed(regenerated: Path) -> None:
    made = sorted(str(p.relative_to(regenerated)) for p in regenerated.rglob("*") if p.is_file())
    kept = sorted(str(p.relative_to(REPORTS)) for p in REPORTS.rglob("*") if p.is_file() and p.suffix != ".png")
    assert made == kept

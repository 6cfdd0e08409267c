"""A duplicate audit killed with SIGKILL cannot clean its spill folder; the next audit
removes it (folders are named after their process id and are stale once it is gone)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from compare.dupes import SPILL_PREFIX, sweep_stale_spills

CHILD = """
import sys, time
from compare.dupes import near
near.verify_candidates_into = lambda *a, **k: time.sleep(120)  # hold the spill folder open
keys = [f"wire copy number {i} about the convoy that reached the city" for i in range(40)]
near.verified_pairs(keys, keys, chunk_size=10)
"""


def _dead_pid() -> int:
    p = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    return int(p.stdout)


def test_stale_folders_go_and_live_ones_stay(tmp_path: Path) -> None:
    stale = tmp_path / f"{SPILL_PREFIX}{_dead_pid()}-abc"
    live = tmp_path / f"{SPILL_PREFIX}{os.getpid()}-def"
    other = tmp_path / "compare-dupes-notapid"
    for d in (stale, live, other):
        d.mkdir()
        (d / "band0.npy").write_bytes(b"x")
    assert sweep_stale_spills(tmp_path) == [stale]
    assert not stale.exists() and live.exists() and other.exists()


def test_missing_temp_folder_is_not_an_error(tmp_path: Path) -> None:
    assert sweep_stale_spills(tmp_path / "absent") == []


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_folder_of_a_killed_audit_is_swept(tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    child = subprocess.Popen([sys.executable, "-c", CHILD], env=env)
    try:
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob(f"{SPILL_PREFIX}{child.pid}-*")) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = list(tmp_path.glob(f"{SPILL_PREFIX}{child.pid}-*"))
        assert left, "the child never spilled"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert all(p.exists() for p in left)  # SIGKILL skipped the cleanup
    assert sweep_stale_spills(tmp_path) == left
    assert not any(p.exists() for p in left)

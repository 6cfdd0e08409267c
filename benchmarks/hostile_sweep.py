"""Hostile-input sweep as a script: every command on every generated hostile input.

Usage: python benchmarks/hostile_sweep.py [--tiny N]
Prints one line per input and "inputs: N, crashes: C". The same cases run in
tests/test_hostile.py; the inputs are generated in a temporary folder and removed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import hostile_corpus as hc  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--tiny", type=int, default=0, help="also run `compare claims` on N one-line files")
    args = ap.parse_args()
    tally = hc.Tally()
    reference = ROOT / "fixtures" / "corpus" / "marsad-turk"
    with tempfile.TemporaryDirectory() as tmp:
        cases = list(hc.CASES)
        if args.tiny:
            cases.append(hc.Case(f"{args.tiny}-tiny-files", lambda d: hc.many_tiny_files(d, args.tiny), ("claims",)))
        for case in cases:
            t0 = time.perf_counter()
            results = hc.run_case(case, Path(tmp) / case.name, reference, tally)
            codes = " ".join(f"{cmd}={code}" for cmd, (code, _) in results.items())
            print(f"{case.name:24s} {time.perf_counter() - t0:6.1f}s  {codes}")
    for crash in tally.crashes:
        print("CRASH", crash)
    print(f"inputs: {tally.inputs}, command runs: {tally.runs}, clean refusals: {tally.errors}, crashes: {len(tally.crashes)}")
    return 1 if tally.crashes else 0


if __name__ == "__main__":
    sys.exit(main())

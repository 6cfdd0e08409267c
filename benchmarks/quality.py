"""Quality table on ../shared/data: python benchmarks/quality.py [--shared PATH] [--json OUT].

STS17 Spearman, ANS dev same-claim accuracy, CheckThat MRR, and clustering (Baly eval half,
MSRP) for the hybrid, its components and the sentence-transformers baselines.
Semantic embeddings are cached under ~/.cache/compare-eval.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from compare.evaluate import DEFAULT_CACHE, format_report, run_evaluation


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    ap.add_argument("--encoders", default="use,e5")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    if not (args.shared / "data").exists():
        print(f"{args.shared}/data is absent: nothing to measure", file=sys.stderr)
        return 0
    t0 = time.perf_counter()
    res = run_evaluation(args.shared, tuple(args.encoders.split(",")), args.cache)
    print(format_report(res))
    print(f"({time.perf_counter() - t0:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(res, indent=1, default=float), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

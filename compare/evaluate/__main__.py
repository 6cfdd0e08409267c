"""``python -m compare.evaluate``: print all figures as JSON, or ``--calibrate`` to refit
and write compare/data/calibration.json (printing what was written)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .calibrate import calibrate, write_calibration
from .features import DEFAULT_CACHE
from .report import run_evaluation

# ../shared beside the checkout (this file is compare/evaluate/__main__.py).
_SHARED = Path(__file__).resolve().parents[3] / "shared"


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m compare.evaluate")
    ap.add_argument("--shared", type=Path, default=_SHARED)
    ap.add_argument("--calibrate", action="store_true", help="write compare/data/calibration.json")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    args = ap.parse_args(argv)
    if args.calibrate:
        written = write_calibration(calibrate(args.shared, args.cache))
        json.dump(written, sys.stdout, indent=1, ensure_ascii=False)
        return 0
    json.dump(run_evaluation(args.shared, cache_dir=args.cache), sys.stdout, indent=1, default=float)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

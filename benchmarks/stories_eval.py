"""Story grouping on Baly dev: the threshold chosen on the tune half, figures on both.

    python benchmarks/stories_eval.py [--shared ../shared] [--json]

Prints the figures on fixtures/corpus (labels in fixtures/labels/stories.csv), then, for
the tune half (even-position claims) and the held-out half (odd), pairwise
precision / recall / F1 over article pairs and the number of stories, plus the tune
sweep (see ``compare.evaluate.stories`` for what the gold is).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    from compare.evaluate.stories import evaluate_stories, fixture_story_scores

    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--json", action="store_true", help="print the whole result as JSON")
    args = ap.parse_args()
    if not (args.shared / "data" / "baly2018-dev").is_dir():
        print(f"{args.shared}/data/baly2018-dev is absent", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    fx, n_fx = fixture_story_scores(ROOT / "fixtures" / "corpus", ROOT / "fixtures" / "labels" / "stories.csv")
    print(f"fixtures/corpus: stories {n_fx} P {fx.precision:.3f} R {fx.recall:.3f} F1 {fx.f1:.3f}")
    res = evaluate_stories(args.shared, log=lambda m: print(m, file=sys.stderr))
    if args.json:
        print(json.dumps(res, indent=1))
        return 0
    print(f"threshold (chosen on tune): {res['threshold']}")
    for t, s in res["sweep"].items():
        print(f"  tune {t}: P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f} stories {s['stories']}")
    for half in ("tune", "held_out"):
        s = res[half]
        print(f"{half}: pages {s['pages']} stories {s['stories']} P {s['precision']:.3f} R {s['recall']:.3f} "
              f"F1 {s['f1']:.3f} (tp {s['tp']} fp {s['fp']} fn {s['fn']})")
    print(f"wall {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

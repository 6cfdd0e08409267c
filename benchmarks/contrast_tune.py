"""The same-claim test on the hand-labelled tuning pairs (``set: tune-pool`` in
``fixtures/labels/baly-dev/contrasts.jsonl``): how many pairs the judge calls a contrast
pass the test, and how many of those a reader labelled real.

    python benchmarks/contrast_tune.py

The pool: contrast links of a Baly dev run before the test existed, from the "tune" half
of pair keys only (``end_to_end.contrast_half``), each judged again by the current code.
A tuning figure, not a held-out one: the end-to-end run's "report" half is held out.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from compare.contrast.judge import judge_pair  # noqa: E402
from compare.contrast.sameclaim import PRECISIONS, same_claim_texts  # noqa: E402


def main() -> int:
    rows = [json.loads(line) for line in (ROOT / "fixtures" / "labels" / "baly-dev" / "contrasts.jsonl").open(encoding="utf-8")]
    pool = [r for r in rows if r.get("set") == "tune-pool"]
    real = sum(1 for r in pool if r["real"])
    print(f"tune pool: {len(pool)} labelled pairs, {real} real")
    judged = [(r, judge_pair(r["a"], r["b"], a_speaker=r["speaker_a"], b_speaker=r["speaker_b"])) for r in pool]
    for precision in PRECISIONS:
        kept: Counter[str] = Counter()
        reasons: Counter[str] = Counter()
        for r, j in judged:
            two = bool(r["speaker_a"] and r["speaker_b"] and r["speaker_a"] != r["speaker_b"])
            sc = same_claim_texts(r["a"], r["b"], j.differences, two_speakers=two, precision=precision)
            if j.is_contrast and sc.is_same:
                kept[r["kind"]] += 1
            else:
                reasons[sc.reason or "judge: no contrast"] += 1
        n = sum(kept.values())
        p = f"{kept['real'] / n:.3f}" if n else "-"
        print(f"--precision {precision}: {n} contrasts, {kept['real']} real (precision {p}, recall {kept['real'] / real:.3f})")
        print("   kept by label:", dict(sorted(kept.items())))
        print("   refused:", dict(reasons.most_common()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

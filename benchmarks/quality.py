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

from compare.evaluate import DEFAULT_CACHE, run_evaluation


def _f(x: object) -> str:
    return "n/a" if not isinstance(x, float) or x != x else f"{x:.3f}"


def render(res: dict[str, object]) -> str:
    out: list[str] = []
    sts = res["sts17_spearman"]
    assert isinstance(sts, dict)
    methods = list(next(iter(sts.values())))
    out.append("STS17 Spearman      " + "".join(f"{m:>14}" for m in methods))
    for track, row in sts.items():
        out.append(f"  {track:<18}" + "".join(f"{_f(row[m]):>14}" for m in methods))
    for key, label in (("ans_dev_accuracy", "ANS dev accuracy"), ("checkthat_mrr", "CheckThat MRR")):
        row = res[key]
        assert isinstance(row, dict)
        out.append(f"{label:<20}" + "".join(f"{m}={_f(v)}  " for m, v in row.items()))
    clus = res.get("clustering", {})
    assert isinstance(clus, dict)
    for enc, by in clus.items():
        out.append(f"Clustering (semantic vectors: {enc}; thresholds {by['threshold']})")
        out.append(f"  {'set':<6}{'method':<22}{'pair_p':>8}{'pair_r':>8}{'b3_f1':>8}{'ari':>8}{'embedded':>10}")
        for ds in ("baly", "msrp"):
            for m, v in by[ds].items():
                emb = v.get("embedded_fraction")
                out.append(f"  {ds:<6}{m:<22}{_f(v['pair_p']):>8}{_f(v['pair_r']):>8}"
                           f"{_f(v['b3_f1']):>8}{_f(v['ari']):>8}{_f(emb) if emb is not None else '':>10}")
    out.append(f"items: {res.get('clustering_items')}  checkthat tweets: {res.get('checkthat_tweets')}")
    return "\n".join(out)


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
    print(render(res))
    print(f"({time.perf_counter() - t0:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(res, indent=1, default=float), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Duplicate-audit benchmark: our audit vs datasketch MinHashLSH vs exact all-pairs rapidfuzz.

Data: Baly et al. 2018 dev folds from ../shared (articles deduplicated by URL, outlet = URL
domain, paragraph = article line), resampled with light perturbations (a word dropped,
two adjacent words swapped, a word added) to reach the target sizes.

Prints, per size: throughput (units/s), peak traced memory (tracemalloc, Python and numpy
allocations) and, on the subset where the exact all-pairs baseline is affordable, recall of
verified near-duplicate pairs against that baseline.

    python benchmarks/dupes_bench.py [--sizes 10000 100000] [--exact 1000]

Skips (exit 0) when ../shared is absent.

``--curve``: the memory curve of the audit alone on a synthetic corpus (benchmarks/synth.py),
every corpus line one paragraph unit, each size in a fresh process: seconds, RSS with the
units loaded (the input frame), peak RSS during the audit, and the audit's working memory
(peak minus inputs) per 100k units. Units are cached as parquet under --curve-cache so that
the child's RSS holds the frame and nothing left over from building it.

    python benchmarks/dupes_bench.py --curve 100000 250000 500000 1000000 \
        --corpus /tmp/compare-synth/g130k [--chunk-size N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
BALY = SHARED / "data" / "baly2018-dev" / "claims"
sys.path.insert(0, str(ROOT))

from compare import dupes, schema  # noqa: E402
from compare.text.normalize import clean_display, match_key  # noqa: E402


def load_baly(folder: Path = BALY) -> pl.DataFrame:
    """Baly articles as a PARAGRAPHS frame (undated; one paragraph per non-empty line)."""
    rows: list[dict[str, object]] = []
    seen: set[str] = set()
    for f in sorted(folder.glob("*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        for text, url in zip(d["article"], d["url"], strict=True):
            if url in seen:
                continue
            seen.add(url)
            outlet = urlparse(url).netloc.lower().removeprefix("www.")
            aid = f"{f.stem}:{len(seen)}"
            for i, line in enumerate(x for x in text.split("\n") if x.strip()):
                t = clean_display(line)
                rows.append(
                    {
                        "paragraph_id": f"{aid}:p{i}", "article_id": aid, "outlet": outlet,
                        "source": url, "date": None, "paragraph": i, "start": 0, "end": len(t),
                        "text": t, "key": match_key(t),
                    }
                )
    return schema.frame(rows, schema.PARAGRAPHS)


def grow(base: pl.DataFrame, n: int, seed: int = 7) -> pl.DataFrame:
    """``n`` units: the base, then perturbed resamples of it (new ids, new articles)."""
    rng = random.Random(seed)
    rows = base.to_dicts()
    out = list(rows[:n])
    k = 0
    while len(out) < n:
        r = dict(rows[rng.randrange(len(rows))])
        words = r["text"].split()
        op = rng.randrange(4)
        if len(words) > 3 and op == 0:
            del words[rng.randrange(len(words))]
        elif len(words) > 3 and op == 1:
            i = rng.randrange(len(words) - 1)
            words[i], words[i + 1] = words[i + 1], words[i]
        elif op == 2:
            words.insert(rng.randrange(len(words) + 1), rng.choice(("قد", "أيضا", "كما", "اليوم")))
        text = " ".join(words)
        k += 1
        r.update(paragraph_id=f"x{k}:{r['paragraph_id']}", article_id=f"x{k // 20}", text=text, key=match_key(text))
        out.append(r)
    return pl.DataFrame(out, schema=schema.PARAGRAPHS)


def measure(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, seconds, peak MiB traced)."""
    tracemalloc.start()
    t0 = time.perf_counter()
    res = fn()
    dt = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return res, dt, peak


def unique_units(df: pl.DataFrame) -> pl.DataFrame:
    """Units the audit considers (>= MIN_TOKENS words), one per distinct key."""
    n_tok = df["key"].str.count_matches(" ") + 1
    return df.filter(n_tok >= dupes.MIN_TOKENS).unique("key", keep="first").sort("paragraph_id")


def ours_pairs(df: pl.DataFrame, threshold: float) -> set[tuple[str, str]]:
    """Verified distinct-key pairs our audit puts in one group (by key)."""
    res = dupes.audit_duplicates(df, threshold=threshold)
    keys = dict(zip(df["paragraph_id"], df["key"], strict=True))
    out: set[tuple[str, str]] = set()
    by_group: dict[str, set[str]] = {}
    for g, p in zip(res.members["group_id"], res.members["paragraph_id"], strict=True):
        by_group.setdefault(g, set()).add(keys[p])
    for ks in by_group.values():
        s = sorted(ks)
        out.update((a, b) for i, a in enumerate(s) for b in s[i + 1 :])
    return out


def ours_verified_pairs(df: pl.DataFrame, threshold: float) -> set[tuple[str, str]]:
    """Our candidate generation + verification only (no grouping), on distinct keys."""
    u = unique_units(df)
    keys = u["key"].to_list()
    edges = dupes.verified_pairs(keys, u["text"].to_list(), threshold)
    return {(min(keys[a], keys[b]), max(keys[a], keys[b])) for a, b in edges}


def datasketch_pairs(df: pl.DataFrame, threshold: float, verify: bool = True) -> set[tuple[str, str]]:
    """datasketch MinHashLSH used directly: same shingles, banding and verification as ours."""
    from datasketch import MinHash, MinHashLSH

    u = unique_units(df)
    keys = u["key"].to_list()
    lsh = MinHashLSH(num_perm=dupes.NUM_PERM, params=(dupes.BANDS, dupes.NUM_PERM // dupes.BANDS))
    cands: list[tuple[int, int]] = []
    for i, k in enumerate(keys):
        toks = k.split()
        sh = {" ".join(toks[j : j + dupes.SHINGLE_K]) for j in range(max(1, len(toks) - dupes.SHINGLE_K + 1))}
        mh = MinHash(num_perm=dupes.NUM_PERM, seed=1)
        mh.update_batch([s.encode("utf-8") for s in sh])
        cands.extend((j, i) for j in lsh.query(mh))
        lsh.insert(i, mh)
    if not verify:
        return {(min(keys[a], keys[b]), max(keys[a], keys[b])) for a, b in cands}
    edges = dupes.verify_candidates(keys, u["text"].to_list(), cands, threshold)
    return {(min(keys[a], keys[b]), max(keys[a], keys[b])) for a, b in edges}


def exact_pairs(df: pl.DataFrame, threshold: float) -> set[tuple[str, str]]:
    """All pairs, rapidfuzz cdist (ratio, token_sort, partial_ratio) then the same rule."""
    from rapidfuzz import fuzz, process

    u = unique_units(df)
    keys = u["key"].to_list()
    text = dict(zip(u["key"], u["text"], strict=True))
    cut = threshold * 100
    mats = [
        process.cdist(keys, keys, scorer=sc, score_cutoff=cut, workers=-1, dtype=np.uint8)
        for sc in (fuzz.ratio, fuzz.token_sort_ratio, fuzz.partial_ratio)
    ]
    hit = np.triu((mats[0] > 0) | (mats[1] > 0) | (mats[2] > 0), k=1)
    out: set[tuple[str, str]] = set()
    for i, j in zip(*np.nonzero(hit), strict=True):
        a, b = keys[i], keys[j]
        if dupes.verify(a, text[a], b, text[b], threshold):
            out.add((min(a, b), max(a, b)))
    return out


# --- memory curve -----------------------------------------------------------------------------


def curve_units(corpus: Path, n: int, cache: Path) -> Path:
    """The first ``n`` lines of a synth corpus as a PARAGRAPHS parquet (built once)."""
    out = cache / f"{corpus.name}-{n}.parquet"
    if out.exists():
        return out
    cols: dict[str, list[Any]] = {c: [] for c in ("paragraph_id", "article_id", "outlet", "date", "paragraph", "text")}
    with (corpus / "corpus.jsonl").open(encoding="utf-8") as fh:
        for rec in map(json.loads, fh):
            for line_no, text in enumerate(rec["text"].split("\n"), start=1):
                for c, v in zip(cols, (f"{rec['id']}:{line_no}", rec["id"], rec["outlet"], rec["date"], line_no, text),
                                strict=True):
                    cols[c].append(v)
                if len(cols["text"]) >= n:
                    break
            if len(cols["text"]) >= n:
                break
    m = len(cols["text"])
    df = pl.DataFrame({**cols, "source": ["corpus.jsonl"] * m, "start": [0] * m,
                       "end": [len(t) for t in cols["text"]], "key": [match_key(t) for t in cols["text"]]},
                      schema=schema.PARAGRAPHS).select(list(schema.PARAGRAPHS))
    cache.mkdir(parents=True, exist_ok=True)
    df.write_parquet(out.with_suffix(".tmp"))
    out.with_suffix(".tmp").rename(out)
    return out


def _rss() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def curve_point(path: Path, chunk_size: int | None) -> dict[str, Any]:
    """One audit in this process: seconds, RSS of the loaded units, peak RSS during the audit."""
    import gc

    units = pl.read_parquet(path)
    gc.collect()
    rss0 = _rss()
    peak = rss0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _rss())
            stop.wait(0.005)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    kw = {} if chunk_size is None else {"chunk_size": chunk_size}
    t0 = time.perf_counter()
    res = dupes.audit_duplicates(units, **kw)
    dt = time.perf_counter() - t0
    stop.set()
    th.join()
    peak = max(peak, _rss())
    return {"units": units.height, "seconds": round(dt, 1), "inputs_mib": round(rss0 / 2**20),
            "peak_mib": round(peak / 2**20), "groups": res.groups.height, "members": res.members.height,
            "loadavg": Path("/proc/loadavg").read_text().split()[:3]}


def run_curve(args: argparse.Namespace) -> int:
    corpus = Path(args.corpus)
    if not (corpus / "corpus.jsonl").exists():
        print(f"skipped: {corpus}/corpus.jsonl is absent (python benchmarks/synth.py -n 130000 --out {corpus})")
        return 0
    print(f"{'units':>9} {'seconds':>8} {'inputs MiB':>10} {'peak MiB':>9} {'audit MiB':>9} "
          f"{'audit MiB/100k':>14} {'marginal/100k':>13}  groups  loadavg")
    prev: tuple[int, int] | None = None
    for n in args.curve:
        path = curve_units(corpus, n, Path(args.curve_cache))
        cmd = [sys.executable, __file__, "--curve-point", str(path)]
        if args.chunk_size is not None:
            cmd += ["--chunk-size", str(args.chunk_size)]
        r = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
        work = r["peak_mib"] - r["inputs_mib"]
        marg = f"{(work - prev[1]) / (r['units'] - prev[0]) * 1e5:13.1f}" if prev else f"{'':13s}"
        print(f"{r['units']:9d} {r['seconds']:8.1f} {r['inputs_mib']:10d} {r['peak_mib']:9d} {work:9d} "
              f"{work / r['units'] * 1e5:14.1f} {marg}  {r['groups']:6d}  {' '.join(r['loadavg'])}", flush=True)
        prev = (r["units"], work)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--exact", type=int, default=1000, help="units for the exact all-pairs baseline")
    ap.add_argument("--threshold", type=float, default=dupes.DEFAULT_THRESHOLD)
    ap.add_argument("--skip-datasketch-above", type=int, default=100_000)
    ap.add_argument("--curve", type=int, nargs="+", help="unit counts: memory curve on --corpus, then exit")
    ap.add_argument("--corpus", default="/tmp/compare-synth/g130k", help="synth corpus folder for --curve")
    ap.add_argument("--curve-cache", default="/tmp/dupes-curve", help="parquet cache of curve units")
    ap.add_argument("--chunk-size", type=int, default=None, help="audit_duplicates(chunk_size=...) for --curve")
    ap.add_argument("--curve-point", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.curve_point:
        print(json.dumps(curve_point(Path(args.curve_point), args.chunk_size)))
        return 0
    if args.curve:
        return run_curve(args)
    if not BALY.exists():
        print(f"skipped: {BALY} is absent")
        return 0
    base, dt, _ = measure(load_baly)
    print(f"Baly dev: {base.height} paragraphs, {base['article_id'].n_unique()} articles, "
          f"{base['outlet'].n_unique()} outlets (loaded in {dt:.1f}s)")
    th = args.threshold

    sub = grow(base, args.exact, seed=3)
    exact, t_ex, m_ex = measure(lambda: exact_pairs(sub, th))
    ours, t_o, m_o = measure(lambda: ours_pairs(sub, th))
    ours_v, t_v, m_v = measure(lambda: ours_verified_pairs(sub, th))
    ds, t_d, m_d = measure(lambda: datasketch_pairs(sub, th))
    n_u = unique_units(sub).height
    print(f"\nrecall vs exact all-pairs on {sub.height} units ({n_u} distinct keys, {len(exact)} true pairs, threshold {th}):")
    for name, got, t, mem in (
        ("exact rapidfuzz", exact, t_ex, m_ex),
        ("ours: pairs", ours_v, t_v, m_v),
        ("ours: in groups", ours, t_o, m_o),
        ("datasketch", ds, t_d, m_d),
    ):
        rec = len(got & exact) / len(exact) if exact else 1.0
        extra = len(got - exact)
        print(f"  {name:16s} recall {rec:.3f}  extra {extra:4d}  {sub.height / t:9.0f} units/s  peak {mem:7.1f} MiB")

    for n in args.sizes:
        df = grow(base, n)
        res, t, mem = measure(partial(dupes.audit_duplicates, df, threshold=th))
        print(f"\n{n} units: ours {n / t:8.0f} units/s ({t:.1f}s), peak {mem:.1f} MiB, "
              f"{res.groups.height} groups, {res.members.height} members")
        if n <= args.skip_datasketch_above:
            got, t2, mem2 = measure(partial(datasketch_pairs, df, th))
            print(f"{n} units: datasketch MinHashLSH (+ same verification) {n / t2:8.0f} units/s ({t2:.1f}s), "
                  f"peak {mem2:.1f} MiB, {len(got)} pairs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

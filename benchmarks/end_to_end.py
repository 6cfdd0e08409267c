"""End to end on a real corpus: the whole pipeline, default settings, on every Baly dev article.

    python benchmarks/end_to_end.py                      # full Baly dev, prints the figures
    python benchmarks/end_to_end.py --limit 20           # the first 20 claims' articles (a smoke run)
    python benchmarks/end_to_end.py --reuse              # re-read the last run's outputs

What it runs: every distinct article of every Baly dev claim (outlet = URL domain) and
each claim's own text (outlet ``baly-claim``) go into one JSONL corpus, and
``compare.pipeline.make_report`` runs on it exactly as ``compare report`` does with
default settings. Then, in one run:

- **Linking.** Gold items are each claim's text and every rationale line of its
  ``agree``/``disagree`` articles. Two items are joined when any claim cut from one shares
  a cluster with any claim cut from the other; pairs of lines of one article are left
  out. Pairwise precision, recall and F1, beside two baselines on the claims cut from the
  gold items: character 2-4-gram TF-IDF cosine at its best threshold (an oracle choice,
  so an upper bound for it) and sentence-transformers ``community_detection`` on the
  default encoder at its default threshold.
- **Contrasts and clusters in the wild.** Seeded samples of contrast links and of
  cross-outlet clusters, looked up in the hand labels
  (``fixtures/labels/baly-dev/contrasts.jsonl``, ``clusters.jsonl``, keyed by claim text);
  the precision of each sample from its labels, and the items still unlabelled, written
  to ``OUT/unlabelled-*.jsonl`` for a reader. Also the share of contrast links whose
  articles were gathered for different Baly claims (different stories, roughly).
- **Furniture.** On the hand-labelled articles (``furniture.jsonl``; ``tune`` and
  ``held-out`` halves apart): precision and recall of furniture removal over letters and
  digits (a character is removed when no claim covers it), and the share of claims that
  hold furniture; plus claims that state nothing (fewer than three words and no digit).
- **The first 20 contrasts a reader meets** (the summary's, then each story's, in
  report order), looked up in the same labels.
- **What a reader gets.** report.md and report.html sizes, the first ten contrast
  headings in report order.
- Wall time and peak memory of the pipeline run.

Use the dev folds only (they are all ``../shared`` holds).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared"
LABELS = ROOT / "fixtures" / "labels" / "baly-dev"
SEED = 16
CLAIM_OUTLET = "baly-claim"
_WORD = re.compile(r"\w+")


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def pair_key(a: str, b: str) -> str:
    """A contrast label's key: the two claim texts, order-free."""
    x, y = sorted((a, b))
    return _sha1(x + "\x00" + y)[:16]


def cluster_key(texts: Iterable[str]) -> str:
    """A cluster label's key: its member texts, order-free (a changed membership is a new item)."""
    return _sha1("\x00".join(sorted(set(texts))))[:16]


# --------------------------------------------------------------------------- corpus


@dataclass(frozen=True)
class GoldItem:
    """A line that states a Baly claim: the claim itself or a rationale line of an article."""

    doc_id: str
    line: int | None  # None: the whole document (a claim's own text)
    claims: frozenset[str]


def build_corpus(shared: Path, out: Path, limit: int | None) -> tuple[list[GoldItem], dict[str, set[str]]]:
    """Write OUT/corpus.jsonl; return the gold items and, per document, the Baly claims it
    was gathered for."""
    files = sorted((shared / "data" / "baly2018-dev" / "claims").glob("*.json"))
    if limit is not None:
        files = files[:limit]
    docs: dict[str, dict[str, str]] = {}
    gathered_for: dict[str, set[str]] = defaultdict(set)
    item_claims: dict[tuple[str, int | None], set[str]] = defaultdict(set)
    for f in files:
        d = json.loads(f.read_text("utf-8"))
        cid = str(d["id"])
        claim_doc = f"claim-{cid}"
        docs[claim_doc] = {"id": claim_doc, "outlet": CLAIM_OUTLET, "url": "", "text": str(d["claim"])}
        gathered_for[claim_doc].add(cid)
        item_claims[(claim_doc, None)].add(cid)
        for text, url, stance, rationale in zip(d["article"], d["url"], d["stance"], d["rationale"], strict=True):
            text = str(text)
            if not text.strip():
                continue
            doc_id = "a-" + _sha1(text)[:12]
            outlet = urlparse(str(url)).netloc.removeprefix("www.") or "unknown"
            docs.setdefault(doc_id, {"id": doc_id, "outlet": outlet, "url": str(url), "text": text})
            gathered_for[doc_id].add(cid)
            if stance in ("agree", "disagree"):
                lines = json.loads(rationale) if isinstance(rationale, str) and rationale.startswith("[") else rationale
                for li in lines if isinstance(lines, list) else []:
                    if str(li).strip().lstrip("-").isdigit() and 0 <= int(li) < text.count("\n") + 1:
                        item_claims[(doc_id, int(li))].add(cid)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "corpus.jsonl").open("w", encoding="utf-8") as fh:
        for doc in docs.values():
            fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
    items = [GoldItem(doc, line, frozenset(cs)) for (doc, line), cs in sorted(item_claims.items(), key=str)]
    return items, dict(gathered_for)


def run_pipeline(out: Path) -> dict[str, float]:
    from compare.pipeline import make_report

    t0 = time.perf_counter()
    make_report([out / "corpus.jsonl"], out / "report")
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB on Linux
    return {"wall_s": round(wall, 1), "peak_mib": round(peak, 1)}


# --------------------------------------------------------------------------- linking


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def item_claims(items: Sequence[GoldItem], claims: pl.DataFrame, texts: dict[str, str]) -> list[list[str]]:
    """The claim ids cut from each gold item (overlapping its line)."""
    by_doc: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for doc, start, end, cid in claims.select("article_id", "start", "end", "claim_id").iter_rows():
        by_doc[doc].append((start, end, cid))
    out = []
    for it in items:
        rows = by_doc.get(it.doc_id, [])
        if it.line is None:
            out.append([c for _, _, c in rows])
            continue
        spans = _line_spans(texts[it.doc_id])
        a, b = spans[it.line] if it.line < len(spans) else (0, 0)
        out.append([c for s, e, c in rows if s < b and e > a])
    return out


def pair_scores(items: Sequence[GoldItem], joined: Any) -> dict[str, float]:
    """Pairwise P/R/F1 over gold item pairs from different documents; ``joined(i, j)``."""
    tp = fp = fn = 0
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if items[i].doc_id == items[j].doc_id:
                continue
            gold = bool(items[i].claims & items[j].claims)
            pred = bool(joined(i, j))
            tp += gold and pred
            fp += pred and not gold
            fn += gold and not pred
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "tp": tp, "fp": fp, "fn": fn}


def linking_figures(items: Sequence[GoldItem], per_item: list[list[str]], claims: pl.DataFrame) -> dict[str, Any]:
    cluster_of = dict(zip(claims["claim_id"], claims["cluster_id"], strict=True))
    item_clusters = [{cluster_of[c] for c in cs} for cs in per_item]
    res: dict[str, Any] = {
        "gold_items": len(items),
        "items_with_no_claim": sum(1 for cs in per_item if not cs),
        "pipeline": pair_scores(items, lambda i, j: bool(item_clusters[i] & item_clusters[j])),
    }
    res.update(baselines(items, per_item, claims))
    return res


def baselines(items: Sequence[GoldItem], per_item: list[list[str]], claims: pl.DataFrame) -> dict[str, Any]:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    used = sorted({c for cs in per_item for c in cs})
    if not used:
        return {}
    index = {c: n for n, c in enumerate(used)}
    key = dict(zip(claims["claim_id"], claims["key"], strict=True))
    text = dict(zip(claims["claim_id"], claims["text"], strict=True))
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
    x = vec.fit_transform([key[c] for c in used])
    sims = (x @ x.T).toarray()
    rows = [[index[c] for c in cs] for cs in per_item]
    best_sim = np.zeros((len(items), len(items)), dtype=np.float32)
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if rows[i] and rows[j]:
                best_sim[i, j] = sims[np.ix_(rows[i], rows[j])].max()
    grid = [round(t, 2) for t in np.arange(0.05, 0.96, 0.05)]
    sweep = {t: pair_scores(items, lambda i, j, t=t: best_sim[min(i, j), max(i, j)] >= t) for t in grid}
    t_best = max(grid, key=lambda t: sweep[t]["f1"])
    res: dict[str, Any] = {"tfidf_best": {"threshold": t_best, **sweep[t_best]}}

    from sentence_transformers import util

    from compare.encode import encode_cached, get_encoder
    from compare.pipeline import default_cache_dir

    enc = get_encoder("default")
    emb = encode_cached(enc, [text[c] for c in used], default_cache_dir())
    import torch

    communities = util.community_detection(torch.from_numpy(np.asarray(emb, dtype=np.float32)), threshold=0.75,
                                           min_community_size=1)
    community_of = {}
    for n, members in enumerate(communities):
        for m in members:
            community_of[used[m]] = n
    item_comms = [{community_of.get(c, -1 - index[c]) for c in cs} for cs in per_item]
    res["st_community_detection"] = {"threshold": 0.75, "encoder": enc.name,
                                     **pair_scores(items, lambda i, j: bool(item_comms[i] & item_comms[j]))}
    return res


# --------------------------------------------------------------------------- samples


def _read_labels(path: Path) -> dict[str, dict[str, Any]]:
    if not path.exists():
        return {}
    out = {}
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if line.strip():
            row = json.loads(line)
            if "key" not in row:
                sys.exit(f"{path}:{n}: a label needs a key")
            out[str(row["key"])] = row
    return out


def contrast_sample(out: Path, claims: pl.DataFrame, links: pl.DataFrame, gathered_for: dict[str, set[str]],
                    size: int) -> dict[str, Any]:
    info = {r["claim_id"]: r for r in claims.select("claim_id", "text", "outlet", "article_id", "speaker").iter_rows(named=True)}
    contrasts = links.filter(pl.col("relation") == "contrast")
    rows = []
    for r in contrasts.iter_rows(named=True):
        a, b = info[r["claim_a"]], info[r["claim_b"]]
        rows.append({"key": pair_key(a["text"], b["text"]), "a": a["text"], "b": b["text"],
                     "outlet_a": a["outlet"], "outlet_b": b["outlet"], "speaker_a": a["speaker"],
                     "speaker_b": b["speaker"], "differences": r["differences"],
                     "same_story": bool(gathered_for.get(a["article_id"], set()) & gathered_for.get(b["article_id"], set()))})
    rows.sort(key=lambda r: r["key"])
    dedup = list({r["key"]: r for r in rows}.values())
    random.Random(SEED).shuffle(dedup)
    sample = dedup[:size]
    labels = _read_labels(LABELS / "contrasts.jsonl")
    res = {"links": contrasts.height, "distinct_pairs": len(dedup),
           "across_stories": round(sum(1 for r in rows if not r["same_story"]) / len(rows), 4) if rows else 0.0,
           **_precision(sample, labels, "real", out / "unlabelled-contrasts.jsonl")}
    # The same-claim test was tuned on labelled pairs of the "tune" half only: the
    # "report" half is the held-out figure.
    for half in ("tune", "report"):
        part = [r for r in sample if contrast_half(r["key"]) == half]
        got = [labels[r["key"]] for r in part if r["key"] in labels]
        res[f"{half}_half"] = {"sample": len(part), "labelled": len(got),
                               "real_precision": round(sum(1 for g in got if g.get("real")) / len(got), 4) if got else None}
    return res


def contrast_half(key: str) -> str:
    """Which half of the contrast pairs a label key falls in: "tune" (may shape the
    same-claim test) or "report" (held out), by the key's first hex digit."""
    return "tune" if int(key[0], 16) < 8 else "report"


def cluster_sample(out: Path, claims: pl.DataFrame, clusters: pl.DataFrame, size: int) -> dict[str, Any]:
    cross = clusters.filter(pl.col("n_outlets") >= 2)
    members = claims.filter(pl.col("cluster_id").is_in(cross["cluster_id"].to_list())).sort("claim_id")
    texts: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for cid, text, outlet in members.select("cluster_id", "text", "outlet").iter_rows():
        texts[cid].append((outlet, text))
    rows = [{"key": cluster_key(t for _, t in v), "size": len(v),
             "members": [{"outlet": o, "text": t} for o, t in sorted(v)[:12]]} for v in texts.values()]
    rows.sort(key=lambda r: r["key"])
    random.Random(SEED).shuffle(rows)
    sample = rows[:size]
    labels = _read_labels(LABELS / "clusters.jsonl")
    return {"cross_outlet_clusters": cross.height,
            **_precision(sample, labels, "one_claim", out / "unlabelled-clusters.jsonl")}


def _precision(sample: list[dict[str, Any]], labels: dict[str, dict[str, Any]], field: str,
               unlabelled_path: Path) -> dict[str, Any]:
    labelled = [labels[r["key"]] for r in sample if r["key"] in labels]
    missing = [r for r in sample if r["key"] not in labels]
    with unlabelled_path.open("w", encoding="utf-8") as fh:
        for r in missing:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    good = sum(1 for lab in labelled if lab.get(field))
    return {"sample": len(sample), "labelled": len(labelled), "unlabelled": len(missing),
            f"{field}_precision": round(good / len(labelled), 4) if labelled else None}


# --------------------------------------------------------------------------- furniture


def _alnum(text: str, a: int, b: int) -> set[int]:
    return {i for i in range(a, b) if text[i].isalnum()}


def furniture_figures(claims: pl.DataFrame, texts: dict[str, str]) -> dict[str, Any]:
    labels = [json.loads(line) for line in (LABELS / "furniture.jsonl").read_text("utf-8").splitlines() if line.strip()]
    by_sha = {_sha1(t): doc for doc, t in texts.items()}
    spans_of: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for doc, start, end, cid in claims.select("article_id", "start", "end", "claim_id").iter_rows():
        spans_of[doc].append((start, end, cid))
    res: dict[str, Any] = {}
    for split in ("tune", "held-out"):
        tp = fp = fn = 0
        n_claims = with_furniture = 0
        found = 0
        for lab in labels:
            if lab["split"] != split or lab["sha1"] not in by_sha:
                continue
            found += 1
            doc = by_sha[lab["sha1"]]
            text = texts[doc]
            furniture = set().union(*(_alnum(text, s["start"], s["end"]) for s in lab["furniture"])) if lab["furniture"] else set()
            kept: set[int] = set()
            for s, e, _ in spans_of.get(doc, []):
                span = _alnum(text, s, e)
                kept |= span
                n_claims += 1
                with_furniture += len(span & furniture) >= 3
            every = _alnum(text, 0, len(text))
            removed = every - kept
            tp += len(removed & furniture)
            fp += len(removed - furniture)
            fn += len(furniture - removed)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        res[split] = {"articles": found, "removal_precision": round(p, 4), "removal_recall": round(r, 4),
                      "claims": n_claims, "claims_with_furniture": with_furniture,
                      "claims_with_furniture_share": round(with_furniture / n_claims, 4) if n_claims else 0.0}
    return res


def fragments(claims: pl.DataFrame) -> dict[str, Any]:
    """Claims that state nothing: fewer than three words and no digit (a lone number or
    initial, one or two words)."""
    texts = [t for t, o in zip(claims["text"], claims["outlet"], strict=True) if o != CLAIM_OUTLET]
    bad = [t for t in texts if len(_WORD.findall(t)) < 3 and not any(ch.isdigit() for ch in t)]
    bare_number = [t for t in texts if _WORD.findall(t) and all(w.isdigit() for w in _WORD.findall(t))]
    return {"claims": len(texts), "under_three_words_no_digit": len(bad), "only_numbers": len(bare_number),
            "examples": sorted(set(bad))[:15]}


# --------------------------------------------------------------------------- the reader's view


def shown_contrasts(out: Path, report_dir: Path, n: int = 20) -> dict[str, Any]:
    """The first ``n`` contrasts a reader meets, in report order (the summary's strongest,
    then each story's), looked up in the hand labels; the unlabelled ones are written to
    ``OUT/unlabelled-first-contrasts.jsonl``."""
    from compare.pipeline import articles_from_claims
    from compare.render.report import Limits, build_report_data

    claims = pl.read_parquet(report_dir / "claims.parquet")
    stories = report_dir / "stories.parquet"
    data = build_report_data(claims, pl.read_parquet(report_dir / "clusters.parquet"),
                             pl.read_parquet(report_dir / "links.parquet"), articles_from_claims(claims),
                             stories=pl.read_parquet(stories) if stories.exists() else None, limits=Limits.from_top(15))
    pairs = [t.pair for t in data.strongest] + [p for c in data.contrasts for p in c.contrasts]
    rows: dict[str, dict[str, Any]] = {}
    for p in pairs:
        key = pair_key(p.a.text, p.b.text)
        if key not in rows and len(rows) < n:
            rows[key] = {"key": key, "a": p.a.text, "b": p.b.text, "outlet_a": p.a.outlet, "outlet_b": p.b.outlet,
                         "speaker_a": p.a.speaker, "speaker_b": p.b.speaker,
                         "differences": [d.to_dict() for d in p.differences]}
    return _precision(list(rows.values()), _read_labels(LABELS / "contrasts.jsonl"), "real",
                      out / "unlabelled-first-contrasts.jsonl")


def reader_view(report_dir: Path) -> dict[str, Any]:
    md = (report_dir / "report.md").read_text("utf-8")
    # The contrasts as a reader meets them: the heading after each contrast anchor, in
    # report order (stories ranked, strongest contrast first within a story).
    headings: list[str] = []
    lines = md.splitlines()
    for i, line in enumerate(lines[:-1]):
        if line.startswith("<a id=") and line.endswith('-contrast"></a>') and len(headings) < 10:
            headings.append(lines[i + 1].lstrip("#").strip())
    return {"report_md_bytes": (report_dir / "report.md").stat().st_size,
            "report_html_bytes": (report_dir / "report.html").stat().st_size,
            "first_disagreement_headings": headings}


# --------------------------------------------------------------------------- main


def _by_document(claims: pl.DataFrame, docs: list[dict[str, str]]) -> pl.DataFrame:
    # Claims name their article by a content hash and their JSONL line (``row``, 1-based).
    return claims.with_columns(pl.col("row").map_elements(lambda r: docs[r - 1]["id"], return_dtype=pl.String)
                               .alias("article_id"))


def claims_only(out: Path) -> int:
    from compare.pipeline import extract_claims

    t0 = time.perf_counter()
    run = extract_claims([out / "corpus.jsonl"])
    docs = [json.loads(line) for line in (out / "corpus.jsonl").read_text("utf-8").splitlines()]
    texts = {d["id"]: d["text"] for d in docs}
    claims = _by_document(run.claims, docs)
    figures = {"claims": claims.height, "seconds": round(time.perf_counter() - t0, 1),
               "dropped": dict(run.dropped_reasons), "furniture": furniture_figures(claims, texts),
               "fragments": fragments(claims)}
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--out", type=Path, default=Path("/tmp/compare-e2e"))
    ap.add_argument("--limit", type=int, default=None, help="only the first N Baly claims (smoke runs)")
    ap.add_argument("--sample", type=int, default=60)
    ap.add_argument("--reuse", action="store_true", help="read OUT/report instead of running the pipeline")
    ap.add_argument("--claims-only", action="store_true",
                    help="ingest, clean and segment only: the furniture and fragment figures, in a minute")
    args = ap.parse_args(argv)
    if not (args.shared / "data" / "baly2018-dev").is_dir():
        print(f"{args.shared}/data/baly2018-dev is absent", file=sys.stderr)
        return 2
    items, gathered_for = build_corpus(args.shared, args.out, args.limit)
    if args.claims_only:
        return claims_only(args.out)
    run = json.loads((args.out / "run.json").read_text()) if args.reuse else run_pipeline(args.out)
    (args.out / "run.json").write_text(json.dumps(run))
    rep = args.out / "report"
    claims = pl.read_parquet(rep / "claims.parquet")
    links = pl.read_parquet(rep / "links.parquet")
    clusters = pl.read_parquet(rep / "clusters.parquet")
    docs = [json.loads(line) for line in (args.out / "corpus.jsonl").read_text("utf-8").splitlines()]
    texts = {d["id"]: d["text"] for d in docs}
    claims = _by_document(claims, docs)
    per_item = item_claims(items, claims, texts)
    figures = {
        "corpus": {"documents": len(texts), "claims": claims.height, "links": links.height,
                   "outlets": claims["outlet"].n_unique()},
        "run": run,
        "linking": linking_figures(items, per_item, claims),
        "contrasts": contrast_sample(args.out, claims, links, gathered_for, args.sample),
        "first_contrasts_shown": shown_contrasts(args.out, rep),
        "clusters": cluster_sample(args.out, claims, clusters, args.sample),
        "furniture": furniture_figures(claims, texts),
        "fragments": fragments(claims),
        "reader": reader_view(rep),
    }
    (args.out / "e2e.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1))
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

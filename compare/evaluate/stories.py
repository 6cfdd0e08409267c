"""Story grouping measured on Baly dev: the pages gathered for one fact-checked claim.

Gold (rough): the pages of one Baly claim with stance agree, disagree or discuss are one
story. A page marked ``unrelated`` to a claim is no member of it (and, being about
something else, a known non-member of that claim's story); what story it does belong to
is unknown.

Pairs scored (pairwise precision, recall, F1 over article pairs):

- two member pages: gold together when they share a claim, apart otherwise;
- a member page of claim c and a page marked unrelated to c (and member of none of
  the first page's claims): gold apart;
- any other pair (two unrelated pages) is unknown and left out.

The claims are split by file-name order: even positions tune the threshold, odd
positions are held out. Each half is its own corpus (ingest, clean, segment, group), as
a user's corpus would be.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

MEMBER_STANCES = frozenset({"agree", "disagree", "discuss"})
THRESHOLD_GRID = tuple(round(0.05 * k, 2) for k in range(1, 13))  # 0.05 .. 0.60


@dataclass(frozen=True)
class StoryGold:
    """One half of Baly dev as a corpus: its pages and who gathered them."""

    pages: tuple[dict[str, str], ...]  # id, outlet, url, text (one per distinct text)
    members: dict[str, frozenset[str]]  # page id -> the claims it is a member of
    unrelated: dict[str, frozenset[str]]  # page id -> the claims it was marked unrelated to


@dataclass(frozen=True)
class PairScores:
    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1,
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


def load_story_gold(shared: Path, part: str) -> StoryGold:
    """``part``: "tune" (claims at even positions in file-name order) or "held-out" (odd)."""
    files = sorted((shared / "data" / "baly2018-dev" / "claims").glob("*.json"))
    files = files[0::2] if part == "tune" else files[1::2]
    pages: dict[str, dict[str, str]] = {}
    members: dict[str, set[str]] = defaultdict(set)
    unrelated: dict[str, set[str]] = defaultdict(set)
    for f in files:
        d = json.loads(f.read_text("utf-8"))
        cid = str(d["id"])
        for text, url, stance in zip(d["article"], d["url"], d["stance"], strict=True):
            text = str(text)
            if not text.strip():
                continue
            pid = "p-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
            outlet = urlparse(str(url)).netloc.removeprefix("www.") or "unknown"
            pages.setdefault(pid, {"id": pid, "outlet": outlet, "url": str(url), "text": text})
            (members if stance in MEMBER_STANCES else unrelated)[pid].add(cid)
    return StoryGold(tuple(pages.values()), {k: frozenset(v) for k, v in members.items()},
                     {k: frozenset(v) for k, v in unrelated.items()})


def pair_scores(gold: StoryGold, story_of: dict[str, str]) -> PairScores:
    """Pairwise scores of a story assignment (page id -> story id) against ``gold``."""
    ids = sorted(set(gold.members) | set(gold.unrelated))
    tp = fp = fn = 0
    for x in range(len(ids)):
        a = ids[x]
        ma, ua = gold.members.get(a, frozenset()), gold.unrelated.get(a, frozenset())
        for y in range(x + 1, len(ids)):
            b = ids[y]
            mb = gold.members.get(b, frozenset())
            if ma and mb:
                truth = bool(ma & mb)
            elif (ma & gold.unrelated.get(b, frozenset())) or (mb & ua):
                truth = False
            else:
                continue  # two pages we know nothing about together
            pred = story_of.get(a) is not None and story_of.get(a) == story_of.get(b)
            tp += truth and pred
            fp += pred and not truth
            fn += truth and not pred
    return _scores(tp, fp, fn)


def grouping_scores(gold: dict[str, str], story_of: dict[str, str]) -> PairScores:
    """Pairwise scores of a story assignment against gold groups (item -> group), over
    every pair of gold items (``fixtures/labels/stories.csv``: file -> story)."""
    ids = sorted(gold)
    tp = fp = fn = 0
    for x in range(len(ids)):
        for y in range(x + 1, len(ids)):
            a, b = ids[x], ids[y]
            truth = gold[a] == gold[b]
            pred = story_of.get(a) is not None and story_of.get(a) == story_of.get(b)
            tp += truth and pred
            fp += pred and not truth
            fn += truth and not pred
    return _scores(tp, fp, fn)


def _scores(tp: int, fp: int, fn: int) -> PairScores:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return PairScores(round(p, 4), round(r, 4), round(f1, 4), tp, fp, fn)


@dataclass(frozen=True)
class _Half:
    gold: StoryGold
    ids: list[str]  # page id per row
    vectors: Any
    days: list[int | None]


def _prepare(shared: Path, part: str) -> _Half:
    """Ingest, clean and segment one half; the article vectors of its pages."""
    import polars as pl

    from ..pipeline import extract_claims
    from ..stories import article_vectors

    gold = load_story_gold(shared, part)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pages.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for page in gold.pages:
                fh.write(json.dumps(page, ensure_ascii=False) + "\n")
        run = extract_claims([path])
    # ``row`` is the 1-based JSONL line: the page written there.
    page_of = {a: gold.pages[int(r) - 1]["id"]
               for a, r in run.article_table.select("article_id", "row").iter_rows()}
    ids = sorted(page_of)
    keys = run.claims.group_by("article_id", maintain_order=True).agg(pl.col("key").str.join(" "))
    doc = dict(zip(keys["article_id"], keys["key"], strict=True))
    vectors = article_vectors([doc.get(a, "") for a in ids])
    return _Half(gold, [page_of[a] for a in ids], vectors, [None] * len(ids))


def score_threshold(half: _Half, threshold: float) -> tuple[PairScores, int]:
    """(pairwise scores, number of stories) of one half at ``threshold``."""
    from ..stories import story_labels

    label, _ = story_labels(half.vectors, half.days, threshold=threshold)
    story_of = {pid: str(int(lab)) for pid, lab in zip(half.ids, label.tolist(), strict=True)}
    return pair_scores(half.gold, story_of), int(np.unique(label).shape[0])


def evaluate_stories(shared: Path, grid: Sequence[float] = THRESHOLD_GRID,
                     log: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Pick the threshold by pairwise F1 on the tune half; report it on the held-out half."""
    say = log or (lambda _m: None)
    tune = _prepare(shared, "tune")
    say(f"tune half: {len(tune.ids)} pages")
    sweep = {t: score_threshold(tune, t) for t in grid}
    best = max(grid, key=lambda t: (sweep[t][0].f1, -t))
    held = _prepare(shared, "held-out")
    say(f"held-out half: {len(held.ids)} pages")
    h_scores, h_stories = score_threshold(held, best)
    return {
        "threshold": best,
        "tune": {**sweep[best][0].as_dict(), "stories": sweep[best][1], "pages": len(tune.ids)},
        "held_out": {**h_scores.as_dict(), "stories": h_stories, "pages": len(held.ids)},
        "sweep": {str(t): {"f1": s.f1, "precision": s.precision, "recall": s.recall, "stories": n}
                  for t, (s, n) in sweep.items()},
    }


def fixture_story_scores(corpus: Path, labels: Path) -> tuple[PairScores, int]:
    """(pairwise scores, number of stories) of ``group_stories`` on a labelled folder
    corpus (``labels``: CSV file,story with files relative to ``corpus``)."""
    import polars as pl

    from ..pipeline import extract_claims
    from ..stories import group_stories

    run = extract_claims([corpus])
    _, stories = group_stories(run.claims, run.article_table)
    source = dict(zip(run.article_table["article_id"], run.article_table["source"], strict=True))
    story_of = {Path(source[a]).resolve().relative_to(corpus.resolve()).as_posix(): str(r["story_id"])
                for r in stories.iter_rows(named=True) for a in r["article_ids"]}
    gold = dict(pl.read_csv(labels).select("file", "story").iter_rows())
    return grouping_scores(gold, story_of), stories.height

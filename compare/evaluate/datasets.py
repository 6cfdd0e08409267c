"""Loaders for the labelled sets in ``shared/data`` (read at run time, never shipped).

STS17 ar-ar / ar-en (gold 0-5), ANS stance pairs, CheckThat 2021 2A Arabic dev (50 ranked
candidates per tweet), and two grouped sets for clustering: MSRP paraphrase groups and
Baly 2018 dev claims with their rationale lines. The grouped sets come as a claims frame
ready for ``link_claims`` plus each claim's gold group.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import polars as pl

from .. import schema
from ..errors import InputError
from ..text.normalize import clean_display, match_key
from ..text.numbers import extract_numbers

SAME_STS = 3.0  # STS guideline 3: "roughly equivalent, but some important information differs"
# (the same claim, possibly with a changed fact: what this tool clusters and contrasts)


def _data(shared: Path, *parts: str) -> Path:
    """The path of a labelled file under ``shared/data``; a missing one is an input error."""
    p = Path(shared) / "data" / Path(*parts)
    if not p.exists():
        raise InputError("labelled data is missing", path=p, hint="point --shared at the shared/ folder")
    return p


def load_sts(shared: Path) -> dict[str, tuple[list[str], list[str], np.ndarray]]:
    """Per track ("ar-ar", "ar-en"): first sentences, second sentences, gold 0-5 scores."""
    out: dict[str, tuple[list[str], list[str], np.ndarray]] = {}
    for track, stem in (("ar-ar", "track1.ar-ar"), ("ar-en", "track2.ar-en")):
        lines = _data(shared, "sts17-ar", f"STS.input.{stem}.txt").read_text("utf-8").splitlines()
        gold = _data(shared, "sts17-ar", f"STS.gs.{stem}.txt").read_text("utf-8").split()
        pairs = [ln.split("\t") for ln in lines if ln.strip()]
        out[track] = ([p[0] for p in pairs], [p[1] for p in pairs], np.asarray(gold, dtype=np.float64))
    return out


def sts_ar_en_half(shared: Path, part: str) -> tuple[list[str], list[str], np.ndarray]:
    """STS17 ar-en pairs at even ("fit") or odd ("eval") positions: English, Arabic, and
    whether the pair states the same claim (gold >= ``SAME_STS``)."""
    a, b, gold = load_sts(shared)["ar-en"]
    sl = slice(0, None, 2) if part == "fit" else slice(1, None, 2)
    return a[sl], b[sl], gold[sl] >= SAME_STS


def load_ans(shared: Path, split: str) -> tuple[list[str], list[str], np.ndarray, list[str]]:
    """ANS pairs of ``split``: s1, s2, same claim (agree|disagree vs other), raw stance."""
    with _data(shared, "ans-stance", f"stance-{split}.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    stance = [r["stance"] for r in rows]
    same = np.asarray([s in ("agree", "disagree") for s in stance])
    return [r["s1"] for r in rows], [r["s2"] for r in rows], same, stance


def load_checkthat(shared: Path) -> dict[str, tuple[str, list[str], np.ndarray]]:
    """Per tweet id (sorted): the tweet, its candidate claims, and their 0/1 labels."""
    groups: dict[str, tuple[str, list[str], list[int]]] = {}
    with _data(shared, "checkthat21-ar", "dev-top50.tsv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            g = groups.setdefault(r["tweet_id"], (r["tweet_text"], [], []))
            g[1].append(r["vclaim"])
            g[2].append(int(r["label"]))
    return {k: (t, c, np.asarray(lab)) for k, (t, c, lab) in sorted(groups.items())}


@dataclass(frozen=True)
class Grouped:
    """Items with gold groups, as a claims frame ready for link_claims."""

    claims: pl.DataFrame
    gold: dict[str, str]  # claim_id -> gold group


def _claims_frame(items: list[tuple[str, str, str, str]]) -> pl.DataFrame:
    """items: (claim_id, article_id, outlet, text)."""
    rows: list[dict[str, object]] = []
    for cid, art, outlet, text in items:
        disp = clean_display(text)
        rows.append({
            "claim_id": cid, "article_id": art, "outlet": outlet, "source": "eval", "row": None,
            "title": None, "date": None, "url": None, "paragraph": 1, "sentence": 0, "clause": 0,
            "start": 0, "end": len(disp), "text": disp, "key": match_key(disp), "speaker": None,
            "is_quote": False, "is_title": False, "numbers": extract_numbers(disp),
        })
    return schema.frame(rows, schema.CLAIMS)


def load_msrp(shared: Path, part: str | None = None) -> Grouped:
    """MSRP paraphrase groups; ``part``: "fit" (groups at even positions in sorted group
    order; calibration only), "eval" (odd positions; held out), None (all)."""
    sents = _data(shared, "msrp-groups-en", "phrases.txt").read_text("utf-8").splitlines()
    with _data(shared, "msrp-groups-en", "phrase_groups.csv").open(encoding="utf-8") as fh:
        grp = {int(r["phrase_index"]): r["paraphrase_group_index"] for r in csv.DictReader(fh)}
    if part is not None:
        order = sorted(set(grp.values()), key=lambda x: (len(x), x))
        keep = set(order[0::2] if part == "fit" else order[1::2])
        grp = {i: g for i, g in grp.items() if g in keep}
    items: list[tuple[str, str, str, str]] = []
    gold: dict[str, str] = {}
    for i, s in enumerate(sents):
        if i in grp and s.strip():
            cid = f"m{i:05d}"
            items.append((cid, cid, f"o{i}", s))  # each sentence its own article/outlet
            gold[cid] = grp[i]
    return Grouped(_claims_frame(items), gold)


def load_baly(shared: Path, limit: int | None = None, part: str | None = None) -> Grouped:
    """One gold group per Baly claim: the claim and its agree/disagree rationale lines.

    ``part``: "fit" (claims at even positions in file-name order; calibration only),
    "eval" (odd positions; held out from calibration), None (all). ``limit`` keeps the
    first claims of that list (deterministic subsample).
    A text seen twice (same line under two claims) is kept once, under its first claim."""
    files = sorted(_data(shared, "baly2018-dev", "claims").glob("*.json"))
    if part == "fit":
        files = files[0::2]
    elif part == "eval":
        files = files[1::2]
    if limit is not None:
        files = files[:limit]
    items: list[tuple[str, str, str, str]] = []
    gold: dict[str, str] = {}
    seen: set[str] = set()
    for f in files:
        d = json.loads(f.read_text("utf-8"))
        cid0 = str(d["id"])
        texts: list[tuple[str, str, str]] = [(f"{cid0}:claim", "claim", str(d["claim"]))]
        for a, (art, url, stance, rat) in enumerate(
            zip(d["article"], d["url"], d["stance"], d["rationale"], strict=True)
        ):
            if stance not in ("agree", "disagree"):
                continue
            lines = str(art).split("\n")
            outlet = urlparse(str(url)).netloc.removeprefix("www.") or "unknown"
            for li in json.loads(rat) if isinstance(rat, str) else rat:
                if 0 <= int(li) < len(lines):
                    texts.append((f"{cid0}:a{a}", outlet, lines[int(li)]))
        for n, (art_id, outlet, text) in enumerate(texts):
            k = match_key(text)
            if not k or k in seen:
                continue
            seen.add(k)
            cid = f"{cid0}:{n:03d}"
            items.append((cid, art_id, outlet, text))
            gold[cid] = cid0
    return Grouped(_claims_frame(items), gold)

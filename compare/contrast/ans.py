"""Evaluation of the judge on ANS (Arabic News Stance): ``disagree`` pairs are contrasts."""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

from ..errors import InputError, UsageError
from .judge import judge_pair
from .model import JudgeModel, load_model

ANS_SPLIT_SEED = 17
ANS_PARTS = ("tune", "report")


def read_ans(path: Path, part: str | None = None) -> list[tuple[str, str, str]]:
    """(s1, s2, stance) rows of an ANS stance CSV.

    ``part`` splits a file in two halves by source headline (all rewrites of one
    headline stay together), fixed by ``ANS_SPLIT_SEED``: "tune" may shape rules and
    operating points, "report" is only measured; None is the whole file."""
    if part is not None and part not in ANS_PARTS:
        raise UsageError(f"unknown ANS part {part!r}", hint=f"use one of {', '.join(ANS_PARTS)}")
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if reader.fieldnames is None or not {"s1", "s2", "stance"} <= set(reader.fieldnames):
                raise InputError("not an ANS stance file (needs s1,s2,stance)", path, 1)
            rows = [(r["s1"], r["s2"], r["stance"]) for r in reader]
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", path, hint="check the path") from exc
    if part is None:
        return rows
    heads = sorted({s1 for s1, _, _ in rows})
    random.Random(ANS_SPLIT_SEED).shuffle(heads)
    tune = set(heads[: len(heads) // 2])
    return [r for r in rows if (r[0] in tune) == (part == "tune")]


def evaluate_contrast_ans(
    dev_csv: Path, *, model: JudgeModel | str | None = "default", strict: bool = False,
    part: str | None = None,
) -> dict[str, Any]:
    """Precision, recall and F1 of ``is_contrast`` for ANS ``disagree`` on a split
    (``strict``: as judge_links judges ``related`` links in strict mode; ``part``: a
    half of the file, see ``read_ans``)."""
    rows = read_ans(Path(dev_csv), part)
    m = load_model() if isinstance(model, str) else model
    tp = fp = fn = tn = 0
    for s1, s2, stance in rows:
        j = judge_pair(s1, s2, model=m, strict=strict)
        gold = stance == "disagree"
        tp += j.is_contrast and gold
        fp += j.is_contrast and not gold
        fn += (not j.is_contrast) and gold
        tn += (not j.is_contrast) and not gold
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "n": len(rows),
        "part": part or "all",
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "confusion": {"tp": tp, "fp": fp, "fn": fn, "tn": tn},
        "operating_point": {
            "judge": "model" if m is not None else "rules",
            "threshold": m.threshold if m is not None else 0.5,
            "requires_difference": True,
            "strict": strict,
        },
    }

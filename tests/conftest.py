"""Shared test helpers: paths, and small hand-built frames for stage tests."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import pytest

from compare import schema
from compare.text.normalize import clean_display, match_key
from compare.text.numbers import extract_numbers

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"


# CI always has ../shared beside the clone: there a missing part fails instead of skipping.
ON_CI = os.environ.get("CI", "").lower() == "true"


def needs_shared(sub: str = "") -> pytest.MarkDecorator:
    """Skip when ../shared (or a part of it) is absent, as on a user's fresh clone; never
    under CI=true, where the test then runs and fails on the missing file."""
    return pytest.mark.skipif(not ON_CI and not (SHARED / sub).exists(), reason=f"../shared/{sub} is absent")


def pytest_configure(config: pytest.Config) -> None:
    if ON_CI and not SHARED.exists():
        raise pytest.UsageError(f"CI=true but {SHARED} is absent: CI must run beside ../shared")


def claim_row(claim_id: str, outlet: str, text: str, *, article: str | None = None, start: int = 0,
              speaker: str | None = None, cluster: str | None = None, title: str = "t") -> dict[str, object]:
    text = clean_display(text)
    return {
        "claim_id": claim_id, "article_id": article or f"a-{outlet}", "outlet": outlet,
        "source": f"/corpus/{outlet}/x.txt", "row": None, "title": title, "date": "2020-02-17",
        "url": None, "paragraph": 1, "sentence": 0, "clause": 0, "start": start,
        "end": start + len(text), "text": text, "key": match_key(text), "speaker": speaker,
        "is_quote": False, "is_title": False, "numbers": extract_numbers(text),
        **({"cluster_id": cluster} if cluster is not None else {}),
    }


def claims_frame(rows: list[dict[str, object]]) -> pl.DataFrame:
    sch = dict(schema.CLAIMS)
    if rows and "cluster_id" in rows[0]:
        sch["cluster_id"] = pl.String()
    return pl.DataFrame(rows, schema=sch)


def link_row(a: str, b: str, outlet_a: str, outlet_b: str, relation: str, score: float = 0.9,
             contrast: float = 0.0, differences: list[dict[str, object]] | None = None) -> dict[str, object]:
    return {
        "claim_a": a, "claim_b": b, "outlet_a": outlet_a, "outlet_b": outlet_b, "relation": relation,
        "score": score, "lexical": score, "semantic": None, "fuzz": score * 100, "contrast": contrast,
        "differences": [{"kind": d["kind"], "a": d.get("a", ""), "b": d.get("b", ""), "a_span": d.get("a_span"),
                         "b_span": d.get("b_span")} for d in differences or []],
    }


def links_frame(rows: list[dict[str, object]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema.LINKS) if rows else schema.empty(schema.LINKS)

"""``framing_table``: which framing wording each outlet uses for the same actors and acts."""

from __future__ import annotations

from collections import Counter

import polars as pl

from ..schema import FRAMING
from .analysis import framing_hits


def framing_table(claims: pl.DataFrame) -> pl.DataFrame:
    """Per outlet, the framing wordings it uses for the same actors and acts, with counts.

    One row per (concept, outlet, term): ``term`` is the lexicon's wording (clitics and
    inflection folded away), ``label`` the framing it carries ("regime", "terrorists"...),
    ``n_claims`` how many of the outlet's claims use it. Only concepts
    named by at least one outlet appear; sorted for stable output.
    """
    if claims.height == 0 or "text" not in claims.columns:
        return pl.DataFrame(schema=FRAMING)
    counts: Counter[tuple[str, str, str, str]] = Counter()
    claim_counts: Counter[tuple[str, str, str, str]] = Counter()
    outlets = claims["outlet"] if "outlet" in claims.columns else pl.Series([None] * claims.height)
    for outlet, text in zip(outlets, claims["text"], strict=True):
        seen: set[tuple[str, str, str, str]] = set()
        for h in framing_hits(str(text or "")):
            concept, label, term = h.value
            key = (concept, str(outlet or ""), term, label)
            counts[key] += 1
            seen.add(key)
        for key in seen:
            claim_counts[key] += 1
    rows = [
        {"concept": c, "outlet": o, "term": t, "count": n, "label": lab, "n_claims": claim_counts[(c, o, t, lab)]}
        for (c, o, t, lab), n in sorted(counts.items())
    ]
    return pl.DataFrame(rows, schema=FRAMING) if rows else pl.DataFrame(schema=FRAMING)

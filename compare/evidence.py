"""Same-claim evidence: which links may hold a cluster together.

A link's score reads as "the same claim" on curated pairs (ANS headlines, all of one
topic), but on scraped news a character n-gram cosine of 0.3-0.4 already scores 0.8-0.9,
and most such pairs share a topic, a speaker or a sentence template, not a claim
("forces dismantled a car bomb in X" vs "... in Y"). Clusters should hold one claim, so
a link weighs in clustering only with evidence beyond topical similarity:

- its lexical cosine reaches ``LEXICAL_IN_STORY`` when both claims are in one story, and
  the higher ``LEXICAL_ACROSS_STORIES`` otherwise: a story is a scope, and two claims of
  different stories need much stronger evidence to be one claim;
- the two claims share at least ``SHARED_WORDS`` content words (``text.words``), so
  short fragments that share one name or a date shape do not join.

Exceptions: a ``contrast`` link (the same claim with a changed fact, judged inside one
story) keeps its weight, and a pair of a Latin-script and an Arabic-script claim keeps
its score (no words or n-grams can be shared across scripts; its score comes from the
cross-language semantic model). A link without evidence stays in the links table (the
contrast judge and the reader see it); it only weighs 0 in the clusters.

The thresholds were chosen on tuning data only: the 99 hand-labelled Baly dev clusters
that the last run still produced (docs/quality.md, "Clusters").
"""

from __future__ import annotations

import numpy as np
import polars as pl

from .text.normalize import is_latin
from .text.words import content_words, stop_words

LEXICAL_IN_STORY = 0.45
LEXICAL_ACROSS_STORIES = 0.55
SHARED_WORDS = 3


def _shared_words(key_a: list[str], key_b: list[str]) -> np.ndarray:
    """Distinct content words both keys hold, per pair."""
    stop = stop_words()
    memo: dict[str, frozenset[str]] = {}

    def words(k: str) -> frozenset[str]:
        got = memo.get(k)
        if got is None:
            got = memo[k] = frozenset(content_words(k, stop))
        return got

    return np.asarray([len(words(a) & words(b)) for a, b in zip(key_a, key_b, strict=True)], dtype=np.int64)


def has_evidence(claims: pl.DataFrame, links: pl.DataFrame) -> np.ndarray:
    """Per link (in ``links`` order), whether it is same-claim evidence (see the module
    docstring). ``claims`` needs ``claim_id`` and ``key``; ``story_id`` when present (without
    it every pair is held to the in-story bar); ``links`` needs ``claim_a``, ``claim_b``,
    ``relation`` and ``lexical``."""
    if links.height == 0:
        return np.zeros(0, dtype=bool)
    story = pl.col("story_id") if "story_id" in claims.columns else pl.lit("", pl.String)
    info = claims.select("claim_id", pl.col("key").fill_null(""), story.alias("story"))
    info = info.with_columns(pl.Series("latin", [is_latin(k) for k in info["key"].to_list()], dtype=pl.Boolean))
    lk = links.select("claim_a", "claim_b", "relation", pl.col("lexical").fill_null(0.0))
    for side in ("a", "b"):
        names = {"claim_id": f"claim_{side}", "key": f"key_{side}", "story": f"story_{side}", "latin": f"latin_{side}"}
        lk = lk.join(info.rename(names), on=f"claim_{side}", how="left", maintain_order="left")
    key_a = lk["key_a"].fill_null("").to_list()
    key_b = lk["key_b"].fill_null("").to_list()
    same_story = (lk["story_a"] == lk["story_b"]).fill_null(False).to_numpy()
    bar = np.where(same_story, LEXICAL_IN_STORY, LEXICAL_ACROSS_STORIES)
    lexical = lk["lexical"].cast(pl.Float64).to_numpy()
    ok = lexical >= bar
    rows = np.flatnonzero(ok)
    if rows.size:
        shared = _shared_words([key_a[r] for r in rows], [key_b[r] for r in rows])
        ok[rows] = shared >= SHARED_WORDS
    cross = (lk["latin_a"] != lk["latin_b"]).fill_null(False).to_numpy()
    contrast = (lk["relation"] == "contrast").fill_null(False).to_numpy()
    return ok | cross | contrast

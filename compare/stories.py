"""Stories: articles about one event or development, across outlets.

A contrast is the same claim in two voices; two sentences from different stories are
never that (on scraped corpora a shared speaker, place or sentence template links
sentences of different events). So articles are grouped into stories first and the
contrast stage keeps to one story.

How: one TF-IDF vector per article over the word unigrams of its claims' match keys
(sublinear tf, idf over the corpus; ``text.words.content_words``: Arabic and English
function words dropped, the Arabic conjunction and article prefixes cut off so that
"والحكومة" counts as "حكومه");
candidate pairs from ``candidates.scored_pairs`` (exact below 5,000 articles, nearest
neighbours above, so the cost stays near-linear); a pair of dated articles further apart
than ``max_days`` is no link; then the sparse average linkage of ``cluster.cluster_graph``
(a missing pair counts as 0, so a chain of weak links cannot join its ends) at
``threshold``. There is no fixed number of stories.

Word unigrams cannot see across scripts: an English and an Arabic article of one event
end in different stories (the contrast stage treats such pairs apart, see
``contrast.links``).

Ids are ``"s" + sha1(smallest article_id)[:10]``: same input, same ids.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import polars as pl

from . import schema
from .text.words import content_words, stop_words

# Chosen on the tune half of Baly dev by pairwise F1 (docs/quality.md, "Stories").
STORY_THRESHOLD = 0.15
# Pairs below this cosine count as missing (0) in the averages; well under the
# threshold so that the averages are close to those over all pairs.
STORY_FLOOR = 0.05
# Dated articles further apart than this are not linked: a story is a run of days.
MAX_DAYS = 14


def story_id(smallest_article: str) -> str:
    return "s" + hashlib.sha1(smallest_article.encode("utf-8")).hexdigest()[:10]


def article_vectors(docs: Sequence[str]) -> Any:
    """L2-normalised TF-IDF rows (scipy CSR, float32), one per article text (match keys)."""
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer

    stop = stop_words()
    vec = TfidfVectorizer(analyzer=lambda d: content_words(d, stop), sublinear_tf=True, norm="l2", dtype=np.float32)
    try:
        return vec.fit_transform(list(docs)).tocsr()
    except ValueError:  # no article has a content word
        return sp.csr_matrix((len(docs), 1), dtype=np.float32)


def _day(value: object) -> int | None:
    """Day number of a YYYY-MM-DD date (ingest normalises dates), None when unreadable."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return None


def _article_meta(claims: pl.DataFrame, articles: pl.DataFrame | None) -> pl.DataFrame:
    """article_id, outlet, title, date of every article (from ``articles`` when given,
    else the first claim of each article)."""
    def pick(frame: pl.DataFrame) -> pl.DataFrame:
        cols = [pl.col(c).cast(pl.String) if c in frame.columns else pl.lit(None, pl.String).alias(c)
                for c in ("article_id", "outlet", "title", "date")]
        return frame.select(cols).unique("article_id", keep="first", maintain_order=True)

    meta = pick(claims if articles is None else articles)
    if articles is not None:  # articles the claims know and the table does not
        meta = pl.concat([meta, pick(claims).join(meta, on="article_id", how="anti")])
    return meta.sort("article_id")


def story_labels(vectors: Any, days: Sequence[int | None], *, threshold: float = STORY_THRESHOLD,
                 floor: float = STORY_FLOOR, max_days: int | None = MAX_DAYS) -> tuple[np.ndarray, np.ndarray]:
    """(label per article = its story's smallest row, centrality per article = summed
    link weight): candidate pairs, date gaps cut, average linkage at ``threshold``."""
    from .candidates import scored_pairs
    from .cluster import cluster_graph

    n = vectors.shape[0]
    pairs, sims = scored_pairs(vectors, k=20, min_sim=min(floor, threshold))
    if max_days is not None and pairs.shape[0]:
        d = np.asarray([-1 if x is None else x for x in days], dtype=np.int64)
        da, db = d[pairs[:, 0]], d[pairs[:, 1]]
        keep = (da < 0) | (db < 0) | (np.abs(da - db) <= max_days)
        pairs, sims = pairs[keep], sims[keep]
    label = cluster_graph(n, pairs, sims, threshold)
    central = np.zeros(n, dtype=np.float64)
    if pairs.shape[0]:
        inside = label[pairs[:, 0]] == label[pairs[:, 1]]
        np.add.at(central, pairs[inside, 0], sims[inside])
        np.add.at(central, pairs[inside, 1], sims[inside])
    return label, central


def group_stories(claims: pl.DataFrame, articles: pl.DataFrame | None = None, *,
                  threshold: float = STORY_THRESHOLD, max_days: int | None = MAX_DAYS) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(claims + ``story_id``, the stories frame, schema ``STORIES``).

    ``articles``: the articles table (``ClaimsRun.article_table``: outlet, title, date);
    without it, each article's outlet, title and date come from its claims. Articles with
    no claim are stories of their own."""
    meta = _article_meta(claims, articles)
    ids = meta["article_id"].to_list()
    row = {a: i for i, a in enumerate(ids)}
    keys: list[list[str]] = [[] for _ in ids]
    first_claim: list[str | None] = [None] * len(ids)
    order = [c for c in ("paragraph", "sentence", "clause", "start") if c in claims.columns]
    for aid, key, text in claims.sort(["article_id", *order]).select("article_id", "key", "text").iter_rows():
        i = row[aid]
        keys[i].append(key or "")
        if first_claim[i] is None:
            first_claim[i] = text
    days = [_day(d) for d in meta["date"].to_list()]
    label, central = story_labels(article_vectors([" ".join(k) for k in keys]), days, threshold=threshold,
                                  max_days=max_days)
    n_claims = [len(k) for k in keys]
    sid = [story_id(ids[int(x)]) for x in label]  # label = smallest row, rows sorted by id
    stories = _stories_frame(meta, label, central, sid, n_claims, first_claim)
    by_article = pl.DataFrame({"article_id": ids, "story_id": sid}, schema={"article_id": pl.String, "story_id": pl.String})
    out = claims.drop("story_id", strict=False).join(by_article, on="article_id", how="left", maintain_order="left")
    return out, stories


_CLOCK = re.compile(r"\d{1,2}\s*:\s*\d{2}")


def usable_title(text: str) -> bool:
    """Can this line name a story: not page furniture, not a timestamp, mostly words, and
    headline-sized?"""
    from .clean import classify_line

    letters = sum(ch.isalpha() for ch in text)
    return (len(text) <= 200 and letters >= 0.6 * len(text.replace(" ", ""))
            and not _CLOCK.search(text) and classify_line(text, position="head") is None)


def _stories_frame(meta: pl.DataFrame, label: np.ndarray, central: np.ndarray, sid: list[str],
                   n_claims: list[int], first_claim: list[str | None]) -> pl.DataFrame:
    ids, outlets = meta["article_id"].to_list(), meta["outlet"].to_list()
    titles, dates = meta["title"].to_list(), meta["date"].to_list()
    rows: list[dict[str, object]] = []
    order = np.argsort(label, kind="stable")
    for g_arr in np.split(order, np.flatnonzero(np.diff(label[order])) + 1) if len(order) else []:
        g = g_arr.tolist()
        # The most central article with a usable title names the story (ties: the
        # smallest id); a scraped page's first line is often a timestamp or a menu.
        ranked = [g[k] for k in np.argsort(-central[g_arr], kind="stable").tolist()]
        named = [titles[x] or first_claim[x] for x in ranked]
        title = next((t for t in named if t and usable_title(t)), None) or next((t for t in named if t), None)
        outs = sorted({o for o in (outlets[x] for x in g) if o})
        ds = sorted(d for d in (dates[x] for x in g) if d)
        rows.append({
            "story_id": sid[g[0]], "n_articles": len(g), "article_ids": [ids[x] for x in g], "outlets": outs,
            "n_outlets": len(outs), "n_claims": sum(n_claims[x] for x in g),
            "first_date": ds[0] if ds else None, "last_date": ds[-1] if ds else None, "title": title,
        })
    stories = schema.frame(rows, schema.STORIES)
    return stories.sort(["n_outlets", "n_articles", "story_id"], descending=[True, True, False])

"""Declared schemas of the polars frames that flow between stages."""

from __future__ import annotations

import polars as pl

ARTICLES: dict[str, pl.DataType] = {
    "article_id": pl.String(),
    "outlet": pl.String(),
    "outlet_rule": pl.String(),
    "source": pl.String(),
    "row": pl.Int64(),
    "title": pl.String(),
    "date": pl.String(),
    "url": pl.String(),
    "n_chars": pl.Int64(),
}

DROPPED: dict[str, pl.DataType] = {
    "article_id": pl.String(),
    "outlet": pl.String(),
    "source": pl.String(),
    "line": pl.Int64(),
    "start": pl.Int64(),
    "end": pl.Int64(),
    "text": pl.String(),
    "reason": pl.String(),
}

PARAGRAPHS: dict[str, pl.DataType] = {
    "paragraph_id": pl.String(),  # f"{article_id}:p{paragraph}"
    "article_id": pl.String(),
    "outlet": pl.String(),
    "source": pl.String(),
    "date": pl.String(),
    "paragraph": pl.Int64(),  # 0 = title, 1.. body paragraphs
    "start": pl.Int64(),
    "end": pl.Int64(),
    "text": pl.String(),  # display text
    "key": pl.String(),  # match key
}

CLAIMS: dict[str, pl.DataType] = {
    "claim_id": pl.String(),
    "article_id": pl.String(),
    "outlet": pl.String(),
    "source": pl.String(),
    "row": pl.Int64(),
    "title": pl.String(),
    "date": pl.String(),
    "url": pl.String(),
    "paragraph": pl.Int64(),  # 0 = title, 1.. body paragraphs
    "sentence": pl.Int64(),  # index within the paragraph
    "clause": pl.Int64(),  # index within the sentence
    "start": pl.Int64(),  # offsets into Article.text: text[start:end] is the raw claim
    "end": pl.Int64(),
    "text": pl.String(),  # display text (broken words mended, spaces tidied)
    "key": pl.String(),  # match key (normalize.match_key)
    "speaker": pl.String(),
    "is_quote": pl.Boolean(),
    "is_title": pl.Boolean(),
    "numbers": pl.List(pl.String()),
}

LINKS: dict[str, pl.DataType] = {
    "claim_a": pl.String(),
    "claim_b": pl.String(),
    "outlet_a": pl.String(),
    "outlet_b": pl.String(),
    "relation": pl.String(),  # duplicate | paraphrase | contrast | related
    "score": pl.Float64(),
    "lexical": pl.Float64(),
    "semantic": pl.Float64(),
    "fuzz": pl.Float64(),
    "contrast": pl.Float64(),  # judge probability that the pair disagrees
    "differences": pl.String(),  # JSON list of typed differences
}

CLUSTERS: dict[str, pl.DataType] = {
    "cluster_id": pl.String(),
    "size": pl.Int64(),
    "n_outlets": pl.Int64(),
    "outlets": pl.List(pl.String()),
    "representative": pl.String(),
    "representative_text": pl.String(),
    "cohesion": pl.Float64(),
    "has_contrast": pl.Boolean(),
}


def empty(schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


def frame(rows: list[dict[str, object]], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Rows to a frame with exactly the declared columns and types."""
    if not rows:
        return empty(schema)
    return pl.DataFrame(rows, schema=schema)

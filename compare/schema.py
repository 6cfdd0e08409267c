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

# One typed difference between two versions of a claim (records.Difference): the words
# on each side and their [start, end) character spans in each claim's text (null when a
# side has none).
DIFFERENCE = pl.Struct({
    "kind": pl.String(),
    "a": pl.String(),
    "b": pl.String(),
    "a_span": pl.List(pl.Int64()),
    "b_span": pl.List(pl.Int64()),
})
DIFFERENCES = pl.List(DIFFERENCE)

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
    "differences": DIFFERENCES,  # typed differences (empty when the link was not judged)
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

# Stories (stories.group_stories): articles about one event or development, across outlets.
STORIES: dict[str, pl.DataType] = {
    "story_id": pl.String(),  # "s" + sha1(smallest article_id)[:10]
    "n_articles": pl.Int64(),
    "article_ids": pl.List(pl.String()),
    "outlets": pl.List(pl.String()),
    "n_outlets": pl.Int64(),
    "n_claims": pl.Int64(),
    "first_date": pl.String(),  # YYYY-MM-DD, null when no article is dated
    "last_date": pl.String(),
    "title": pl.String(),  # the most central article's title, else its first claim
}


def empty(schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


def frame(rows: list[dict[str, object]], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Rows to a frame with exactly the declared columns and types."""
    if not rows:
        return empty(schema)
    return pl.DataFrame(rows, schema=schema)


# Framing table (contrast.framing_table): which wording each outlet uses for the same
# actor or act. The first four columns are what the report reads.
FRAMING: dict[str, pl.DataType] = {
    "concept": pl.String(),  # e.g. "Syrian government", "armed groups"
    "outlet": pl.String(),
    "term": pl.String(),  # the wording, as the framing lexicon spells it
    "count": pl.Int64(),  # occurrences in the outlet's claims
    "label": pl.String(),  # the framing it carries: "regime", "terrorists", ...
    "n_claims": pl.Int64(),  # claims of the outlet that use it
}


# Duplicate audit (dupes.audit_duplicates): groups of repeated units, their members,
# per-outlet reuse and who copies whom.
DUPE_GROUPS: dict[str, pl.DataType] = {
    "group_id": pl.String(),
    "kind": pl.String(),  # verbatim | near
    "scope": pl.String(),  # within-article | within-outlet | across
    "size": pl.Int64(),
    "n_articles": pl.Int64(),
    "n_outlets": pl.Int64(),
    "reference_id": pl.String(),  # member every other member was verified against
    "origin_id": pl.String(),  # null: origin unknown (undated, or a same-day tie)
    "origin_outlet": pl.String(),
    "origin_date": pl.String(),
    "similarity_min": pl.Float64(),  # max(similarity, containment), members but the reference
    "similarity_mean": pl.Float64(),
    "text": pl.String(),  # reference display text
}

DUPE_MEMBERS: dict[str, pl.DataType] = {
    "group_id": pl.String(),
    "paragraph_id": pl.String(),
    "article_id": pl.String(),
    "outlet": pl.String(),
    "date": pl.String(),
    "text": pl.String(),
    "similarity": pl.Float64(),  # edit similarity to the reference, 0-1
    "containment": pl.Float64(),  # partial_ratio containment to the reference, 0-1
    "is_origin": pl.Boolean(),
    "is_reference": pl.Boolean(),
    "diff": pl.String(),  # word diff vs the reference: [-removed-]{+added+}, raw text
}

OUTLET_REUSE: dict[str, pl.DataType] = {
    "outlet": pl.String(),
    "paragraphs": pl.Int64(),  # units audited (at least dupes.MIN_TOKENS words)
    "found_elsewhere": pl.Int64(),  # in a group that spans another outlet
    "share": pl.Float64(),
    "originated": pl.Int64(),  # ... and the dated origin of that group
    "copied": pl.Int64(),  # ... and the group's dated origin is another outlet
}

COPIES: dict[str, pl.DataType] = {
    "outlet_from": pl.String(),  # the origin's outlet (dated); alphabetical first if unknown
    "outlet_to": pl.String(),
    "direction": pl.String(),  # dated | unknown
    "groups": pl.Int64(),
    "paragraphs": pl.Int64(),  # members of outlet_to (dated) / of both outlets (unknown)
}

"""The report's data and Markdown: ranking (stories by outlets then contrasts; contrasts by
confidence; claims by outlets), the summary on top, caps that say what they leave out."""

from __future__ import annotations

import dataclasses
from typing import Any

import polars as pl

from compare import schema
from compare.render.report import Limits, ReportData, build_report_data
from compare.render.report_markdown import highlight, render_markdown
from tests.conftest import claim_row, claims_frame, link_row, links_frame

NEG_A = "قال لافروف إن تركيا لم تف بالتزاماتها في إدلب"
NEG_B = "أكد أوكتاي أن تركيا أوفت بالتزاماتها في إدلب"

# (claim, outlet, story, cluster, text)
CLAIMS = [
    ("c1", "ria", "s1", "k1", NEG_A),
    ("c2", "anka", "s1", "k1", NEG_B),
    ("c3", "ria", "s1", "k2", "Ministers met in Ankara on Monday."),
    ("c4", "anka", "s1", "k2", "The ministers met in Ankara on Monday."),
    ("c5", "ria", "s1", "k4", "Ten trucks crossed the border."),
    ("c6", "tass", "s1", "k4", "Twelve trucks crossed the border."),
    ("c7", "ria", "s1", "k6", "Talks will resume next week."),
    ("c8", "anka", "s1", "k6", "The talks will resume next week."),
    ("c9", "tass", "s1", "k6", "Talks are to resume next week."),
    ("c10", "ria", "s2", "k5", "The quake killed 300 people."),
    ("c11", "anka", "s2", "k5", "The quake killed 30 people."),
    ("c12", "ria", "s3", "k7", "The summit opened in Sochi."),
    ("c13", "anka", "s3", "k7", "The summit was opened in Sochi."),
    ("c14", "ria", "s3", "k8", "Only here: </table><script>alert(1)</script> | [x](javascript:alert(1))"),
]
CONTRASTS = {("c1", "c2"): 0.9, ("c5", "c6"): 0.6, ("c10", "c11"): 0.95}
STORIES = {"s1": "Idlib talks", "s2": "Quake toll", "s3": "Sochi summit"}


def _frames() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    claims = claims_frame([
        claim_row(c, o, t, article=f"{s}-{o}", start=10 * i, cluster=k, title=STORIES[s])
        for i, (c, o, s, k, t) in enumerate(CLAIMS)
    ]).with_columns(pl.Series("story_id", [s for _, _, s, _, _ in CLAIMS]))
    t1, t2 = NEG_A, NEG_B
    neg = [{"kind": "negation", "a": "لم تف", "b": "أوفت",
            "a_span": [t1.index("لم تف"), t1.index("لم تف") + 5], "b_span": [t2.index("أوفت"), t2.index("أوفت") + 4]}]
    outlet = {c: o for c, o, _, _, _ in CLAIMS}
    rows = [link_row(a, b, outlet[a], outlet[b], "contrast", 0.6, contrast=v, differences=neg if a == "c1" else None)
            for (a, b), v in CONTRASTS.items()]
    rows += [link_row(a, b, outlet[a], outlet[b], "paraphrase", 0.8)
             for a, b in (("c3", "c4"), ("c7", "c8"), ("c7", "c9"), ("c12", "c13"))]
    members: dict[str, list[tuple[str, str]]] = {}
    for c, o, _, k, _ in CLAIMS:
        members.setdefault(k, []).append((c, o))
    text = {c: t for c, _, _, _, t in CLAIMS}
    clusters = pl.DataFrame([
        {"cluster_id": k, "size": len(m), "n_outlets": len({o for _, o in m}), "outlets": sorted({o for _, o in m}),
         "representative": m[0][0], "representative_text": text[m[0][0]], "cohesion": 0.8,
         "has_contrast": any(m[0][0] in pair for pair in CONTRASTS)}
        for k, m in members.items()
    ], schema=schema.CLUSTERS)
    articles = claims.unique("article_id").sort("article_id").select(
        "article_id", "outlet", pl.lit("subfolder").alias("outlet_rule"), "source", "row", "title", "date", "url",
        pl.lit(100).cast(pl.Int64).alias("n_chars")).cast(schema.ARTICLES)
    stories = pl.DataFrame([
        {"story_id": s, "n_articles": len(arts), "article_ids": arts,
         "outlets": sorted({a.split("-")[1] for a in arts}), "n_outlets": len({a.split("-")[1] for a in arts}),
         "n_claims": sum(1 for x in CLAIMS if x[2] == s), "first_date": "2020-02-17", "last_date": "2020-02-17",
         "title": STORIES[s]}
        for s in STORIES for arts in [sorted({f"{s}-{o}" for _, o, s2, _, _ in CLAIMS if s2 == s})]
    ], schema=schema.STORIES)
    return claims, clusters, links_frame(rows), articles, stories


def _data(**limits: Any) -> ReportData:
    claims, clusters, links, articles, stories = _frames()
    return build_report_data(claims, clusters, links, articles, stories=stories,
                             limits=dataclasses.replace(Limits(), **limits))


def test_stories_rank_by_outlets_then_contrasts() -> None:
    data = _data()
    # s1: 3 outlets; s2 and s3: 2 each, s2 with a contrast first.
    assert [v.story.story_id for v in data.stories] == ["s1", "s2", "s3"]
    s1 = data.stories[0]
    assert [c.cluster_id for c in s1.contrasts] == ["k1", "k4"]  # confidence 0.9 before 0.6
    assert [c.cluster_id for c in s1.shared] == ["k6", "k2"]  # 3 outlets before 2
    assert s1.missing == ()  # every outlet covered it
    assert data.stories[2].missing == ("tass",)
    # The summary's strongest contrasts are the corpus's, strongest first, with their story.
    assert [(t.cluster.cluster_id, t.story.story_id) for t in data.strongest] == [
        ("k5", "s2"), ("k1", "s1"), ("k4", "s1")]
    assert dict(data.figures)["stories"] == 3


def test_markdown_puts_the_summary_first_and_follows_the_ranking() -> None:
    md = render_markdown(_data())
    assert md.index("## Summary") < md.index("**Strongest contrasts**") < md.index("## Contents") < md.index("## Stories")
    assert "3 stories from 3 outlets" in md
    assert md.index("### 1. \u2068Idlib talks") < md.index("### 2. \u2068Quake toll") < md.index("### 3. \u2068Sochi summit")
    story1 = md[md.index("### 1."):md.index("### 2.")]
    assert story1.index(NEG_A[:10]) < story1.index("Ten trucks") < story1.index("Talks will resume") < story1.index("Ministers met")
    assert "Not covered by: \u2068tass\u2069." in md
    assert "**negation**" in md and "**\u2068لم تف\u2069**" in md and "**\u2068أوفت\u2069**" in md
    # Reference tables come after the findings.
    assert md.index("## Only in one outlet") < md.index("## Outlets") < md.index("## Corpus")


def test_caps_say_what_they_leave_to_the_parquet_files() -> None:
    data = _data(stories=1, contrasts=1, shared=1, story_table=1, versions=1)
    s1 = data.stories[0]
    assert [c.cluster_id for c in s1.contrasts] == ["k1"] and s1.hidden_contrasts == 1
    assert [c.cluster_id for c in s1.shared] == ["k6"] and s1.hidden_shared == 1
    assert s1.shared[0].hidden_versions == 2 and s1.shared[0].versions[0].claim_id == "c7"
    assert [s.story_id for s in data.story_table] == ["s2"] and data.hidden_stories == 1
    md = render_markdown(data)
    assert "1 more contrasting claims in this story in links.parquet." in md
    assert "1 more claims carried by several outlets in this story in clusters.parquet." in md
    assert "2 more versions in claims.parquet" in md
    assert "## Other stories" in md and "1 more stories in stories.parquet." in md
    # The summary leads with the contrasts shown below, then the others by confidence,
    # and one whose story is not shown in full says so.
    assert [(t.cluster.cluster_id, t.shown) for t in data.strongest] == [("k1", True), ("k5", False), ("k4", False)]
    assert "story not shown in full" in md
    everything = _data(**dataclasses.asdict(Limits.everything()))
    assert len(everything.stories) == 3 and not everything.story_table
    assert all(v.hidden_contrasts == 0 and v.hidden_shared == 0 for v in everything.stories)


def test_without_stories_the_corpus_is_one_story() -> None:
    claims, clusters, links, articles, _ = _frames()
    data = build_report_data(claims.drop("story_id"), clusters, links, articles)
    assert [v.story.title for v in data.stories] == ["All articles"]
    assert [c.cluster_id for c in data.stories[0].contrasts] == ["k5", "k1", "k4"]


def test_report_is_deterministic_and_escaped() -> None:
    claims, clusters, links, articles, stories = _frames()
    md1 = render_markdown(build_report_data(claims, clusters, links, articles, stories=stories))
    md2 = render_markdown(build_report_data(claims.reverse(), clusters.reverse(), links.reverse(), articles.reverse(),
                                            stories=stories.reverse()))
    assert md1 == md2
    assert "<script>" not in md1 and "</table>" not in md1 and "](javascript" not in md1
    assert "### Only in \u2068ria\u2069 (1)" in md1  # an outlet with nothing of its own is not listed
    assert "Only in \u2068anka" not in md1


def test_highlight_handles_overlaps_and_bounds() -> None:
    # Overlapping spans keep the first; out-of-range spans are ignored.
    assert highlight("abcdef", [(1, 3), (2, 4), (10, 12)]) == "\u2068a\u2069**\u2068bc\u2069**\u2068def\u2069"
    # Spaces stay outside the bold markers so CommonMark renders the bold.
    assert highlight("one two three", [(3, 8)]) == "\u2068one\u2069 **\u2068two\u2069** \u2068three\u2069"
    assert highlight("", []) == ""


def test_a_report_renders_again_from_its_parquet_outputs(monkeypatch: Any) -> None:
    import pytest

    from compare.errors import InputError
    from compare.pipeline import render_report_from
    from tests.conftest import ROOT

    monkeypatch.chdir(ROOT)  # the committed claims name their sources relative to the repo
    committed = (ROOT / "reports" / "fixtures" / "report.md").read_text("utf-8")
    md, html = render_report_from(ROOT / "reports" / "fixtures", encoder="x")

    def stories(text: str) -> str:
        return text[text.index("## Stories"):text.index("## Framing")]

    # Stories need only the Parquet outputs: the same as the report written by the run.
    assert stories(md) == stories(committed)
    assert '<section id="summary">' in html and "<details" in html
    with pytest.raises(InputError, match=r"claims\.parquet"):
        render_report_from(ROOT / "fixtures")

from __future__ import annotations

import polars as pl

from compare import schema
from compare.render.report import build_report_data, highlight, render_markdown
from tests.conftest import claim_row, claims_frame, link_row, links_frame


def _frames() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    claims = claims_frame([
        claim_row("c1", "ria", "قال لافروف إن تركيا لم تف بالتزاماتها في إدلب", speaker="لافروف", cluster="k1"),
        claim_row("c2", "anka", "أكد أوكتاي أن تركيا أوفت بالتزاماتها في إدلب", speaker="أوكتاي", cluster="k1"),
        claim_row("c3", "ria", "الرئيسان أكدا الالتزام باتفاقات سوتشي", start=50, cluster="k2"),
        claim_row("c4", "anka", "بوتين وأردوغان أكدا التزامهما باتفاقات سوتشي", start=50, cluster="k2"),
        claim_row("c5", "ria", "Only here: </table><script>alert(1)</script> | [x](javascript:alert(1))", start=99, cluster="k3"),
    ])
    t1, t2 = claims["text"][0], claims["text"][1]
    diffs = [{"kind": "negation", "a": "لم تف", "b": "أوفت",
              "a_span": [t1.index("لم تف"), t1.index("لم تف") + 5], "b_span": [t2.index("أوفت"), t2.index("أوفت") + 4]}]
    links = links_frame([
        link_row("c1", "c2", "ria", "anka", "contrast", 0.6, contrast=0.9, differences=diffs),
        link_row("c3", "c4", "ria", "anka", "paraphrase", 0.8),
    ])
    clusters = pl.DataFrame(
        [
            {"cluster_id": "k1", "size": 2, "n_outlets": 2, "outlets": ["anka", "ria"], "representative": "c1",
             "representative_text": claims["text"][0], "cohesion": 0.6, "has_contrast": True},
            {"cluster_id": "k2", "size": 2, "n_outlets": 2, "outlets": ["anka", "ria"], "representative": "c3",
             "representative_text": claims["text"][2], "cohesion": 0.8, "has_contrast": False},
            {"cluster_id": "k3", "size": 1, "n_outlets": 1, "outlets": ["ria"], "representative": "c5",
             "representative_text": claims["text"][4], "cohesion": 1.0, "has_contrast": False},
        ],
        schema=schema.CLUSTERS,
    )
    articles = pl.DataFrame(
        [
            {"article_id": "a-ria", "outlet": "ria", "outlet_rule": "subfolder", "source": "/corpus/ria/x.txt",
             "row": None, "title": "t", "date": "2020-02-17", "url": None, "n_chars": 100},
            {"article_id": "a-anka", "outlet": "anka", "outlet_rule": "subfolder", "source": "/corpus/anka/x.txt",
             "row": None, "title": "t", "date": "2020-02-17", "url": None, "n_chars": 100},
        ],
        schema=schema.ARTICLES,
    )
    return claims, clusters, links, articles


def test_report_sections_order_and_counts() -> None:
    claims, clusters, links, articles = _frames()
    data = build_report_data(claims, clusters, links, articles)
    assert dict(data.figures)["clusters spanning 2+ outlets"] == 2
    assert dict(data.figures)["contrasting clusters"] == 1
    assert [c.cluster_id for c in data.contrasts] == ["k1"]
    assert [c.cluster_id for c in data.shared] == ["k1", "k2"]  # ties broken by id
    only = dict((o, total) for o, _, total in data.only_in)
    assert only == {"ria": 1}  # an outlet with nothing of its own is not listed
    md = render_markdown(data)
    assert md.index("## Where outlets disagree") < md.index("## Claims carried by several outlets")
    assert "**negation**" in md
    # The differing span is highlighted in bold in the side-by-side table.
    assert "**\u2068لم تف\u2069**" in md and "**\u2068أوفت\u2069**" in md


def test_report_is_deterministic_and_escaped() -> None:
    claims, clusters, links, articles = _frames()
    md1 = render_markdown(build_report_data(claims, clusters, links, articles))
    md2 = render_markdown(build_report_data(claims.reverse(), clusters.reverse(), links.reverse(), articles.reverse()))
    assert md1 == md2
    assert "<script>" not in md1 and "</table>" not in md1 and "](javascript" not in md1


def test_top_limits_clusters() -> None:
    claims, clusters, links, articles = _frames()
    data = build_report_data(claims, clusters, links, articles, top=1)
    assert len(data.shared) == 1 and data.hidden_clusters == 1
    assert "1 more clusters not shown" in render_markdown(data)


def test_highlight_handles_overlaps_and_bounds() -> None:
    # Overlapping spans keep the first; out-of-range spans are ignored.
    assert highlight("abcdef", [(1, 3), (2, 4), (10, 12)]) == "\u2068a\u2069**\u2068bc\u2069**\u2068def\u2069"
    # Spaces stay outside the bold markers so CommonMark renders the bold.
    assert highlight("one two three", [(3, 8)]) == "\u2068one\u2069 **\u2068two\u2069** \u2068three\u2069"
    assert highlight("", []) == ""


def test_sections_are_bounded_and_say_what_they_hide() -> None:
    claims, clusters, links, articles = _frames()
    data = build_report_data(claims, clusters, links, articles, top=1)
    assert [c.cluster_id for c in data.shared] == ["k1"] and data.hidden_clusters == 1
    assert data.hidden_contrasts == 0
    md = render_markdown(data)
    assert "1 more clusters not shown (all are in clusters.parquet; raise `--top`)." in md
    everything = build_report_data(claims, clusters, links, articles, top=None)
    assert everything.hidden_clusters == 0 and len(everything.shared) == 2

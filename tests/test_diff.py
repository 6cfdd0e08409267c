from __future__ import annotations

import polars as pl
import pytest

from compare import schema
from compare.diff import check_sides, diff_outlets
from compare.errors import UsageError
from compare.render.diff import render_diff_markdown
from tests.conftest import claim_row, claims_frame, link_row, links_frame


def _corpus() -> tuple[pl.DataFrame, pl.DataFrame]:
    claims = claims_frame([
        claim_row("c1", "ria", "Turkey failed to meet its obligations in Idlib.", article="r1", speaker="Lavrov", cluster="k1"),
        claim_row("c2", "anka", "Turkey met its obligations in Idlib.", article="t1", speaker="Oktay", cluster="k1"),
        claim_row("c3", "ria", "The presidents agreed to keep working on Idlib.", article="r1", start=60, cluster="k2"),
        claim_row("c4", "anka", "The two presidents agreed to continue cooperation on Idlib.", article="t1", start=60, cluster="k2"),
        claim_row("c5", "ria", "Militants launched 1000 attacks in two weeks.", article="r2", cluster="k3"),
        claim_row("c6", "anka", "A convoy of 12 trucks reached Idlib.", article="t2", cluster="k4"),
        claim_row("c7", "ria", "Moscow hosted talks on Monday.", article="r1", start=120, cluster="k5"),
        claim_row("c8", "anka", "Moscow hosted talks on Monday.", article="t1", start=120, cluster="k5"),
    ])
    diffs = [{"kind": "negation", "a": "failed to meet", "b": "met", "a_span": [7, 21], "b_span": [7, 10]}]
    links = links_frame([
        link_row("c1", "c2", "ria", "anka", "contrast", 0.7, contrast=0.93, differences=diffs),
        link_row("c3", "c4", "ria", "anka", "paraphrase", 0.8),
        link_row("c7", "c8", "ria", "anka", "duplicate", 1.0),
        link_row("c5", "c6", "ria", "anka", "related", 0.3),
    ])
    return claims, links


def test_buckets() -> None:
    claims, links = _corpus()
    d = diff_outlets(claims, links, ["ria"], ["anka"])
    assert d.counts() == {"contrasting": 1, "only_a": 1, "only_b": 1, "reworded": 1, "same": 1}
    only = d.rows.filter(pl.col("bucket") == "only_a")
    assert only["claim_a"].to_list() == ["c5"]  # a `related` link is not a match
    con = d.rows.filter(pl.col("bucket") == "contrasting").row(0, named=True)
    assert con["differences"][0]["a"] == "failed to meet"
    assert d.pairing.height == 1 and d.pairing["score"][0] > 0
    assert set(d.unmatched_a) == {"r2"} and set(d.unmatched_b) == {"t2"}


def test_symmetry() -> None:
    claims, links = _corpus()
    ab = diff_outlets(claims, links, ["ria"], ["anka"]).rows
    ba = diff_outlets(claims, links, ["anka"], ["ria"]).rows
    swap = {"claim_a": "claim_b", "claim_b": "claim_a", "outlet_a": "outlet_b", "outlet_b": "outlet_a",
            "article_a": "article_b", "article_b": "article_a", "text_a": "text_b", "text_b": "text_a"}
    ba = ba.rename(swap).with_columns(
        pl.col("bucket").replace({"only_a": "only_b", "only_b": "only_a"}),
        pl.col("differences").map_elements(
            lambda s: [{"kind": d["kind"], "a": d["b"], "b": d["a"], "a_span": d["b_span"], "b_span": d["a_span"]} for d in s],
            return_dtype=schema.DIFFERENCES,
        ),
    ).select(ab.columns).sort(["bucket", "claim_a", "claim_b"], nulls_last=True)
    assert ab.equals(ba)


def test_identity_only_same() -> None:
    claims, _ = _corpus()
    ria = claims.filter(pl.col("outlet") == "ria")
    copy = ria.with_columns(pl.lit("ria-copy").alias("outlet"), (pl.col("claim_id") + "x").alias("claim_id"),
                            (pl.col("article_id") + "x").alias("article_id"))
    both = pl.concat([ria, copy])
    links = links_frame([link_row(c, c + "x", "ria", "ria-copy", "duplicate", 1.0) for c in ria["claim_id"]])
    d = diff_outlets(both, links, ["ria"], ["ria-copy"])
    assert set(d.rows["bucket"].to_list()) == {"same"}
    assert d.rows.height == ria.height


def test_bad_sides() -> None:
    with pytest.raises(UsageError, match="unknown outlet 'tass'") as e:
        check_sides(["ria", "anka"], ["tass"], ["anka"])
    assert "anka, ria" in e.value.hint
    with pytest.raises(UsageError, match="both sides"):
        check_sides(["ria", "anka"], ["ria"], ["ria"])
    with pytest.raises(UsageError):
        check_sides(["ria", "anka"], [], ["ria"])
    claims, links = _corpus()
    with pytest.raises(UsageError, match="no claims"):
        diff_outlets(claims.filter(pl.col("outlet") == "ria"), links, ["ria"], ["anka"])


def test_markdown_shows_buckets_and_escapes() -> None:
    claims, links = _corpus()
    claims = claims.with_columns(
        pl.when(pl.col("claim_id") == "c6").then(pl.lit("<script>x</script> | pipe")).otherwise(pl.col("text")).alias("text")
    )
    md = render_diff_markdown(diff_outlets(claims, links, ["ria"], ["anka"]), claims)
    assert "## Contrasting" in md and "**negation**" in md
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert md == render_diff_markdown(diff_outlets(claims, links, ["ria"], ["anka"]), claims)


def test_identical_text_pairs_are_one_row_and_coverage_counts_every_claim() -> None:
    # One sentence of A against the same furniture line on three pages of B: one row, ×3.
    line = "Subscribe to our newsletter for the latest news."
    claims = claims_frame([
        claim_row("a1", "ria", line, article="r1", cluster="k1"),
        *[claim_row(f"b{i}", "anka", line, article=f"t{i}", cluster="k1") for i in range(3)],
        claim_row("a2", "ria", "Turkey failed to meet its obligations.", article="r1", start=60, cluster="k2"),
        claim_row("b9", "anka", "Turkey met its obligations.", article="t0", start=60, cluster="k2"),
    ])
    links = links_frame([
        *[link_row("a1", f"b{i}", "ria", "anka", "duplicate", 1.0) for i in range(3)],
        link_row("a2", "b9", "ria", "anka", "contrast", 0.7, contrast=0.9),
    ])
    d = diff_outlets(claims, links, ["ria"], ["anka"])
    same = d.rows.filter(pl.col("bucket") == "same")
    assert same.height == 1 and same["repeats"].to_list() == [3] and same["claim_b"].to_list() == ["b0"]
    assert d.counts()["same"] == 1 and d.counts()["only_b"] == 0
    assert d.coverage(claims) == (2, 4, 1.0, 1.0)  # every claim of B is matched, repeats included
    md = render_diff_markdown(d, claims)
    assert sum(line in row for row in md.splitlines()) == 1 and "×3" in md


def test_pairs_are_matched_inside_one_story_only() -> None:
    claims, links = _corpus()
    # c3/c4 are the same sentence in two unrelated stories: no match; the rest share story s1.
    story = {"c3": "s2", "c4": "s3"}
    claims = claims.with_columns(pl.col("claim_id").replace_strict(story, default="s1").alias("story_id"))
    d = diff_outlets(claims, links, ["ria"], ["anka"])
    assert d.counts()["reworded"] == 0 and set(d.rows.filter(pl.col("bucket") == "only_a")["claim_a"]) == {"c3", "c5"}
    assert d.counts()["contrasting"] == 1 and d.counts()["same"] == 1
    # Across scripts, where word-based stories cannot join articles, the link alone decides.
    ar = claims.with_columns(pl.when(pl.col("claim_id") == "c4").then(pl.lit("اتفق الرئيسان على مواصلة العمل في إدلب"))
                             .otherwise(pl.col("text")).alias("text"),
                             pl.when(pl.col("claim_id") == "c4").then(pl.lit("اتفق الرئيسان على مواصلة العمل في ادلب"))
                             .otherwise(pl.col("key")).alias("key"))
    assert diff_outlets(ar, links, ["ria"], ["anka"]).counts()["reworded"] == 1


def test_articles_are_named_by_title_and_outlet() -> None:
    claims, links = _corpus()
    claims = claims.with_columns(
        pl.col("article_id").replace_strict({"r1": "Talks in Moscow", "t1": "Ankara answers", "r2": "", "t2": ""},
                                            default="").alias("title"))
    md = render_diff_markdown(diff_outlets(claims, links, ["ria"], ["anka"]), claims)
    assert "Talks in Moscow \\(ria\\)" in md and "Ankara answers \\(anka\\)" in md
    assert "x.txt \\(ria\\)" in md  # no title: the source file's name, never the article hash
    assert "| r1 " not in md and "a-ria" not in md

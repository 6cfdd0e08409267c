"""The HTML report in a real headless Chromium: direction, filters, article links, layout.

Needs the system Chromium (Debian: ``apt-get install chromium``) and the ``playwright``
Python package; never ``playwright install`` (it downloads browsers). On a user's
machine it skips when either is missing; under CI=true (``.ci/run`` installs Chromium) a
missing browser fails the run instead, so lost coverage cannot pass unnoticed.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compare.render.html import render_html
from compare.render.markdown import anchor
from tests.conftest import ON_CI
from tests.test_html import report_data_sample

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _missing(why: str) -> None:
    if ON_CI:
        pytest.fail(f"{why}: CI=true needs the browser tests", pytrace=False)
    pytest.skip(why, allow_module_level=True)


try:
    from playwright import sync_api
except ImportError:
    _missing("playwright is not installed (pip install playwright)")
if not CHROMIUM.exists() and shutil.which("chromium") is None:
    _missing("no system Chromium at /usr/bin/chromium (apt-get install chromium)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    exe = str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=FLAGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any, tmp_path: Path) -> Iterator[tuple[Any, list[str], list[str]]]:
    data, arts = report_data_sample()
    path = tmp_path / "report.html"
    path.write_text(render_html(data, arts), encoding="utf-8")
    pg = browser.new_page(viewport={"width": 1280, "height": 900})
    pg.set_default_timeout(10_000)
    errors: list[str] = []
    requests: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("request", lambda r: requests.append(r.url))
    pg.goto(path.as_uri())
    yield pg, errors, requests
    pg.close()


def _visible(pg: Any, selector: str) -> list[bool]:
    return [bool(x) for x in pg.eval_on_selector_all(selector, "els => els.map(e => e.checkVisibility())")]


def test_loads_offline_without_errors(page: tuple[Any, list[str], list[str]]) -> None:
    pg, errors, requests = page
    assert pg.title().startswith("Report <script>")  # the title is text, not markup
    assert errors == []
    assert requests and all(u.startswith("file://") for u in requests)  # nothing from the network


def test_arabic_claims_are_right_to_left(page: tuple[Any, list[str], list[str]]) -> None:
    pg, _, _ = page
    arabic = pg.locator(".claim-text", has_text="قال لافروف").first
    english = pg.locator(".claim-text", has_text="The presidents agreed").first
    assert arabic.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert english.evaluate("e => getComputedStyle(e).direction") == "ltr"


def test_first_screen_shows_findings_not_controls(page: tuple[Any, list[str], list[str]]) -> None:
    pg, _, _ = page
    summary = pg.locator("#summary")
    box = summary.bounding_box()
    assert box is not None and box["y"] < 300  # right under the title
    assert pg.locator("#summary", has_text="Strongest contrasts").is_visible()
    strongest = pg.locator("ol.strongest li").first.bounding_box()
    assert strongest is not None and strongest["y"] + strongest["height"] < 900  # on the first screen
    # The filters are there, but collapsed: no checkbox on the first screen.
    assert pg.locator(".filters").is_visible()
    assert not any(_visible(pg, ".filters input"))


def _open_filters(pg: Any) -> None:
    pg.locator(".filters > summary").click()


def test_outlet_filter_hides_the_other_outlet(page: tuple[Any, list[str], list[str]]) -> None:
    pg, errors, _ = page
    _open_filters(pg)
    anka = pg.locator('.filters input[name="outlet"]').nth(0)  # outlets are listed sorted: anka first
    assert pg.locator(".filters label").nth(0).inner_text().strip() == "anka"
    tok = anka.get_attribute("value")
    before = _visible(pg, f'.item[data-outlets="{tok}"]')
    assert before and all(before)
    anka.uncheck()
    assert not any(_visible(pg, f'.item[data-outlets="{tok}"]'))
    others = _visible(pg, f'.item:not([data-outlets="{tok}"])')
    assert any(others) and not all(others)  # ria claims stay, except inside ria-vs-anka pairs
    assert not any(_visible(pg, ".pairbox"))  # a contrast needs both of its outlets
    assert "showing" in pg.locator("#filter-status").inner_text()
    anka.check()
    assert all(_visible(pg, ".item"))
    assert errors == []


def test_relation_filter_hides_clusters(page: tuple[Any, list[str], list[str]]) -> None:
    pg, _, _ = page
    _open_filters(pg)
    pg.locator('.filters input[name="relation"][value="contrast"]').uncheck()
    assert not any(_visible(pg, ".pairbox"))
    assert not any(_visible(pg, '.cluster[data-relations="contrast"]'))
    assert all(_visible(pg, '.cluster[data-relations="paraphrase"]'))
    pg.locator('.filters input[name="relation"][value="paraphrase"]').uncheck()
    # With no relation left, only single-outlet claims (which have none) remain.
    assert not any(_visible(pg, ".cluster"))
    assert all(_visible(pg, "#only-in-one-outlet .item"))


def test_article_link_opens_the_article_with_the_claim_marked(page: tuple[Any, list[str], list[str]]) -> None:
    pg, errors, _ = page
    target = anchor("claim", "c2")
    mark = pg.locator(f'mark.claim[data-c~="{target}"]')
    assert not mark.first.is_visible()  # articles stay closed until asked for
    pg.locator(f'.pairbox a.artlink[href="#{target}"]').first.click()
    assert mark.first.is_visible()
    assert "active" in (mark.first.get_attribute("class") or "")
    details = pg.locator(f"details#{anchor('article', 't1')}")
    assert details.evaluate("d => d.open") is True
    assert "".join(mark.all_inner_texts()) == "أكد أوكتاي أن تركيا أوفت بالتزاماتها في إدلب"
    box = mark.first.bounding_box()
    assert box is not None and box["width"] > 20 and box["height"] > 5
    # The article opens on a Latin line, yet its Arabic lines still run right to left.
    text_box = pg.locator(f"details#{anchor('article', 't1')} .article-text").bounding_box()
    assert text_box is not None
    right_gap = text_box["x"] + text_box["width"] - (box["x"] + box["width"])
    assert 0 <= right_gap < 5 and box["x"] - text_box["x"] > 50
    assert errors == []


def test_screenshot_and_layout(page: tuple[Any, list[str], list[str]], tmp_path: Path) -> None:
    pg, _, _ = page
    shot = tmp_path / "shot.png"
    pg.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 5_000
    # The two versions of a contrast sit side by side, each a real column.
    sides = pg.locator(".pairbox .side")
    a, b = sides.nth(0).bounding_box(), sides.nth(1).bounding_box()
    assert a is not None and b is not None
    assert a["width"] > 200 and b["width"] > 200
    assert abs(a["y"] - b["y"]) < 2 and b["x"] >= a["x"] + a["width"]
    # The differing words are highlighted and visible in both columns.
    marks = pg.locator(".pairbox mark.diff")
    assert marks.count() == 2 and all(m.is_visible() for m in marks.all())
    # The filter bar stays on screen while scrolling.
    pg.mouse.wheel(0, 2000)
    pg.wait_for_function("window.scrollY > 0")
    bar = pg.locator(".filters").bounding_box()
    assert bar is not None and bar["y"] <= 1 and bar["height"] > 10
    # On a phone-width screen the columns stack instead of squeezing.
    pg.set_viewport_size({"width": 480, "height": 900})
    a, b = sides.nth(0).bounding_box(), sides.nth(1).bounding_box()
    assert a is not None and b is not None and b["y"] >= a["y"] + a["height"]


def test_diff_and_dupes_pages_load_without_errors(browser: Any, tmp_path: Path) -> None:
    import polars as pl

    from compare.diff import diff_outlets
    from compare.dupes import audit_duplicates
    from compare.render.html import render_diff_html, render_dupes_html
    from tests.conftest import claim_row, claims_frame, link_row, links_frame

    claims = claims_frame([
        claim_row("c1", "ria", "قال لافروف إن تركيا لم تف بالتزاماتها في إدلب", article="r1", cluster="k1"),
        claim_row("c2", "anka", "أكد أوكتاي أن تركيا أوفت بالتزاماتها في إدلب", article="t1", cluster="k1"),
        claim_row("c3", "ria", "أكد أوكتاي أن تركيا أوفت بالتزاماتها في إدلب", article="r2", cluster="k1"),
    ])
    links = links_frame([link_row("c1", "c2", "ria", "anka", "contrast", 0.7, contrast=0.9)])
    arts = {r["article_id"]: (r["outlet"], r["title"], r["text"]) for r in claims.iter_rows(named=True)}
    units = claims.select(pl.col("claim_id").alias("paragraph_id"), "article_id", "outlet", "date", "start", "end", "text", "key")
    pages = {
        "diff.html": render_diff_html(diff_outlets(claims, links, ["ria"], ["anka"]), claims, arts),
        "dupes.html": render_dupes_html(audit_duplicates(units), arts, units=units),
    }
    for name, html in pages.items():
        path = tmp_path / name
        path.write_text(html, encoding="utf-8")
        pg = browser.new_page()
        errors: list[str] = []
        pg.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
        pg.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        pg.goto(path.as_uri())
        link = pg.locator("a.artlink").first
        link.click()
        target = (link.get_attribute("href") or "#")[1:]
        assert pg.locator(f'mark.claim[data-c~="{target}"]').first.is_visible(), name
        pg.locator(".filters > summary").click()
        pg.locator('.filters input[name="outlet"]').nth(0).uncheck()  # anka
        assert pg.locator(".item:visible").count() > 0
        assert errors == [], name
        pg.close()


def _big_corpus(n_stories: int = 150, per_story: int = 12, clusters: int = 8) -> tuple[Any, ...]:
    """Frames of a large corpus: ``n_stories`` stories of ``per_story`` outlets (out of
    500), each with ``clusters`` clusters carried by all its outlets, half contrasting."""
    import polars as pl

    from compare import schema
    from tests.conftest import claim_row, claims_frame, link_row, links_frame

    rows, story_of, links, cl = [], [], [], []
    for s in range(n_stories):
        outlets = [f"outlet{(s * 7 + i) % 500:03d}.example" for i in range(per_story)]
        for k in range(clusters):
            ids = [f"c{s}-{k}-{i}" for i in range(per_story)]
            for i, (cid, o) in enumerate(zip(ids, outlets, strict=True)):
                rows.append(claim_row(cid, o, f"Story {s} claim {k}: {i + 100} people were counted in the town.",
                                      article=f"a{s}-{o}", start=80 * k, cluster=f"k{s}-{k}", title=f"Story {s}"))
                story_of.append(f"s{s:04d}")
            for i in range(1, per_story):
                rel = "contrast" if k % 2 == 0 else "paraphrase"
                links.append(link_row(ids[0], ids[i], outlets[0], outlets[i], rel, 0.7, contrast=0.5 + i / 100))
            cl.append({"cluster_id": f"k{s}-{k}", "size": per_story, "n_outlets": per_story, "outlets": sorted(outlets),
                       "representative": ids[0], "representative_text": rows[-per_story]["text"], "cohesion": 0.8,
                       "has_contrast": k % 2 == 0})
    claims = claims_frame(rows).with_columns(pl.Series("story_id", story_of))
    articles = claims.unique("article_id").sort("article_id").select(
        "article_id", "outlet", pl.lit("subfolder").alias("outlet_rule"), "source", "row", "title", "date", "url",
        pl.lit(100).cast(pl.Int64).alias("n_chars")).cast(schema.ARTICLES)  # type: ignore[arg-type]
    stories = (claims.group_by("story_id").agg(
        pl.col("article_id").unique().sort().alias("article_ids"), pl.col("outlet").unique().sort().alias("outlets"),
        pl.len().alias("n_claims"), pl.col("title").first())
        .with_columns(pl.col("article_ids").list.len().alias("n_articles"), pl.col("outlets").list.len().alias("n_outlets"),
                      pl.lit("2020-02-17").alias("first_date"), pl.lit("2020-02-17").alias("last_date"))
        .select(list(schema.STORIES)).sort("story_id"))
    texts = {r["article_id"]: (r["outlet"], r["title"], " " * (80 * clusters)) for r in articles.iter_rows(named=True)}
    return claims, pl.DataFrame(cl, schema=schema.CLUSTERS), links_frame(links), articles, stories, texts


def test_a_large_corpus_gives_a_small_page(browser: Any, tmp_path: Path) -> None:
    """Default caps keep the page (and its DOM) small on a corpus of 14,400 claims in 150
    stories from 500 outlets; showing everything would not."""
    import dataclasses
    import time

    from compare.render.report import Limits, build_report_data

    claims, clusters, links, articles, stories, texts = _big_corpus()
    pages = {}
    for name, limits in (("capped", Limits()), ("everything", dataclasses.replace(Limits.everything(), outlets=None))):
        data = build_report_data(claims, clusters, links, articles, stories=stories, limits=limits)
        pages[name] = render_html(data, texts)
    assert len(pages["everything"]) > 10 * len(pages["capped"])  # the caps are what keeps it small
    path = tmp_path / "big.html"
    path.write_text(pages["capped"], encoding="utf-8")
    pg = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    t0 = time.perf_counter()
    pg.goto(path.as_uri(), wait_until="load")
    loaded = time.perf_counter() - t0
    n_elements = pg.evaluate("document.getElementsByTagName('*').length")
    assert errors == []
    assert len(pages["capped"].encode()) < 1_500_000 and n_elements < 15_000, (len(pages["capped"]), n_elements)
    assert loaded < 5, loaded
    assert pg.locator("#summary", has_text="Strongest contrasts").is_visible()
    pg.close()

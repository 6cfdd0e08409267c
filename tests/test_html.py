"""HTML report: escaping of hostile article text, right-to-left safety, marks, determinism."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

import pytest

from compare.contrast import Difference
from compare.diff import diff_outlets
from compare.render.html import render_diff_html, render_html, segments
from compare.render.markdown import anchor, safe_href
from compare.render.report import (
    ClusterView,
    ContrastPair,
    OutletRow,
    ReportData,
    StoryRow,
    StoryView,
    TopContrast,
    Version,
)
from tests.conftest import claim_row, claims_frame, link_row, links_frame

HOSTILE = "Only here: </table><script>alert(1)</script> | `code` [x](javascript:alert(1)) \u202eevil"
AR_A = "قال لافروف إن تركيا لم تف بالتزاماتها في إدلب"
AR_B = "أكد أوكتاي أن تركيا أوفت بالتزاماتها في إدلب"
EN = "The presidents agreed to keep working on Idlib."

# Original article texts: claims sit at known offsets inside them.
ART_RIA = "عنوان\n\n" + AR_A + "\n\n" + EN + "\n"
ART_ANKA = "<b>title</b>\n\n" + AR_B + "\n"
ART_EVIL = "Intro.\n" + HOSTILE + "\n"


def _v(cid: str, article: str, outlet: str, text: str, art_text: str, *, relation: str | None = None,
       link: str | None = None, speaker: str | None = None) -> Version:
    start = art_text.index(text)
    return Version(
        claim_id=cid, article_id=article, outlet=outlet, text=text, speaker=speaker, date="2020-02-17",
        title="t", link=link if link is not None else f"../corpus/{outlet}/x.txt", source=f"/corpus/{outlet}/x.txt",
        start=start, end=start + len(text), is_quote=False, is_title=False, relation=relation,
    )


def report_data_sample(hostile_link: str = "javascript:alert(1)") -> tuple[ReportData, dict[str, tuple[str, str, str]]]:
    a = _v("c1", "r1", "ria", AR_A, ART_RIA, speaker="لافروف")
    b = _v("c2", "t1", "anka", AR_B, ART_ANKA, relation="contrast", speaker="<i>Oktay</i>")
    en = _v("c3", "r1", "ria", EN, ART_RIA)
    evil = _v("c5", "e1", "ria", HOSTILE, ART_EVIL, link=hostile_link)
    diffs = (Difference("negation", "لم تف", "أوفت", (AR_A.index("لم تف"), AR_A.index("لم تف") + 5),
                        (AR_B.index("أوفت"), AR_B.index("أوفت") + 4)),)
    k1 = ClusterView("k1", 2, ("anka", "ria"), 0.6, AR_A, (a, b), (ContrastPair(a, b, 0.9, diffs),))
    k2 = ClusterView("k2", 2, ("anka", "ria"), 0.8, EN,
                     (en, dataclasses.replace(evil, relation="paraphrase", claim_id="c6")))
    story = StoryRow("s1", "تركيا وروسيا وإدلب", ("anka", "ria"), 3, 4, "2020-02-17", "2020-02-18")
    data = ReportData(
        title="Report <script>alert('t')</script>",
        encoder="lexical",
        figures=(("stories", 1), ("outlets", 2), ("articles", 3), ("claims", 4)),
        outlets=(OutletRow("anka", "subfolder", 1, 1, 1, 0), OutletRow("ria", "subfolder", 2, 3, 2, 1)),
        stories=(StoryView(story, 1, (k1,), (k2,), 1, 2, ("tass",), 0),),
        strongest=(TopContrast(story, k1, k1.contrasts[0], True),),
        only_in=(("ria", (evil,), 1),),
        framing=(("Idlib", "ria", "</td><script>x()</script>", 3),),
        dropped=(("share", 2),),
        n_contrasts=1,
    )
    arts = {"r1": ("ria", "عنوان", ART_RIA), "t1": ("anka", "<b>title</b>", ART_ANKA), "e1": ("ria", "evil", ART_EVIL)}
    return data, arts


class _Collect(HTMLParser):
    """Tags, attributes and the text inside each element, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.text_in: list[tuple[tuple[str, dict[str, str | None]], ...]] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("meta", "input", "br", "link"):
            self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.texts.append(data)
            self.text_in.append(tuple(self.stack))


def _parse(html: str) -> _Collect:
    p = _Collect()
    p.feed(html)
    p.close()
    return p


def test_hostile_text_is_escaped() -> None:
    data, arts = report_data_sample()
    html = render_html(data, arts)
    parsed = _parse(html)
    scripts = [t for t, _ in parsed.tags if t == "script"]
    assert len(scripts) == 1  # only the page's own script
    assert "<script>alert" not in html and "</table><script>" not in html and "</td><script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>title</b>" not in html and "<i>Oktay</i>" not in html
    for _, attrs in parsed.tags:
        for name, value in attrs.items():
            assert not (value or "").strip().lower().startswith(("javascript:", "data:")), (name, value)
            assert not name.startswith("on"), name  # no inline handlers, let alone from data
    # The hostile text is shown literally, with its source bidi override removed.
    assert any("[x](javascript:alert(1))" in t and "`code`" in t for t in parsed.texts)
    assert "\u202e" not in html


@pytest.mark.parametrize("link", ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<b>x</b>", "//evil.example/x"])
def test_hostile_links_have_no_href(link: str) -> None:
    assert safe_href(link) is None
    data, arts = report_data_sample(hostile_link=link)
    hrefs = [a.get("href") or "" for t, a in _parse(render_html(data, arts)).tags if t == "a"]
    assert hrefs and all(h.startswith(("#", "../", "https://", "http://")) for h in hrefs), hrefs


def test_safe_href_keeps_urls_and_relative_paths() -> None:
    assert safe_href("https://example.com/a b?q=1") == "https://example.com/a%20b?q=1"
    assert safe_href("../corpus/ria/x y.txt") == "../corpus/ria/x%20y.txt"
    assert safe_href("java\nscript:alert(1)") == "java%0Ascript%3Aalert%281%29"  # no scheme left
    assert safe_href("") is None


def test_every_article_text_element_has_dir_auto() -> None:
    data, arts = report_data_sample()
    parsed = _parse(render_html(data, arts))
    corpus_words = [AR_A[:8], AR_B[:8], EN[:10], "Only here", "لافروف", "Oktay", "title"]
    seen = 0
    for text, stack in zip(parsed.texts, parsed.text_in, strict=True):
        if any(w in text for w in corpus_words):
            seen += 1
            assert any(attrs.get("dir") == "auto" for _, attrs in stack), text
    assert seen >= 10


def test_differences_and_article_spans_are_marked() -> None:
    data, arts = report_data_sample()
    html = render_html(data, arts)
    assert '<mark class="diff" title="negation">لم تف</mark>' in html
    assert '<mark class="diff" title="negation">أوفت</mark>' in html
    # Each claim links to its article section, where exactly its characters are marked.
    for v in (data.contrasts[0].versions[0], data.contrasts[0].versions[1], data.shared[1].versions[0]):
        target = anchor("claim", v.claim_id)
        assert f'href="#{target}"' in html
        marked = re.findall(rf'<mark class="claim" data-c="[^"]*\b{target}\b[^"]*">([^<]*)</mark>', html)
        assert "".join(marked) == arts[v.article_id][2][v.start : v.end]
        art_id = anchor("article", v.article_id)
        section = html[html.index(f'<details class="article" id="{art_id}"') :]
        assert f'<span id="{target}"></span>' in section[: section.index("</details>")]


def test_segments_handle_overlap_and_bounds() -> None:
    segs = segments("abcdef", [(1, 4, "x"), (3, 5, "y"), (9, 12, "z"), (2, 2, "w")])
    assert "".join(s.text for s in segs) == "abcdef"
    assert [(s.text, s.labels) for s in segs if s.marked] == [("bc", ("x",)), ("d", ("x", "y")), ("e", ("y",))]
    assert segments("", []) == ()


def test_output_is_deterministic_and_has_no_network() -> None:
    data, arts = report_data_sample()
    one = render_html(data, arts)
    two = render_html(data, dict(reversed(list(arts.items()))))
    assert one == two
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", one)  # nothing fetched from elsewhere
    assert "<link" not in one and "@import" not in one
    assert one.count('name="outlet"') == 2 and one.count('name="relation"') == 4


def test_sections_follow_the_markdown() -> None:
    data, _ = report_data_sample()
    html = render_html(data)  # without article texts: no article links, still a full page
    order = ["Summary", "Stories", "Framing", "Only in one outlet", "Outlets", "Corpus", "Dropped boilerplate"]
    pos = [html.index(f"<h2>{h}</h2>") for h in order]
    assert pos == sorted(pos)
    # Findings come before the (collapsed) filters; the story's contrast before its shared claims.
    assert html.index("<h2>Summary</h2>") < html.index('<details class="filters"') < html.index("<h2>Stories</h2>")
    story = html[html.index("<h2>Stories</h2>"):html.index("<h2>Framing</h2>")]
    assert story.index("Where outlets disagree") < story.index("Claims carried by several outlets")
    assert "1 more claims carried by several outlets in this story" in story
    assert "Not covered by: <span dir=\"auto\">tass</span>" in story
    assert "artlink" not in html.split("<script>")[0] and '<details class="article"' not in html


def test_diff_html() -> None:
    claims = claims_frame([
        claim_row("c1", "ria", "Turkey failed to meet its obligations in Idlib.", article="r1", cluster="k1"),
        claim_row("c2", "anka", "Turkey met its obligations in Idlib.", article="t1", cluster="k1"),
        claim_row("c3", "ria", "Militants launched 1000 attacks <script>x()</script>", article="r2", cluster="k3"),
        claim_row("c4", "anka", "نقلت قافلة من 12 شاحنة إلى إدلب", article="t2", cluster="k4"),
    ])
    diffs = [{"kind": "negation", "a": "failed to meet", "b": "met", "a_span": [7, 21], "b_span": [7, 10]}]
    links = links_frame([link_row("c1", "c2", "ria", "anka", "contrast", 0.7, contrast=0.93, differences=diffs)])
    d = diff_outlets(claims, links, ["ria"], ["anka"])
    arts = {r["article_id"]: (r["outlet"], r["title"], r["text"]) for r in claims.iter_rows(named=True)}
    html = render_diff_html(d, claims, arts)
    assert '<mark class="diff" title="negation">failed to meet</mark>' in html
    assert '<mark class="diff" title="negation">met</mark>' in html
    assert "<script>x()" not in html and "&lt;script&gt;x()" in html
    assert html.index('id="contrasting"') < html.index('id="only-a"') < html.index('id="only-b"')
    assert 'dir="auto">نقلت قافلة' in html
    assert html == render_diff_html(d, claims.reverse(), arts)


def test_dupes_html() -> None:
    import polars as pl

    from compare.dupes import audit_duplicates
    from compare.render.html import render_dupes_html
    from compare.text.normalize import match_key

    base = "قال لافروف إن تركيا لم تف بالتزاماتها في إدلب حتى الآن"
    texts = {
        "p1": ("ria", "a1", "2020-02-17", base),
        "p2": ("anka", "b1", "2020-02-18", base),
        "p3": ("sana", "c1", "2020-02-19", base.replace("لم تف", "لم تف أبدا") + " </td><script>x()</script>"),
    }
    arts = {a: (o, "<i>t</i>", "intro\n" + t + "\n") for o, a, _, t in texts.values()}
    units = pl.DataFrame([
        {"paragraph_id": p, "article_id": a, "outlet": o, "date": d, "paragraph": 1, "start": 6, "end": 6 + len(t),
         "text": t, "key": match_key(t)}
        for p, (o, a, d, t) in texts.items()
    ])
    result = audit_duplicates(units)
    assert result.groups.height == 1  # the audit itself is tested elsewhere; here only its view
    html = render_dupes_html(result, arts, units=units)
    assert "<script>x()" not in html and "&lt;/td&gt;&lt;script&gt;" in html and "<i>t</i>" not in html
    assert "<ins>أبدا</ins>" in html
    for pid in texts:
        target = anchor("claim", pid)
        assert f'href="#{target}"' in html
        assert re.search(rf'<mark class="claim" data-c="{target}">{re.escape(base[:10])}', html)
    assert html.count('name="relation"') == 2 and 'value="near"' in html
    assert html == render_dupes_html(result, arts, units=units)
    # Without offsets the members are listed but not linked.
    assert "artlink" not in render_dupes_html(result, arts).split("<script>")[0]


def test_summary_and_hidden_counts_reach_the_html() -> None:
    from dataclasses import replace

    data, arts = report_data_sample()
    more = StoryRow("s2", "قمة سوتشي", ("ria",), 1, 2, "2020-02-17", "2020-02-18")
    html = render_html(replace(data, story_table=(more,), hidden_stories=3), arts)
    summary = html[html.index('id="summary"'):html.index('id="stories"')]
    assert "Strongest contrasts" in summary and "confidence 0.90" in summary and "تركيا وروسيا وإدلب" in summary
    assert "ria</strong>: 1 claims of its own" in summary
    assert 'id="other-stories"' in html and "قمة سوتشي" in html and "2020-02-17 – 2020-02-18" in html
    assert "3 more stories in stories.parquet" in html


def test_article_text_is_cut_to_the_claims_context() -> None:
    from compare.render.html import ELIDED, context_segments

    text = "intro line\n" + "x" * 2000 + "\nthe claim sits here.\n" + "y" * 2000 + "\nend"
    s = text.index("the claim")
    segs = context_segments(text, [(s, s + 9, "c")], context=100)
    shown = "".join(g.text for g in segs)
    assert shown == ELIDED + "the claim sits here." + ELIDED  # cut at the line ends near the claim
    assert [g.text for g in segs if g.marked] == ["the claim"]
    # Close claims share one window; the whole text is kept when it is short.
    assert "".join(g.text for g in context_segments("a b c", [(0, 1, "x"), (4, 5, "y")])) == "a b c"

"""Clean: boilerplate removal against hand labels, titles, paragraphs, audit frames."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import polars as pl
import pytest

from compare import schema
from compare.clean import classify_line, clean_articles, dropped_frame, paragraphs_frame
from compare.ingest import read_articles
from compare.records import Article
from compare.text.normalize import clean_display
from tests.conftest import FIXTURES

# Measured on fixtures/corpus (see fixtures/README.md): precision 1.00, recall 1.00.
MIN_PRECISION = 0.95
MIN_RECALL = 0.95


def _article(text: str, outlet: str = "o", title: str | None = None, n: int = 0) -> Article:
    return Article(f"a{n}", outlet, "file-stem", f"/x/{outlet}/{n}.txt", None, title, None, None, text)


@pytest.fixture(scope="module")
def cleaned() -> list:
    return clean_articles(read_articles([FIXTURES / "corpus"]))


def test_boilerplate_precision_recall(cleaned: list) -> None:
    rel = {c.article.article_id: Path(c.article.source).relative_to(FIXTURES).as_posix() for c in cleaned}
    dropped = {(rel[d.article_id], d.line): d.reason for c in cleaned for d in c.dropped}
    labels = list(csv.DictReader((FIXTURES / "labels" / "boilerplate.csv").read_text(encoding="utf-8").splitlines()))
    tp = fp = fn = 0
    wrong_reason = []
    for r in labels:
        key = (r["file"], int(r["line"]))
        if r["label"] == "drop":
            tp += key in dropped
            fn += key not in dropped
            if key in dropped and dropped[key] != r["reason"]:
                wrong_reason.append((key, r["reason"], dropped[key]))
        else:
            fp += key in dropped
    labelled_files = {r["file"] for r in labels}
    # Lines nobody labelled (blank lines) are never dropped.
    extra = [k for k in dropped if k[0] in labelled_files and k not in {(r["file"], int(r["line"])) for r in labels}]
    precision = tp / max(1, tp + fp)
    recall = tp / max(1, tp + fn)
    msg = f"boilerplate precision {precision:.3f} recall {recall:.3f} (tp {tp} fp {fp} fn {fn})"
    assert precision >= MIN_PRECISION and recall >= MIN_RECALL, msg
    assert not extra, extra
    assert len(wrong_reason) <= 2, wrong_reason


def test_titles_found(cleaned: list) -> None:
    labels = list(csv.DictReader((FIXTURES / "labels" / "boilerplate.csv").read_text(encoding="utf-8").splitlines()))
    title_lines = {(r["file"], int(r["line"])) for r in labels if r["reason"] == "title"}
    got = set()
    for c in cleaned:
        if c.title_span is not None:
            a = c.article
            line = a.text.count("\n", 0, c.title_span.start) + 1
            got.add((Path(a.source).relative_to(FIXTURES).as_posix(), line))
    assert title_lines <= got


def test_spans_round_trip(cleaned: list) -> None:
    for c in cleaned:
        text = c.article.text
        spans = ([c.title_span] if c.title_span else []) + list(c.paragraphs)
        for s in spans:
            assert text[s.start : s.end] == s.text and s.text.strip()
        for d in c.dropped:
            assert text[d.start : d.end] == d.text
        # Kept and dropped pieces never overlap.
        pieces = sorted([(s.start, s.end) for s in spans] + [(d.start, d.end) for d in c.dropped])
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(pieces))


def test_duplicated_paragraph_is_kept(cleaned: list) -> None:
    (c,) = [c for c in cleaned if c.article.source.endswith("ariha-shelling.txt")]
    texts = [clean_display(p.text) for p in c.paragraphs]
    assert texts[0] == texts[1]


def test_repeated_line_needs_three_articles() -> None:
    tail = "This closing paragraph is the same in every single article of this outlet here"
    arts = [_article(f"Headline {i}\n\nA real sentence number {i} about the news of the day.\n\n{tail}", n=i) for i in range(3)]
    drops = [d for c in clean_articles(arts) for d in c.dropped]
    assert len(drops) == 3 and all(d.reason == "repeated" and d.text == tail for d in drops)
    kept = clean_articles(arts[:2])
    assert not any(c.dropped for c in kept)
    # Another outlet printing the same line once does not make it boilerplate there.
    other = clean_articles([*arts, _article(f"A different title\n\nSomething happened today in the city.\n\n{tail}", outlet="p", n=9)])
    assert not other[-1].dropped


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        # Shapes, not the seeds' strings: unseen outlet names, sources and widgets.
        ("نبض الشام – هيئة التحرير", "byline"),
        ("Northern Star - Newsroom", "byline"),
        ("By Maria Lopez", "byline"),
        ("بقلم: سامر الأحمد", "byline"),
        ("محافظ حلب خلال جولة ميدانية / سانا", "caption"),
        ("Rescue workers search the rubble / Getty", "caption"),
        ("الصورة: أرشيف", "caption"),
        ("Image: Reuters/Khalil Ashawi", "caption"),
        ("مخيم للنازحين قرب الحدود صورة تعبيرية", "caption"),
        ("شاهد أيضاً: تفاصيل جديدة عن الهجوم", "related"),
        ("Also read: what next for the ceasefire", "related"),
        ("الأكثر قراءة", "related"),
        ("أضف تعليقاً", "comment"),
        ("Leave a Reply", "comment"),
        ("Share this article on Twitter", "share"),
        ("طباعة", "share"),
        ("تابعونا على تلغرام", "share"),
        ("42", "number"),
        ("١٢", "number"),
        ("عربيدوليرياضةاقتصاد", "category"),
        ("الرئيسية أخبار عربي", "category"),
        ("Tags: Syria, Russia, Turkey", "category"),
        ("Updated: 18 February 2020 10:31 GMT", "date"),
        ("جميع الحقوق محفوظة لموقع الخبر 2020", "footer"),
    ],
)
def test_boilerplate_shapes_generalise(line: str, reason: str) -> None:
    assert classify_line(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        "قال وزير الخارجية إن المحادثات ستستأنف الأسبوع المقبل في أنقرة.",
        "The convoy reached the city on Wednesday, officials said.",
        "انتصار الأسد",  # a subheading: short, but content
        "Aid groups warned that the town still lacked water / electricity and fuel supplies for the winter.",
        "وأكد المتحدث أن التعليقات الواردة في الصحافة لا تعكس موقف الحكومة الرسمي من المفاوضات الجارية.",
    ],
)
def test_content_lines_are_kept(line: str) -> None:
    assert classify_line(line) is None


def test_lone_word_at_the_edges() -> None:
    text = "أخبارعاجلسياسة\n\nعنوان الخبر هنا عن إدلب\n\nوقال المسؤول إن الوضع في المدينة هادئ اليوم بعد أيام من القصف.\n\nالمرصد\n"
    (c,) = clean_articles([_article(text)])
    reasons = {clean_display(d.text): d.reason for d in c.dropped}
    assert reasons == {"أخبارعاجلسياسة": "category", "المرصد": "byline"}
    assert c.title_span is not None and clean_display(c.title_span.text) == "عنوان الخبر هنا عن إدلب"


def test_paragraphs_without_blank_lines_are_lines() -> None:
    text = "Title line here\nFirst paragraph sentence one. Sentence two.\nSecond paragraph.\n"
    (c,) = clean_articles([_article(text)])
    assert [p.text for p in c.paragraphs] == ["First paragraph sentence one. Sentence two.", "Second paragraph."]


def test_blank_line_blocks_join_wrapped_lines() -> None:
    text = "Title line here\n\nA sentence that is wrapped\nover two lines.\n\nAnother paragraph.\n"
    (c,) = clean_articles([_article(text)])
    assert [clean_display(p.text) for p in c.paragraphs] == ["A sentence that is wrapped over two lines.", "Another paragraph."]


def test_given_title_is_matched_in_text() -> None:
    text = "Convoy reaches Idlib\n\nTwenty trucks reached Idlib on Wednesday, activists said.\n"
    (c,) = clean_articles([_article(text, title="Convoy reaches Idlib")])
    assert c.title_span is not None and c.title_span.text == "Convoy reaches Idlib"
    (d,) = clean_articles([_article(text, title="Something else entirely")])
    assert d.title_span is None and len(d.paragraphs) == 2


def test_crlf_offsets() -> None:
    text = "Talks resume in Ankara\r\n\r\nThe talks resumed on Monday in Ankara.\r\n\r\nSHARE\r\n"
    (c,) = clean_articles([_article(text)])
    assert c.title_span is not None and c.title_span.text == "Talks resume in Ankara"
    assert [p.text for p in c.paragraphs] == ["The talks resumed on Monday in Ankara."]
    assert [(d.line, d.text, d.reason) for d in c.dropped] == [(5, "SHARE", "share")]


def test_frames(cleaned: list) -> None:
    d = dropped_frame(cleaned)
    p = paragraphs_frame(cleaned)
    assert d.schema == pl.Schema(schema.DROPPED) and p.schema == pl.Schema(schema.PARAGRAPHS)
    assert d.height == sum(len(c.dropped) for c in cleaned)
    assert p.filter(pl.col("paragraph") == 0).height == sum(c.title_span is not None for c in cleaned)
    assert p["paragraph_id"].n_unique() == p.height
    assert dropped_frame([]).height == 0 and paragraphs_frame([]).height == 0


def test_same_story_three_times_is_not_a_template() -> None:
    body = "Talks resume in Ankara\n\nThe talks resumed on Monday in Ankara after a pause.\n\nBoth sides said progress was made.\n"
    arts = [_article(body + (f"\nA late note number {i} was added." if i else ""), n=i) for i in range(3)]
    assert not any(c.dropped for c in clean_articles(arts))


def test_furniture_glued_to_the_end_of_a_sentence_is_cut_off(tmp_path: Path) -> None:
    from compare.clean import clean_articles
    from compare.ingest import read_articles

    line = "وقال الوزير إن المحادثات ستبدأ غدا في جنيف . جميع الحقوق محفوظة لموقع المثال 2018"
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "a.txt").write_text("عنوان الخبر هنا اليوم\n\n" + line + "\n", encoding="utf-8")
    [cleaned] = clean_articles(read_articles([tmp_path]))
    text = cleaned.article.text
    kept = [text[p.start:p.end] for p in cleaned.paragraphs]
    assert kept == ["وقال الوزير إن المحادثات ستبدأ غدا في جنيف ."]
    [cut] = [d for d in cleaned.dropped if d.reason == "footer"]
    assert text[cut.start:cut.end] == "جميع الحقوق محفوظة لموقع المثال 2018"


def test_a_furniture_phrase_opening_a_line_is_not_a_glued_tail() -> None:
    from compare.clean import glued_tail

    text = "جميع الحقوق محفوظة لموقع المثال"
    assert glued_tail(text, 0, len(text)) is None  # whole-line shapes are classify_line's
    text = "Heavy rain flooded the town. Please enable JavaScript to view the comments"
    cut = glued_tail(text, 0, len(text))
    assert cut is not None and text[cut[0]:].startswith("Please") and cut[1] == "signin"

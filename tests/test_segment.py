"""Segment: claim boundaries and speakers against hand labels, splitting rules, ids."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compare import schema
from compare.clean import clean_articles
from compare.ingest import read_articles
from compare.records import Article
from compare.segment import claim_id, clause_spans, find_speaker, segment_claims, sentence_spans
from compare.text.normalize import clean_display, match_key
from compare.text.numbers import extract_numbers
from tests.conftest import FIXTURES

# Measured on fixtures/corpus (see fixtures/README.md): precision 1.00, recall 1.00,
# speaker accuracy 1.00 on matched claims.
MIN_PRECISION = 0.95
MIN_RECALL = 0.95
MIN_SPEAKER = 0.9


def _article(text: str, n: int = 0, outlet: str = "o") -> Article:
    return Article(f"a{n}", outlet, "file-stem", f"/x/{n}.txt", None, None, None, None, text)


def _claims(text: str) -> pl.DataFrame:
    return segment_claims(clean_articles([_article(text)]))


def _sentences(s: str) -> list[str]:
    return [clean_display(s[a:b]) for a, b in sentence_spans(s, 0, len(s))]


@pytest.fixture(scope="module")
def corpus() -> tuple[list[Article], pl.DataFrame]:
    arts = read_articles([FIXTURES / "corpus"])
    return arts, segment_claims(clean_articles(arts))


def test_claim_boundaries_and_speakers(corpus: tuple[list[Article], pl.DataFrame]) -> None:
    arts, claims = corpus
    rel = {a.article_id: Path(a.source).relative_to(FIXTURES).as_posix() for a in arts}
    got: dict[str, dict[str, str | None]] = {}
    for r in claims.iter_rows(named=True):
        got.setdefault(rel[r["article_id"]], {})[r["text"]] = r["speaker"]
    labels = list(csv.DictReader((FIXTURES / "labels" / "claims.csv").read_text(encoding="utf-8").splitlines()))
    files = {r["file"] for r in labels}
    matched = speaker_ok = 0
    misses = []
    for r in labels:
        mine = got.get(r["file"], {})
        if r["text"] in mine:
            matched += 1
            speaker_ok += match_key(mine[r["text"]] or "") == match_key(r["speaker"])
        else:
            misses.append(r["text"][:60])
    produced = sum(len(got.get(f, {})) for f in files)
    precision, recall = matched / max(1, produced), matched / max(1, len(labels))
    speaker = speaker_ok / max(1, matched)
    msg = f"claims precision {precision:.3f} recall {recall:.3f} speaker {speaker:.3f}; missed {misses[:5]}"
    assert precision >= MIN_PRECISION and recall >= MIN_RECALL and speaker >= MIN_SPEAKER, msg


def test_offsets_round_trip_and_schema(corpus: tuple[list[Article], pl.DataFrame]) -> None:
    arts, claims = corpus
    texts = {a.article_id: a.text for a in arts}
    assert claims.schema == pl.Schema(schema.CLAIMS)
    for r in claims.iter_rows(named=True):
        assert clean_display(texts[r["article_id"]][r["start"] : r["end"]]) == r["text"]
        assert r["key"] == match_key(r["text"])
        assert r["numbers"] == extract_numbers(r["text"])
        assert r["claim_id"] == claim_id(r["article_id"], r["start"], r["end"])
    assert claims["claim_id"].n_unique() == claims.height
    titles = claims.filter(pl.col("is_title"))
    assert (titles["paragraph"] == 0).all() and titles["article_id"].n_unique() == titles.height


def test_groups_and_contrasts_point_at_claims(corpus: tuple[list[Article], pl.DataFrame]) -> None:
    """Every substring in groups.csv / contrasts.csv lies inside one claim of its file,
    so clustering and contrast tests can rely on the labels."""
    arts, claims = corpus
    rel = {a.article_id: Path(a.source).relative_to(FIXTURES).as_posix() for a in arts}
    by_file: dict[str, list[str]] = {}
    for r in claims.iter_rows(named=True):
        by_file.setdefault(rel[r["article_id"]], []).append(r["text"])
    pairs = [(r["file"], r["substring"]) for r in csv.DictReader((FIXTURES / "labels" / "groups.csv").read_text(encoding="utf-8").splitlines())]
    for r in csv.DictReader((FIXTURES / "labels" / "contrasts.csv").read_text(encoding="utf-8").splitlines()):
        pairs += [(r["file_a"], r["substring_a"]), (r["file_b"], r["substring_b"])]
    missing = [(f, s) for f, s in pairs if not any(s in t for t in by_file.get(f, []))]
    assert not missing, missing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قال إن الوضع هادئ. وأضاف أن المحادثات مستمرة.", ["قال إن الوضع هادئ.", "وأضاف أن المحادثات مستمرة."]),
        ("هل انتهت الحرب؟ لا أحد يعرف!", ["هل انتهت الحرب؟", "لا أحد يعرف!"]),
        ("انتهى الاجتماع.وبدأت المفاوضات", ["انتهى الاجتماع.", "وبدأت المفاوضات"]),  # no space
        ("ارتفع المؤشر 2.5 بالمئة إلى 1,000 نقطة.", ["ارتفع المؤشر 2.5 بالمئة إلى 1,000 نقطة."]),
        ("وقع الاتفاق في 17.02.2020 في موسكو. ثم سافر.", ["وقع الاتفاق في 17.02.2020 في موسكو.", "ثم سافر."]),
        ("The U.S. envoy met Dr. Smith in Geneva. Talks went well.", ["The U.S. envoy met Dr. Smith in Geneva.", "Talks went well."]),
        ("التقى د. أحمد بالوفد. ثم غادر.", ["التقى د. أحمد بالوفد.", "ثم غادر."]),
        ("قال: “لن نتراجع. سنواصل العمل”. وغادر القاعة.", ["قال: “لن نتراجع. سنواصل العمل”.", "وغادر القاعة."]),
        ("وأضاف «الوضع صعب. لكننا متفائلون» ثم صمت.", ["وأضاف «الوضع صعب. لكننا متفائلون» ثم صمت."]),
        ('He said "we will stay. we will fight" and left.', ['He said "we will stay. we will fight" and left.']),
        ("نشرت القوات العسـ.ـكرية في المنطقة. وعادت.", ["نشرت القوات العسكرية في المنطقة.", "وعادت."]),
        ("تراجع النفوذ الأمريكي في سوريا..وروسيا تتقدم", ["تراجع النفوذ الأمريكي في سوريا..", "وروسيا تتقدم"]),
        ("فشلت المحادثات؛ وتجدد القتال.", ["فشلت المحادثات؛", "وتجدد القتال."]),
        ('He said "we will stay." Then he left.', ['He said "we will stay."', "Then he left."]),
        ('"Stop!" he shouted.', ['"Stop!" he shouted.']),
        ("وقال إن “الوضع هادئ.” وأضاف أن المحادثات مستمرة.", ["وقال إن “الوضع هادئ.”", "وأضاف أن المحادثات مستمرة."]),
        ("Visit example.com for details. Then call.", ["Visit example.com for details.", "Then call."]),
    ],
)
def test_sentence_split(text: str, expected: list[str]) -> None:
    assert _sentences(text) == expected


def test_unclosed_quote_does_not_swallow_paragraph() -> None:
    assert len(_sentences("قال “إن الوضع هادئ. وأضاف أن المحادثات مستمرة.")) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قال الوزير إن تركيا فشلت في الوفاء بالتزاماتها، مشيرا إلى أن الهجمات تضاعفت.",
         ["قال الوزير إن تركيا فشلت في الوفاء بالتزاماتها", "مشيرا إلى أن الهجمات تضاعفت."]),
        ("وقال المتحدث إن الحوار مستمر مضيفاً أن اللقاء المقبل سيعقد في أنقرة.",
         ["وقال المتحدث إن الحوار مستمر", "مضيفاً أن اللقاء المقبل سيعقد في أنقرة."]),
        ("أعلنت الوزارة انتهاء العملية العسكرية، وأكدت أن الجيش سيبقى في المنطقة.",
         ["أعلنت الوزارة انتهاء العملية العسكرية", "وأكدت أن الجيش سيبقى في المنطقة."]),
        ("The minister said the talks failed, adding that new sanctions were likely.",
         ["The minister said the talks failed", "adding that new sanctions were likely."]),
        ("وطالب الوزير بوقف القصف فورا، داعيا الأطراف كافة إلى ضبط النفس.",
         ["وطالب الوزير بوقف القصف فورا", "داعيا الأطراف كافة إلى ضبط النفس."]),
        # A long sentence joining two statements is cut there, inside a quote too
        # (invented sentences in the style of the seed articles).
        ("وقال المتحدث إن \"موسكو لا تخفي قلقها من بقاء المسلحين في المحافظة الشمالية، وحتى الآن لم "
         "تتمكن الأطراف من فصل المسلحين عن الفصائل المعتدلة في المنطقة\".",
         ["وقال المتحدث إن \"موسكو لا تخفي قلقها من بقاء المسلحين في المحافظة الشمالية",
          "وحتى الآن لم تتمكن الأطراف من فصل المسلحين عن الفصائل المعتدلة في المنطقة\"."]),
        ("قال المتحدث إن الطائرات قصفت مواقع المسلحين في ريف المحافظة الجنوبي طوال الليل، وتتهم "
         "الحكومة الفصائل بخرق الهدنة في المنطقة الشمالية.",
         ["قال المتحدث إن الطائرات قصفت مواقع المسلحين في ريف المحافظة الجنوبي طوال الليل",
          "وتتهم الحكومة الفصائل بخرق الهدنة في المنطقة الشمالية."]),
        # An adjunct, a list, a verbal noun or a word whose و is its own: left whole.
        ("وشدد الوزير على ضرورة استعادة الحكومة السيطرة على المحافظة من الجماعات المسلحة، بعد فشل "
         "الجانب الآخر في فصل الفصائل عن الجماعات المتشددة.",
         ["وشدد الوزير على ضرورة استعادة الحكومة السيطرة على المحافظة من الجماعات المسلحة، بعد فشل "
          "الجانب الآخر في فصل الفصائل عن الجماعات المتشددة."]),
        ("وطالب الاتحاد باستبعاد الحكم الذي أدار المباراة الأولى بين الفريقين في العاصمة، وتعيين "
         "حكم آخر من خارج البلاد لإدارة المباراة المقبلة.",
         ["وطالب الاتحاد باستبعاد الحكم الذي أدار المباراة الأولى بين الفريقين في العاصمة، وتعيين "
          "حكم آخر من خارج البلاد لإدارة المباراة المقبلة."]),
        ("وقال إن العملية العسكرية ستؤدي إلى نتائج وخيمة للغاية على السكان في المنطقة كلها، وموجة "
         "هجرة أخرى نحو الحدود الشمالية مع تركيا.",
         ["وقال إن العملية العسكرية ستؤدي إلى نتائج وخيمة للغاية على السكان في المنطقة كلها، وموجة "
          "هجرة أخرى نحو الحدود الشمالية مع تركيا."]),
        ("منح الرئيس في حفل أقيم في القصر الجمهوري بالعاصمة أمس، وسام الاستحقاق الوطني لعائلة "
         "الطبيبة التي توفيت أثناء عملها.",
         ["منح الرئيس في حفل أقيم في القصر الجمهوري بالعاصمة أمس، وسام الاستحقاق الوطني لعائلة "
          "الطبيبة التي توفيت أثناء عملها."]),
        # ... but not before a relative clause or an attribution, nor in a short sentence.
        ("لكن هجوم القوات الحكومية على المدن الواقعة في ريف المحافظة الجنوبي، والذي قتل خلاله عشرة "
         "جنود في الأسبوعين الماضيين يعرقل التعاون.",
         ["لكن هجوم القوات الحكومية على المدن الواقعة في ريف المحافظة الجنوبي، والذي قتل خلاله عشرة "
          "جنود في الأسبوعين الماضيين يعرقل التعاون."]),
        ("وأكد أن تنفيذ هذا الاتفاق تعثر أيضا رغم نشر نقاط مراقبة عديدة في المنطقة الشمالية كلها، وفقا "
         "لقناة تلفزيونية محلية في العاصمة السورية.",
         ["وأكد أن تنفيذ هذا الاتفاق تعثر أيضا رغم نشر نقاط مراقبة عديدة في المنطقة الشمالية كلها، وفقا "
          "لقناة تلفزيونية محلية في العاصمة السورية."]),
        ("التقى الرئيسان في سوتشي، وبحثا الوضع في إدلب.", ["التقى الرئيسان في سوتشي، وبحثا الوضع في إدلب."]),
        # Too short on one side, or inside a quote: no cut.
        ("وقال مؤكدا أن الهدنة صامدة.", ["وقال مؤكدا أن الهدنة صامدة."]),
        ("قال: “نحن نعمل معا، مشيرين إلى الاتفاق السابق بيننا”.", ["قال: “نحن نعمل معا، مشيرين إلى الاتفاق السابق بيننا”."]),
    ],
)
def test_clause_split(text: str, expected: list[str]) -> None:
    assert [clean_display(text[a:b]) for a, b in clause_spans(text, 0, len(text))] == expected


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("وقال المتحدث باسم الكرملين ديمتري بيسكوف في تصريحات متلفزة إن الوضع مقلق.", "المتحدث باسم الكرملين ديمتري بيسكوف"),
        ("أكدت وزارة الخارجية الروسية أن الهجمات مستمرة.", "وزارة الخارجية الروسية"),
        ("وشدد لافروف، الأربعاء، على ضرورة استعادة السيطرة.", "لافروف"),
        ("وكان المتحدث باسم الرئاسة التركية قال يوم السبت إن المحادثات مستمرة.", "المتحدث باسم الرئاسة التركية"),
        ("الكرملين أشار في بيان له إلى أن الاتصالات مستمرة.", "الكرملين"),
        ("حيث صرح وزير الخارجية الروسي “سيرغي لافروف”: “الوضع معقد”.", "وزير الخارجية الروسي سيرغي لافروف"),
        ("وفيما يتعلق بالحدود لفت بيسكوف إلى أن الجانبين اتفقا.", "بيسكوف"),
        ("بدوره، أدلى نائب الرئيس التركي ببيان أن البلاد أوفت بالتزاماتها.", "نائب الرئيس التركي"),
        ("Lavrov said on Monday that Turkey had failed.", "Lavrov"),
        ("The convoy reached Idlib on Wednesday, activists said.", "activists"),
        ("Militants blocked the road, according to UN officials.", "UN officials"),
        ('"We will return," said Umm Khaled, a mother of four.', "Umm Khaled"),
        ("Dr. Ahmed Karim, a physician in the city, said hospitals were full.", "Dr. Ahmed Karim"),
    ],
)
def test_speaker(sentence: str, speaker: str) -> None:
    assert find_speaker(sentence) == (speaker, False)


@pytest.mark.parametrize(
    "sentence",
    ["وأضاف أن الحوار مستمر.", "وتابع: الوضع صعب.", "وقالت إن الخبراء قتلوا.", "He added that talks would resume."],
)
def test_continuation_inherits(sentence: str) -> None:
    assert find_speaker(sentence) == (None, True)


@pytest.mark.parametrize(
    "sentence",
    ["وصلت الشحنة إلى الميناء يوم الأحد.", "The trucks carried food and medicine.", "وزاد عدد القتلى إلى عشرة."],
)
def test_no_speaker(sentence: str) -> None:
    assert find_speaker(sentence) == (None, False)


def test_title_speaker() -> None:
    assert find_speaker("الكرملين: قلقون من الوضع في إدلب", is_title=True) == ("الكرملين", False)
    assert find_speaker("لافروف يؤكد التواصل المستمر مع أنقرة", is_title=True) == ("لافروف", False)


def test_inheritance_and_quotes_in_article() -> None:
    text = (
        "عنوان الخبر عن المحادثات\n\n"
        "وقال وزير الخارجية سيرغي لافروف إن “المحادثات صعبة جدا ومعقدة”.\n\n"
        "وأضاف أن الجانبين سيلتقيان مجددا.\n\n"
        "وصلت الشحنة إلى الميناء يوم الأحد.\n"
    )
    rows = _claims(text).iter_rows(named=True)
    got = [(r["paragraph"], r["speaker"], r["is_quote"], r["is_title"]) for r in rows]
    assert got == [
        (0, None, False, True),
        (1, "وزير الخارجية سيرغي لافروف", True, False),
        (2, "وزير الخارجية سيرغي لافروف", False, False),
        (3, None, False, False),
    ]


def test_ids_are_stable_and_empty_input() -> None:
    text = "Talks resume in Ankara\n\nThe talks resumed on Monday. They went well.\n"
    a, b = _claims(text), _claims(text)
    assert a["claim_id"].to_list() == b["claim_id"].to_list()
    assert segment_claims([]).schema == pl.Schema(schema.CLAIMS)


_PIECES = st.one_of(
    st.characters(exclude_categories=["Cs"]),
    st.sampled_from(
        [*"abc XYZ .,!?؟،؛:\"“”«»()\n\r\t", "\u00a0", "\u200f", "\ufeff", "ـ", "\u064b", "\x00", "😀", "قال ", "وأضاف ",
         "، مشيرا إلى أن ", " said ", ", adding that ", "U.S. ", "2.5", "1,000", "صورة من الإنترنت", " / ", "وكان ",
         "عسـ.ـكري", "١٢٣", "SHARE", "اقرأ أيضاً: "]
    ),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=80).map("".join), min_size=1, max_size=3))
def test_random_articles_never_crash_and_round_trip(texts: list[str]) -> None:
    arts = [_article(t, n=i, outlet="o" if i % 2 else "p") for i, t in enumerate(texts)]
    cleaned = clean_articles(arts)
    claims = segment_claims(cleaned)
    by_id = {a.article_id: a.text for a in arts}
    for r in claims.iter_rows(named=True):
        assert clean_display(by_id[r["article_id"]][r["start"] : r["end"]]) == r["text"]
        assert r["text"]
    for c in cleaned:
        for p in c.paragraphs:
            assert c.article.text[p.start : p.end] == p.text


@pytest.mark.parametrize(
    ("words", "opens"),
    [
        (["وتتهم", "السوريين"], True),  # imperfect verb
        (["وتُسيّر", "دوريات"], True),  # the same under diacritics
        (["وعادت", "الدورية"], True),  # perfect, she did
        (["واقترحوا", "خطة"], True),  # perfect, they did
        (["وحتى", "الآن"], True),  # particle
        (["وهو", "يحمل"], True),  # pronoun
        (["ومؤخرا", "في"], True),  # time adverb
        (["والإرهابيون", "يواصلون"], True),  # definite subject, then a verb
        (["والطعام", "الفاخر"], False),  # a list
        (["وتعيين", "الحكم"], False),  # verbal noun
        (["وموجة", "هجرة"], False),  # a noun in ة
        (["والذي", "تجمعه"], False),  # relative clause
        (["وتحديدا", "في"], False),  # adverb
        (["وفقا", "لقناة"], False),  # attribution
        (["وذلك", "بعد"], False),  # adjunct
        (["وبعد", "الانتظار"], False),  # preposition
        (["وما", "هي"], False),
    ],
)
def test_joined_statement_opener(words: list[str], opens: bool) -> None:
    from compare.segment import _joins_statement

    assert _joins_statement(words) is opens


def test_fragments_are_dropped_with_their_reason(tmp_path: Path) -> None:
    from compare.pipeline import extract_claims

    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "a.txt").write_text(
        "عنوان الخبر الطويل هنا\n\nقال الوزير إن المحادثات ستبدأ غدا في جنيف. 11 .\n\nمفاجأة\n", encoding="utf-8")
    run = extract_claims([tmp_path])
    assert all(len(t.split()) >= 3 for t in run.claims["text"])
    frag = run.dropped.filter(pl.col("reason") == "fragment")
    assert run.claims["text"].to_list() == ["عنوان الخبر الطويل هنا", "قال الوزير إن المحادثات ستبدأ غدا في جنيف."]
    assert frag["text"].to_list() == ["11 ."]  # cut from a kept line; the lone "مفاجأة" line goes as a line
    text = (tmp_path / "site" / "a.txt").read_text(encoding="utf-8")
    for s, e, t in zip(frag["start"], frag["end"], frag["text"], strict=True):
        assert text[s:e].strip() == t

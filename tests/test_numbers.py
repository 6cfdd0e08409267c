"""Reading numbers and dates in claims: digits, Arabic-Indic digits, number words,
qualifiers, regional month names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compare.text.dates import find_dates
from compare.text.numbers import extract_numbers, find_quantities, tokenize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قتل 100 شخص", ["100"]),
        ("قتل ١٠٠ شخص", ["100"]),
        ("قتل مئة شخص", ["100"]),
        ("قتل مائة شخص", ["100"]),
        ("شن ألف هجوم", ["1000"]),
        ("مقتل ثلاثة آلاف شخص", ["3000"]),
        ("مقتل 3 آلاف شخص", ["3000"]),
        ("خمسة وعشرين جنديا", ["25"]),
        ("أحد عشر لاعبا", ["11"]),
        ("ثلاثمئة عامل", ["300"]),
        ("مئتي عامل", ["200"]),
        ("بـ50 مليار دولار", ["50000000000"]),
        ("مقتل 3 جنود و4 مدنيين", ["3", "4"]),
        ("more than 1,000 attacks", ["1000"]),
        ("two hundred and five people", ["205"]),
        ("2.5 million barrels", ["2500000"]),
        ("نسبة ٢٫٥ بالمئة", ["2.5"]),
        ("في عام 2020", ["2020"]),
        ("", []),
    ],
)
def test_extract_numbers(text: str, expected: list[str]) -> None:
    assert extract_numbers(text) == expected


def test_weekday_and_pronoun_are_not_numbers() -> None:
    # الاثنين is Monday and أحد "one of", not counts.
    assert extract_numbers("قال يوم الاثنين إن أحد الجنود أصيب") == []


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("شنوا أكثر من 100 هجوم", ">"),
        ("ما لا يقل عن 100 قتيل", ">="),
        ("١٢٥ قتيلا على الأقل", ">="),
        ("نحو 100 قتيل", "~"),
        ("حوالي 100 قتيل", "~"),
        ("أقل من 100 قتيل", "<"),
        ("at least 100 dead", ">="),
        ("about 100 dead", "~"),
        ("100 dead", None),
    ],
)
def test_qualifiers(text: str, qualifier: str | None) -> None:
    (q,) = find_quantities(text)
    assert q.qualifier == qualifier
    assert q.value in (100, 125)


def test_vague_counts_and_units() -> None:
    (q,) = find_quantities("عشرات الآلاف من النازحين")
    assert q.vague and q.value == 10000 and q.unit == "نازحين"
    (q,) = find_quantities("تقتل العشرات في إيران")
    assert q.vague and q.value == 10
    (q,) = find_quantities("الإرهابيين شنوا أكثر من 100 هجوم")
    assert q.unit == "هجوم" and not q.vague


def test_spans_point_into_the_display_text() -> None:
    text = "شنّ الإرهابيون أكثر من ١٠٠ هجومٍ"
    (q,) = find_quantities(text)
    assert text[q.start : q.end] == "١٠٠"
    for t in tokenize(text):
        assert text[t.start : t.end] == t.text


def test_years_are_flagged() -> None:
    qs = find_quantities("في كانون الثاني/يناير 2020 قتل 13 جنديا")
    assert [q.is_year for q in qs] == [True, False]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("كانون الثاني", "يناير"),
        ("شباط", "فبراير"),
        ("في 3 آذار", "في 3 مارس"),
        ("نيسان", "أبريل"),
        ("أيار", "مايو"),
        ("حزيران", "يونيو"),
        ("تموز", "يوليو"),
        ("في 5 آب", "في 5 أغسطس"),
        ("أيلول", "سبتمبر"),
        ("تشرين الأول", "أكتوبر"),
        ("وفي تشرين الثاني", "نوفمبر"),
        ("كانون الأول", "ديسمبر"),
        ("يوم الاثنين", "on Monday"),
        ("الجمعة", "Friday"),
        ("in January", "يناير"),
    ],
)
def test_regional_month_names_and_weekdays_agree(a: str, b: str) -> None:
    da, db = find_dates(a), find_dates(b)
    assert da and db
    assert {(d.kind, d.value) for d in da} == {(d.kind, d.value) for d in db}


def test_ambiguous_month_words_need_context() -> None:
    # مارس "practised", أب "father": not months without a number or "شهر" nearby.
    assert find_dates("مارس ضغوطا على الحكومة") == []
    assert [d.value for d in find_dates("في شهر مارس")] == ["3"]
    assert find_dates("he may go") == []


@given(st.text(max_size=200))
def test_never_crashes(text: str) -> None:
    for q in find_quantities(text):
        assert 0 <= q.start <= q.end <= len(text)
    for d in find_dates(text):
        assert 0 <= d.start <= d.end <= len(text)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("مليارا دولار لمصر", ["2000000000"]),  # dual before its noun: two billion
        ("قتل ألفا جندي", ["2000"]),
        ("عشرين مليارا", ["20000000000"]),  # accusative after a count: not a dual
        ("20 ألفا من الجنود", ["20000"]),
        ("مليار دولار", ["1000000000"]),
    ],
)
def test_dual_scale_before_its_noun(text: str, want: list[str]) -> None:
    assert extract_numbers(text) == want

"""The same-claim test before a contrast (compare.contrast.sameclaim)."""

from __future__ import annotations

from compare.contrast.judge import judge_pair
from compare.contrast.sameclaim import same_claim_texts
from compare.segment import sentence_spans
from compare.text.numbers import find_quantities


def verdict(a: str, b: str, *, two_speakers: bool = False) -> tuple[bool, bool, str]:
    j = judge_pair(a, b)
    sc = same_claim_texts(a, b, j.differences, two_speakers=two_speakers)
    return j.is_contrast, sc.is_same, sc.reason


def test_one_claim_with_a_changed_figure_is_the_same_claim() -> None:
    judged, same, _ = verdict("وحصلت المسودة الأمريكية على دعم 12 صوتا بينما امتنعت الصين ومصر عن التصويت .",
                              "وحصلت المسودة الأمريكية على دعم 11 صوتا , بينما امتنعت الصين ومصر عن التصويت .")
    assert judged and same


def test_timeline_items_of_different_years_are_two_events() -> None:
    judged, same, reason = verdict(
        "2015 / 7 / 22 - أدان مجلس الأمن الدولي الهجوم على مدينة سوروج التركية الذي أسفر عن مقتل 31 شخصا",
        "2017 / 4 / 18 - أدان مجلس الأمن الدولي الهجوم على مدينة سوروج التركية الذي أسفر عن مقتل 126 شخصا")
    assert judged and not same and reason == "different years"


def test_two_facts_changed_at_once_are_two_events() -> None:
    judged, same, reason = verdict(
        "لقي خمسة أشخاص مصرعهم في انفجار في مدينة حلب شمال سوريا",
        "لقي أربعة أشخاص مصرعهم في انفجار في مدينة حمص وسط سوريا")
    assert judged and not same and reason == "not one fact"


def test_a_long_unshared_stretch_is_not_one_claim() -> None:
    judged, same, _reason = verdict(
        "قتل 12 مدنيا في قصف على إدلب",
        "قال ناشطون إن 40 مدنيا قتلوا أمس بعد غارات جوية عنيفة استهدفت بلدات ريف حلب الغربي")
    assert judged and not same


def test_differently_worded_versions_need_two_speakers_and_anchors() -> None:
    a = "قال نائب الرئيس التركي إن تركيا أوفت بجميع التزاماتها في إدلب"
    b = "وأعلن وزير الخارجية الروسي في وقت سابق أن تركيا غير قادرة على الوفاء بالعديد من الالتزامات الرئيسية بخصوص إدلب السورية"
    assert verdict(a, b, two_speakers=True)[:2] == (True, True)
    assert verdict(a, b, two_speakers=False)[1] is False  # unattributed: topic sentences pass too easily


def test_a_weekday_or_a_place_alone_is_not_a_contrast() -> None:
    _, same, reason = verdict("أعلنت رئاسة الأركان التركية اليوم الثلاثاء أن مقاتلات قصفت مواقع في شمال العراق",
                              "أعلنت رئاسة الأركان التركية اليوم الخميس أن مقاتلات قصفت مواقع في شمال العراق")
    assert not same and reason == "no shared slot"


def test_spaced_decimals_and_thousands_are_one_number() -> None:
    text = "ضرب زلزال بقوة 7 . 3 درجات ونزح 400 , 000 شخص في عام 2013 . 3 أشخاص"
    values = [q.value for q in find_quantities(text)]
    assert values[:2] == [7.3, 400000.0] and 2013.0 in values and 3.0 in values
    s = "وضرب زلزال بقوة 7 . 3 درجات على مقياس ريختر . وقتل 5 أشخاص ."
    assert [s[a:b] for a, b in sentence_spans(s, 0, len(s))] == [
        "وضرب زلزال بقوة 7 . 3 درجات على مقياس ريختر .", "وقتل 5 أشخاص ."]


def test_a_number_that_names_is_not_a_count() -> None:
    _judged, same, reason = verdict("وفرع المخابرات العسكرية رقم 215 في دمشق يحتجز المعتقلين",
                                   "وفرع المخابرات العسكرية رقم 15 في دمشق يحتجز المعتقلين")
    assert not same and reason == "no shared slot"


def test_a_day_of_the_month_is_not_a_count() -> None:
    _, same, _reason = verdict("2014 / 2 / 20 - أعرب الأمين العام للأمم المتحدة عن قلقه من العنف في أوكرانيا",
                              "2014 / 2 / 19 - أعرب الأمين العام للأمم المتحدة عن قلقه من العنف في أوكرانيا")
    assert not same


def test_an_anchored_negation_must_negate_what_the_other_says() -> None:
    # Two speakers, Russia and Idlib named by both, but the negation is about the Russian
    # police while the other claim is about the Turkish police.
    a = "وقال مصدر لوكالة انترفاكس إنه لا توجد شرطة عسكرية روسية في إدلب حتى الآن لكن عناصر الشرطة التركية ينتشرون هناك"
    b = "وأفادت وزارة الدفاع الروسية بأن الشرطة العسكرية التركية بدأت بالانتشار في إدلب في إطار خفض التوتر"
    assert verdict(a, b, two_speakers=True)[1] is False


def test_precision_sets_how_much_evidence_is_asked() -> None:
    a = "قال نائب الرئيس التركي إن تركيا أوفت بجميع التزاماتها في إدلب"
    b = "وأعلن وزير الخارجية الروسي في وقت سابق أن تركيا غير قادرة على الوفاء بالعديد من الالتزامات الرئيسية بخصوص إدلب السورية"
    j = judge_pair(a, b)
    got = {p: same_claim_texts(a, b, j.differences, two_speakers=True, precision=p).is_same
           for p in ("high", "balanced", "recall")}
    assert got == {"high": False, "balanced": True, "recall": True}
    far = ("قتل 12 مدنيا في قصف على إدلب", "قال ناشطون إن 40 مدنيا قتلوا أمس بعد غارات جوية عنيفة استهدفت بلدات ريف حلب الغربي")
    j = judge_pair(*far)
    assert same_claim_texts(*far, j.differences, precision="recall").is_same
    assert not same_claim_texts(*far, j.differences, precision="balanced").is_same


def test_an_unknown_precision_is_a_usage_error() -> None:
    import pytest

    from compare.errors import UsageError

    with pytest.raises(UsageError):
        same_claim_texts("a", "b", (), precision="max")

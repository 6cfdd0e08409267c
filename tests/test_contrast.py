"""The contrast judge: typed differences between two versions of a claim, the decision,
and the batch functions the pipeline calls."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compare import contrast, schema
from compare.contrast import (
    Difference,
    evaluate_contrast_ans,
    framing_table,
    judge_links,
    judge_pair,
    load_model,
    read_ans,
)
from compare.contrast.sameclaim import same_claim_texts
from compare.errors import InputError, ModelError, UsageError
from compare.schema import CLAIMS, FRAMING, LINKS
from compare.text.normalize import clean_display, match_key, mend_broken_words
from compare.text.numbers import extract_numbers
from tests.conftest import SHARED, claim_row, claims_frame
from tests.conftest import needs_shared as needs_shared_folder

needs_shared = needs_shared_folder()


def kinds(a: str, b: str, **kw: str) -> set[str]:
    return {d.kind for d in judge_pair(a, b, **kw).differences}


def both_ways(a: str, b: str, **kw: str | None) -> tuple[contrast.Judgement, contrast.Judgement]:
    back = {"a_speaker": kw.get("b_speaker"), "b_speaker": kw.get("a_speaker")}
    j1 = judge_pair(a, b, a_speaker=kw.get("a_speaker"), b_speaker=kw.get("b_speaker"))
    j2 = judge_pair(b, a, **back)
    return j1, j2


# --- contrasts of each kind, Arabic and English, both directions ------------------------

CONTRASTS = [
    # (a, b, kind expected among the differences)
    ("شن المسلحون أكثر من 100 هجوم على القرية خلال أسبوعين", "شن المسلحون ألف هجوم على القرية خلال أسبوعين", "number"),
    ("قتل 12 مدنيا في القصف على المدينة", "قتل 40 مدنيا في القصف على المدينة", "number"),
    ("Rebels launched 100 attacks on the town in two weeks", "Rebels launched 1,000 attacks on the town in two weeks", "number"),
    ("وصل الوفد إلى العاصمة يوم الاثنين لبدء المحادثات", "وصل الوفد إلى العاصمة يوم الخميس لبدء المحادثات", "date"),
    ("وقع الاتفاق في شباط 2019 بين الطرفين", "وقع الاتفاق في تموز 2019 بين الطرفين", "date"),
    ("The delegation arrived in the capital on Monday for talks", "The delegation arrived in the capital on Thursday for talks", "date"),
    ("روسيا تتهم تركيا بخرق الاتفاق في إدلب", "إيران تتهم تركيا بخرق الاتفاق في إدلب", "actor"),
    ("الصين تتحدى الولايات المتحدة بإجراءات جمركية جديدة", "أميركا تتحدى الصين بإجراءات جمركية جديدة", "actor"),
    ("Russia accuses Turkey of breaking the Idlib deal", "Iran accuses Turkey of breaking the Idlib deal", "actor"),
    ("الحكومة وافقت على خطة الإصلاح الجديدة", "الحكومة لم توافق على خطة الإصلاح الجديدة", "negation"),
    ("The ministry confirmed the talks will resume next week", "The ministry denied the talks will resume next week", "antonym"),
    ("The government approved the new reform plan", "The government did not approve the new reform plan", "negation"),
    ("ارتفعت أسعار النفط في التعاملات المبكرة", "انخفضت أسعار النفط في التعاملات المبكرة", "antonym"),
    ("الذهب يصعد مع تراجع الدولار", "الذهب يتراجع مع صعود الدولار", "antonym"),
    ("Oil prices rose sharply in early trading", "Oil prices fell sharply in early trading", "antonym"),
    ("قال ناشطون إن القصف استهدف سوقا شعبيا في المدينة", "قال وزير الدفاع إن القصف استهدف مقرا للمسلحين في المدينة", "attribution"),
]


@pytest.mark.parametrize(("a", "b", "kind"), CONTRASTS)
def test_contrast_is_typed_both_ways(a: str, b: str, kind: str) -> None:
    j1, j2 = both_ways(a, b)
    assert kind in {d.kind for d in j1.differences}
    assert j1.is_contrast == j2.is_contrast
    assert j1.contrast == j2.contrast
    assert sorted((d.kind, d.a, d.b) for d in j1.differences) == sorted((d.kind, d.b, d.a) for d in j2.differences)


@pytest.mark.parametrize(("a", "b", "kind"), [c for c in CONTRASTS if c[2] != "attribution"])
def test_clear_contrasts_are_judged_contrasts(a: str, b: str, kind: str) -> None:
    assert judge_pair(a, b).is_contrast


def test_spans_highlight_the_changed_words_in_display_text() -> None:
    a = "شنّ المسلحون أكثر من ١٠٠ هجوم على القرية"
    b = "شنّ المسلحون ألف هجوم على القرية"
    (d,) = [d for d in judge_pair(a, b).differences if d.kind == "number"]
    assert d.a_span is not None and d.b_span is not None
    assert a[slice(*d.a_span)] == "١٠٠"
    assert b[slice(*d.b_span)] == "ألف"


def test_antonyms_through_prefixes_and_inflection() -> None:
    # Clitics (و، ب، لل) and verb inflection must not hide the pair.
    assert "antonym" in kinds("وارتفعت الأسعار بشكل كبير", "وانخفضت الأسعار بشكل كبير")
    assert "antonym" in kinds("تركيا أوفت بالتزاماتها", "تركيا أخلت بالتزاماتها")
    assert "antonym" in kinds("نجحت الوساطة في وقف القتال", "فشلت الوساطة في وقف القتال")


def test_speakers_from_the_claims_table_give_attribution() -> None:
    a, b = "تركيا لم تف بالتزاماتها في إدلب", "تركيا أوفت بالتزاماتها في إدلب"
    j1, j2 = both_ways(a, b, a_speaker="وزير الخارجية الروسي", b_speaker="نائب الرئيس التركي")
    assert {"attribution", "negation"} <= {d.kind for d in j1.differences}
    assert j1.is_contrast and j2.is_contrast
    # The same speaker is no attribution difference.
    assert "attribution" not in kinds(a, b, a_speaker="لافروف", b_speaker="لافروف")


def test_framing_and_hedging_are_typed() -> None:
    assert "framing" in kinds("قوات النظام تقصف ريف إدلب", "قوات الحكومة السورية تقصف ريف إدلب")
    assert "framing" in kinds("الإرهابيون هاجموا مواقع الجيش", "الفصائل هاجموا مواقع الجيش")
    assert "framing" in kinds("رئيس النظام التركي يهدد بعملية عسكرية", "الرئيس التركي يهدد بعملية عسكرية")
    assert "hedge" in kinds("زعمت الوزارة أن القصف استهدف مخازن أسلحة", "أكدت الوزارة أن القصف استهدف مخازن أسلحة")
    assert "hedge" in kinds("The alleged strike hit a hospital", "The strike hit a hospital")


# --- what must not be a contrast --------------------------------------------------------

NOT_CONTRASTS = [
    ("قتل مئة شخص في الهجوم على السوق", "قتل 100 شخص في الهجوم على السوق"),
    ("قتل ١٠٠ شخص في الهجوم على السوق", "قتل 100 شخص في الهجوم على السوق"),
    ("وقع الاتفاق في كانون الثاني 2020", "وقع الاتفاق في يناير 2020"),
    ("وصل الوفد يوم الاثنين", "The delegation arrived on Monday"),
    ("The delegation arrived on Monday to start talks", "To start talks, the delegation arrived on Monday"),
    ("وصل الوفد إلى أنقرة يوم الاثنين لبدء المحادثات", "لبدء المحادثات وصل الوفد إلى أنقرة يوم الاثنين"),
    ("نزوح عشرات الآلاف من المدنيين من إدلب", "نزوح عشرات الآلاف من المدنيين من إدلب"),
    ("قتل نحو 100 شخص في القصف", "قتل 100 شخص في القصف"),
    ("أكد الوزير أن المحادثات لا تزال مستمرة", "أكد الوزير أن المحادثات مستمرة"),
    ("The army said 12 soldiers were killed", "The army said twelve soldiers were killed"),
]


@pytest.mark.parametrize(("a", "b"), NOT_CONTRASTS)
def test_equivalent_versions_are_not_contrasts(a: str, b: str) -> None:
    j1, j2 = both_ways(a, b)
    assert not j1.is_contrast and not j2.is_contrast
    assert not {"number", "date", "negation", "antonym"} & {d.kind for d in j1.differences}


def test_identical_claims_have_no_differences() -> None:
    j = judge_pair("روسيا تنسق مع تركيا بشأن إدلب", "روسيا تنسق مع تركيا بشأن إدلب")
    assert j.differences == () and not j.is_contrast


# --- general rules behind the false contrasts on the seed articles (issue #5) -------------
# Hand-written pairs, one pattern each; every one was called a contrast before the rule.

FACTS = {"number", "date", "actor", "negation", "antonym"}

RULE_NOT_CONTRASTS = [
    # A lexicon word inside a fixed expression: "من أجل" / "لأجل" is "in order to", not
    # "postponed"; bare "قبل" is "before" ("من قبل" = by), not "accepted"; "يعوض بعض
    # خسائره" / "يتخلى عن مكاسبه" recoups / gives up, the opposite of the word alone.
    ("أكدت الخارجية استمرار التنسيق مع تركيا وإيران لتحقيق الأمن في إدلب",
     "قالت الخارجية إن روسيا تنسق مع تركيا وإيران من أجل تحقيق الأمن في إدلب"),
    ("عارضت روسيا الخطة التركية بشأن إدلب", "ناقشت روسيا الخطة التركية بشأن إدلب قبل يومين"),
    ("النفط يعوض بعض خسائره بعد إعلان ترامب", "إعلان ترامب يرفع النفط"),
    ("الذهب يتخلى عن مكاسبه مع تماسك الدولار", "الذهب يتراجع مع تماسك الدولار"),
    ("Oil recouped some losses after the announcement", "Oil rose after the announcement"),
    # A negation bears on the verb after it: "ولم يعلن الروس" negates يعلن, which the
    # other claim never states; الروس is only its subject.
    ("أكد لافروف التواصل الدائم بين العسكريين الروس والأتراك في إدلب",
     "برر الأتراك غياب الدوريات بسوء الأحوال الجوية في إدلب ولم يعلن الروس أي شيء"),
    # A nisba right after a place describes it ("إدلب السورية"): not a second actor put
    # in the place of one the other claim lists.
    ("روسيا تنسق مع تركيا وإيران في إدلب والكرملين يعلن عن لقاء قريب بين بوتين وأردوغان حول إدلب",
     "لم يستبعد الكرملين لقاء قريبا بين بوتين وأردوغان لتهدئة الوضع في إدلب السورية"),
    # A negation's scope ends where a subordinate clause opens ("لا يعني أنه ...",
    # "does not mean that ..."), and particles or modals are not what two claims share.
    ("قال لافروف: لدينا علاقات جيدة مع تركيا، وهذا لا يعني أنه ينبغي علينا الاتفاق بشأن كل شيء، "
     "فالاتفاق التام لا يمكن أن يكون ممكنا بين أي دولتين",
     "أعرب لافروف عن أمله في أن يتم الاتفاق مع تركيا على أن الإرهابيين لن يكون لهم مكان في إدلب"),
    ("Lavrov said relations with Turkey are good, which does not mean that we must agree on "
     "everything; full agreement is not possible between any two states",
     "Lavrov hoped the talks with Turkey will agree that terrorists have no place in Idlib"),
    # A negator inside a name is no negation.
    ("أطباء بلا حدود: غرق العشرات قرب ليبيا", "غرق العشرات قرب ليبيا"),
    # A bound is consistent with a figure just past it; a plural scale with its range; the
    # dual "مليارا" is two billion.
    ("إصدار صكوك بقيمة 1.25 مليار دولار", "إصدار صكوك بأكثر من مليار دولار"),
    ("نزوح 270 ألف شخص بسبب القتال", "نزوح الآلاف بسبب القتال"),
    ("مصر تحصل على 2 مليار دولار من صندوق النقد", "مليارا دولار لمصر من صندوق النقد"),
    # A negated pole is no antonym: "could not separate" says what "failed to separate" says.
    ("بعد فشل تركيا في فصل المعارضة المسلحة عن جبهة النصرة",
     "وحتى الآن لم نتمكن من فصل الإرهابيين عن المعارضة المسلحة"),
    # A failure does not deny a duty: "failed to separate" vs "is responsible for separating".
    ("بعد فشل تركيا في فصل المعارضة المسلحة عن جبهة النصرة",
     "اتفق الرئيسان على منطقة منزوعة السلاح مع تحمل أنقرة المسؤولية عن فصل المعارضة المعتدلة عن الإرهابيين"),
]


@pytest.mark.parametrize(("a", "b"), RULE_NOT_CONTRASTS)
def test_seed_patterns_are_not_contrasts(a: str, b: str) -> None:
    j1, j2 = both_ways(a, b)
    assert not j1.is_contrast and not j2.is_contrast
    assert not FACTS & {d.kind for d in j1.differences}, j1.differences
    assert not FACTS & {d.kind for d in j2.differences}


RULE_STILL_CONTRASTS = [
    # The same words outside those expressions still count.
    ("أجل البرلمان التصويت على الميزانية", "بدأ البرلمان التصويت على الميزانية", "antonym"),
    ("قبلت الحكومة خطة الإصلاح", "رفضت الحكومة خطة الإصلاح", "antonym"),
    ("قال الجيش إن القوات لم تنسحب من إدلب", "قال الجيش إن القوات انسحبت من إدلب", "negation"),
    # A nisba after a currency names whose currency it is.
    ("الليرة التركية تنهار أمام الدولار", "الليرة اللبنانية تنهار أمام الدولار", "actor"),
    ("شن المسلحون أكثر من 100 هجوم على القرية", "شن المسلحون ألف هجوم على القرية", "number"),
    # A negated pole against the plain opposite one: the negation is the difference.
    ("قال الوزير إن تركيا لم تنجح في فصل المعارضة عن الإرهابيين",
     "قال الوزير إن تركيا نجحت في فصل المعارضة عن الإرهابيين", "negation"),
    # A pledge is a stance, not a duty (ANS counts these as disagreeing).
    ("أردوغان يتعهد بإعلان نتائج التحقيق في القضية", "أردوغان غير مكترث بإعلان نتائج التحقيق في القضية", "negation"),
]


@pytest.mark.parametrize(("a", "b", "kind"), RULE_STILL_CONTRASTS)
def test_rules_keep_real_contrasts(a: str, b: str, kind: str) -> None:
    j1, j2 = both_ways(a, b)
    assert j1.is_contrast and j2.is_contrast
    assert kind in {d.kind for d in j1.differences}


# --- strict mode: claims linked only as "related" ------------------------------------------

STRICT_CONTRASTS = [
    ("قالت أنقرة إن تركيا أوفت بالتزاماتها في إدلب",
     "قال لافروف إن تركيا غير قادرة على الوفاء بالعديد من الالتزامات في إدلب", "negation"),
    ("Turkey has met its obligations in Idlib, the vice president said",
     "Lavrov said Turkey was unable to meet many key obligations in Idlib", "negation"),
    ("أكد الكرملين استمرار هجمات المسلحين في إدلب", "أعلنت أنقرة وقف هجمات المسلحين في إدلب", "antonym"),
    ("Moscow said attacks by militants in Idlib continued", "Ankara said attacks by militants in Idlib stopped", "antonym"),
    ("قتل 12 مدنيا في قصف على إدلب", "قال ناشطون إن 40 مدنيا قتلوا في قصف على إدلب", "number"),
    # The shared subject is one actor under a framing label, not a named actor or place.
    ("قال الجيش إن الإرهابيين شنوا أكثر من 100 هجوم خلال أسبوعين",
     "أعلنت الخارجية تنفيذ الإرهابيين ألف هجوم خلال أسبوعين", "number"),
    ("The army said rebels carried out more than 100 attacks in two weeks",
     "The ministry said militants carried out 1000 attacks in two weeks", "number"),
]

STRICT_NOT_CONTRASTS = [
    # a demand, a hope: not asserted
    ("طالب جاويش أوغلو روسيا بالعمل على وقف هجمات الحكومة السورية في إدلب",
     "أكد الكرملين استمرار هجمات المسلحين على قوات الحكومة السورية في إدلب"),
    ("Erdogan urged Russia to stop the attacks on Idlib", "The Kremlin said the attacks on Idlib continued"),
    ("وزير الخارجية الروسي يأمل بعدم وجود مكان للإرهابيين في إدلب", "أعرب الكرملين عن قلقه بسبب وجود الإرهابيين في إدلب"),
    ("Turkey hopes there will be no fighting in Idlib", "Fighting in Idlib continued, Turkey said"),
    # the poles bear on different things: defeat of terrorists, victory of the president
    ("قال السفير إن هزيمة التنظيمات الإرهابية في سوريا حالت دون انتقال التهديد",
     "قال لافروف إن انتصار الرئيس السوري في إدلب أمر حتمي"),
    ("مخزونات الخام الأميركية تهبط بأعلى وتيرة في 10 أسابيع", "الخام الأميركي يهبط لأدنى مستوى منذ أسابيع"),
    # two days, two statements: the dates share only who spoke
    ("وشدد لافروف الأربعاء على ضرورة استعادة السيطرة على إدلب", "وقال لافروف يوم السبت إن الانتصار في إدلب حتمي"),
    # no shared topic: another place, another event
    ("قتل 12 مدنيا في قصف على إدلب", "قال ناشطون إن 40 مدنيا قتلوا أمس بعد غارات جوية عنيفة استهدفت بلدات ريف حلب الغربي"),
    # an act both name under a framing label (deaths) is not a shared subject
    ("مقتل 12 مدنيا في قصف على حلب", "قال ناشطون إن 40 مدنيا قتلوا في قصف على إدلب"),
    ("Airstrikes killed 12 civilians in Aleppo", "Activists said airstrikes killed 40 civilians in Idlib"),
]


@pytest.mark.parametrize(("a", "b", "kind"), STRICT_CONTRASTS)
def test_strict_mode_keeps_contrasts_on_a_shared_predicate(a: str, b: str, kind: str) -> None:
    j1, j2 = judge_pair(a, b, strict=True), judge_pair(b, a, strict=True)
    assert j1.is_contrast and j2.is_contrast
    assert j1.contrast == j2.contrast
    assert kind in {d.kind for d in j1.differences}


@pytest.mark.parametrize(("a", "b"), STRICT_NOT_CONTRASTS)
def test_strict_mode_rejects_loose_contrasts(a: str, b: str) -> None:
    # The rules alone call every one of these a contrast; strict mode must not.
    assert judge_pair(a, b, model=None).is_contrast
    j1, j2 = judge_pair(a, b, strict=True), judge_pair(b, a, strict=True)
    assert not j1.is_contrast and not j2.is_contrast
    assert not FACTS & {d.kind for d in j1.differences}


# --- the seeds (read at run time, never copied) ------------------------------------------


def _sentences(path: Path) -> list[str]:
    return [clean_display(s) for s in re.split(r"[.!؟?\n]+", path.read_text(encoding="utf-8")) if s.strip()]


def _seed(prefix: str) -> Path:
    found = sorted((SHARED / "seeds").glob(f"{prefix}_*.txt"))
    if not found:
        pytest.fail(f"seed {prefix} absent from {SHARED / 'seeds'}")
    return found[0]


@needs_shared
def test_seed_003_turkey_unable_vs_met_obligations() -> None:
    sents = _sentences(_seed("003"))
    a = next(s for s in sents if "الوفاء" in s)
    b = next(s for s in sents if "أوفت" in s)
    j1, j2 = both_ways(a, b, a_speaker="سيرغي لافروف", b_speaker="فات أوكتاي")
    ks = {d.kind for d in j1.differences}
    assert ks & {"negation", "antonym"}
    assert "attribution" in ks
    assert j1.is_contrast and j2.is_contrast


@needs_shared
def test_seed_004_hundred_vs_thousand_attacks() -> None:
    sents = _sentences(_seed("004"))
    a = next(s for s in sents if "هجوم" in s and "100" in extract_numbers(s))
    b = next(s for s in sents if "هجوم" in s and "1000" in extract_numbers(s))
    j1, j2 = both_ways(a, b)
    nums = [d for d in j1.differences if d.kind == "number"]
    assert nums, j1.differences
    assert "100" in nums[0].a and "1000" in nums[0].b
    assert nums[0].a_span is not None and "100" in a[slice(*nums[0].a_span)]
    assert j1.is_contrast and j2.is_contrast


def _seed_sentence(*needles: str) -> str:
    """The first sentence of any seed containing every needle (read, never copied).
    Broken words ("العسـ.ـكريين") are mended first and a sentence ends only at a stop
    followed by a space, so sentences come out whole, as the pipeline's claims do."""
    for path in sorted((SHARED / "seeds").glob("*.txt")):
        text = mend_broken_words(path.read_text(encoding="utf-8"))
        for s in re.split(r"[.!؟?]+(?=\s)|\n+", text):
            s = clean_display(s)
            if all(n in s for n in needles):
                return s
    pytest.fail(f"no seed sentence holds {needles}: the seeds or the sentence cutting changed")


@needs_shared
@pytest.mark.parametrize(
    ("needles_a", "needles_b"),
    [
        (("استمرار التنسيق",), ("من أجل تحقيق",)),  # antonym on "من أجل"
        (("التواصل المستمر",), ("ولم يعلن الروس",)),  # negation of an unshared verb
        (("تنسق مع تركيا وإيران",), ("ولم يستبعد الكرملين",)),  # "إدلب السوريّة" as an actor
        (("لا يعني أنه",), ("لن يكون لهم مكان",)),  # negation inside a long quote
    ],
)
def test_seed_false_contrasts_are_gone(needles_a: tuple[str, ...], needles_b: tuple[str, ...]) -> None:
    a, b = _seed_sentence(*needles_a), _seed_sentence(*needles_b)
    j1, j2 = both_ways(a, b)
    assert not j1.is_contrast and not j2.is_contrast, j1.differences
    assert not judge_pair(a, b, strict=True).is_contrast


@needs_shared
def test_seed_003_is_a_contrast_in_strict_mode_too() -> None:
    # Lavrov: Turkey unable to meet its obligations; Oktay: Turkey met them. The pipeline
    # links the two only as "related", so strict mode must find it.
    a = _seed_sentence("الوفاء", "الالتزامات")
    b = _seed_sentence("أوفت")
    j1, j2 = judge_pair(a, b, strict=True), judge_pair(b, a, strict=True)
    assert j1.is_contrast and j2.is_contrast
    (neg,) = [d for d in j1.differences if d.kind in FACTS]
    assert neg.kind == "negation" and neg.a_span is not None and a[slice(*neg.a_span)] == "غير"


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("", ""),
        ("", "روسيا تنسق مع تركيا"),
        ("   ", "\n\t"),
        ("100", "1000"),
        ("١٠٠", "100"),
        ("!!!", "؟؟؟"),
        ("روسيا تنسق مع تركيا", "The weather is nice in Oslo"),
        ("Turkey met its obligations في إدلب", "تركيا لم تف بالتزاماتها in Idlib"),
        ("\u202eروسيا\u202c", "\u200fتركيا"),
    ],
)
def test_odd_input_gives_sensible_output(a: str, b: str) -> None:
    j = judge_pair(a, b)
    assert 0.0 <= j.contrast <= 1.0
    for d in j.differences:
        assert d.kind in contrast.KINDS
        if d.a_span:
            assert 0 <= d.a_span[0] <= d.a_span[1] <= len(a)
        if d.b_span:
            assert 0 <= d.b_span[0] <= d.b_span[1] <= len(b)
    if not a.strip() or not b.strip():
        assert not j.is_contrast


def test_only_numbers() -> None:
    j = judge_pair("100", "1000")
    assert [d.kind for d in j.differences] == ["number"]
    assert judge_pair("100", "مئة").differences == ()


def test_no_tokens_in_common() -> None:
    j = judge_pair("روسيا تنسق مع تركيا", "The weather is nice in Oslo")
    assert not {"number", "date", "negation", "antonym"} & {d.kind for d in j.differences}


def test_very_long_claims() -> None:
    a = ("قصفت الطائرات مواقع في ريف إدلب الجنوبي وقتل 5 مدنيين. " * 900)[:50_000]
    b = a[:-200] + " وقتل 7 مدنيين"
    j = judge_pair(a, b)
    assert 0.0 <= j.contrast <= 1.0
    for d in j.differences:
        if d.a_span:
            assert d.a_span[1] <= len(a)
    # Strict mode seeks no evidence in a text that long (it would be quadratic).
    assert not judge_pair(a, b, strict=True).is_contrast


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80), st.text(max_size=80))
def test_symmetric_and_never_crashes(a: str, b: str) -> None:
    j1, j2 = judge_pair(a, b), judge_pair(b, a)
    assert j1.is_contrast == j2.is_contrast and j1.contrast == j2.contrast
    assert [d.swapped() for d in j1.differences] == list(j2.differences) or sorted(
        (d.kind, d.b, d.a) for d in j1.differences
    ) == sorted((d.kind, d.a, d.b) for d in j2.differences)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80), st.text(max_size=80))
def test_across_scripts_symmetric_and_never_crashes(a: str, b: str) -> None:
    j1, j2 = contrast.judge_across_scripts(a, b), contrast.judge_across_scripts(b, a)
    assert j1.is_contrast == j2.is_contrast and j1.contrast == j2.contrast
    assert sorted((d.kind, d.a, d.b) for d in j1.differences) == sorted((d.kind, d.b, d.a) for d in j2.differences)
    for d in j1.differences:
        assert d.a_span is not None and d.a_span[1] <= len(a) and d.b_span is not None and d.b_span[1] <= len(b)


# --- the model and its fallback ------------------------------------------------------------


def test_rules_decide_without_the_artefact(tmp_path: Path) -> None:
    assert load_model(tmp_path / "missing.json") is None
    j = judge_pair("ارتفعت أسعار النفط اليوم", "انخفضت أسعار النفط اليوم", model=None)
    assert j.is_contrast and "antonym" in {d.kind for d in j.differences}
    j = judge_pair("قتل مئة شخص", "قتل 100 شخص", model=None)
    assert not j.is_contrast


def test_broken_artefact_is_a_model_error(tmp_path: Path) -> None:
    bad = tmp_path / "judge.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError):
        load_model(bad)
    bad2 = tmp_path / "judge2.json"
    bad2.write_text(json.dumps({"features": ["x"], "mean": [0], "scale": [1], "coef": [1], "intercept": 0, "threshold": 0.5}))
    with pytest.raises(ModelError):
        load_model(bad2)


def test_shipped_artefact_loads_and_is_small() -> None:
    assert contrast.ARTEFACT.exists()
    assert contrast.ARTEFACT.stat().st_size < 200_000
    m = load_model()
    assert m is not None and 0.0 < m.threshold < 1.0
    assert m.features == contrast.FEATURES


# --- batch functions -----------------------------------------------------------------------


def _claims(rows: list[tuple[str, str, str, str | None]]) -> pl.DataFrame:
    out = []
    for i, (cid, outlet, text, speaker) in enumerate(rows):
        out.append(
            {
                "claim_id": cid, "article_id": f"art{i}", "outlet": outlet, "source": f"{outlet}.txt",
                "row": None, "title": None, "date": None, "url": None, "paragraph": 1, "sentence": 0,
                "clause": 0, "start": 0, "end": len(text), "text": text, "key": match_key(text),
                "speaker": speaker, "is_quote": False, "is_title": False, "numbers": extract_numbers(text),
            }
        )
    return pl.DataFrame(out, schema=CLAIMS)


def _links(rows: list[tuple[str, str, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {"claim_a": a, "claim_b": b, "outlet_a": "x", "outlet_b": "y", "relation": rel, "score": 0.9,
             "lexical": 0.9, "semantic": None, "fuzz": 0.9, "contrast": None, "differences": None}
            for a, b, rel in rows
        ],
        schema=LINKS,
    )


def test_judge_links_fills_every_link() -> None:
    claims = _claims(
        [
            ("c1", "A", "شن المسلحون أكثر من 100 هجوم على القرية", None),
            ("c2", "B", "شن المسلحون ألف هجوم على القرية", None),
            ("c3", "C", "شن المسلحون مئة هجوم على القرية", None),
            ("c4", "D", "شن المسلحون ألف هجوم على القرية", None),
        ]
    )
    links = _links([("c1", "c2", "paraphrase"), ("c2", "c3", "related"), ("c2", "c4", "duplicate"), ("c1", "c3", "paraphrase")])
    out = judge_links(links, claims)
    assert out.columns == list(LINKS)
    assert out.schema == pl.Schema(LINKS)
    # Only same-claim (paraphrase) links are judged; the others keep a null score.
    judged = out.filter(pl.col("relation").is_in(["contrast", "paraphrase"]))
    assert judged["contrast"].null_count() == 0 and out["differences"].null_count() == 0
    assert out.filter(pl.col("relation").is_in(["related", "duplicate"]))["contrast"].null_count() == 2
    rel = dict(zip(zip(out["claim_a"], out["claim_b"], strict=True), out["relation"], strict=True))
    assert rel[("c1", "c2")] == "contrast"
    assert rel[("c2", "c3")] == "related"  # only "same claim" links can become contrasts
    assert rel[("c2", "c4")] == "duplicate"  # never turned into a contrast
    assert rel[("c1", "c3")] == "paraphrase"  # 100 = مئة
    diffs = out.filter(pl.col("claim_a") == "c1", pl.col("claim_b") == "c2")["differences"][0].to_list()
    assert diffs[0]["kind"] == "number"
    assert list(diffs[0]) == ["kind", "a", "b", "a_span", "b_span"]
    # Deterministic: the same input gives the same frame.
    assert judge_links(links, claims).equals(out)


def test_loose_related_links_need_aligned_claims() -> None:
    # The judge alone calls this a contrast (12 vs 40 civilians), but most of the short
    # claim has no counterpart: linked only as "related" it stays related. Linked as a
    # paraphrase, the same-claim test still refuses it (Idlib against Aleppo: two facts
    # changed, two events); the same figures on one event are a contrast.
    a = "قتل 12 مدنيا في قصف على إدلب"
    b = "قال ناشطون إن 40 مدنيا قتلوا أمس بعد غارات جوية عنيفة استهدفت بلدات ريف حلب الغربي"
    assert judge_pair(a, b).is_contrast
    claims = _claims([("c1", "A", a, None), ("c2", "B", b, None)])
    out = judge_links(_links([("c1", "c2", "related")]), claims)
    assert out["relation"][0] == "related"
    out = judge_links(_links([("c1", "c2", "paraphrase")]), claims)
    assert out["relation"][0] == "paraphrase" and out["contrast"][0] is not None
    one_event = _claims([("c1", "A", a, None), ("c2", "B", "قتل 40 مدنيا في قصف على إدلب", None)])
    out = judge_links(_links([("c1", "c2", "paraphrase")]), one_event)
    assert out["relation"][0] == "contrast"


def test_judge_links_strict_mode_judges_related_links() -> None:
    met = "قالت أنقرة إن تركيا أوفت بالتزاماتها في إدلب"
    unable = "قال لافروف إن تركيا غير قادرة على الوفاء بالعديد من الالتزامات في إدلب"
    claims = _claims(
        [
            ("c1", "A", met, "أنقرة"),
            ("c2", "B", unable, "لافروف"),
            ("c3", "C", "قتل 12 مدنيا في قصف على إدلب", None),
            ("c4", "D", "قال ناشطون إن 40 مدنيا قتلوا أمس بعد غارات جوية عنيفة استهدفت بلدات ريف حلب الغربي", None),
        ]
    )
    links = _links([("c1", "c2", "related"), ("c3", "c4", "related"), ("c1", "c3", "duplicate")])
    default = judge_links(links, claims)
    assert default["relation"].to_list() == ["related", "related", "duplicate"]
    out = judge_links(links, claims, related="strict")
    assert out.schema == pl.Schema(LINKS)
    rel = dict(zip(zip(out["claim_a"], out["claim_b"], strict=True), out["relation"], strict=True))
    assert rel[("c1", "c2")] == "contrast"
    assert rel[("c3", "c4")] == "related"  # another place: no shared topic
    assert rel[("c1", "c3")] == "duplicate"
    row = out.filter(pl.col("claim_a") == "c1", pl.col("claim_b") == "c2")
    assert row["contrast"][0] is not None
    assert [d["kind"] for d in row["differences"][0] if d["kind"] in FACTS] == ["negation"]
    # A related link that stays related looks as it did: no score, no differences.
    kept = out.filter(pl.col("claim_a") == "c3")
    assert kept["contrast"][0] is None and kept["differences"][0].to_list() == []
    assert judge_links(links, claims, related="strict").equals(out)


def test_judge_links_rejects_unknown_related_mode() -> None:
    claims = _claims([("c1", "A", "نص", None)])
    with pytest.raises(UsageError):
        judge_links(_links([]), claims, related="loose")


def test_judge_links_empty_and_bad_ids() -> None:
    claims = _claims([("c1", "A", "نص", None)])
    out = judge_links(_links([]), claims)
    assert out.height == 0 and out.columns == list(LINKS)
    with pytest.raises(InputError):
        judge_links(_links([("c1", "nope", "related")]), claims)


def test_framing_table_counts_wordings_per_outlet() -> None:
    claims = _claims(
        [
            ("c1", "A", "رئيس النظام التركي يهدد بعملية عسكرية ضد الإرهابيين", None),
            ("c2", "A", "قوات النظام تقصف مواقع الإرهابيين في إدلب", None),
            ("c3", "B", "الرئيس التركي يهدد بعملية عسكرية ضد الفصائل", None),
            ("c4", "B", "قوات الحكومة السورية تقصف مواقع الفصائل", None),
        ]
    )
    ft = framing_table(claims)
    assert ft.schema == pl.Schema(FRAMING)
    rows = {(r["concept"], r["outlet"], r["label"]): r for r in ft.iter_rows(named=True)}
    assert rows[("armed groups", "A", "terrorists")]["count"] == 2
    assert rows[("armed groups", "B", "factions")]["count"] == 2
    assert rows[("Turkish president", "A", "head of the regime")]["term"] == "رئيس النظام التركي"
    assert rows[("Turkish president", "B", "president")]["term"] == "الرئيس التركي"
    assert rows[("Syrian government", "A", "regime")]["n_claims"] == 1
    # No Syrian-regime reading of "رئيس النظام التركي": the longest wording wins.
    assert rows[("Syrian government", "A", "regime")]["count"] == 1
    assert framing_table(claims.clear()).schema == pl.Schema(FRAMING)
    assert ft.equals(framing_table(claims.reverse()))


def test_difference_row_round_trip() -> None:
    d = Difference("number", "100", "ألف", (1, 4), None)
    rows = contrast.difference_rows([d])
    assert rows == [{"kind": "number", "a": "100", "b": "ألف", "a_span": [1, 4], "b_span": None}]
    assert Difference.from_dict(rows[0]) == d
    column = pl.Series("differences", [rows], dtype=schema.DIFFERENCES)
    assert Difference.from_dict(column[0][0]) == d


# --- ANS dev floor: the report half (seeded split by source headline, see read_ans) --------
# The judge is trained and its operating point chosen on ANS train; the strict rules were
# shaped reading all of dev before the split, so only later changes keep it held out.


@needs_shared
def test_ans_dev_floor() -> None:
    dev = SHARED / "data" / "ans-stance" / "stance-dev.csv"
    r = evaluate_contrast_ans(dev, part="report")
    # Measured 2026-12-03 (judge retrained on the current features): model P 0.971
    # R 0.424 F1 0.590; rules only P 0.952 R 0.424. Pinned just under.
    assert r["precision"] >= 0.95
    assert r["recall"] >= 0.40
    assert r["f1"] >= 0.57
    rules = evaluate_contrast_ans(dev, model=None, part="report")
    assert rules["precision"] >= 0.93 and rules["recall"] >= 0.40
    # Strict mode (for "related" links): every pair a candidate. Measured P 1.0 R 0.148;
    # precision is what it is for, recall is what the stricter rules cost.
    strict = evaluate_contrast_ans(dev, strict=True, part="report")
    assert strict["precision"] >= 0.95
    assert strict["recall"] >= 0.12


def test_ans_halves_partition_dev(tmp_path: Path) -> None:
    rows = "s1,s2,stance\n" + "".join(f"h{i % 7},r{i},agree\n" for i in range(40))
    p = tmp_path / "ans.csv"
    p.write_text(rows, encoding="utf-8")
    tune, report = read_ans(p, "tune"), read_ans(p, "report")
    assert sorted(tune + report) == sorted(read_ans(p))
    assert not {r[0] for r in tune} & {r[0] for r in report}  # a headline stays on one side
    assert tune and report


def test_evaluate_rejects_other_csvs(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError):
        evaluate_contrast_ans(p)
    with pytest.raises(InputError):
        evaluate_contrast_ans(tmp_path / "missing.csv")


def test_judge_links_equals_judging_each_link_alone() -> None:
    """The fast path (related links that cannot be strict contrasts are skipped; links
    judged in a cache-friendly order) against the slow obvious reference: judge_pair on
    every link, in any row order."""
    from compare.pipeline import extract_claims
    from compare.score import link_claims

    run = extract_claims([Path(__file__).resolve().parents[1] / "fixtures" / "corpus"])
    links, _ = link_claims(run.claims, None, semantic="none")
    assert links.filter(pl.col("relation") == "related").height > 20  # the skip is exercised
    info = {r["claim_id"]: (r["text"], r["speaker"]) for r in run.claims.iter_rows(named=True)}
    before = {(r["claim_a"], r["claim_b"]): r["relation"] for r in links.iter_rows(named=True)}
    shuffled = links.sample(fraction=1.0, shuffle=True, seed=3)
    out = judge_links(shuffled, run.claims, related="strict")
    assert out.select("claim_a", "claim_b").equals(shuffled.select("claim_a", "claim_b"))  # rows stay in place
    n_contrast = 0
    for r in out.iter_rows(named=True):
        rel = before[(r["claim_a"], r["claim_b"])]
        if rel == "duplicate":
            assert r["relation"] == "duplicate" and r["contrast"] is None
            continue
        (ta, sa), (tb, sb) = info[r["claim_a"]], info[r["claim_b"]]
        j = judge_pair(ta, tb, a_speaker=sa, b_speaker=sb, strict=rel == "related")
        two_speakers = bool(sa and sb and sa != sb)
        same = j.is_contrast and same_claim_texts(ta, tb, j.differences, two_speakers=two_speakers).is_same
        assert r["relation"] == ("contrast" if same else rel)
        if rel == "related" and not j.is_contrast:
            assert r["contrast"] is None and r["differences"] == []
        else:
            assert r["contrast"] == j.contrast and r["differences"] == contrast.difference_rows(j.differences)
        n_contrast += j.is_contrast
    assert n_contrast > 0


ACROSS_SCRIPTS = [
    # (English, Arabic, kinds found): values both scripts write alike are compared.
    ("Militants carried out more than 1,000 attacks in two weeks.",
     "وكانت الخارجية الروسية قد ادعت أن فصائل المعارضة شنت أكثر من 100 هجوم خلال أسبوعين.", ["number"]),
    ("Twenty trucks reached Idlib on Wednesday", "وصلت 12 شاحنة إلى إدلب يوم الثلاثاء", ["date", "number"]),
    ("Twenty trucks reached Idlib on Wednesday", "وصلت عشرون شاحنة إلى إدلب يوم الأربعاء", []),
    ("More than 1,000 attacks in two weeks", "أكثر من ألف هجوم خلال أسبوعين", []),
    # Two changed figures: which matches which cannot be told without aligned words.
    ("12 trucks and 3 ambulances reached Idlib", "وصلت 20 شاحنة و5 سيارات إسعاف إلى إدلب", []),
    # When someone spoke is not when the event was: two outlets report one statement on
    # different days. The event's own date still counts.
    ("Lavrov said on Monday that Turkey failed its obligations",
     "قال لافروف يوم الثلاثاء إن تركيا فشلت في الوفاء بالتزاماتها", []),
    ("The ministry told reporters on Monday that the convoy arrived", "أعلنت الوزارة الثلاثاء أن القافلة وصلت", []),
    ("The convoy reached Idlib on Wednesday, officials said", "وصلت القافلة إلى إدلب يوم الثلاثاء", ["date"]),
    # Negation cannot be compared across scripts: no verdict, not a false one.
    ("Lavrov says Turkey has not met its Idlib obligations", "نائب الرئيس التركي: تركيا أوفت بالتزاماتها في إدلب", []),
]


@pytest.mark.parametrize(("en", "ar", "kinds"), ACROSS_SCRIPTS)
def test_across_scripts_values_are_compared(en: str, ar: str, kinds: list[str]) -> None:
    j = contrast.judge_across_scripts(en, ar)
    assert sorted(d.kind for d in j.differences) == kinds
    assert j.is_contrast == bool(kinds) and j.contrast == (1.0 if kinds else 0.0)
    back = contrast.judge_across_scripts(ar, en)
    assert back.is_contrast == j.is_contrast
    assert sorted(back.differences, key=lambda d: d.kind) == sorted((d.swapped() for d in j.differences), key=lambda d: d.kind)
    for d in j.differences:  # spans point at the values in each text ("1,000 (> 1000)")
        assert d.a_span is not None and d.b_span is not None
        assert d.a.startswith(en[d.a_span[0]:d.a_span[1]]) and d.b.startswith(ar[d.b_span[0]:d.b_span[1]])


def test_judge_links_uses_the_value_rule_across_scripts() -> None:
    """An English-Arabic paraphrase link is judged by values only (the wording judge
    would find every word changed); an English-Arabic related link is left alone."""
    en, ar = ACROSS_SCRIPTS[0][0], ACROSS_SCRIPTS[0][1]
    claims = _claims([("c1", "A", en, None), ("c2", "B", ar, None), ("c3", "C", ACROSS_SCRIPTS[3][1], None)])
    out = judge_links(_links([("c1", "c2", "paraphrase"), ("c1", "c3", "paraphrase")]), claims)
    assert out["relation"].to_list() == ["contrast", "paraphrase"]
    assert [d["kind"] for d in out["differences"][0]] == ["number"]
    assert out["contrast"].to_list() == [1.0, 0.0]
    related = judge_links(_links([("c1", "c2", "related")]), claims, related="strict")
    assert related["relation"][0] == "related" and related["contrast"][0] is None


def test_a_speaker_is_not_an_actor_difference() -> None:
    """"وأكد الكرملين أن ..." names who says it: paired with the place the other claim
    names (إدلب) it made a false actor contrast in the fixture report. With the speakers
    given, the Kremlin is an attribution difference only, and nothing else explains a
    contrast."""
    a = "بوتين وأردوغان يؤكدان الالتزام باتفاقات سوتشي حول إدلب"
    b = "وأكد الكرملين أن الرئيس فلاديمير بوتين ورئيس النظام التركي رجب طيب أردوغان أكدا التزامهما باتفاقات سوتشي."
    bare = judge_pair(a, b)
    assert "actor" in {d.kind for d in bare.differences}  # what the speakers now prevent
    j = judge_pair(a, b, a_speaker="بوتين وأردوغان", b_speaker="الكرملين")
    assert "actor" not in {d.kind for d in j.differences}
    assert "attribution" in {d.kind for d in j.differences}
    assert not j.is_contrast
    # An actor outside the speaker still counts: Russia vs Turkey as the one who failed.
    k = judge_pair("قال لافروف إن روسيا فشلت في الوفاء بالتزاماتها في إدلب",
                   "قال لافروف إن تركيا فشلت في الوفاء بالتزاماتها في إدلب", a_speaker="لافروف", b_speaker="لافروف")
    assert "actor" in {d.kind for d in k.differences}


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("قال لافروف يوم الاثنين إن تركيا فشلت", True),  # a reporting verb before the date
        ("الاثنين قال المتحدث إن القافلة وصلت", True),  # right after it
        ("وصلت القافلة إلى إدلب يوم الاثنين", False),  # the event's own date
        ("The convoy reached Idlib on Monday, officials said", False),  # "said" is too far after
    ],
)
def test_when_spoken(text: str, spoken: bool) -> None:
    from compare.contrast.analysis import analyse
    from compare.contrast.judge import when_spoken

    a = analyse(text)
    (d,) = [d for d in a.dates if d.kind == "weekday"]
    assert when_spoken(a, d) is spoken


def test_framing_reuses_the_judges_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    from compare.contrast import analysis

    a_text = "قوات النظام تقصف مواقع الثوار في ريف حماة اليوم"
    b_text = "الجيش السوري يستهدف مواقع الإرهابيين في ريف حماة اليوم"
    judge_pair(a_text, b_text)  # the judge analyses both claims
    calls: list[str] = []
    real = analysis._match_phrases
    monkeypatch.setattr(analysis, "_match_phrases", lambda *a: calls.append("scan") or real(*a))
    claims = claims_frame([claim_row("c1", "A", a_text), claim_row("c2", "B", b_text)])
    table = framing_table(claims)
    assert calls == []  # no claim analysed again
    assert set(table["outlet"]) == {"A", "B"}
    framing_table(claims_frame([claim_row("c3", "C", "الحكومة السورية تعلن هدنة في ريف حماة اليوم")]))
    assert calls == ["scan"]  # an unseen claim: only its framing hits are found


def test_across_scripts_only_a_changed_figure_is_a_contrast() -> None:
    # A reference list against a dateline: the years differ, nothing else is comparable.
    a = "A - 10 Washington Times , January 6 , 1995 , P ."
    b = "المصدر : واشنطن فري بيكن العناوين روسيا اليوم 2007 - 2018"
    claims = _claims([("c1", "A", a, None), ("c2", "B", b, None)])
    out = judge_links(_links([("c1", "c2", "paraphrase")]), claims)
    assert out["relation"][0] == "paraphrase"
    figures = _claims([("c1", "A", "Militants carried out more than 1,000 attacks in two weeks", None),
                       ("c2", "B", "شن المسلحون أكثر من 100 هجوم خلال أسبوعين", None)])
    out = judge_links(_links([("c1", "c2", "paraphrase")]), figures)
    assert out["relation"][0] == "contrast"

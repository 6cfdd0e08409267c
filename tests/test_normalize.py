"""Normalisation: display text and the match key."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compare.text.normalize import clean_display, fold_letters, match_key, mend_broken_words, tokens


@pytest.mark.parametrize(
    ("broken", "mended"),
    [
        ("العسـ.ـكريين", "العسكريين"),
        ("الإرهـ.ـابـ.ـيين", "الإرهابيين"),
        ("السـ.ـيـ.ـئة", "السيئة"),
        ("قـ.ـوات", "قوات"),
        ("إدلب.وأكد", "إدلب.وأكد"),  # a plain missing space is not a broken word
        ("U.S.", "U.S."),
    ],
)
def test_mend_broken_words(broken: str, mended: str) -> None:
    assert mend_broken_words(broken) == mended


def test_clean_display() -> None:
    assert clean_display("  قال\u00a0الوزير\u200f إن  العسـ.ـكريين\r\nعادوا ") == "قال الوزير إن العسكريين عادوا"
    assert clean_display("\ufeff\u200b") == ""


def test_match_key_folds_spelling() -> None:
    assert match_key("أكَّد الرئيس إردوغان") == match_key("اكد الرئيس اردوغان")
    assert match_key("محافظة إدلب") == match_key("محافظه ادلب")
    assert match_key("١٠٠ هجوم") == "100 هجوم"
    assert match_key("1,000 attacks; 2.5%") == "1000 attacks 2.5"
    assert match_key("«الإرهابيين»") == match_key('"الارهابيين"')
    assert tokens(match_key("Turkey, Russia")) == ["turkey", "russia"]


def test_fold_letters_keeps_punctuation() -> None:
    assert fold_letters("إدلب، سوريا!") == "ادلب، سوريا!"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_match_key_idempotent(text: str) -> None:
    k = match_key(text)
    assert match_key(k) == k


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"قال إدلب أ إ آ ة ى ـ . ، 1 ١ 2,000 \u200f\u00a0\u064b", "عسـ.ـكر", "ﻻ", "Ａ"])).map("".join))
def test_match_key_idempotent_arabic(text: str) -> None:
    k = match_key(text)
    assert match_key(k) == k
    assert clean_display(clean_display(text)) == clean_display(text)

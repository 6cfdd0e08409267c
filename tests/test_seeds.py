"""The five seed articles in ../shared/seeds (real scraped news): the foundation stage
must handle them well. Skipped when ../shared is absent (a user's fresh clone)."""

from __future__ import annotations

import re

import polars as pl
import pytest

from compare.clean import clean_articles, dropped_frame
from compare.ingest import read_articles
from compare.segment import segment_claims
from compare.text.normalize import clean_display, match_key
from tests.conftest import SHARED, needs_shared

pytestmark = [needs_shared("seeds"), pytest.mark.shared]
SEEDS = SHARED / "seeds"


@pytest.fixture(scope="module")
def run() -> tuple[list, list, pl.DataFrame]:
    arts = read_articles([SEEDS])
    cleaned = clean_articles(arts)
    return arts, cleaned, segment_claims(cleaned)


def _all_claims(claims: pl.DataFrame) -> str:
    return "\n".join(claims["text"].to_list())


def test_boilerplate_never_becomes_a_claim(run: tuple[list, list, pl.DataFrame]) -> None:
    _, _, claims = run
    texts = claims["text"].to_list()
    keys = {match_key(t) for t in texts}
    assert not any("Sol Haber" in t for t in texts)  # photo credit
    assert not any("صورة من الإنترنت" in t for t in texts)  # caption
    assert not any("أوطان بوست" in t for t in texts)  # byline
    assert not any(re.fullmatch(r"[\W\d_]+", t) for t in texts)  # lone "0"
    for junk in ("SHARE", "close", "اترك تعليقاً", "اترك رد", "مقالات ذات صلة", "المواضيع الأكثر قراءة", "سيريانيوز"):
        assert match_key(junk) not in keys, junk
    assert not any(len(t.split()) == 1 and len(t) > 12 for t in texts)  # glued category strip
    assert not any(t.startswith("اقرأ أيضا") for t in texts)


def test_no_real_sentence_dropped(run: tuple[list, list, pl.DataFrame]) -> None:
    _, cleaned, _ = run
    dropped = dropped_frame(cleaned)
    # A dropped line that ends like a sentence and is long is a lost claim.
    long_sentences = [
        t for t in dropped["text"].to_list() if len(t.split()) >= 8 and t.rstrip()[-1:] in ".؟!\"”»"
    ]
    assert not long_sentences, long_sentences
    reasons = set(dropped["reason"].to_list())
    assert {"category", "byline", "caption", "number", "comment", "share", "related"} <= reasons


def test_every_paragraph_sentence_survives(run: tuple[list, list, pl.DataFrame]) -> None:
    arts, _, claims = run
    joined = match_key(_all_claims(claims))
    for a in arts:
        for line in a.text.splitlines():
            disp = clean_display(line)
            if len(disp.split()) >= 12 and disp[-1:] in ".”\"»":
                assert match_key(disp)[:60] in joined, disp[:80]


def test_offsets_round_trip(run: tuple[list, list, pl.DataFrame]) -> None:
    arts, _, claims = run
    texts = {a.article_id: a.text for a in arts}
    for r in claims.iter_rows(named=True):
        assert clean_display(texts[r["article_id"]][r["start"] : r["end"]]) == r["text"]


def test_broken_words_mended(run: tuple[list, list, pl.DataFrame]) -> None:
    _, _, claims = run
    text = _all_claims(claims)
    assert "ـ.ـ" not in text
    assert "العسكريين" in text and "الإرهابيين" in text


def test_speakers_found(run: tuple[list, list, pl.DataFrame]) -> None:
    _, _, claims = run
    speakers = [s for s in claims["speaker"].to_list() if s]
    assert any("بيسكوف" in s for s in speakers)
    assert any("لافروف" in s for s in speakers)
    assert any(s == "المتحدث باسم الكرملين ديمتري بيسكوف" for s in speakers)
    with_speaker = claims.filter(pl.col("speaker").is_not_null()).height
    assert with_speaker >= claims.height // 2, f"{with_speaker} of {claims.height} claims have a speaker"


def test_titles_and_duplicate_lead(run: tuple[list, list, pl.DataFrame]) -> None:
    arts, cleaned, claims = run
    assert all(c.title_span is not None for c in cleaned)
    assert claims.filter(pl.col("is_title")).height == len(arts)
    # 000 repeats its lead paragraph verbatim: both copies are kept for the duplicate audit.
    counts = claims.group_by(["article_id", "key"]).len()
    assert counts.filter(pl.col("len") >= 2).height >= 1

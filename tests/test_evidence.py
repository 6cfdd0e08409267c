"""Same-claim evidence: a link holds a cluster together only with more than a shared topic."""

from __future__ import annotations

import polars as pl
from conftest import claim_row, claims_frame, link_row, links_frame

from compare.cluster import cluster_claims
from compare.evidence import LEXICAL_ACROSS_STORIES, LEXICAL_IN_STORY, SHARED_WORDS, has_evidence

# One sentence template, two events (a car bomb dismantled in two different towns).
_BOMB_A = "فككت القوات الأمنية سيارة مفخخة في بلدة الحسينية شمال المدينة"
_BOMB_B = "فككت القوات الأمنية سيارة مفخخة في بلدة الرطبة غرب المحافظة"
_TOPIC_A = "قال الوزير إن المفاوضات مع الحكومة ستستأنف الأسبوع المقبل"
_TOPIC_B = "رفضت المعارضة شروط الحكومة للعودة إلى طاولة المفاوضات"


def _claims(texts: list[str], stories: list[str] | None = None) -> pl.DataFrame:
    frame = claims_frame([claim_row(f"c{i}", f"o{i}", t, article=f"a{i}") for i, t in enumerate(texts)])
    if stories is not None:
        frame = frame.with_columns(pl.Series("story_id", stories, dtype=pl.String))
    return frame


def _link(a: int, b: int, lexical: float, *, score: float = 0.95, relation: str = "paraphrase") -> dict[str, object]:
    row = link_row(f"c{a}", f"c{b}", f"o{a}", f"o{b}", relation, score)
    row["lexical"] = lexical
    return row


def test_a_story_is_a_scope() -> None:
    # The same template pair and the same overlap: enough inside one story, not across two.
    lexical = (LEXICAL_IN_STORY + LEXICAL_ACROSS_STORIES) / 2
    links = links_frame([_link(0, 1, lexical)])
    assert has_evidence(_claims([_BOMB_A, _BOMB_B], ["s1", "s1"]), links).tolist() == [True]
    assert has_evidence(_claims([_BOMB_A, _BOMB_B], ["s1", "s2"]), links).tolist() == [False]
    links = links_frame([_link(0, 1, LEXICAL_ACROSS_STORIES)])
    assert has_evidence(_claims([_BOMB_A, _BOMB_B], ["s1", "s2"]), links).tolist() == [True]
    # Without stories every pair is held to the in-story bar.
    assert has_evidence(_claims([_BOMB_A, _BOMB_B]), links_frame([_link(0, 1, lexical)])).tolist() == [True]


def test_topic_only_link_does_not_cluster() -> None:
    # A high score on a low overlap (what the calibrated lexical model gives topical pairs).
    claims = _claims([_TOPIC_A, _TOPIC_B], ["s1", "s1"])
    links = links_frame([_link(0, 1, LEXICAL_IN_STORY - 0.1, score=0.9)])
    assert has_evidence(claims, links).tolist() == [False]
    out, _ = cluster_claims(claims, links, min_score=0.45)
    assert out["cluster_id"].n_unique() == 2
    out, _ = cluster_claims(claims, links, min_score=0.45, evidence=False)
    assert out["cluster_id"].n_unique() == 1


def test_short_fragments_need_shared_content_words() -> None:
    # Near-identical n-grams, but fewer than SHARED_WORDS content words in common.
    claims = _claims(["بخصوص منطقة العراق .", "بخصوص منطقة سوريا ."], ["s1", "s1"])
    assert SHARED_WORDS > 2
    assert has_evidence(claims, links_frame([_link(0, 1, 0.8)])).tolist() == [False]
    claims = _claims([_BOMB_A, _BOMB_A + " فجر الاثنين"], ["s1", "s1"])
    assert has_evidence(claims, links_frame([_link(0, 1, 0.8)])).tolist() == [True]


def test_contrast_and_cross_script_links_keep_their_weight() -> None:
    # A contrast is the same claim with a changed fact, whatever its wording
    # ("Turkey is unable to meet its obligations" vs "Turkey met its obligations").
    claims = _claims(["قال لافروف إن تركيا عاجزة عن الوفاء بالتزاماتها في إدلب",
                      "أكد أوقطاي أن تركيا أوفت بالتزاماتها"], ["s1", "s1"])
    contrast = links_frame([_link(0, 1, 0.08, score=0.2, relation="contrast")])
    assert has_evidence(claims, contrast).tolist() == [True]
    _, clusters = cluster_claims(claims, contrast, min_score=0.45)
    assert clusters["has_contrast"].to_list() == [True]
    # An English and an Arabic version share no n-grams: the cross-language score decides.
    claims = _claims(["Turkey has met its obligations in Idlib", "تركيا أوفت بالتزاماتها في إدلب"], ["s1", "s2"])
    assert has_evidence(claims, links_frame([_link(0, 1, 0.0, score=0.8)])).tolist() == [True]
    out, _ = cluster_claims(claims, links_frame([_link(0, 1, 0.0, score=0.8)]), min_score=0.45)
    assert out["cluster_id"].n_unique() == 1

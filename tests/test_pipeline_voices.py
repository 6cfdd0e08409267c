"""Which pairs may be called contrasts: two voices, not one repeating itself."""

from __future__ import annotations

import polars as pl
from conftest import claim_row, claims_frame

from compare import schema
from compare.pipeline import _one_voice_is_not_a_contrast


def _link(a: str, b: str, relation: str = "contrast") -> dict[str, object]:
    return {"claim_a": a, "claim_b": b, "outlet_a": "", "outlet_b": "", "relation": relation, "score": 0.9,
            "lexical": 0.5, "semantic": None, "fuzz": 50.0, "contrast": 0.9, "differences": "[]"}


def test_contrast_needs_two_outlets_or_two_speakers() -> None:
    claims = claims_frame([
        claim_row("c1", "A", "text one", article="a1", speaker="الوزارة"),
        claim_row("c2", "A", "text two", article="a1", speaker="الخارجية"),  # same outlet, other speaker
        claim_row("c3", "A", "text three", article="a2", speaker="الوزارة"),  # same outlet, same speaker
        claim_row("c4", "B", "text four", article="b1", speaker="الوزارة"),  # other outlet
        claim_row("c5", "A", "text five", article="a3"),
        claim_row("c6", "A", "text six", article="a4"),  # both unattributed, one outlet
    ])
    # c5-c6 scored 0.08: a related link that the strict judge called a contrast.
    links = schema.frame([_link("c1", "c2"), _link("c1", "c3"), _link("c1", "c4"), _link("c5", "c6") | {"score": 0.08},
                          _link("c3", "c4", "related")], schema.LINKS)
    out = _one_voice_is_not_a_contrast(links, claims)
    assert out.columns == links.columns
    # c5-c6 was a related link judged a contrast: one voice, so back to related.
    assert out["relation"].to_list() == ["contrast", "paraphrase", "contrast", "related", "related"]
    assert out["contrast"].to_list() == links["contrast"].to_list()  # the judge's figures are kept
    assert _one_voice_is_not_a_contrast(schema.empty(schema.LINKS), claims).height == 0
    assert isinstance(out, pl.DataFrame)


def test_a_contrast_link_weighs_as_the_same_claim() -> None:
    from compare.pipeline import _contrast_is_same_claim
    from compare.score import load_calibration

    floor = float(load_calibration()["thresholds"]["cluster"])
    links = schema.frame([_link("c1", "c2") | {"score": 0.08}, _link("c3", "c4", "related") | {"score": 0.08},
                          _link("c5", "c6") | {"score": 0.9}], schema.LINKS)
    assert _contrast_is_same_claim(links)["score"].to_list() == [floor, 0.08, 0.9]

from __future__ import annotations

import re

from compare.render.markdown import FSI, PDI, anchor, is_rtl, md_cell, md_table, md_text

HOSTILE = [
    "</table><script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "a | b | c",
    "`code` and ```fence```",
    "\u202eevil override\u202c",
    "# heading\n- list\n> quote",
    "<img src=x onerror=alert(1)>",
]


def test_md_text_neutralises_markup() -> None:
    for text in HOSTILE:
        out = md_text(text)
        assert "<script" not in out and "<img" not in out and "</table" not in out
        assert "](" not in out.replace("\\](", "")  # no live link syntax
        assert "\u202e" not in out and "\u202c" not in out
        assert "\n" not in out
        assert out.startswith(FSI) and out.endswith(PDI)


def test_table_keeps_its_shape_with_pipes_in_cells() -> None:
    table = md_table(["a", "b"], [[md_cell(t), md_cell("x")] for t in HOSTILE])
    for line in table.splitlines():
        # Unescaped pipes only: the three separators of a two-column row.
        assert len(re.findall(r"(?<!\\)\|", line)) == 3, line


def test_rtl_detection_and_limits() -> None:
    assert is_rtl("قال لافروف إن تركيا") and not is_rtl("Lavrov said")
    assert is_rtl("  «إدلب» 2020")
    assert md_text("ابجد" * 100, limit=10).endswith("…" + PDI)
    assert md_text(None) == "" and md_text("") == ""


def test_anchor_is_stable_and_ascii() -> None:
    assert anchor("cluster", "k1") == anchor("cluster", "k1")
    assert anchor("cluster", "k1") != anchor("cluster", "k2")
    assert re.fullmatch(r"a-[0-9a-f]{10}", anchor("إدلب"))

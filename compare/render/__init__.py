"""Renderers: the report, the outlet diff and the duplicate audit as Markdown and HTML.

- ``markdown``: escaping, tables, anchors, safe links (every Markdown view uses these);
- ``report``: ``build_report_data`` (what the report shows, ranked and capped by ``Limits``);
- ``report_markdown``: the Markdown view of the report;
- ``diff``: the Markdown view of an outlet diff (``compare.diff.OutletDiff``);
- ``dupes``: the Markdown view of a duplicate audit (``compare.dupes.DupesResult``);
- ``html``: the HTML views of the report, the diff and the duplicate audit.

The views only lay data out; the data comes from the stages (``compare.diff``,
``compare.dupes``) and the commands that write the files are in ``compare.pipeline``.
Submodules import each other directly, never this ``__init__``.
"""

from .diff import importance_key, render_diff_markdown
from .dupes import render_dupes_markdown
from .html import ArticleTexts, article_texts, render_diff_html, render_dupes_html, render_html
from .markdown import BIDI_CONTROLS, FSI, PDI, anchor, is_rtl, md_cell, md_table, md_text, safe_href
from .report import (
    ClusterView,
    ContrastPair,
    Limits,
    OutletRow,
    ReportData,
    StoryView,
    Version,
    build_report_data,
    parse_differences,
    version_from_row,
)
from .report_markdown import highlight, md_source, md_speaker, render_markdown

__all__ = [
    "BIDI_CONTROLS",
    "FSI",
    "PDI",
    "ArticleTexts",
    "ClusterView",
    "ContrastPair",
    "Limits",
    "OutletRow",
    "ReportData",
    "StoryView",
    "Version",
    "anchor",
    "article_texts",
    "build_report_data",
    "highlight",
    "importance_key",
    "is_rtl",
    "md_cell",
    "md_source",
    "md_speaker",
    "md_table",
    "md_text",
    "parse_differences",
    "render_diff_html",
    "render_diff_markdown",
    "render_dupes_html",
    "render_dupes_markdown",
    "render_html",
    "render_markdown",
    "safe_href",
    "version_from_row",
]

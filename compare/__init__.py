"""compare: cross-outlet claim comparison.

The library first; the ``compare`` command only parses, calls these and prints::

    from compare import extract_claims, compare_claims
    run = extract_claims(["fixtures/corpus"])            # ingest -> clean -> segment
    cmp = compare_claims(run.claims, run.article_table)   # stories -> link -> contrast -> cluster
    print(cmp.counts)

The pipeline, one package or module per stage (docs/design.md has the map)::

    ingest.read_articles -> clean.clean_articles -> segment.segment_claims
        -> stories.group_stories -> encode -> candidates -> score.link_claims -> contrast.judge_links
        -> cluster.cluster_claims -> render (Markdown, HTML)

plus ``diff`` (two outlets) and ``dupes`` (duplicated paragraphs). Names are imported
lazily: ``import compare`` loads no model, no polars and no torch.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .version import __version__

# Public name -> the module that owns it.
_EXPORTS = {
    "extract_claims": "compare.pipeline",
    "compare_claims": "compare.pipeline",
    "make_report": "compare.pipeline",
    "make_diff": "compare.pipeline",
    "make_dupes": "compare.pipeline",
    "render_report_from": "compare.pipeline",
    "ClaimsRun": "compare.pipeline",
    "Comparison": "compare.pipeline",
    "read_articles": "compare.ingest",
    "clean_articles": "compare.clean",
    "segment_claims": "compare.segment",
    "diff_outlets": "compare.diff",
    "audit_duplicates": "compare.dupes",
    "judge_pair": "compare.contrast",
    "judge_links": "compare.contrast",
    "group_stories": "compare.stories",
    "Difference": "compare.records",
    "Judgement": "compare.records",
    "Article": "compare.records",
    "CompareError": "compare.errors",
    "InputError": "compare.errors",
    "OutputError": "compare.errors",
    "ModelError": "compare.errors",
    "CacheError": "compare.errors",
    "UsageError": "compare.errors",
    "DependencyError": "compare.errors",
}

__all__ = [
    "Article",
    "CacheError",
    "ClaimsRun",
    "CompareError",
    "Comparison",
    "DependencyError",
    "Difference",
    "InputError",
    "Judgement",
    "ModelError",
    "OutputError",
    "UsageError",
    "__version__",
    "audit_duplicates",
    "clean_articles",
    "compare_claims",
    "diff_outlets",
    "extract_claims",
    "group_stories",
    "judge_links",
    "judge_pair",
    "make_diff",
    "make_dupes",
    "make_report",
    "read_articles",
    "render_report_from",
    "segment_claims",
]

if TYPE_CHECKING:
    from .clean import clean_articles
    from .contrast import judge_links, judge_pair
    from .diff import diff_outlets
    from .dupes import audit_duplicates
    from .errors import (
        CacheError,
        CompareError,
        DependencyError,
        InputError,
        ModelError,
        OutputError,
        UsageError,
    )
    from .ingest import read_articles
    from .pipeline import (
        ClaimsRun,
        Comparison,
        compare_claims,
        extract_claims,
        make_diff,
        make_dupes,
        make_report,
        render_report_from,
    )
    from .records import Article, Difference, Judgement
    from .segment import segment_claims
    from .stories import group_stories


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'compare' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))

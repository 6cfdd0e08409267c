"""compare: cross-outlet claim comparison.

The pipeline, one module per stage::

    ingest.read_articles -> clean.clean_articles -> segment.segment_claims
        -> encode (Encoder) -> candidates.candidate_pairs -> score.score_pairs
        -> cluster.cluster_claims -> contrast.judge_links
        -> render.report.build_report_data -> render.report.render_markdown, render.html.render_html

plus ``diff`` (two outlets) and ``dupes`` (duplicate-paragraph audit); ``pipeline`` runs
the commands.
"""

__version__ = "0.1.0"

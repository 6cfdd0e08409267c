"""The pipeline, stage by stage. Reads like the diagram in ``compare/__init__.py``.

Each function takes plain inputs and returns frames; the CLI only calls these. The
commands (``make_report``, ``make_diff``, ``make_dupes``) live here, so no stage module
imports the pipeline.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from .records import Article, CleanArticle

if TYPE_CHECKING:
    from .diff import OutletDiff
    from .engine import Engine


@dataclass(frozen=True)
class ClaimsRun:
    """Output of ingest -> clean -> segment."""

    articles: tuple[Article, ...]
    cleaned: tuple[CleanArticle, ...]
    article_table: pl.DataFrame
    claims: pl.DataFrame
    dropped: pl.DataFrame
    paragraphs: pl.DataFrame

    @property
    def counts(self) -> tuple[tuple[str, int], ...]:
        outlets = self.article_table["outlet"].n_unique() if self.article_table.height else 0
        return (("articles", self.article_table.height), ("outlets", outlets), ("claims", self.claims.height))

    @property
    def outlet_rules(self) -> tuple[tuple[str, int], ...]:
        """How many articles each rule named the outlet of (manifest, subfolder, ...)."""
        rules = self.article_table.group_by("outlet_rule").len().sort("outlet_rule")
        return tuple((str(r), int(n)) for r, n in rules.iter_rows())

    @property
    def dropped_reasons(self) -> tuple[tuple[str, int], ...]:
        """Dropped lines per reason, most frequent first."""
        if self.dropped.height == 0:
            return ()
        counts = self.dropped.group_by("reason").len().sort(["len", "reason"], descending=[True, False])
        return tuple((str(r), int(n)) for r, n in counts.iter_rows())


@dataclass(frozen=True)
class Comparison:
    """Output of link -> cluster -> contrast."""

    claims: pl.DataFrame  # claims + story_id + cluster_id
    links: pl.DataFrame
    clusters: pl.DataFrame
    framing: pl.DataFrame
    encoder: str
    stats: dict[str, object] = field(default_factory=dict)
    stories: pl.DataFrame = field(default_factory=lambda: pl.DataFrame())  # schema.STORIES

    @property
    def counts(self) -> tuple[tuple[str, int], ...]:
        across = self.clusters.filter(pl.col("n_outlets") >= 2).height
        contrasting = self.clusters.filter(pl.col("has_contrast")).height
        return (("claims", self.claims.height), ("clusters", self.clusters.height),
                ("across outlets", across), ("contrasting", contrasting))


# Batch sizes for the engine: big enough that a Ray task outweighs its scheduling cost.
SEGMENT_BATCH = 500  # articles
CONTRAST_BATCH = 5000  # links


def default_cache_dir() -> Path:
    """Embedding cache: $COMPARE_CACHE, else the user's cache folder."""
    env = os.environ.get("COMPARE_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "compare"


def extract_claims(paths: Sequence[str | Path], *, engine: Any = None,
                   **ingest_options: object) -> ClaimsRun:
    """Ingest, clean and segment: the claims table and its audit trail.

    ``engine``: an ``engine.Engine`` (typed Any so ``**ingest_options`` stay checkable):
    where segmentation runs, per batch of articles."""
    from .clean import clean_articles, dropped_frame, paragraphs_frame
    from .ingest import articles_frame, read_articles

    articles = read_articles(paths, **ingest_options)  # type: ignore[arg-type]
    cleaned = clean_articles(articles)
    claims, fragments = _segment(cleaned, engine)
    order = {a.article_id: n for n, a in enumerate(articles)}
    dropped = (pl.concat([dropped_frame(cleaned), fragments])
               .sort(pl.col("article_id").replace_strict(order, return_dtype=pl.Int64), "start"))
    return ClaimsRun(
        articles=tuple(articles),
        cleaned=tuple(cleaned),
        article_table=articles_frame(articles),
        claims=claims,
        dropped=dropped,
        paragraphs=paragraphs_frame(cleaned),
    )


def _segment(cleaned: Sequence[CleanArticle], engine: Engine | None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(claims, fragments as dropped rows)."""
    from .segment import segment_claims, split_fragments

    if engine is None:
        claims = segment_claims(cleaned)
    else:
        # Segmentation is per article: batches give the same rows, in the same order.
        parts = engine.map_chunks(segment_claims, list(cleaned), SEGMENT_BATCH)
        claims = pl.concat(parts) if parts else segment_claims([])
    return split_fragments(claims, [c.article for c in cleaned])


def compare_claims(
    claims: pl.DataFrame,
    articles: pl.DataFrame | None = None,
    *,
    encoder: str = "default",
    semantic: str = "auto",
    cache_dir: Path | None = None,
    progress: bool = False,
    engine: Engine | None = None,
    precision: str = "balanced",
) -> Comparison:
    """Group articles into stories, link claims across articles, judge contrasts inside
    links (within one story), and cluster the claims. ``precision``: how much evidence a
    contrast needs ("high", "balanced", "recall"; ``contrast.judge_links``).

    ``articles``: the articles table (``ClaimsRun.article_table``) for the stories'
    titles and dates; without it they come from the claims.
    ``engine``: where the heavy batches run (encoding, hashing, pair scoring, the contrast
    judge); None or a LocalEngine runs everything inline. Results are identical."""
    from .cluster import cluster_claims
    from .contrast import framing_table, judge_links
    from .encode import get_encoder
    from .score import link_claims
    from .stories import group_stories

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    claims, stories = group_stories(claims, articles)
    timings["stories"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    enc = None if semantic == "none" else get_encoder(encoder)
    links, stats = link_claims(claims, enc, cache_dir=cache_dir, semantic=semantic, progress=progress,
                               engine=engine)
    timings["link"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    if engine is None:
        links = judge_links(links, claims, related="strict", precision=precision)
    else:
        # The judge is per link: chunks of links give the same rows (claims shipped once).
        from functools import partial

        info = claims.select([c for c in ("claim_id", "text", "speaker", "outlet", "story_id")
                             if c in claims.columns])
        judge = partial(judge_links, claims=info, related="strict", precision=precision)
        links = engine.map_frames(judge, links, CONTRAST_BATCH)
    timings["contrast"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    clustered, clusters = cluster_claims(claims, links)
    timings["cluster"] = time.perf_counter() - t0

    return Comparison(
        claims=clustered,
        links=links,
        clusters=clusters,
        framing=framing_table(clustered),
        encoder=enc.name if enc is not None else "lexical",
        stats={**stats, "timings": timings},
        stories=stories,
    )


@dataclass(frozen=True)
class ReportOutputs:
    out_dir: Path
    files: tuple[str, ...]
    run: ClaimsRun
    comparison: Comparison


def make_report(
    paths: Sequence[str | Path],
    out_dir: str | Path,
    *,
    encoder: str = "default",
    semantic: str = "auto",
    top: int | None = 15,
    cache_dir: Path | None = None,
    progress: bool = False,
    ingest_options: dict[str, object] | None = None,
    title: str = "Claim comparison report",
    engine: Engine | None = None,
    precision: str = "balanced",
) -> ReportOutputs:
    """`compare report`: every output is written to a staging folder, then moved in.

    ``top``: stories shown in full (None: everything); see ``render.report.Limits``."""
    from .errors import UsageError
    from .io import atomic_dir, write_table, write_text_atomic
    from .render.html import article_texts, render_html
    from .render.report import Limits, build_report_data
    from .render.report_markdown import render_markdown

    out_dir = Path(out_dir)
    run = extract_claims(paths, engine=engine, **(ingest_options or {}))
    if run.claims.height == 0:
        raise UsageError("the corpus has no claims after cleaning", hint="check the input files are articles")
    comp = compare_claims(run.claims, run.article_table, encoder=encoder, semantic=semantic, cache_dir=cache_dir,
                          progress=progress, engine=engine, precision=precision)
    data = build_report_data(
        comp.claims,
        comp.clusters,
        comp.links,
        run.article_table,
        dropped=run.dropped,
        framing=comp.framing,
        out_dir=out_dir,
        limits=Limits.from_top(top),
        encoder=comp.encoder,
        title=title,
        stories=comp.stories,
    )
    files = ["report.md", "report.html", "claims.parquet", "links.parquet", "clusters.parquet", "stories.parquet",
             "dropped.parquet"]
    with atomic_dir(out_dir) as stage:
        write_text_atomic(stage / "report.md", render_markdown(data))
        write_table(comp.claims, stage / "claims.parquet")
        write_table(comp.links, stage / "links.parquet")
        write_table(comp.clusters, stage / "clusters.parquet")
        write_table(comp.stories, stage / "stories.parquet")
        write_table(run.dropped, stage / "dropped.parquet")
        write_text_atomic(stage / "report.html", render_html(data, article_texts(run.articles)))
    return ReportOutputs(out_dir=out_dir, files=tuple(files), run=run, comparison=comp)


def articles_from_claims(claims: pl.DataFrame) -> pl.DataFrame:
    """An articles table (schema ``ARTICLES``) rebuilt from a claims table, for reports
    rendered from Parquet outputs: how each outlet was named is not kept there."""
    from . import schema

    cols = ["article_id", "outlet", "source", "row", "title", "date", "url"]
    firsts = claims.sort(["article_id", "start"]).group_by("article_id", maintain_order=True).first()
    return (firsts.select(cols).with_columns(pl.lit("unknown").alias("outlet_rule"),
                                             pl.col("row").cast(pl.Int64), pl.lit(None, pl.Int64).alias("n_chars"))
            .select(list(schema.ARTICLES)).cast(schema.ARTICLES))  # type: ignore[arg-type]


def render_report_from(
    report_dir: str | Path,
    out_dir: str | Path | None = None,
    *,
    top: int | None = 15,
    title: str = "Claim comparison report",
    articles: Sequence[Article] = (),
    encoder: str = "",
) -> tuple[str, str]:
    """(report.md, report.html) rendered again from the Parquet outputs of `compare report`
    in ``report_dir`` (claims, clusters, links, stories, dropped), without re-running the
    pipeline. ``articles``: the ingested articles, for the article texts in the HTML (and
    its "in article" links); without them the HTML has no article section. Framing is not
    kept in the Parquet outputs, so that section is empty. Links to sources are made
    relative to ``out_dir`` (default ``report_dir``)."""
    from .errors import InputError
    from .render.html import article_texts, render_html
    from .render.report import Limits, build_report_data
    from .render.report_markdown import render_markdown

    src = Path(report_dir)
    for name in ("claims", "clusters", "links"):
        if not (src / f"{name}.parquet").is_file():
            raise InputError(f"no {name}.parquet here", src, hint="give the --out folder of `compare report`")
    read_table = pl.read_parquet
    claims = read_table(src / "claims.parquet")
    data = build_report_data(
        claims, read_table(src / "clusters.parquet"), read_table(src / "links.parquet"),
        articles_from_claims(claims),
        dropped=read_table(src / "dropped.parquet") if (src / "dropped.parquet").exists() else None,
        stories=read_table(src / "stories.parquet") if (src / "stories.parquet").exists() else None,
        out_dir=Path(out_dir) if out_dir is not None else src, limits=Limits.from_top(top), encoder=encoder,
        title=title,
    )
    return render_markdown(data), render_html(data, article_texts(articles) if articles else None)


@dataclass(frozen=True)
class DupesOutputs:
    out_dir: Path
    files: tuple[str, ...]
    counts: tuple[tuple[str, int], ...]


def make_dupes(
    paths: Sequence[str | Path],
    out_dir: str | Path,
    *,
    unit: str = "paragraph",
    threshold: float | None = None,
    scope: str | None = None,
    ingest_options: dict[str, object] | None = None,
    engine: Engine | None = None,
) -> DupesOutputs:
    """`compare dupes`: writes dupes.md and duplicates.parquet atomically."""
    from .dupes import audit_duplicates, units_from_claims
    from .errors import UsageError
    from .io import atomic_dir, write_table, write_text_atomic
    from .render.dupes import render_dupes_markdown
    from .render.html import article_texts, render_dupes_html

    if unit not in ("paragraph", "sentence"):
        raise UsageError(f"unknown --unit {unit!r}", hint="use paragraph or sentence")
    if scope not in (None, "within-article", "within-outlet", "across"):
        raise UsageError(f"unknown --scope {scope!r}", hint="use within-article, within-outlet or across")
    if threshold is not None and not 0.0 < threshold <= 1.0:
        raise UsageError(f"--threshold {threshold} is out of range", hint="give a similarity between 0 and 1")
    run = extract_claims(paths, engine=engine, **(ingest_options or {}))
    units = run.paragraphs if unit == "paragraph" else units_from_claims(run.claims)
    kwargs: dict[str, object] = {"scope": scope, "engine": engine}
    if threshold is not None:
        kwargs["threshold"] = threshold
    result = audit_duplicates(units, **kwargs)  # type: ignore[arg-type]
    out_dir = Path(out_dir)
    with atomic_dir(out_dir) as stage:
        write_text_atomic(stage / "dupes.md", render_dupes_markdown(result, title=f"Duplicate {unit}s"))
        html = render_dupes_html(result, article_texts(run.articles), units=units, title=f"Duplicate {unit}s")
        write_text_atomic(stage / "dupes.html", html)
        write_table(result.members, stage / "duplicates.parquet")
    counts = (
        ("units", units.height),
        ("groups", result.groups.height),
        ("verbatim", result.groups.filter(pl.col("kind") == "verbatim").height),
        ("near", result.groups.filter(pl.col("kind") == "near").height),
    )
    return DupesOutputs(out_dir, ("dupes.md", "dupes.html", "duplicates.parquet"), counts)


@dataclass(frozen=True)
class DiffOutputs:
    out_dir: Path
    files: tuple[str, ...]
    counts: tuple[tuple[str, int], ...]
    diff: OutletDiff


def _short_form_articles(paths: Sequence[str | Path], ingest_options: dict[str, object]) -> tuple[list[Article], str, str]:
    """`compare diff PATH_A PATH_B`: every article of a path belongs to that path's side."""
    from .errors import UsageError
    from .ingest import read_articles

    pa, pb = (Path(p) for p in paths)
    if pa.resolve() == pb.resolve():
        raise UsageError(f"{pa} is given as both A and B", hint="give two different paths")
    name_a = pa.stem if pa.is_file() else pa.name
    name_b = pb.stem if pb.is_file() else pb.name
    if name_a == name_b:
        name_a, name_b = f"{name_a} (A)", f"{name_b} (B)"
    arts = []
    for path, name in ((pa, name_a), (pb, name_b)):
        for art in read_articles([path], **ingest_options):  # type: ignore[arg-type]
            arts.append(dataclasses.replace(art, outlet=name, outlet_rule="diff-path"))
    return arts, name_a, name_b


def make_diff(
    paths: Sequence[str | Path],
    out_dir: str | Path,
    *,
    a: Sequence[str] = (),
    b: Sequence[str] = (),
    encoder: str = "default",
    semantic: str = "auto",
    cache_dir: Path | None = None,
    progress: bool = False,
    ingest_options: dict[str, object] | None = None,
    engine: Engine | None = None,
    precision: str = "balanced",
) -> DiffOutputs:
    """`compare diff`: writes diff.md and diff.parquet atomically."""
    from .clean import clean_articles
    from .diff import check_sides, diff_outlets
    from .errors import UsageError
    from .ingest import read_articles
    from .io import atomic_dir, write_table, write_text_atomic
    from .render.diff import render_diff_markdown
    from .render.html import article_texts, render_diff_html

    out_dir = Path(out_dir)
    opts = ingest_options or {}
    if not a and not b and len(paths) == 2:
        articles, name_a, name_b = _short_form_articles(paths, opts)
        a, b = [name_a], [name_b]
    else:
        articles = read_articles(paths, **opts)  # type: ignore[arg-type]
    side_a, side_b = check_sides([x.outlet for x in articles], a, b)
    keep = set(side_a) | set(side_b)
    cleaned = clean_articles([x for x in articles if x.outlet in keep])
    claims, _ = _segment(cleaned, engine)
    for name, side in (("A", side_a), ("B", side_b)):
        if not claims.filter(pl.col("outlet").is_in(list(side))).height:
            raise UsageError(f"side {name} ({', '.join(side)}) has no claims after cleaning", hint="check its articles")
    comp = compare_claims(claims, encoder=encoder, semantic=semantic, cache_dir=cache_dir, progress=progress,
                          engine=engine, precision=precision)
    d = diff_outlets(comp.claims, comp.links, side_a, side_b)
    with atomic_dir(out_dir) as stage:
        write_text_atomic(stage / "diff.md", render_diff_markdown(d, comp.claims, out_dir=out_dir))
        write_text_atomic(stage / "diff.html", render_diff_html(d, comp.claims, article_texts(articles), out_dir=out_dir))
        write_table(d.rows, stage / "diff.parquet")
    return DiffOutputs(out_dir, ("diff.md", "diff.html", "diff.parquet"), tuple(d.counts().items()), d)

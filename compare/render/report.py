"""The comparison report's data: built once from the frames, laid out by the views.

``build_report_data`` gathers everything a reader sees into frozen records, in reading
order: a summary (figures, the strongest contrasts, what only one outlet said), then the
stories ranked by how many outlets covered them and how many contrasts they hold, each
with its contrasts (by confidence) and its claims carried by several outlets (by number of
outlets). Every list is capped and says how much it leaves to the Parquet files. The
Markdown view (``render.report_markdown``) and the HTML view (``render.html``) only lay
that data out, so the two never disagree. The diff views build their rows with
``version_from_row`` and ``parse_differences`` from here.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from ..records import Difference
from .markdown import anchor


@dataclass(frozen=True, slots=True)
class Limits:
    """How much of each list the report shows; ``None`` shows all. The defaults keep a
    report on thousands of articles readable (and small); the Parquet outputs keep all."""

    stories: int | None = 15  # stories shown in full, most outlets and contrasts first
    story_table: int | None = 40  # further stories listed in one table row each
    contrasts: int | None = 3  # contrasting clusters per story
    shared: int | None = 3  # other clusters carried by several outlets, per story
    pairs: int | None = 1  # contrasting pairs per cluster (one per pair of outlets)
    versions: int | None = 4  # versions per cluster (one per outlet first)
    strongest: int = 5  # contrasts in the summary
    only_outlets: int | None = 10  # outlets in "Only in one outlet", most such claims first
    only_claims: int = 3  # claims per outlet there
    framing: int | None = 40  # framing rows
    outlets: int | None = 100  # rows of the outlet table (most articles first)
    missing_named: int = 10  # outlets named as not covering a story (the largest ones)

    @classmethod
    def everything(cls) -> Limits:
        return cls(stories=None, story_table=None, contrasts=None, shared=None, pairs=None, versions=None,
                   only_outlets=None, only_claims=1_000_000_000, framing=None, outlets=None)

    @classmethod
    def from_top(cls, top: int | None) -> Limits:
        """`--top N`: N stories in full (the other caps as by default); None: everything."""
        return cls.everything() if top is None else cls(stories=top)


def _cap(items: list[Any], limit: int | None) -> list[Any]:
    return items if limit is None else items[:limit]


@dataclass(frozen=True, slots=True)
class Version:
    """One claim as shown in a report row."""

    claim_id: str
    article_id: str
    outlet: str
    text: str
    speaker: str | None
    date: str | None
    title: str | None
    link: str  # URL when known, else the source file relative to the report folder
    source: str
    start: int
    end: int
    is_quote: bool
    is_title: bool
    relation: str | None = None  # relation to the cluster's representative


@dataclass(frozen=True, slots=True)
class ContrastPair:
    a: Version
    b: Version
    score: float
    differences: tuple[Difference, ...]


@dataclass(frozen=True, slots=True)
class ClusterView:
    cluster_id: str
    size: int
    outlets: tuple[str, ...]
    cohesion: float
    representative: str
    versions: tuple[Version, ...]
    contrasts: tuple[ContrastPair, ...] = ()
    hidden_versions: int = 0  # versions past the cap (all are in claims.parquet)
    hidden_pairs: int = 0  # contrasting pairs past the cap (all are in links.parquet)

    @property
    def anchor(self) -> str:
        return anchor("cluster", self.cluster_id)

    @property
    def score(self) -> float:
        """The strongest contrast shown (0 when none)."""
        return max((p.score for p in self.contrasts), default=0.0)


@dataclass(frozen=True, slots=True)
class OutletRow:
    outlet: str
    rule: str
    articles: int
    claims: int
    shared: int  # claims in clusters that span 2+ outlets
    only_here: int


@dataclass(frozen=True, slots=True)
class StoryRow:
    """One story as the report lists it."""

    story_id: str
    title: str
    outlets: tuple[str, ...]
    articles: int
    claims: int
    first_date: str | None
    last_date: str | None


@dataclass(frozen=True, slots=True)
class StoryView:
    """One story in full: who covered it, where they disagree, what several carried."""

    story: StoryRow
    rank: int  # 1-based place in the ranking
    contrasts: tuple[ClusterView, ...]  # strongest contrast first
    shared: tuple[ClusterView, ...]  # other clusters of 2+ outlets, most outlets first
    n_contrasts: int  # contrasting clusters in the story
    n_shared: int  # other clusters of 2+ outlets in the story
    missing: tuple[str, ...] = ()  # outlets (the largest ones) that did not cover it
    missing_more: int = 0  # further outlets that did not cover it, not named

    @property
    def anchor(self) -> str:
        return anchor("story", self.story.story_id)

    @property
    def hidden_contrasts(self) -> int:
        return self.n_contrasts - len(self.contrasts)

    @property
    def hidden_shared(self) -> int:
        return self.n_shared - len(self.shared)


@dataclass(frozen=True, slots=True)
class TopContrast:
    """A contrast in the summary: its story, its cluster and its strongest pair."""

    story: StoryRow
    cluster: ClusterView
    pair: ContrastPair
    shown: bool  # whether the cluster is shown in its story below (else only here)


@dataclass(frozen=True, slots=True)
class ReportData:
    title: str
    encoder: str
    figures: tuple[tuple[str, int], ...]
    outlets: tuple[OutletRow, ...]  # most articles first, the first ``Limits.outlets``
    stories: tuple[StoryView, ...]  # ranked: most outlets, then most contrasts
    strongest: tuple[TopContrast, ...]  # the strongest contrasts of the corpus
    only_in: tuple[tuple[str, tuple[Version, ...], int], ...]  # outlet, shown, total; most first
    framing: tuple[tuple[str, str, str, int], ...]  # actor/concept, outlet, term, count
    dropped: tuple[tuple[str, int], ...]
    story_table: tuple[StoryRow, ...] = ()  # the stories after those in full, one row each
    hidden_stories: int = 0  # stories neither in full nor in the table
    notes: tuple[str, ...] = field(default=())
    hidden_outlets: int = 0  # outlets with claims of their own not listed in "Only in one outlet"
    hidden_outlet_rows: int = 0  # outlets left out of the outlet table
    hidden_framing: int = 0
    n_contrasts: int = 0  # contrasting clusters in the corpus

    @property
    def contrasts(self) -> tuple[ClusterView, ...]:
        """The contrasting clusters shown, in report order."""
        return tuple(c for s in self.stories for c in s.contrasts)

    @property
    def shared(self) -> tuple[ClusterView, ...]:
        """Every cluster shown (contrasting or not), in report order."""
        return tuple(c for s in self.stories for c in (*s.contrasts, *s.shared))


def _link(row: dict[str, object], out_dir: Path | None) -> str:
    url = row.get("url")
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        return url
    source = str(row.get("source") or "")
    if out_dir is None or not source:
        return source
    try:
        return Path(os.path.relpath(Path(source).resolve(), out_dir.resolve())).as_posix()
    except ValueError:  # other drive on Windows
        return Path(source).as_posix()


def version_from_row(row: dict[str, object], out_dir: Path | None, relation: str | None = None) -> Version:
    """A claims-table row as shown in a report; ``link`` is relative to ``out_dir`` when
    the claim has no URL."""
    return Version(
        claim_id=str(row["claim_id"]),
        article_id=str(row["article_id"]),
        outlet=str(row["outlet"]),
        text=str(row["text"]),
        speaker=row.get("speaker") or None,  # type: ignore[arg-type]
        date=row.get("date") or None,  # type: ignore[arg-type]
        title=row.get("title") or None,  # type: ignore[arg-type]
        link=_link(row, out_dir),
        source=str(row.get("source") or ""),
        start=int(row["start"]),  # type: ignore[call-overload]
        end=int(row["end"]),  # type: ignore[call-overload]
        is_quote=bool(row.get("is_quote")),
        is_title=bool(row.get("is_title")),
        relation=relation,
    )


def parse_differences(rows: list[dict[str, Any]] | None) -> tuple[Difference, ...]:
    """The typed differences of a link or diff row, from their ``differences`` column."""
    return tuple(Difference.from_dict(d) for d in rows or [])


@dataclass(frozen=True, slots=True)
class _ClaimIndex:
    """Claims, cluster members and links, indexed once for every cluster view."""

    rows: dict[str, dict[str, Any]]  # claim_id -> claims row
    members: dict[str, list[str]]  # cluster_id -> claim ids, by outlet, date, claim id
    relation: dict[tuple[str, str], str]  # (claim, claim) -> link relation, both ways
    contrast_links: dict[str, list[dict[str, Any]]]  # cluster_id -> its contrast links
    out_dir: Path | None

    @classmethod
    def build(cls, claims: pl.DataFrame, links: pl.DataFrame, out_dir: Path | None) -> _ClaimIndex:
        rows = {r["claim_id"]: r for r in claims.iter_rows(named=True)}
        members: dict[str, list[str]] = {}
        ordered = claims.sort(["cluster_id", "outlet", "date", "claim_id"], nulls_last=True)
        for cluster, claim in zip(ordered["cluster_id"], ordered["claim_id"], strict=True):
            members.setdefault(cluster, []).append(claim)
        # Relation of each claim to its cluster's representative, and contrast pairs.
        relation: dict[tuple[str, str], str] = {}
        contrast_links: dict[str, list[dict[str, Any]]] = {}
        cluster_of = {cid: r["cluster_id"] for cid, r in rows.items()}
        for lk in links.iter_rows(named=True):
            a, b = lk["claim_a"], lk["claim_b"]
            relation[(a, b)] = relation[(b, a)] = lk["relation"]
            if lk["relation"] == "contrast" and cluster_of.get(a) is not None and cluster_of.get(a) == cluster_of.get(b):
                contrast_links.setdefault(cluster_of[a], []).append(lk)
        return cls(rows, members, relation, contrast_links, out_dir)

    def strongest_contrast(self, cluster_id: str) -> float:
        return max(float(lk["contrast"] or 0) for lk in self.contrast_links[cluster_id])

    def contrast_pairs(self, cluster_id: str) -> list[ContrastPair]:
        """One pair per pair of outlets (the judge's strongest), strongest first."""
        pairs = []
        seen_outlets: set[tuple[str, str]] = set()
        ranked = sorted(
            self.contrast_links.get(cluster_id, []),
            key=lambda x: (-float(x["contrast"] or 0), str(x["claim_a"]), str(x["claim_b"])),
        )
        for lk in ranked:
            oa, ob = sorted((str(self.rows[lk["claim_a"]]["outlet"]), str(self.rows[lk["claim_b"]]["outlet"])))
            if (oa, ob) in seen_outlets:
                continue
            seen_outlets.add((oa, ob))
            pairs.append(
                ContrastPair(
                    version_from_row(self.rows[str(lk["claim_a"])], self.out_dir),
                    version_from_row(self.rows[str(lk["claim_b"])], self.out_dir),
                    float(lk["contrast"] or 0.0),
                    parse_differences(lk["differences"]),
                )
            )
        return pairs

    def story_of(self, c: dict[str, Any]) -> str:
        """The story of a cluster: its representative's (contrasts never cross stories)."""
        row = self.rows.get(str(c["representative"])) or {}
        return str(row.get("story_id") or "")

    def cluster_view(self, c: dict[str, Any], limits: Limits) -> ClusterView:
        cid = str(c["cluster_id"])
        rep = str(c["representative"])
        members = self.members.get(cid, [])
        # The representative, then one version per outlet, then the rest: a capped list
        # still shows every outlet it can.
        firsts: dict[str, str] = {}
        for m in members:
            firsts.setdefault(str(self.rows[m]["outlet"]), m)
        head = [rep] if rep in members else []
        order = head + [m for m in firsts.values() if m != rep]
        seen = set(order)
        order += [m for m in members if m not in seen]
        shown = _cap(order, limits.versions)
        versions = tuple(
            version_from_row(self.rows[m], self.out_dir, None if m == rep else self.relation.get((rep, m)))
            for m in shown
        )
        pairs = self.contrast_pairs(cid)
        kept = _cap(pairs, limits.pairs)
        return ClusterView(
            cluster_id=cid,
            size=int(c["size"]),
            outlets=tuple(c["outlets"]),
            cohesion=float(c["cohesion"] or 0.0),
            representative=str(c["representative_text"]),
            versions=versions,
            contrasts=tuple(kept),
            hidden_versions=len(members) - len(shown),
            hidden_pairs=len(pairs) - len(kept),
        )


def _only_in(
    claims: pl.DataFrame, multi_ids: set[str], out_dir: Path | None, limits: Limits
) -> tuple[tuple[tuple[str, tuple[Version, ...], int], ...], int]:
    """Per outlet: its claims in no multi-outlet cluster (the first ``only_claims``), and
    how many; the outlets with the most such claims first (then by name), at most
    ``only_outlets`` of them. Also how many outlets with such claims were left out."""
    only: list[tuple[str, tuple[Version, ...], int]] = []
    single = claims.filter(~pl.col("cluster_id").is_in(list(multi_ids)))
    counts = single.group_by("outlet").len().sort(["len", "outlet"], descending=[True, False])
    kept = _cap(counts["outlet"].to_list(), limits.only_outlets)
    # Titles, speakers and numbers first: what a desk editor checks first.
    ranked = single.filter(pl.col("outlet").is_in(kept)).with_columns(
        (
            pl.col("is_title").cast(pl.Int8) * 4
            + pl.col("speaker").is_not_null().cast(pl.Int8) * 2
            + (pl.col("numbers").list.len() > 0).cast(pl.Int8)
        ).alias("_w")
    ).sort(["_w", "article_id", "start"], descending=[True, False, False])
    by_outlet = {str(k[0]): g for k, g in ranked.group_by(["outlet"], maintain_order=True)}
    for outlet, total in zip(counts["outlet"].to_list()[: len(kept)], counts["len"].to_list(), strict=False):
        mine = by_outlet[outlet]
        shown = tuple(version_from_row(r, out_dir) for r in mine.head(limits.only_claims).iter_rows(named=True))
        only.append((outlet, shown, int(total)))
    return tuple(only), counts.height - len(kept)


def _outlet_rows(articles: pl.DataFrame, claims: pl.DataFrame, multi_ids: set[str]) -> list[OutletRow]:
    """The outlet table, most articles first (then by name)."""
    if not articles.height:
        return []
    per = (
        articles.group_by("outlet")
        .agg(pl.len().alias("articles"), pl.col("outlet_rule").unique().sort().str.join(", ").alias("rule"))
        .join(claims.group_by("outlet").agg(
            pl.len().alias("claims"), pl.col("cluster_id").is_in(list(multi_ids)).sum().alias("shared")),
            on="outlet", how="left")
        .fill_null(0)
        .sort(["articles", "outlet"], descending=[True, False])
    )
    return [OutletRow(str(r["outlet"]), str(r["rule"]), int(r["articles"]), int(r["claims"]), int(r["shared"]),
                      int(r["claims"]) - int(r["shared"])) for r in per.iter_rows(named=True)]


def _framing_rows(framing: pl.DataFrame | None, limit: int | None) -> tuple[tuple[str, str, str, int], ...]:
    """The framing table in its own order; past ``limit`` rows, the most used ones."""
    if framing is None or not framing.height:
        return ()
    cols = framing.columns
    if limit is not None and framing.height > limit:
        framing = (framing.with_row_index("_order").sort([cols[3], "_order"], descending=[True, False])
                   .head(limit).sort("_order").drop("_order"))
    return tuple(
        (str(r[cols[0]]), str(r[cols[1]]), str(r[cols[2]]), int(r[cols[3]])) for r in framing.iter_rows(named=True)
    )


def _dropped_counts(dropped: pl.DataFrame | None) -> tuple[tuple[str, int], ...]:
    if dropped is None or not dropped.height:
        return ()
    counts = dropped.group_by("reason").len().sort(["len", "reason"], descending=[True, False])
    return tuple((str(r["reason"]), int(r["len"])) for r in counts.iter_rows(named=True))


def _story_rows(stories: pl.DataFrame | None, claims: pl.DataFrame, articles: pl.DataFrame) -> dict[str, StoryRow]:
    """Every story by id. Without a stories frame the corpus is one story (id "")."""
    if stories is not None and stories.height:
        return {
            str(r["story_id"]): StoryRow(str(r["story_id"]), str(r["title"] or ""), tuple(sorted(r["outlets"] or ())),
                                         int(r["n_articles"]), int(r["n_claims"]), r["first_date"], r["last_date"])
            for r in stories.iter_rows(named=True)
        }
    dates = sorted(d for d in articles["date"].to_list() if d) if articles.height else []
    outlets = tuple(sorted(set(claims["outlet"].to_list())))
    n_articles = articles.height or claims["article_id"].n_unique()
    return {"": StoryRow("", "All articles", outlets, n_articles, claims.height,
                         dates[0] if dates else None, dates[-1] if dates else None)}


def _missing(story: StoryRow, largest: list[str], n_outlets: int, named: int) -> tuple[tuple[str, ...], int]:
    """Outlets that did not cover a story: all of them when there are few, else those
    among the largest (most articles), and how many more are left unnamed."""
    covered = set(story.outlets)
    absent = [o for o in largest if o not in covered]
    n_absent = max(0, n_outlets - len(covered))
    shown = absent if n_outlets <= named + 2 else absent[:named]
    return tuple(shown), n_absent - len(shown)


def _story_views(
    index: _ClaimIndex, rows: dict[str, StoryRow], contrast_clusters: list[dict[str, Any]],
    multi: list[dict[str, Any]], largest: list[str], limits: Limits,
) -> tuple[list[StoryView], list[StoryRow]]:
    """Stories ranked (most outlets, then most contrasts, most shared claims, most claims),
    the first ``limits.stories`` in full; the rest as plain rows."""
    contrasts: dict[str, list[dict[str, Any]]] = {}
    for c in contrast_clusters:  # already strongest first
        contrasts.setdefault(index.story_of(c), []).append(c)
    contrast_ids = {c["cluster_id"] for c in contrast_clusters}
    shared: dict[str, list[dict[str, Any]]] = {}
    for c in multi:  # already most outlets first
        if c["cluster_id"] not in contrast_ids:
            shared.setdefault(index.story_of(c), []).append(c)
    for sid in set(contrasts) | set(shared):
        if sid not in rows:  # a claim outside every listed story
            rows[sid] = StoryRow(sid, "Claims outside any listed story", (), 0, 0, None, None)
    ranked = sorted(rows.values(), key=lambda r: (-len(r.outlets), -len(contrasts.get(r.story_id, [])),
                                                  -len(shared.get(r.story_id, [])), -r.claims, r.story_id))
    full = _cap(ranked, limits.stories)
    views = []
    for rank, row in enumerate(full, 1):
        cs, sh = contrasts.get(row.story_id, []), shared.get(row.story_id, [])
        missing, more = _missing(row, largest, len(largest), limits.missing_named)
        views.append(StoryView(
            row, rank, tuple(index.cluster_view(c, limits) for c in _cap(cs, limits.contrasts)),
            tuple(index.cluster_view(c, limits) for c in _cap(sh, limits.shared)), len(cs), len(sh), missing, more,
        ))
    return views, ranked[len(full):]


def build_report_data(
    claims: pl.DataFrame,
    clusters: pl.DataFrame,
    links: pl.DataFrame,
    articles: pl.DataFrame,
    *,
    dropped: pl.DataFrame | None = None,
    framing: pl.DataFrame | None = None,
    out_dir: Path | None = None,
    limits: Limits | None = None,
    encoder: str = "",
    title: str = "Claim comparison report",
    stories: pl.DataFrame | None = None,
) -> ReportData:
    """Everything the report shows, in reading order, deterministic.

    ``stories``: the stories frame (schema.STORIES); without it the corpus is one story.
    ``limits``: how much of each list to show (default ``Limits()``)."""
    limits = limits or Limits()
    index = _ClaimIndex.build(claims, links, out_dir)
    ordered = clusters.sort(["n_outlets", "size", "cluster_id"], descending=[True, True, False])
    multi = [c for c in ordered.iter_rows(named=True) if c["n_outlets"] >= 2]
    # Contrasts come from different outlets or, inside one outlet, different speakers (a
    # ministry's "100 attacks" against the foreign ministry's "1000"): both are shown.
    contrast_clusters = [c for c in ordered.iter_rows(named=True) if c["cluster_id"] in index.contrast_links]
    contrast_clusters.sort(key=lambda c: (-index.strongest_contrast(c["cluster_id"]), c["cluster_id"]))
    multi_ids = {c["cluster_id"] for c in multi}
    all_outlets = _outlet_rows(articles, claims, multi_ids)
    outlet_rows = _cap(all_outlets, limits.outlets)
    largest = [o.outlet for o in all_outlets] or sorted(set(claims["outlet"].to_list()))
    rows = _story_rows(stories, claims, articles)
    views, rest = _story_views(index, rows, contrast_clusters, multi, largest, limits)
    table = _cap(rest, limits.story_table)
    only_in, hidden_outlets = _only_in(claims, multi_ids, out_dir, limits)
    framing_rows = _framing_rows(framing, limits.framing)

    figures = (
        ("stories", len(rows)),
        ("outlets", len(largest)),
        ("articles", articles.height),
        ("claims", claims.height),
        ("clusters", clusters.height),
        ("clusters spanning 2+ outlets", len(multi)),
        ("contrasting clusters", len(contrast_clusters)),
        ("boilerplate lines dropped", dropped.height if dropped is not None else 0),
    )
    return ReportData(
        title=title,
        encoder=encoder,
        figures=figures,
        outlets=tuple(outlet_rows),
        stories=tuple(views),
        strongest=_strongest(index, rows, contrast_clusters, views, limits),
        only_in=only_in,
        framing=framing_rows,
        dropped=_dropped_counts(dropped),
        story_table=tuple(table),
        hidden_stories=len(rest) - len(table),
        hidden_outlets=hidden_outlets,
        hidden_outlet_rows=len(all_outlets) - len(outlet_rows),
        hidden_framing=(framing.height if framing is not None else 0) - len(framing_rows),
        n_contrasts=len(contrast_clusters),
    )


def _strongest(index: _ClaimIndex, rows: dict[str, StoryRow], contrast_clusters: list[dict[str, Any]],
               views: list[StoryView], limits: Limits) -> tuple[TopContrast, ...]:
    """The strongest contrasts, each with its story, for the summary: those of the stories
    shown in full first (what the report goes on to show, in the stories that matter
    most), then the others, each part by confidence."""
    shown = {c.cluster_id for v in views for c in v.contrasts}
    ranked = [c for c in contrast_clusters if c["cluster_id"] in shown]
    ranked += [c for c in contrast_clusters if c["cluster_id"] not in shown]
    out = []
    for c in ranked[: limits.strongest]:
        view = index.cluster_view(c, dataclasses.replace(limits, pairs=1, versions=0))
        if view.contrasts:
            out.append(TopContrast(rows[index.story_of(c)], view, view.contrasts[0], c["cluster_id"] in shown))
    return tuple(out)

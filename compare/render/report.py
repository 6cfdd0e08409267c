"""The comparison report: report data built once from the frames, rendered to Markdown.

``build_report_data`` gathers everything a reader sees (figures, outlet coverage,
contrasts, shared clusters, single-outlet claims) into frozen records; the Markdown
renderer here and the HTML renderer (``render.html``) only lay that data out, so the
two views never disagree. The diff views build their rows with ``version_from_row``,
``parse_differences``, ``md_speaker`` and ``md_source`` from here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from ..records import Difference
from ..version import __version__
from .markdown import anchor, md_cell, md_table, md_text, safe_href

# Clusters shown per section (and outlets in "Only in one outlet") by default: a report on
# thousands of pages stays readable; the Parquet outputs keep everything.
TOP = 50


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

    @property
    def anchor(self) -> str:
        return anchor("cluster", self.cluster_id)


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
class ReportData:
    title: str
    encoder: str
    figures: tuple[tuple[str, int], ...]
    outlets: tuple[OutletRow, ...]
    contrasts: tuple[ClusterView, ...]
    shared: tuple[ClusterView, ...]
    only_in: tuple[tuple[str, tuple[Version, ...], int], ...]  # outlet, shown, total
    framing: tuple[tuple[str, str, str, int], ...]  # actor/concept, outlet, term, count
    dropped: tuple[tuple[str, int], ...]
    hidden_clusters: int = 0
    notes: tuple[str, ...] = field(default=())
    hidden_contrasts: int = 0
    hidden_outlets: int = 0  # outlets with claims of their own not listed in "Only in one outlet"
    hidden_framing: int = 0
    stories: tuple[StoryRow, ...] = ()  # most outlets first, the first ``stories_limit``
    hidden_stories: int = 0


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

    def contrast_pairs(self, cluster_id: str) -> tuple[ContrastPair, ...]:
        """One pair per pair of outlets (the judge's strongest): the rest is in links.parquet."""
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
        return tuple(pairs)

    def cluster_view(self, c: dict[str, Any]) -> ClusterView:
        cid = str(c["cluster_id"])
        rep = str(c["representative"])
        versions = tuple(
            version_from_row(self.rows[m], self.out_dir, None if m == rep else self.relation.get((rep, m)))
            for m in self.members.get(cid, [])
        )
        return ClusterView(
            cluster_id=cid,
            size=int(c["size"]),
            outlets=tuple(c["outlets"]),
            cohesion=float(c["cohesion"] or 0.0),
            representative=str(c["representative_text"]),
            versions=versions,
            contrasts=self.contrast_pairs(cid),
        )


def _only_in(
    claims: pl.DataFrame, multi_ids: set[str], out_dir: Path | None, only_limit: int, outlet_limit: int | None
) -> tuple[tuple[tuple[str, tuple[Version, ...], int], ...], int]:
    """Per outlet: its claims in no multi-outlet cluster (the first ``only_limit``), and how
    many; at most ``outlet_limit`` outlets, those with the most such claims (in name order).
    Also how many outlets with such claims were left out."""
    only: list[tuple[str, tuple[Version, ...], int]] = []
    single = claims.filter(~pl.col("cluster_id").is_in(list(multi_ids)))
    counts = single.group_by("outlet").len().sort(["len", "outlet"], descending=[True, False])
    kept = counts["outlet"].to_list()[:outlet_limit] if outlet_limit is not None else counts["outlet"].to_list()
    for outlet in sorted(kept):
        mine = single.filter(pl.col("outlet") == outlet).sort(["article_id", "start"])
        # Titles, speakers and numbers first: what a desk editor checks first.
        ranked = mine.with_columns(
            (
                pl.col("is_title").cast(pl.Int8) * 4
                + pl.col("speaker").is_not_null().cast(pl.Int8) * 2
                + (pl.col("numbers").list.len() > 0).cast(pl.Int8)
            ).alias("_w")
        ).sort(["_w", "article_id", "start"], descending=[True, False, False])
        shown = tuple(version_from_row(r, out_dir) for r in ranked.head(only_limit).iter_rows(named=True))
        only.append((outlet, shown, mine.height))
    return tuple(only), counts.height - len(kept)


def _outlet_rows(articles: pl.DataFrame, claims: pl.DataFrame, multi_ids: set[str]) -> tuple[OutletRow, ...]:
    outlet_rows = []
    multi_claims = claims.filter(pl.col("cluster_id").is_in(list(multi_ids)))
    for outlet in sorted(set(articles["outlet"].to_list())):
        arts = articles.filter(pl.col("outlet") == outlet)
        rules = sorted(set(arts["outlet_rule"].to_list()))
        n_claims = claims.filter(pl.col("outlet") == outlet).height
        n_shared = multi_claims.filter(pl.col("outlet") == outlet).height
        outlet_rows.append(OutletRow(outlet, ", ".join(rules), arts.height, n_claims, n_shared, n_claims - n_shared))
    return tuple(outlet_rows)


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


def _story_rows(stories: pl.DataFrame | None, limit: int) -> tuple[StoryRow, ...]:
    if stories is None or not stories.height:
        return ()
    return tuple(
        StoryRow(str(r["story_id"]), str(r["title"] or ""), tuple(r["outlets"] or ()), int(r["n_articles"]),
                 int(r["n_claims"]), r["first_date"], r["last_date"])
        for r in stories.head(limit).iter_rows(named=True)
    )


def build_report_data(
    claims: pl.DataFrame,
    clusters: pl.DataFrame,
    links: pl.DataFrame,
    articles: pl.DataFrame,
    *,
    dropped: pl.DataFrame | None = None,
    framing: pl.DataFrame | None = None,
    out_dir: Path | None = None,
    top: int | None = TOP,
    only_limit: int = 15,
    encoder: str = "",
    title: str = "Claim comparison report",
    stories: pl.DataFrame | None = None,
    stories_limit: int = 20,
) -> ReportData:
    """Everything the report shows, in reading order, deterministic.

    ``stories``: the stories frame (schema.STORIES, most outlets first); the report lists
    the first ``stories_limit``."""
    index = _ClaimIndex.build(claims, links, out_dir)
    ordered = clusters.sort(["n_outlets", "size", "cluster_id"], descending=[True, True, False])
    multi = [c for c in ordered.iter_rows(named=True) if c["n_outlets"] >= 2]
    # Contrasts come from different outlets or, inside one outlet, different speakers (a
    # ministry's "100 attacks" against the foreign ministry's "1000"): both are shown.
    contrast_clusters = [c for c in ordered.iter_rows(named=True) if c["cluster_id"] in index.contrast_links]
    contrast_clusters.sort(key=lambda c: (-index.strongest_contrast(c["cluster_id"]), c["cluster_id"]))
    limit = len(multi) if top is None else top
    shared_views = tuple(index.cluster_view(c) for c in multi[:limit])
    contrast_views = tuple(index.cluster_view(c) for c in contrast_clusters[:limit])
    multi_ids = {c["cluster_id"] for c in multi}
    only_in, hidden_outlets = _only_in(claims, multi_ids, out_dir, only_limit, top)
    framing_rows = _framing_rows(framing, None if top is None else 2 * top)

    figures = (
        ("articles", articles.height),
        ("outlets", articles["outlet"].n_unique() if articles.height else 0),
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
        outlets=_outlet_rows(articles, claims, multi_ids),
        contrasts=contrast_views,
        shared=shared_views,
        only_in=only_in,
        framing=framing_rows,
        dropped=_dropped_counts(dropped),
        hidden_clusters=len(multi) - len(shared_views),
        hidden_contrasts=len(contrast_clusters) - len(contrast_views),
        hidden_outlets=hidden_outlets,
        hidden_framing=(framing.height if framing is not None else 0) - len(framing_rows),
        stories=_story_rows(stories, stories_limit),
        hidden_stories=max(0, (stories.height if stories is not None else 0) - stories_limit),
    )


# --- Markdown -------------------------------------------------------------------------


def highlight(text: str, spans: list[tuple[int, int]]) -> str:
    """Escaped text with the given character spans in bold (spans may be empty).

    Spans are trimmed to their non-space content and the spaces kept outside the
    ``**`` markers: CommonMark only opens bold that is not followed by a space.
    """
    trimmed = set()
    for s, e in spans:
        s, e = max(0, s), min(len(text), e)
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.add((s, e))
    out, pos = [], 0

    def plain(piece: str) -> str:
        if not piece.strip():
            return " " if piece else ""
        lead = " " if piece[0].isspace() else ""
        trail = " " if piece[-1].isspace() else ""
        return lead + md_text(piece) + trail

    for s, e in sorted(trimmed):
        if s < pos:
            continue
        out.append(plain(text[pos:s]))
        out.append("**" + md_text(text[s:e]) + "**")
        pos = e
    out.append(plain(text[pos:]))
    return "".join(out).strip()


def md_source(v: Version) -> str:
    """Where a claim comes from: its link (when safe) and character offsets, as Markdown."""
    label = md_cell(Path(v.source).name if not v.link.startswith("http") else v.link, 40)
    # Percent-encoded (no '<', '>', '|' or spaces left), and javascript:/data: links dropped.
    target = safe_href(v.link)
    if target is None:
        return f"{label} chars {v.start}–{v.end}"
    return f"[{label}](<{target}>) chars {v.start}–{v.end}"


def md_speaker(v: Version) -> str:
    """Who says a claim, as Markdown: "—" when no speaker, "(quote)" for a direct quote."""
    s = md_cell(v.speaker, 60) if v.speaker else "—"
    return s + (" (quote)" if v.is_quote else "")


def _contrast_block(c: ClusterView) -> list[str]:
    lines = [f'<a id="{c.anchor}-contrast"></a>', f"### {md_text(c.representative, 90)}", ""]
    for pair in c.contrasts:
        # Typed differences are highlighted; plain rewording is listed but not marked.
        a_spans = [d.a_span for d in pair.differences if d.a_span is not None and d.kind != "wording"]
        b_spans = [d.b_span for d in pair.differences if d.b_span is not None and d.kind != "wording"]
        lines.append(
            md_table(
                ["", md_cell(pair.a.outlet), md_cell(pair.b.outlet)],
                [
                    ["claim", highlight(pair.a.text, a_spans), highlight(pair.b.text, b_spans)],
                    ["who says it", md_speaker(pair.a), md_speaker(pair.b)],
                    ["date", md_cell(pair.a.date) or "—", md_cell(pair.b.date) or "—"],
                    ["source", md_source(pair.a), md_source(pair.b)],
                ],
            )
        )
        lines.append("")
        if pair.differences:
            lines.append(f"Differences (judge score {pair.score:.2f}):")
            lines += [f"- **{d.kind}**: {md_text(d.a) or '—'} ↔ {md_text(d.b) or '—'}" for d in pair.differences]
        else:
            lines.append(f"Judged contrasting (score {pair.score:.2f}); no single typed difference isolated.")
        lines.append("")
    return lines


def _cluster_block(c: ClusterView) -> list[str]:
    lines = [
        f'<a id="{c.anchor}"></a>',
        f"### {md_text(c.representative, 90)}",
        "",
        f"{len(c.outlets)} outlets, {c.size} claims, cohesion {c.cohesion:.2f}"
        + (f", [{len(c.contrasts)} contrast(s)](#{c.anchor}-contrast)" if c.contrasts else ""),
        "",
    ]
    rows = [
        [
            md_cell(v.outlet),
            md_cell(v.text),
            md_cell(v.relation) if v.relation else "representative" if i == 0 else "—",
            md_speaker(v),
            md_cell(v.date) or "—",
            md_source(v),
        ]
        for i, v in enumerate(sorted(c.versions, key=lambda v: (v.relation is not None, v.outlet, v.date or "", v.claim_id)))
    ]
    lines.append(md_table(["outlet", "claim", "relation", "who says it", "date", "source"], rows))
    lines.append("")
    return lines


def _stories_block(data: ReportData) -> list[str]:
    """The Stories section: per story its title, the outlets that covered it, its claims."""
    lines = ['<a id="stories"></a>', "## Stories", ""]
    if not data.stories:
        return [*lines, "No stories.", ""]
    lines += [
        "Articles grouped by what they report (one event or development); contrasts are only "
        "looked for inside one story.",
        "",
    ]

    def dates(s: StoryRow) -> str:
        if not s.first_date:
            return "—"
        return s.first_date if s.first_date == s.last_date else f"{s.first_date} – {s.last_date}"

    rows = [[md_cell(s.title, 90), md_cell(", ".join(s.outlets)), str(s.articles), str(s.claims), dates(s)]
            for s in data.stories]
    lines += [md_table(["story", "outlets", "articles", "claims", "dates"], rows), ""]
    if data.hidden_stories:
        lines += [f"{data.hidden_stories} more stories (see stories.parquet).", ""]
    return lines


def _head_sections(data: ReportData) -> list[str]:
    """Contents, corpus figures, outlets and stories."""
    out: list[str] = [
        "## Contents",
        "",
        "- [Corpus](#corpus)",
        "- [Outlets](#outlets)",
        "- [Stories](#stories)",
        "- [Where outlets disagree](#where-outlets-disagree)",
        "- [Framing](#framing)",
        "- [Claims carried by several outlets](#claims-carried-by-several-outlets)",
        "- [Only in one outlet](#only-in-one-outlet)",
        "- [Dropped boilerplate](#dropped-boilerplate)",
        "",
        '<a id="corpus"></a>',
        "## Corpus",
        "",
        md_table(["figure", "count"], [[k, str(v)] for k, v in data.figures]),
        "",
        '<a id="outlets"></a>',
        "## Outlets",
        "",
        md_table(
            ["outlet", "named by", "articles", "claims", "shared with other outlets", "only here"],
            [[md_cell(o.outlet), o.rule, str(o.articles), str(o.claims), str(o.shared), str(o.only_here)] for o in data.outlets],
        ),
        "",
        *_stories_block(data),
    ]
    return out


def _disagreement_section(data: ReportData) -> list[str]:
    """Where outlets disagree: the contrasting versions side by side."""
    out: list[str] = ['<a id="where-outlets-disagree"></a>', "## Where outlets disagree", ""]
    if data.contrasts:
        for c in data.contrasts:
            out += _contrast_block(c)
        if data.hidden_contrasts:
            out += [f"{data.hidden_contrasts} more contrasting clusters not shown (all contrast links are in "
                    "links.parquet; raise `--top`).", ""]
    else:
        out += ["No contrasting versions found.", ""]
    return out


def _framing_section(data: ReportData) -> list[str]:
    """Which wording each outlet uses for the same actors."""
    out: list[str] = ['<a id="framing"></a>', "## Framing", ""]
    if data.framing:
        out += [
            "Terms each outlet uses for the same actors:",
            "",
            md_table(["actor", "outlet", "term", "uses"], [[md_cell(a), md_cell(o), md_cell(t), str(n)] for a, o, t, n in data.framing]),
            "",
        ]
        if data.hidden_framing:
            out += [f"{data.hidden_framing} less used terms not shown (raise `--top`).", ""]
    else:
        out += ["No differences in framing terms found.", ""]
    return out


def _shared_section(data: ReportData) -> list[str]:
    """Claims carried by several outlets, one row per version."""
    out: list[str] = ['<a id="claims-carried-by-several-outlets"></a>', "## Claims carried by several outlets", ""]
    if data.shared:
        out += [f"- [{md_text(c.representative, 70)}](#{c.anchor}) — {len(c.outlets)} outlets" for c in data.shared]
        out.append("")
        for c in data.shared:
            out += _cluster_block(c)
        if data.hidden_clusters:
            out += [f"{data.hidden_clusters} more clusters not shown (all are in clusters.parquet; raise `--top`).", ""]
    else:
        out += ["No claim is carried by more than one outlet.", ""]
    return out


def _only_in_section(data: ReportData) -> list[str]:
    """What only one outlet carried."""
    out: list[str] = ['<a id="only-in-one-outlet"></a>', "## Only in one outlet", ""]
    for outlet, shown, total in data.only_in:
        out += [f"### Only in {md_text(outlet)} ({total})", ""]
        out += [f"- {md_text(v.text, 300)} — {md_speaker(v)}, {md_source(v)}" for v in shown]
        if total > len(shown):
            out.append(f"- … and {total - len(shown)} more (see claims.parquet).")
        out.append("")
    if data.hidden_outlets:
        out += [f"{data.hidden_outlets} more outlets with claims of their own not listed (raise `--top`).", ""]
    return out


def render_markdown(data: ReportData) -> str:
    """The report as Markdown. Pure function of ``data``: byte-identical for equal input."""
    out: list[str] = [f"# {md_text(data.title)}", ""]
    out.append(f"Generated by compare {__version__}" + (f" with encoder `{data.encoder}`" if data.encoder else "") + ".")
    out.append("")
    out += _head_sections(data)
    out += _disagreement_section(data)
    out += _framing_section(data)
    out += _shared_section(data)
    out += _only_in_section(data)
    out += ['<a id="dropped-boilerplate"></a>', "## Dropped boilerplate", ""]
    if data.dropped:
        out += [md_table(["reason", "lines"], [[md_cell(r), str(n)] for r, n in data.dropped]), ""]
    else:
        out += ["No lines dropped.", ""]
    return "\n".join(out).rstrip() + "\n"

"""Browsable HTML views of the reports, rendered from the same data as the Markdown.

``render_html`` lays out a ``ReportData`` (built once by ``render.report.build_report_data``),
``render_diff_html`` an ``OutletDiff`` and ``render_dupes_html`` a duplicate audit. Each
page is self-contained: inline CSS and a little vanilla JavaScript, no network access.

Article text is untrusted. Templates are rendered by Jinja2 with autoescape on and
nothing from an article is ever marked safe: highlighting is done by cutting the text
into segments here and letting the template wrap the marked ones in ``<mark>``. Links
keep only http(s) URLs and relative paths (percent-encoded), so no ``javascript:`` href
can come from the data. Source bidi controls are removed from displayed text, and every
element that holds article text carries ``dir="auto"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import polars as pl

from ..diff import OutletDiff
from ..records import Article, Difference
from ..version import __version__
from .diff import article_names, importance_key
from .markdown import BIDI_CONTROLS, anchor, safe_href
from .report import (
    ClusterView,
    ContrastPair,
    ReportData,
    StoryView,
    Version,
    parse_differences,
    version_from_row,
)

if TYPE_CHECKING:
    from ..dupes import DupesResult

ArticleTexts = Mapping[str, tuple[str, str, str]]  # article_id -> (outlet, title, original text)

RELATIONS = ("contrast", "paraphrase", "duplicate", "related")
# Diff buckets as link relations, so the diff page filters like the report.
BUCKET_RELATION = {"contrasting": "contrast", "reworded": "paraphrase", "same": "duplicate"}



def display(text: object) -> str:
    """Text as shown: source bidi controls removed (escaping is Jinja's job)."""
    if text is None:
        return ""
    return BIDI_CONTROLS.sub("", str(text))


def article_texts(articles: Iterable[Article]) -> dict[str, tuple[str, str, str]]:
    """The ``articles`` argument of the renderers, from ingested articles."""
    return {a.article_id: (a.outlet, a.title or "", a.text) for a in articles}


# --- view model -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Seg:
    """A piece of text; ``marked`` when a span covers it."""

    text: str
    marked: bool
    labels: tuple[str, ...]  # labels of the spans covering it (difference kinds, claim anchors)
    starts: tuple[str, ...]  # labels of the spans that begin here


def segments(text: str, spans: Sequence[tuple[int, int, str]]) -> tuple[Seg, ...]:
    """Cut ``text`` at every span boundary; overlapping and out-of-range spans are tolerated."""
    n = len(text)
    clean = sorted({(max(0, s), min(n, e), lab) for s, e, lab in spans if min(n, e) > max(0, s)})
    cuts = sorted({0, n, *(s for s, _, _ in clean), *(e for _, e, _ in clean)})
    out = []
    for i, j in pairwise(cuts):
        cover = tuple(sorted({lab for s, e, lab in clean if s <= i and j <= e}))
        starts = tuple(sorted({lab for s, _, lab in clean if s == i}))
        out.append(Seg(display(text[i:j]), bool(cover), cover, starts))
    return tuple(out)


# Characters of article text kept either side of a marked claim: the reader sees each
# claim in its paragraph, and a page on a large corpus does not carry whole articles.
CONTEXT = 600
ELIDED = "\n[…]\n"


def context_segments(text: str, spans: Sequence[tuple[int, int, str]], context: int = CONTEXT) -> tuple[Seg, ...]:
    """``segments`` of the parts of ``text`` within ``context`` characters of a span, cut
    at line ends where one is near; the parts left out are shown as ``[…]``."""
    n = len(text)
    windows: list[list[int]] = []
    for s, e, _ in sorted(spans):
        lo, hi = max(0, s - context), min(n, e + context)
        nl = text.rfind("\n", lo, s)
        lo = nl + 1 if nl >= 0 else lo
        nl = text.find("\n", e, hi)
        hi = nl if nl >= 0 else hi
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    out: list[Seg] = []
    gap = Seg(ELIDED, False, (), ())
    for i, (lo, hi) in enumerate(windows):
        if lo > 0 or i:
            out.append(gap)
        part = [(s - lo, e - lo, lab) for s, e, lab in spans if s < hi and e > lo]
        out.extend(segments(text[lo:hi], part))
    if windows and windows[-1][1] < n:
        out.append(gap)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class ClaimView:
    v: Version
    segs: tuple[Seg, ...]
    oid: str  # outlet token for the filters
    target: str | None  # id of the claim's mark in its article section, when included
    href: str | None
    source_label: str


@dataclass(frozen=True, slots=True)
class PairView:
    a: ClaimView
    b: ClaimView
    score: float
    differences: tuple[Difference, ...]
    anchor: str
    relation: str = "contrast"
    repeats: int = 1  # claim pairs with the same two texts this one stands for (diff)


@dataclass(frozen=True, slots=True)
class ClusterBlock:
    view: ClusterView
    rows: tuple[tuple[ClaimView, str], ...]  # claim, relation label
    oids: str
    relations: str
    pairs: tuple[PairView, ...]


@dataclass(frozen=True, slots=True)
class StoryBlock:
    view: StoryView
    contrasts: tuple[ClusterBlock, ...]
    clusters: tuple[ClusterBlock, ...]
    oids: str


@dataclass(frozen=True, slots=True)
class ArticleView:
    article_id: str
    anchor: str
    outlet: str
    title: str
    segs: tuple[Seg, ...]


class _Builder:
    """Turns versions into claim views and remembers which article spans to mark."""

    def __init__(self, articles: ArticleTexts | None, outlets: Iterable[str]) -> None:
        self.articles = articles or {}
        self.tokens = {o: f"o{i}" for i, o in enumerate(sorted(set(outlets)))}
        self.spans: dict[str, set[tuple[int, int, str]]] = {}

    def outlet_token(self, outlet: str) -> str:
        if outlet not in self.tokens:  # an outlet seen only now: keep tokens stable by order of arrival
            self.tokens[outlet] = f"o{len(self.tokens)}"
        return self.tokens[outlet]

    def claim(self, v: Version, diff_spans: Iterable[tuple[int, int] | None] = (), kinds: Sequence[str] = ()) -> ClaimView:
        spans = [(s[0], s[1], k) for s, k in zip(diff_spans, kinds, strict=False) if s]
        target = None
        art = self.articles.get(v.article_id)
        if art is not None and 0 <= v.start < v.end <= len(art[2]):
            target = anchor("claim", v.claim_id)
            self.spans.setdefault(v.article_id, set()).add((v.start, v.end, target))
        label = v.link if v.link.startswith(("http://", "https://")) else Path(v.source).name or v.source
        return ClaimView(v, segments(v.text, spans), self.outlet_token(v.outlet), target, safe_href(v.link), label)

    def pair(self, p: ContrastPair, relation: str = "contrast", repeats: int = 1) -> PairView:
        kinds = [d.kind for d in p.differences]
        a = self.claim(p.a, [d.a_span for d in p.differences], kinds)
        b = self.claim(p.b, [d.b_span for d in p.differences], kinds)
        return PairView(a, b, p.score, p.differences, anchor("pair", p.a.claim_id, p.b.claim_id), relation, repeats)

    def article_views(self) -> tuple[ArticleView, ...]:
        out = []
        for aid in sorted(self.spans):
            outlet, title, text = self.articles[aid]
            out.append(ArticleView(aid, anchor("article", aid), outlet, title, context_segments(text, sorted(self.spans[aid]))))
        return tuple(out)

    def outlet_list(self) -> list[tuple[str, str]]:
        return sorted(((tok, name) for name, tok in self.tokens.items()), key=lambda t: t[1])


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("compare", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["t"] = display
    return env


def _render(template: str, **ctx: Any) -> str:
    ctx = {"version": __version__, "relations": RELATIONS, "relation_label": "Relations", **ctx}
    return _env().get_template(template).render(**ctx)


# --- report ---------------------------------------------------------------------------


def _contrast_block(b: _Builder, c: ClusterView) -> ClusterBlock:
    pairs = tuple(b.pair(p) for p in c.contrasts)
    oids = " ".join(sorted({t for p in pairs for t in (p.a.oid, p.b.oid)}))
    return ClusterBlock(c, (), oids, "contrast", pairs)


def _cluster_block(b: _Builder, c: ClusterView) -> ClusterBlock:
    ordered = sorted(c.versions, key=lambda v: (v.relation is not None, v.outlet, v.date or "", v.claim_id))
    rows = tuple((b.claim(v), v.relation or ("representative" if i == 0 else "—")) for i, v in enumerate(ordered))
    rels = {v.relation for v in c.versions if v.relation in RELATIONS} | ({"contrast"} if c.contrasts else set())
    oids = " ".join(sorted({cv.oid for cv, _ in rows} | {b.outlet_token(o) for o in c.outlets}))
    return ClusterBlock(c, rows, oids, " ".join(sorted(rels)), ())


def render_html(data: ReportData, articles: ArticleTexts | None = None) -> str:
    """The report as one self-contained HTML page. Pure function of its arguments.

    Same order as the Markdown: the summary and the ranked stories first; the filters,
    the long reference tables and the article texts are collapsed until asked for, so the
    first screen shows findings and the page stays small on a large corpus."""
    outlets = {o.outlet for o in data.outlets} | {f[1] for f in data.framing} | {o for o, _, _ in data.only_in}
    for c in data.shared:
        outlets |= set(c.outlets) | {v.outlet for v in c.versions}
    b = _Builder(articles, outlets)
    stories = []
    for sv in data.stories:
        contrasts = tuple(_contrast_block(b, c) for c in sv.contrasts)
        clusters = tuple(_cluster_block(b, c) for c in sv.shared)
        oids = " ".join(sorted({o for blk in (*contrasts, *clusters) for o in blk.oids.split()}))
        stories.append(StoryBlock(sv, contrasts, clusters, oids))
    only = [(outlet, b.outlet_token(outlet), tuple(b.claim(v) for v in shown), total) for outlet, shown, total in data.only_in]
    framing = [(a, o, b.outlet_token(o), t, n) for a, o, t, n in data.framing]
    return _render(
        "report.html.j2",
        data=data,
        stories=stories,
        only=only,
        framing=framing,
        outlets=b.outlet_list(),
        articles=b.article_views(),
    )


# --- diff -----------------------------------------------------------------------------


def render_diff_html(
    d: OutletDiff, claims: pl.DataFrame, articles: ArticleTexts | None = None, *, out_dir: Path | None = None,
    limit: int = 100,
) -> str:
    """`compare diff` as HTML: same buckets as diff.md."""
    rows_by_id = {r["claim_id"]: r for r in claims.iter_rows(named=True)}
    b = _Builder(articles, [*d.side_a, *d.side_b])
    counts = d.counts()
    n_a, n_b, cov_a, cov_b = d.coverage(claims)
    names = article_names(claims)

    def pairs(bucket: str, order: list[str], descending: list[bool]) -> tuple[list[PairView], int]:
        part = d.rows.filter(pl.col("bucket") == bucket).sort(order, descending=descending)
        out = []
        for r in part.head(limit).iter_rows(named=True):
            va, vb = version_from_row(rows_by_id[r["claim_a"]], out_dir), version_from_row(rows_by_id[r["claim_b"]], out_dir)
            p = ContrastPair(va, vb, float(r["score"] or 0.0), parse_differences(r["differences"]))
            out.append(b.pair(p, BUCKET_RELATION[bucket], int(r["repeats"] or 1)))
        return out, part.height

    contrasting = pairs("contrasting", ["score", "claim_a"], [True, False])
    reworded = pairs("reworded", ["claim_a", "claim_b"], [False, False])
    same = pairs("same", ["claim_a", "claim_b"], [False, False])

    only = []
    for bucket, col, side in (("only_a", "claim_a", "A"), ("only_b", "claim_b", "B")):
        part = d.rows.filter(pl.col("bucket") == bucket)
        versions = sorted(
            ((version_from_row(rows_by_id[c], out_dir), len(rows_by_id[c]["numbers"] or [])) for c in part[col]),
            key=lambda t: importance_key(*t),
        )
        side_names = " + ".join(d.side_a if side == "A" else d.side_b)
        only.append((side, side_names, tuple(b.claim(v) for v, _ in versions[:limit]), len(versions)))

    return _render(
        "diff.html.j2",
        name_a=" + ".join(d.side_a),
        name_b=" + ".join(d.side_b),
        counts=counts,
        n_a=n_a,
        n_b=n_b,
        cov_a=cov_a,
        cov_b=cov_b,
        pairing=[(names.get(r["article_a"], r["article_a"]), names.get(r["article_b"], r["article_b"]), r)
                 for r in d.pairing.iter_rows(named=True)],
        unmatched=[("A", [names.get(a, a) for a in d.unmatched_a]), ("B", [names.get(x, x) for x in d.unmatched_b])],
        contrasting=contrasting,
        reworded=reworded,
        same=same,
        only=only,
        outlets=b.outlet_list(),
        articles=b.article_views(),
    )


# --- dupes ----------------------------------------------------------------------------

DUPE_KINDS = ("verbatim", "near")


@dataclass(frozen=True, slots=True)
class MemberView:
    paragraph_id: str
    outlet: str
    oid: str
    date: str | None
    role: str
    similarity: float
    ops: tuple[tuple[str, str], ...]  # word diff vs the reference; () when identical
    target: str | None  # id of the unit's mark in its article section


@dataclass(frozen=True, slots=True)
class DupeGroupView:
    row: dict[str, Any]
    anchor: str
    oids: str
    members: tuple[MemberView, ...]


def render_dupes_html(
    result: DupesResult,
    articles: ArticleTexts | None = None,
    *,
    units: pl.DataFrame | None = None,
    title: str = "Duplicate paragraphs",
    limit: int = 200,
) -> str:
    """The duplicate audit as HTML, same sections as dupes.md.

    Members link to their place in the article when the offsets are known: from
    ``start``/``end`` columns of the members frame, else from ``units`` (the PARAGRAPHS
    frame, or ``dupes.units_from_claims(claims)``) joined on ``paragraph_id``.
    """
    # Lazy: importing dupes runs compare/render/__init__.py, which imports this module.
    from ..dupes import MIN_TOKENS, SCOPES, diff_ops

    members = result.members
    spans: dict[str, tuple[int, int]] = {}
    src = members if {"start", "end"} <= set(members.columns) else units
    if src is not None and {"paragraph_id", "start", "end"} <= set(src.columns):
        spans = {
            str(p): (int(s), int(e))
            for p, s, e in zip(src["paragraph_id"], src["start"], src["end"], strict=True)
            if s is not None and e is not None
        }
    b = _Builder(articles, members["outlet"].to_list() if members.height else [])

    by_group: dict[str, list[dict[str, Any]]] = {}
    for r in members.iter_rows(named=True):
        by_group.setdefault(str(r["group_id"]), []).append(r)
    groups = []
    for group in result.groups.head(limit).iter_rows(named=True):
        gid = str(group["group_id"])
        views = []
        for mr in by_group.get(gid, []):
            pid = str(mr["paragraph_id"])
            target = None
            s, e = spans.get(pid, (0, 0))
            art = b.articles.get(str(mr["article_id"]))
            if art is not None and 0 <= s < e <= len(art[2]):
                target = anchor("claim", pid)
                b.spans.setdefault(str(mr["article_id"]), set()).add((s, e, target))
            role = "origin" if mr["is_origin"] else "reference" if mr["is_reference"] else ""
            ops = () if mr["is_reference"] or mr["text"] == group["text"] else tuple(diff_ops(str(group["text"]), str(mr["text"])))
            views.append(
                MemberView(pid, str(mr["outlet"]), b.outlet_token(str(mr["outlet"])), mr["date"], role,
                           float(mr["similarity"] or 0.0), ops, target)
            )
        oids = " ".join(sorted({v.oid for v in views}))
        groups.append(DupeGroupView(group, anchor("dupes", gid), oids, tuple(views)))

    g = result.groups
    by_scope = dict(g.group_by("scope").len().iter_rows()) if g.height else {}
    return _render(
        "dupes.html.j2",
        page_title=title,
        result=result,
        min_tokens=MIN_TOKENS,
        n_verbatim=g.filter(pl.col("kind") == "verbatim").height,
        scopes=[(s, int(by_scope.get(s, 0))) for s in SCOPES] if g.height else [],
        reuse=list(result.outlet_reuse.iter_rows(named=True)),
        dated=list(result.copies.filter(pl.col("direction") == "dated").iter_rows(named=True)),
        unknown=list(result.copies.filter(pl.col("direction") == "unknown").iter_rows(named=True)),
        groups=groups,
        more=max(0, g.height - limit),
        outlets=b.outlet_list(),
        articles=b.article_views(),
        relations=DUPE_KINDS,
        relation_label="Kinds",
    )

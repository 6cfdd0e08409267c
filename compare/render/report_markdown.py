"""The comparison report as Markdown: a pure layout of ``render.report.ReportData``.

Reading order: a summary (figures, the strongest contrasts, what only one outlet said),
then the stories ranked by outlets and contrasts, each with its contrasts and its claims
carried by several outlets; then the other stories, framing, single-outlet claims, the
outlet table, corpus figures and dropped boilerplate. Every capped list says how many it
leaves out and which Parquet file holds them. The diff view shares ``highlight``,
``md_source`` and ``md_speaker``.
"""

from __future__ import annotations

from pathlib import Path

from ..version import __version__
from .markdown import md_cell, md_table, md_text, safe_href
from .report import ClusterView, ReportData, StoryRow, StoryView, TopContrast, Version


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
    lines = [f'<a id="{c.anchor}-contrast"></a>', f"#### {md_text(c.representative, 90)}", ""]
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
    if c.hidden_pairs:
        lines += [f"{c.hidden_pairs} more contrasting pairs of outlets on this claim in links.parquet.", ""]
    return lines


def _cluster_block(c: ClusterView) -> list[str]:
    lines = [
        f'<a id="{c.anchor}"></a>',
        f"#### {md_text(c.representative, 90)}",
        "",
        f"{len(c.outlets)} outlets, {c.size} claims, cohesion {c.cohesion:.2f}",
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
    if c.hidden_versions:
        lines += [f"{c.hidden_versions} more versions in claims.parquet (`cluster_id` {c.cluster_id}).", ""]
    return lines




def _dates(s: StoryRow) -> str:
    if not s.first_date:
        return "—"
    return s.first_date if s.first_date == s.last_date else f"{s.first_date} – {s.last_date}"


def _short(text: str, limit: int = 140) -> str:
    return md_text(text, limit)


def _strongest_line(n: int, t: TopContrast) -> str:
    p = t.pair
    where = f"[details](#{t.cluster.anchor}-contrast)" if t.shown else "story not shown in full; see links.parquet"
    return (f"{n}. {_short(t.story.title, 90)}: {md_text(p.a.outlet)} «{_short(p.a.text)}» ↔ "
            f"{md_text(p.b.outlet)} «{_short(p.b.text)}» (confidence {p.score:.2f}; {where})")


def _summary(data: ReportData) -> list[str]:
    """The first screen: what the corpus is, where outlets disagree most, what one outlet alone said."""
    fig = dict(data.figures)
    out = ['<a id="summary"></a>', "## Summary", "",
           f"{fig.get('stories', 0)} stories from {fig.get('outlets', 0)} outlets ({fig.get('articles', 0)} articles, "
           f"{fig.get('claims', 0)} claims); {fig.get('clusters spanning 2+ outlets', 0)} claims carried by several "
           f"outlets, {data.n_contrasts} where they disagree.", ""]
    out += ["**Strongest contrasts**", ""]
    out += [_strongest_line(n, t) for n, t in enumerate(data.strongest, 1)] or ["No contrasting versions found."]
    out += ["", "**What only one outlet said** (outlets with the most claims of their own)", ""]
    only = [(o, shown, total) for o, shown, total in data.only_in if total][:5]
    out += [f"- {md_text(o)}: {total} claims of its own" + (f", e.g. «{_short(shown[0].text)}»" if shown else "")
            for o, shown, total in only] or ["Every claim is carried by more than one outlet."]
    out += ["", "[All of it below](#only-in-one-outlet).", ""] if only else [""]
    return out


def _coverage(v: StoryView) -> str:
    s = v.story
    line = f"{len(s.outlets)} outlets, {s.articles} articles, {s.claims} claims, {_dates(s)}."
    if s.outlets:
        line += f" Covered by: {md_text(', '.join(s.outlets))}."
    if v.missing or v.missing_more:
        named = md_text(", ".join(v.missing)) if v.missing else ""
        more = f"{v.missing_more} other outlets" if v.missing_more else ""
        line += " Not covered by: " + (f"{named} and {more}" if named and more else named or more) + "."
    return line


def _story_block(v: StoryView) -> list[str]:
    out = [f'<a id="{v.anchor}"></a>', f"### {v.rank}. {md_text(v.story.title, 120)}", "", _coverage(v), ""]
    if v.contrasts:
        out += [f"**Where outlets disagree** ({len(v.contrasts)} of {v.n_contrasts}, strongest first)", ""]
        for c in v.contrasts:
            out += _contrast_block(c)
    if v.hidden_contrasts:
        out += [f"{v.hidden_contrasts} more contrasting claims in this story in links.parquet.", ""]
    if v.shared:
        out += [f"**Claims carried by several outlets** ({len(v.shared)} of {v.n_shared}, most outlets first)", ""]
        for c in v.shared:
            out += _cluster_block(c)
    if v.hidden_shared:
        out += [f"{v.hidden_shared} more claims carried by several outlets in this story in clusters.parquet.", ""]
    if not v.n_contrasts and not v.n_shared:
        out += ["No claim of this story is carried by more than one outlet.", ""]
    return out


def _stories_section(data: ReportData) -> list[str]:
    out = ['<a id="stories"></a>', "## Stories", ""]
    if not data.stories:
        return [*out, "No stories.", ""]
    out += ["Articles grouped by what they report (one event or development), most outlets first, then most "
            "contrasts; contrasts are only looked for inside one story.", ""]
    for v in data.stories:
        out += _story_block(v)
    return out


def _other_stories(data: ReportData) -> list[str]:
    if not data.story_table and not data.hidden_stories:
        return []
    out = ['<a id="other-stories"></a>', "## Other stories", ""]
    rows = [[md_cell(s.title, 90), md_cell(", ".join(s.outlets), 200), str(s.articles), str(s.claims), _dates(s)]
            for s in data.story_table]
    if rows:
        out += [md_table(["story", "outlets", "articles", "claims", "dates"], rows), ""]
    if data.hidden_stories:
        out += [f"{data.hidden_stories} more stories in stories.parquet.", ""]
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
            out += [f"{data.hidden_framing} less used terms not shown (raise `--top` to 0 for all).", ""]
    else:
        out += ["No differences in framing terms found.", ""]
    return out


def _only_in_section(data: ReportData) -> list[str]:
    """What only one outlet carried, the outlets with most such claims first."""
    out: list[str] = ['<a id="only-in-one-outlet"></a>', "## Only in one outlet", ""]
    for outlet, shown, total in data.only_in:
        out += [f"### Only in {md_text(outlet)} ({total})", ""]
        out += [f"- {md_text(v.text, 300)} — {md_speaker(v)}, {md_source(v)}" for v in shown]
        if total > len(shown):
            out.append(f"- … and {total - len(shown)} more in claims.parquet.")
        out.append("")
    if data.hidden_outlets:
        out += [f"{data.hidden_outlets} more outlets with claims of their own in claims.parquet.", ""]
    return out


def _tables(data: ReportData) -> list[str]:
    """Outlets, corpus figures and dropped boilerplate: reference tables, last."""
    out = ['<a id="outlets"></a>', "## Outlets", "",
           md_table(["outlet", "named by", "articles", "claims", "shared with other outlets", "only here"],
                    [[md_cell(o.outlet), o.rule, str(o.articles), str(o.claims), str(o.shared), str(o.only_here)]
                     for o in data.outlets]), ""]
    if data.hidden_outlet_rows:
        out += [f"{data.hidden_outlet_rows} more outlets (fewer articles) in claims.parquet.", ""]
    out += ['<a id="corpus"></a>', "## Corpus", "",
            md_table(["figure", "count"], [[k, str(v)] for k, v in data.figures]), ""]
    out += ['<a id="dropped-boilerplate"></a>', "## Dropped boilerplate", ""]
    if data.dropped:
        out += [md_table(["reason", "lines"], [[md_cell(r), str(n)] for r, n in data.dropped]), ""]
    else:
        out += ["No lines dropped.", ""]
    return out


CONTENTS = (
    ("summary", "Summary"), ("stories", "Stories"), ("other-stories", "Other stories"), ("framing", "Framing"),
    ("only-in-one-outlet", "Only in one outlet"), ("outlets", "Outlets"), ("corpus", "Corpus"),
    ("dropped-boilerplate", "Dropped boilerplate"),
)


def render_markdown(data: ReportData) -> str:
    """The report as Markdown. Pure function of ``data``: byte-identical for equal input."""
    out: list[str] = [f"# {md_text(data.title)}", ""]
    out.append(f"Generated by compare {__version__}" + (f" with encoder `{data.encoder}`" if data.encoder else "") + ".")
    out.append("")
    out += _summary(data)
    has_other = bool(data.story_table or data.hidden_stories)
    out += ["## Contents", ""]
    out += [f"- [{name}](#{aid})" for aid, name in CONTENTS if aid != "other-stories" or has_other]
    out.append("")
    out += _stories_section(data)
    out += _other_stories(data)
    out += _framing_section(data)
    out += _only_in_section(data)
    out += _tables(data)
    return "\n".join(out).rstrip() + "\n"

"""Frozen records passed between stages, before they become polars frames."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Article:
    """One article as read from disk.

    ``text`` is the original text (decoded, BOM removed, otherwise untouched): every
    character offset in later tables points into it. For saved HTML pages it is the
    main text the extractor returned.
    """

    article_id: str
    outlet: str
    outlet_rule: str  # subfolder | manifest | front-matter | column | html-meta | file-stem
    source: str  # path of the file the article came from
    row: int | None  # 1-based line (JSONL) or row (CSV/Parquet) within ``source``
    title: str | None
    date: str | None  # ISO date (YYYY-MM-DD) when it could be parsed, else as given
    url: str | None
    text: str


@dataclass(frozen=True, slots=True)
class Span:
    """A kept or dropped piece of an article's original text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class DroppedLine:
    article_id: str
    source: str
    line: int  # 1-based line number in the original text
    start: int
    end: int
    text: str
    reason: str  # share | comment | byline | caption | related | category | number | repeated | ...


@dataclass(frozen=True, slots=True)
class CleanArticle:
    """An article with its boilerplate removed: the paragraphs that remain, as spans."""

    article: Article
    title_span: Span | None
    paragraphs: tuple[Span, ...]
    dropped: tuple[DroppedLine, ...] = field(default=())


@dataclass(frozen=True)
class Difference:
    """One typed difference; spans index each claim's display text (None: not in it)."""

    kind: str
    a: str
    b: str
    a_span: tuple[int, int] | None
    b_span: tuple[int, int] | None

    def swapped(self) -> Difference:
        return Difference(self.kind, self.b, self.a, self.b_span, self.a_span)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Difference:
        """From a row of the ``differences`` column (``to_dict``'s shape)."""
        a_span, b_span = d.get("a_span"), d.get("b_span")
        return cls(str(d["kind"]), str(d.get("a") or ""), str(d.get("b") or ""),
                   (int(a_span[0]), int(a_span[1])) if a_span else None,
                   (int(b_span[0]), int(b_span[1])) if b_span else None)

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "a": self.a,
            "b": self.b,
            "a_span": list(self.a_span) if self.a_span else None,
            "b_span": list(self.b_span) if self.b_span else None,
        }


@dataclass(frozen=True)
class Judgement:
    """``contrast``: probability that the pair states the same claim with a changed fact."""

    contrast: float
    is_contrast: bool
    differences: tuple[Difference, ...]

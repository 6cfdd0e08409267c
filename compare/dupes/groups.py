"""Groups: connected components of verified pairs over verbatim classes, split so that every
member is verified directly against the group's reference (its origin, else its medoid): no
chaining A~B~C into one group when A and C differ. Then each group's origin and rows."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from .facts import Facts
from .similarity import Score, similarity
from .units import VerbatimClasses, with_normal_dates
from .worddiff import compact_diff

SCOPES = ("within-article", "within-outlet", "across")

# A unit's place in the listing of its group: (date, article, position, paragraph_id).
OrderKey = tuple[str, str, int, str]


class _UnionFind:
    """Union-find over the nodes it was given (``parent`` holds exactly those)."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, node: int) -> int:
        parent = self.parent
        root = node
        while parent.get(root, root) != root:
            root = parent[root]
        while node != root:  # path compression
            parent[node], node = root, parent[node]
        return root

    def union(self, a: int, b: int) -> None:
        self.parent.setdefault(a, a)
        self.parent.setdefault(b, b)
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def group_id(member_ids: Iterable[str]) -> str:
    """Deterministic group id: "d" + sha1(smallest member id)[:10]."""
    return "d" + hashlib.sha1(min(member_ids).encode("utf-8")).hexdigest()[:10]


def connected_components(edges: Iterable[tuple[int, int]], classes_with_copies: Iterable[int]) -> dict[int, list[int]]:
    """Classes joined by verified pairs, by root, members ascending. Only classes with an
    edge or with copies can form a group."""
    union_find = _UnionFind()
    for class_a, class_b in edges:
        union_find.union(class_a, class_b)
    components: dict[int, list[int]] = defaultdict(list)
    for class_number in sorted(set(union_find.parent) | set(classes_with_copies)):
        components[union_find.find(class_number)].append(class_number)
    return components


@dataclass(frozen=True)
class ClassGraph:
    """The classes in components and what splitting them needs, by class number."""

    neighbours: defaultdict[int, dict[int, Score]]  # verified near pairs, both ways
    copies: dict[int, list[int]]  # units of each class, ascending
    keys: dict[int, str]  # match key of the class
    word_counts: dict[int, int]  # words in that key
    facts: Facts  # numbers and dates of each class's representative text

    def units(self) -> list[int]:
        """Every unit of the graph's classes, ascending."""
        return sorted(u for copies in self.copies.values() for u in copies)


def class_graph(
    components: Mapping[int, list[int]],
    edges: Mapping[tuple[int, int], Score],
    classes: VerbatimClasses,
    class_keys: pl.Series,
    facts: Facts,
) -> ClassGraph:
    """The graph of verified pairs over the classes in ``components`` (``class_keys``: the
    match key of every class, as a Series: only those in components become strings)."""
    neighbours: defaultdict[int, dict[int, Score]] = defaultdict(dict)
    for (class_a, class_b), score in edges.items():
        neighbours[class_a][class_b] = score
        neighbours[class_b][class_a] = score
    in_components = sorted(components.keys() | {c for component in components.values() for c in component})
    keys: dict[int, str] = dict(zip(in_components, class_keys.gather(in_components).to_list(), strict=True))
    return ClassGraph(
        neighbours=neighbours,
        copies={c: classes.copies(c) for c in in_components},
        keys=keys,
        word_counts={c: k.count(" ") + 1 for c, k in keys.items()},
        facts=facts,
    )


@dataclass(frozen=True)
class UnitColumns:
    """The columns of the units that can end up in a group, by unit number."""

    date: dict[int, str | None]
    article: dict[int, str]
    outlet: dict[int, str]
    position: dict[int, int | None]
    paragraph_id: dict[int, str]
    text: dict[int, str]
    key: dict[int, str]

    @classmethod
    def of(cls, frame: pl.DataFrame, rows: npt.NDArray[np.int64], units: list[int]) -> UnitColumns:
        """Columns of ``units`` (unit u is row ``rows[u]`` of ``frame``), dates normalised."""
        picked = with_normal_dates(frame[rows[units]] if units else frame.clear())

        def column(name: str) -> dict[int, Any]:
            return dict(zip(units, picked[name].to_list(), strict=True))

        return cls(
            date=column("date"),
            article=column("article_id"),
            outlet=column("outlet"),
            position=column("paragraph"),
            paragraph_id=column("paragraph_id"),
            text=column("text"),
            key=column("key"),
        )

    def order_key(self, unit: int) -> OrderKey:
        """Earliest first: date (undated first), article, position in it, id."""
        position = self.position[unit]
        return (
            self.date[unit] or "",
            self.article[unit],
            position if position is not None else 1 << 62,
            self.paragraph_id[unit],
        )


@dataclass(frozen=True)
class SplitGroup:
    """One group cut from a component: its classes, reference class and their scores against it."""

    classes: list[int]  # ascending
    reference: int
    scores: dict[int, Score]  # by class; the reference scores 1


def split_component(
    component: list[int], graph: ClassGraph, units: UnitColumns, threshold: float
) -> list[SplitGroup]:
    """Split one component into groups whose members all pass against the group reference.

    Reference: the class of the earliest dated unit when every unit is dated, else the
    medoid (the class with the largest summed similarity to its verified neighbours,
    copies counted). Members: the reference's verified neighbours, plus neighbours of
    neighbours re-verified directly (LSH may have missed the direct pair). The rest is
    split again.
    """
    copies, neighbours, keys = graph.copies, graph.neighbours, graph.keys
    out: list[SplitGroup] = []
    left = set(component)

    def first_listed(class_number: int) -> OrderKey:
        return min(units.order_key(u) for u in copies[class_number])

    def medoid_weight(class_number: int) -> float:
        # Its own extra copies, plus each neighbour still left weighted by its copies.
        return len(copies[class_number]) - 1 + sum(
            max(score.similarity, score.containment) * len(copies[other])
            for other, score in neighbours[class_number].items()
            if other in left
        )

    while left:
        all_dated = all(units.date[u] for c in left for u in copies[c])
        reference = min(left, key=first_listed) if all_dated else max(sorted(left), key=medoid_weight)
        scores = {reference: Score(1.0, 1.0)}
        for other, score in neighbours[reference].items():
            if other in left:
                scores[other] = score
        for other in list(scores):
            for second in neighbours[other]:
                if second in left and second not in scores:
                    direct = similarity(keys[reference], keys[second], threshold)
                    if direct.passes(threshold) and graph.facts.agree(reference, second, graph.word_counts, keys):
                        scores[second] = similarity(keys[reference], keys[second])
        out.append(SplitGroup(sorted(scores), reference, scores))
        left -= set(scores)
    return out


def origin_unit(members: list[int], units: UnitColumns) -> int | None:
    """The earliest occurrence, or None when it cannot be told (``members`` in listing order)."""
    if len({units.article[u] for u in members}) == 1:
        return members[0]  # one article: the first occurrence, dated or not
    if any(not units.date[u] for u in members):
        return None
    first = min(units.date[u] or "" for u in members)
    earliest = [u for u in members if units.date[u] == first]
    if len({units.outlet[u] for u in earliest}) > 1:
        return None  # same day, several outlets: who copied whom is unknown
    return earliest[0]


@dataclass
class GroupRows:
    """Rows of the GROUPS and MEMBERS tables."""

    groups: list[dict[str, object]] = field(default_factory=list)
    members: list[dict[str, object]] = field(default_factory=list)


def group_rows(
    components: Mapping[int, list[int]], graph: ClassGraph, units: UnitColumns, threshold: float
) -> GroupRows:
    """Every component split into groups of at least two units, as table rows."""
    rows = GroupRows()
    for component in components.values():
        if len(component) == 1 and len(graph.copies[component[0]]) == 1:
            continue
        for split in split_component(component, graph, units, threshold):
            _add_group(rows, split, graph, units)
    return rows


def _add_group(rows: GroupRows, split: SplitGroup, graph: ClassGraph, units: UnitColumns) -> None:
    """The group's row and its members' rows, unless it holds a single unit."""
    members = sorted((u for c in split.classes for u in graph.copies[c]), key=units.order_key)
    if len(members) < 2:
        return
    class_of_unit = {u: c for c in split.classes for u in graph.copies[c]}
    origin = origin_unit(members, units)
    if origin is not None and graph.keys[split.reference] == units.key[origin]:
        reference = origin
    else:
        reference = min(graph.copies[split.reference], key=units.order_key)
    gid = group_id(units.paragraph_id[u] for u in members)
    n_articles = len({units.article[u] for u in members})
    n_outlets = len({units.outlet[u] for u in members})
    scope = "within-article" if n_articles == 1 else "within-outlet" if n_outlets == 1 else "across"
    similarities: list[float] = []
    for u in members:
        score = split.scores[class_of_unit[u]]
        if u != reference:
            similarities.append(max(score.similarity, score.containment))
        rows.members.append(
            {
                "group_id": gid, "paragraph_id": units.paragraph_id[u], "article_id": units.article[u],
                "outlet": units.outlet[u], "date": units.date[u], "text": units.text[u],
                "similarity": score.similarity, "containment": score.containment,
                "is_origin": u == origin, "is_reference": u == reference,
                "diff": compact_diff(units.text[reference], units.text[u]) if units.key[u] != units.key[reference] else "",
            }
        )
    rows.groups.append(
        {
            "group_id": gid, "kind": "verbatim" if len(split.classes) == 1 else "near", "scope": scope,
            "size": len(members), "n_articles": n_articles, "n_outlets": n_outlets,
            "reference_id": units.paragraph_id[reference],
            "origin_id": units.paragraph_id[origin] if origin is not None else None,
            "origin_outlet": units.outlet[origin] if origin is not None else None,
            "origin_date": units.date[origin] if origin is not None else None,
            "similarity_min": min(similarities), "similarity_mean": round(sum(similarities) / len(similarities), 4),
            "text": units.text[reference],
        }
    )

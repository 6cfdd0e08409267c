"""Token alignment of two claims (on folded, clitic-free stems), and where a token of
one stands relative to the other: in the same place, or inside a small changed stretch."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from .analysis import Analysis


class Block(NamedTuple):
    """A changed stretch: tokens [a0, a1) of a stand where tokens [b0, b1) of b stand."""

    a0: int
    a1: int
    b0: int
    b1: int


@dataclass(frozen=True)
class Alignment:
    matched_a: frozenset[int]  # token indices of a aligned with some token of b
    matched_b: frozenset[int]
    blocks: tuple[Block, ...]  # the unmatched regions, in order


def are_variants(x: str, y: str) -> bool:
    """Morphological variants of one word (ارتفاع/يرتفع, attack/attacks)."""
    if x == y:
        return True
    if min(len(x), len(y)) < 3:
        return False
    return fuzz.ratio(x, y) >= 80 or (len(x) >= 4 and len(y) >= 4 and (x.startswith(y) or y.startswith(x)))


def align(a: Analysis, b: Analysis) -> Alignment:
    """Align the stems of two claims: exact runs first, then soft matches of variants."""
    ops = Indel.opcodes(list(a.stems), list(b.stems))
    ma: set[int] = set()
    mb: set[int] = set()
    blocks: list[list[int]] = []
    for op in ops:
        if op.tag == "equal":
            ma.update(range(op.src_start, op.src_end))
            mb.update(range(op.dest_start, op.dest_end))
            continue
        # Adjacent delete + insert form one replaced region.
        if blocks and blocks[-1][1] == op.src_start and blocks[-1][3] == op.dest_start:
            blocks[-1][1] = op.src_end
            blocks[-1][3] = op.dest_end
        else:
            blocks.append([op.src_start, op.src_end, op.dest_start, op.dest_end])
    # Soft matches: a word of one side whose variant sits unmatched anywhere on the other.
    un_a = [i for i in range(len(a.stems)) if i not in ma]
    un_b = [j for j in range(len(b.stems)) if j not in mb]
    if len(un_a) * len(un_b) <= 40000:
        for i in un_a:
            for j in un_b:
                if j not in mb and are_variants(a.stems[i], b.stems[j]):
                    ma.add(i)
                    mb.add(j)
                    break
    return Alignment(frozenset(ma), frozenset(mb), tuple(Block(x[0], x[1], x[2], x[3]) for x in blocks))


_SHORT = 30  # tokens: a sentence-sized claim, where the whole claim is one context
_BLOCK = 8  # most tokens a side of a changed stretch may span in a long claim


def in_same_place(a: Analysis, b: Analysis, al: Alignment, i: int, j: int) -> bool:
    """Do token i of a and token j of b stand in the same place? Always, in short claims;
    in long ones only inside one aligned-around block (one word put for another), since
    a long claim mentions many actors and verbs that have nothing to do with each other."""
    if max(len(a.toks), len(b.toks)) <= _SHORT:
        return True
    return any(
        a0 <= i < a1 and b0 <= j < b1 and a1 - a0 <= _BLOCK and b1 - b0 <= _BLOCK for a0, a1, b0, b1 in al.blocks
    )


def in_small_change(a: Analysis, b: Analysis, al: Alignment, i: int, side: Literal["a", "b"]) -> bool:
    """Token i of one side (``side``: "a" or "b") sits in a small change amid aligned words."""
    if max(len(a.toks), len(b.toks)) <= _SHORT:
        return True
    return any(
        (a0 <= i < a1 if side == "a" else b0 <= i < b1) and a1 - a0 <= _BLOCK and b1 - b0 <= _BLOCK
        for a0, a1, b0, b1 in al.blocks
    )

"""Similarity of two match keys: edits, reordering and containment (rapidfuzz), or shingle
Jaccard for very long units."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from ..shingle import TokenHasher, jaccard, shingles

# Calibrated by hand on Baly 2018 (dev folds) LSH candidates: of 15 sampled pairs scoring
# 0.75-0.85, none was near-verbatim (footers with other authors and dates, casualty lists
# with other names, rewrites of one wire story); of 40 sampled near pairs admitted at 0.85,
# 36 were reuse of the same text (benchmarks/dupes_bench.py loads the same data).
DEFAULT_THRESHOLD = 0.85
SHINGLE_K = 3
# Containment (partial_ratio: the shorter unit aligned to its best-matching stretch of the
# longer one) counts only when the shorter unit has this many words and at least this share
# of the longer one's: a clause added to or dropped from a paragraph, a headline repeated
# inside a title, a wire sentence merged into a longer paragraph.
CONTAIN_MIN_TOKENS = 8
CONTAIN_MIN_SHARE = 1 / 3
# Above this many characters rapidfuzz (O(n*m/64)) is replaced by exact shingle Jaccard.
LONG_CHARS = 20_000


@dataclass(frozen=True, slots=True)
class Score:
    similarity: float  # max(ratio, token_sort_ratio) / 100: edits and reordering
    containment: float  # partial_ratio / 100 when the containment rule applies, else 0

    def passes(self, threshold: float) -> bool:
        return self.similarity >= threshold or self.containment >= threshold


def similarity(key_a: str, key_b: str, threshold: float = 0.0) -> Score:
    """Similarity of two match keys.

    ``fuzz.ratio`` (normalised Indel distance on characters) catches small edits and
    spelling; ``token_sort_ratio`` catches reordered words; ``partial_ratio`` (the shorter
    key against its best-aligned stretch of the longer one: ordered, unlike token_set_ratio,
    so scattered common words do not add up) catches an added or dropped clause, and is
    used only when the shorter unit is long enough and not a small fragment of the longer.
    Scores below ``threshold`` may be returned as 0 (rapidfuzz cut-off, faster).
    """
    if key_a == key_b:
        return Score(1.0, 1.0)
    words_a, words_b = key_a.count(" ") + 1, key_b.count(" ") + 1
    shorter_words, longer_words = min(words_a, words_b), max(words_a, words_b)
    containment_applies = (
        shorter_words >= CONTAIN_MIN_TOKENS and shorter_words / longer_words >= CONTAIN_MIN_SHARE
    )
    cutoff = threshold * 100
    chars_a, chars_b = len(key_a), len(key_b)
    if max(chars_a, chars_b) > LONG_CHARS:
        return _long_similarity(key_a, key_b, containment_applies)
    edit_score = 0.0
    # Indel ratio is at most 2*min/(la+lb): skip the edit scores when length alone rules out.
    if 2 * min(chars_a, chars_b) / (chars_a + chars_b) * 100 >= cutoff:
        edit_score = max(
            fuzz.ratio(key_a, key_b, score_cutoff=cutoff),
            fuzz.token_sort_ratio(key_a, key_b, score_cutoff=cutoff),
        )
    containment = 0.0
    if containment_applies and not (cutoff and edit_score):  # with a cut-off, one passing score is enough
        short_key, long_key = (key_a, key_b) if chars_a <= chars_b else (key_b, key_a)
        # partial_ratio is the costly one (sliding alignment): skip it when fewer than half
        # of the shorter unit's words occur in the longer one at all.
        if not cutoff or _word_overlap(short_key, long_key) >= 0.5:
            containment = fuzz.partial_ratio(short_key, long_key, score_cutoff=cutoff)
    return Score(round(edit_score / 100, 4), round(containment / 100, 4))


def _word_overlap(short_key: str, long_key: str) -> float:
    words = short_key.split()
    present = set(long_key.split())
    return sum(w in present for w in words) / len(words)


def _long_similarity(key_a: str, key_b: str, containment_applies: bool) -> Score:
    hasher = TokenHasher()
    shingles_a = shingles(hasher.ids(key_a.split()), SHINGLE_K)
    shingles_b = shingles(hasher.ids(key_b.split()), SHINGLE_K)
    jac = jaccard(shingles_a, shingles_b)
    unique_a, unique_b = np.unique(shingles_a), np.unique(shingles_b)
    shared = np.intersect1d(unique_a, unique_b, assume_unique=True).size
    containment = shared / max(1, min(unique_a.size, unique_b.size)) if containment_applies else 0.0
    return Score(round(jac, 4), round(containment, 4))

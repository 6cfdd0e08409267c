"""Duplicate-paragraph audit: verbatim and near-verbatim reuse, and who copies whom.

Pipeline (one batch function, ``audit.audit_duplicates``, frames in and out):

1. units with fewer than ``min_tokens`` words in their match key are left out (labels,
   bylines, "SHARE": identical short strings are templates, not reuse);
2. *verbatim*: units with the same match key (inside one scope pool) form one class
   (units.py);
3. *near*: one representative per class goes through MinHash-LSH (near.py over
   compare/shingle.py, word 3-shingles, 128 permutations, 64 bands of 2 rows: pairs with
   shingle Jaccard above ~0.15 become candidates, so a clause contained in a longer unit is
   found too; with 42 bands of 3 rows, 14% of the exact near pairs of a Baly sample were
   missed), and each candidate pair is verified with rapidfuzz on the match keys (see
   ``similarity``) and with a fact check (facts.py: numbers and date words must agree) so
   that one template with different facts is not a duplicate, and a negation check
   (``negation_differs``: a copy with a negator added or removed is a contrast);
4. groups are connected components of verified pairs, split so that every member is
   verified directly against the group's reference (its origin, else its medoid): no
   chaining A~B~C into one group when A and C differ (groups.py);
5. origin = earliest dated member; unknown when any member is undated or when the earliest
   day is shared by several outlets (except inside one article, where the first occurrence
   is the origin).

Memory: per unit the audit holds integer arrays and 16-byte views into the input frame's
strings (about 100-200 bytes a unit); Python strings are made only for the pairs being
verified and the units that end up in a group. Up to ``CHUNK_UNITS`` distinct keys the
MinHash-LSH step runs in memory; above it signatures and band keys are computed one chunk
at a time and spilled to a temporary folder, so that step's memory is set by the chunk
size, not by the corpus (see ``verified_pairs``). Both paths give the same result.

The Markdown report is compare/render/dupes.py.
"""

from __future__ import annotations

from .audit import MIN_TOKENS, DupesResult, audit_duplicates
from .facts import facts_agree
from .groups import SCOPES, group_id
from .near import (
    BANDS,
    CHUNK_UNITS,
    NUM_PERM,
    SPILL_PREFIX,
    sweep_stale_spills,
    verified_pairs,
    verify,
    verify_candidates,
)
from .negation import negation_differs
from .similarity import DEFAULT_THRESHOLD, SHINGLE_K, Score, similarity
from .units import prepare_units, units_from_claims
from .worddiff import compact_diff, diff_ops

__all__ = [
    "BANDS",
    "CHUNK_UNITS",
    "DEFAULT_THRESHOLD",
    "MIN_TOKENS",
    "NUM_PERM",
    "SCOPES",
    "SHINGLE_K",
    "SPILL_PREFIX",
    "DupesResult",
    "Score",
    "audit_duplicates",
    "compact_diff",
    "diff_ops",
    "facts_agree",
    "group_id",
    "negation_differs",
    "prepare_units",
    "similarity",
    "sweep_stale_spills",
    "units_from_claims",
    "verified_pairs",
    "verify",
    "verify_candidates",
]

"""Duplicate-paragraph audit: verbatim and near-verbatim reuse, and who copies whom.

Pipeline (one batch function, frames in and out):

1. units with fewer than ``min_tokens`` words in their match key are left out (labels,
   bylines, "SHARE": identical short strings are templates, not reuse);
2. *verbatim*: units with the same match key (inside one scope pool) form one class;
3. *near*: one representative per class goes through MinHash-LSH (compare/shingle.py,
   word 3-shingles, 128 permutations, 64 bands of 2 rows: pairs with shingle Jaccard
   above ~0.15 become candidates, so a clause contained in a longer unit is found too;
   with 42 bands of 3 rows, 14% of the exact near pairs of a Baly sample were missed),
   and each candidate pair is verified with rapidfuzz on the
   match keys (see ``similarity``) and with a fact check (numbers and date words must
   agree) so that one template with different facts is not a duplicate, and a negation
   check (``negation_differs``: a copy with a negator added or removed is a contrast);
4. groups are connected components of verified pairs, split so that every member is
   verified directly against the group's reference (its origin, else its medoid): no
   chaining A~B~C into one group when A and C differ;
5. origin = earliest dated member; unknown when any member is undated or when the earliest
   day is shared by several outlets (except inside one article, where the first occurrence
   is the origin).

Memory: per unit the audit holds integer arrays and 16-byte views into the input frame's
strings (about 100-200 bytes a unit); Python strings are made only for the pairs being
verified and the units that end up in a group. Up to ``CHUNK_UNITS`` distinct keys the
MinHash-LSH step runs in memory; above it signatures and band keys are computed one chunk
at a time and spilled to a temporary folder, so that step's memory is set by the chunk
size, not by the corpus (see ``verified_pairs``). Both paths give the same result.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl
from rapidfuzz import fuzz

from . import schema
from .errors import UsageError
from .normalize import match_key
from .render.markdown import anchor, md_cell, md_table, md_text
from .shingle import (
    BandSpill,
    TokenHasher,
    band_keys,
    candidate_pairs,
    jaccard,
    shingles,
    signatures,
)

# Calibrated by hand on Baly 2018 (dev folds) LSH candidates: of 15 sampled pairs scoring
# 0.75-0.85, none was near-verbatim (footers with other authors and dates, casualty lists
# with other names, rewrites of one wire story); of 40 sampled near pairs admitted at 0.85,
# 36 were reuse of the same text (benchmarks/dupes_bench.py loads the same data).
DEFAULT_THRESHOLD = 0.85
MIN_TOKENS = 5
SHINGLE_K = 3
NUM_PERM = 128
BANDS = 64
# Containment (partial_ratio: the shorter unit aligned to its best-matching stretch of the
# longer one) counts only when the shorter unit has this many words and at least this share
# of the longer one's: a clause added to or dropped from a paragraph, a headline repeated
# inside a title, a wire sentence merged into a longer paragraph.
CONTAIN_MIN_TOKENS = 8
CONTAIN_MIN_SHARE = 1 / 3
# Above this many characters rapidfuzz (O(n*m/64)) is replaced by exact shingle Jaccard.
LONG_CHARS = 20_000
# Above this many words the compact diff is not computed (difflib is quadratic).
DIFF_MAX_TOKENS = 3_000
DIFF_CONTEXT = 3
SCOPES = ("within-article", "within-outlet", "across")

GROUPS = schema.DUPE_GROUPS
MEMBERS = schema.DUPE_MEMBERS
OUTLET_REUSE = schema.OUTLET_REUSE
COPIES = schema.COPIES


@dataclass(frozen=True)
class DupesResult:
    groups: pl.DataFrame  # GROUPS
    members: pl.DataFrame  # MEMBERS
    outlet_reuse: pl.DataFrame  # OUTLET_REUSE
    copies: pl.DataFrame  # COPIES
    undated: int  # groups whose origin is unknown
    units: int  # units audited
    threshold: float
    scope: str | None


# --- similarity ---------------------------------------------------------------------------


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
    na, nb = key_a.count(" ") + 1, key_b.count(" ") + 1
    short, long_ = min(na, nb), max(na, nb)
    contain_ok = short >= CONTAIN_MIN_TOKENS and short / long_ >= CONTAIN_MIN_SHARE
    cut = threshold * 100
    la, lb = len(key_a), len(key_b)
    if max(la, lb) > LONG_CHARS:
        return _long_similarity(key_a, key_b, contain_ok)
    sim = 0.0
    # Indel ratio is at most 2*min/(la+lb): skip the edit scores when length alone rules out.
    if 2 * min(la, lb) / (la + lb) * 100 >= cut:
        sim = max(fuzz.ratio(key_a, key_b, score_cutoff=cut), fuzz.token_sort_ratio(key_a, key_b, score_cutoff=cut))
    con = 0.0
    if contain_ok and not (cut and sim):  # with a cut-off, one passing score is enough
        short_key, long_key = (key_a, key_b) if la <= lb else (key_b, key_a)
        # partial_ratio is the costly one (sliding alignment): skip it when fewer than half
        # of the shorter unit's words occur in the longer one at all.
        if not cut or _word_overlap(short_key, long_key) >= 0.5:
            con = fuzz.partial_ratio(short_key, long_key, score_cutoff=cut)
    return Score(round(sim / 100, 4), round(con / 100, 4))


def _word_overlap(short_key: str, long_key: str) -> float:
    words = short_key.split()
    present = set(long_key.split())
    return sum(w in present for w in words) / len(words)


def _long_similarity(key_a: str, key_b: str, contain_ok: bool) -> Score:
    th = TokenHasher()
    sa = shingles(th.ids(key_a.split()), SHINGLE_K)
    sb = shingles(th.ids(key_b.split()), SHINGLE_K)
    jac = jaccard(sa, sb)
    ua, ub = np.unique(sa), np.unique(sb)
    inter = np.intersect1d(ua, ub, assume_unique=True).size
    con = inter / max(1, min(ua.size, ub.size)) if contain_ok else 0.0
    return Score(round(jac, 4), round(con, 4))


class _Facts:
    """Numbers and date words of units, computed lazily (only for verified-similar pairs).

    ``texts`` may be a polars Series: a text becomes a Python string only when read.
    """

    def __init__(self, texts: Sequence[str] | pl.Series) -> None:
        self._texts = texts
        self._cache: dict[int, Counter[str]] = {}

    def of(self, i: int) -> Counter[str]:
        got = self._cache.get(i)
        if got is None:
            got = _facts(self._texts[i])
            self._cache[i] = got
        return got

    def agree(
        self, i: int, j: int, n_tokens: Sequence[int] | Mapping[int, int] | npt.NDArray[np.int64],
        keys: _Keys | None = None,
    ) -> bool:
        # Reading numbers and dates is slow; when no word that differs between the two keys
        # can carry one, the facts agree without reading them.
        if keys is not None:
            ka, kb = keys[i], keys[j]
            ca, cb = Counter(ka.split()), Counter(kb.split())
            differ = (ca - cb) + (cb - ca)
            if not _NEGATORS.isdisjoint(differ) and negation_differs(ka, kb):
                return False
            if not any(_may_state_fact(w) for w in differ):
                return True
        return facts_agree(self.of(i), self.of(j), n_tokens[i], n_tokens[j])


# Keys by index: a list, or a dict of the keys of one batch of pairs.
_Keys = Sequence[str] | Mapping[int, str]


# Second words of two-word months (كانون الثاني): a date word only next to the first.
_MONTH_SECOND = frozenset({"الاول", "اول", "الثاني", "ثاني"})


@lru_cache(maxsize=65536)
def _may_state_fact(word: str) -> bool:
    """Whether a key word is, or is part of, a number or a date."""
    from .numbers import find_quantities

    if any(ch.isdigit() for ch in word) or word in _MONTH_SECOND or find_quantities(word):
        return True
    try:
        from .dates import find_dates
    except ImportError:  # pragma: no cover
        return False
    return bool(find_dates(word))


def facts_agree(fa: Counter[str], fb: Counter[str], n_a: int, n_b: int) -> bool:
    """The shorter unit states no number or date that the longer one does not state.

    Units of equal length must state the same ones: "5 killed in Idlib on Monday" and
    "12 killed in Idlib on Friday" are one template with two different facts.
    """
    if n_a == n_b:
        return fa == fb
    return not (fa - fb) if n_a < n_b else not (fb - fa)


def verify(key_a: str, text_a: str, key_b: str, text_b: str, threshold: float = DEFAULT_THRESHOLD) -> Score | None:
    """The pair rule used by the audit: similar keys and agreeing facts; None when not."""
    s = similarity(key_a, key_b, threshold)
    if not s.passes(threshold):
        return None
    if not facts_agree(_facts(text_a), _facts(text_b), key_a.count(" ") + 1, key_b.count(" ") + 1):
        return None
    if negation_differs(key_a, key_b):
        return None
    return similarity(key_a, key_b)


# Negators as match keys (the forms compare/contrast.py counts as negation), and the next
# words that make one of them no negation ("لا يزال" still, "لا سيما" especially, "لا بد"
# must, "غير أن" however, "ما لا يقل عن" at least).
_AR_NEGATORS = ("لم", "لن", "لا", "ليس", "ليست", "ليسوا", "لسنا", "غير", "عدم", "دون", "بدون", "بلا")
_NEGATORS = frozenset(
    [match_key(p + w) for w in _AR_NEGATORS for p in ("", "و", "ف")]  # with the clitic "and"/"so"
    + ["not", "no", "never", "cannot", "without", "nor"]
)
_NEG_EXCEPT_NEXT: dict[str, frozenset[str]] = {
    match_key("لا"): frozenset(match_key(w) for w in ("يزال", "تزال", "نزال", "زال", "سيما", "بد", "يقل", "تقل",
                                                      "يزيد", "فقط", "فحسب")),
    match_key("غير"): frozenset(match_key(w) for w in ("أن", "انه", "أنه", "انها", "أنها", "ذلك")),
    "no": frozenset({"longer", "doubt"}),
    "not": frozenset({"only"}),
}
NEGATION_EDIT_WORDS = 2  # an edit this small, with a negator on one side only, is a negation
NEGATION_CONTEXT_WORDS = 3  # common words it must sit in (both sides; the start counts)


def _negator_at(words: list[str], i: int) -> bool:
    w = words[i]
    return w in _NEGATORS and not (i + 1 < len(words) and words[i + 1] in _NEG_EXCEPT_NEXT.get(w, ()))


def negation_differs(key_a: str, key_b: str) -> bool:
    """A negator inserted, removed or replaced inside the text the two keys share.

    "X does not seek Y" and "X seeks Y" differ by one word, so they pass the similarity
    threshold, yet one denies the other: that is a contrast, not reuse. Counts only a
    small edit (at most ``NEGATION_EDIT_WORDS`` words a side) with a negator on one side
    only, sitting between runs of at least ``NEGATION_CONTEXT_WORDS`` common words (or
    after the common opening words, before such a run): a clause added at the end, a longer inserted clause, one negator
    swapped for another ("بدون" / "دون", "لم" / "ولم"), a spacing change ("لاتمثل") or an
    idiom ("لا يزال") does not count.
    """
    a, b = key_a.split(), key_b.split()
    if _NEGATORS.isdisjoint(a) and _NEGATORS.isdisjoint(b):
        return False
    if max(len(a), len(b)) > DIFF_MAX_TOKENS:
        return False  # word alignment is quadratic; such units are compared by shingles only
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal" or max(i2 - i1, j2 - j1) > NEGATION_EDIT_WORDS:
            continue
        if "".join(a[i1:i2]) == "".join(b[j1:j2]):
            continue  # the same letters, spaced otherwise ("لاتمثل" / "لا تمثل")
        neg_a = any(_negator_at(a, i) for i in range(i1, i2))
        neg_b = any(_negator_at(b, j) for j in range(j1, j2))
        if neg_a == neg_b:
            continue

        def common(op: tuple[str, int, int, int, int]) -> bool:
            return op[0] == "equal" and op[2] - op[1] >= NEGATION_CONTEXT_WORDS

        # Common text after it, and before it too unless it is at or near the start.
        if k + 1 < len(ops) and common(ops[k + 1]) and (k == 0 or common(ops[k - 1]) or (k == 1 and ops[0][0] == "equal")):
            return True
    return False


def _facts(text: str) -> Counter[str]:
    from .numbers import extract_numbers

    if len(text) > LONG_CHARS:
        text = text[:LONG_CHARS]  # a huge unit: its opening is enough to tell templates apart
    out: Counter[str] = Counter("n:" + n for n in extract_numbers(text))
    try:
        from .dates import find_dates
    except ImportError:  # pragma: no cover - dates is optional for this check
        return out
    out.update(f"{d.kind}:{d.value}" for d in find_dates(text) if d.kind != "year")
    return out


# --- diff -------------------------------------------------------------------------------


def diff_ops(ref: str, text: str) -> list[tuple[str, str]]:
    """Word-level edit script from ``ref`` to ``text``: ("=", "-", "+", "…") and words."""
    a, b = ref.split(), text.split()
    if max(len(a), len(b)) > DIFF_MAX_TOKENS:
        return [("…", "")]
    ops: list[tuple[str, str]] = []
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    codes = sm.get_opcodes()
    for n, (tag, i1, i2, j1, j2) in enumerate(codes):
        if tag == "equal":
            words = a[i1:i2]
            head = words[:DIFF_CONTEXT] if n > 0 else []
            tail = words[-DIFF_CONTEXT:] if n < len(codes) - 1 else []
            if len(words) > len(head) + len(tail):
                if head:
                    ops.append(("=", " ".join(head)))
                ops.append(("…", ""))
                if tail:
                    ops.append(("=", " ".join(tail)))
            else:
                ops.append(("=", " ".join(words)))
            continue
        if tag in ("delete", "replace"):
            ops.append(("-", " ".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            ops.append(("+", " ".join(b[j1:j2])))
    return ops


def compact_diff(ref: str, text: str) -> str:
    """``[-removed-]{+added+}`` word diff with a little context; "" when identical."""
    if ref == text:
        return ""
    ops = diff_ops(ref, text)
    if ops == [("…", "")]:
        return "(too long to diff)"
    parts = []
    for op, words in ops:
        parts.append({"=": words, "-": f"[-{words}-]", "+": f"{{+{words}+}}", "…": "…"}[op])
    return " ".join(parts)


def _md_diff(ref: str, text: str, limit: int = 400) -> str:
    """The compact diff with every piece of article text escaped; changes in bold/strike."""
    if ref == text:
        return "identical"
    ops = diff_ops(ref, text)
    if ops == [("…", "")]:
        return "too long to diff"
    out, used = [], 0
    for op, words in ops:
        if used > limit:
            out.append("…")
            break
        used += len(words)
        if op == "=":
            out.append(md_text(words))
        elif op == "-":
            out.append(f"~~{md_text(words)}~~")
        elif op == "+":
            out.append(f"**{md_text(words)}**")
        else:
            out.append("…")
    return " ".join(out)


# --- grouping ---------------------------------------------------------------------------


class _UnionFind:
    """Union-find over the nodes it was given (``parent`` holds exactly those)."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        p = self.parent
        root = x
        while p.get(root, root) != root:
            root = p[root]
        while x != root:  # path compression
            p[x], x = root, p[x]
        return root

    def union(self, a: int, b: int) -> None:
        self.parent.setdefault(a, a)
        self.parent.setdefault(b, b)
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def group_id(member_ids: Iterable[str]) -> str:
    """Deterministic group id: "d" + sha1(smallest member id)[:10]."""
    return "d" + hashlib.sha1(min(member_ids).encode("utf-8")).hexdigest()[:10]


def units_from_claims(claims: pl.DataFrame) -> pl.DataFrame:
    """Claims (schema.CLAIMS) as audit units with the PARAGRAPHS columns (one per claim)."""
    if claims.height == 0:
        return schema.empty(schema.PARAGRAPHS)
    return claims.select(
        pl.col("claim_id").alias("paragraph_id"),
        "article_id",
        "outlet",
        "source",
        "date",
        # Position of the claim in the article: orders within-article occurrences.
        (pl.col("paragraph") * 1_000_000 + pl.col("sentence") * 1_000 + pl.col("clause")).alias("paragraph"),
        "start",
        "end",
        "text",
        "key",
    ).cast(schema.PARAGRAPHS)  # type: ignore[arg-type]


def verified_pairs(
    keys: Sequence[str] | pl.Series,
    facts: _Facts | Sequence[str] | pl.Series,
    threshold: float = DEFAULT_THRESHOLD,
    pool: npt.NDArray[np.int64] | None = None,
    *,
    num_perm: int = NUM_PERM,
    bands: int = BANDS,
    engine: Any = None,
    chunk_size: int | None = None,
) -> dict[tuple[int, int], Score]:
    """Near-duplicate pairs (i < j) among distinct keys: MinHash-LSH candidates, verified.

    ``keys``: match keys, a list or a polars String Series (then Python strings are made
    only for the keys of one slice of work at a time). ``facts``: the display texts aligned
    with ``keys`` (numbers and dates are read from them, lazily); ``pool``: optional labels,
    only pairs with equal labels are considered. Pairs come out in (i, j) order whichever
    path runs.

    Memory: up to ``chunk_size`` keys (default ``CHUNK_UNITS``) everything stays in memory
    (``len(keys) x bands`` band keys). Above it, signatures and band keys are computed one
    chunk at a time and spilled to a temporary folder (shingle.BandSpill), candidates are
    found one band at a time and verified one part at a time, so the working memory is set
    by the chunk size, one band column (8 bytes a key) and the verified pairs, not by
    ``len(keys) x bands``. Both paths give the same pairs.
    """
    n = len(keys)
    if n < 2:
        return {}
    chunk = CHUNK_UNITS if chunk_size is None else chunk_size
    if chunk < 1:
        raise UsageError(f"chunk size {chunk} must be at least 1", hint="pass chunk_size=None for the default")
    if not isinstance(facts, _Facts):
        facts = _Facts(facts)
    if isinstance(keys, pl.Series):
        n_tokens = (keys.str.count_matches(" ").fill_null(0) + 1).to_numpy()
    else:
        n_tokens = np.array([k.count(" ") + 1 for k in keys], dtype=np.int64)
    edges: dict[tuple[int, int], Score] = {}
    if n <= chunk:
        pairs = candidate_pairs(band_keys(_signatures(_window(keys, 0, n), num_perm, engine), bands), pool)
        _verify_into(edges, keys, facts, pairs, threshold, n_tokens)
        return edges
    # With an engine, windows span several engine tasks so that workers run side by side.
    window = chunk if engine is None else max(chunk, 4 * SIG_BATCH)
    sweep_stale_spills()
    with tempfile.TemporaryDirectory(prefix=f"{SPILL_PREFIX}{os.getpid()}-") as tmp:
        spill = BandSpill(Path(tmp), bands)
        for start in range(0, n, window):
            spill.add(band_keys(_signatures(_window(keys, start, window), num_perm, engine), bands))
        for part in spill.candidate_pairs(pool, parts=-(-n // chunk)):
            _verify_into(edges, keys, facts, part, threshold, n_tokens)
    return edges


SPILL_PREFIX = "compare-dupes-"
_SPILL_NAME = re.compile(re.escape(SPILL_PREFIX) + r"(\d+)-")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def sweep_stale_spills(folder: Path | None = None) -> list[Path]:
    """Remove spill folders left by audits that were killed (SIGKILL skips the cleanup):
    each is named after its process id, and is stale once that process is gone. Returns
    what was removed."""
    root = Path(folder or tempfile.gettempdir())
    removed: list[Path] = []
    try:
        entries = sorted(root.iterdir())
    except OSError:
        return removed
    for path in entries:
        m = _SPILL_NAME.match(path.name)
        if m and path.is_dir() and not path.is_symlink() and not _alive(int(m.group(1))):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _window(keys: Sequence[str] | pl.Series, start: int, size: int) -> list[str]:
    part = keys[start : start + size]
    return part.to_list() if isinstance(part, pl.Series) else list(part)


def _signatures(keys: list[str], num_perm: int, engine: Any) -> npt.NDArray[np.uint32]:
    if engine is None:
        return _signature_chunk(keys, num_perm)
    # Signatures are per unit: chunks give the same rows (blake2b token ids, fixed seed).
    from functools import partial

    return np.concatenate(engine.map_chunks(partial(_signature_chunk, num_perm=num_perm), keys, SIG_BATCH))


def _verify_into(
    edges: dict[tuple[int, int], Score],
    keys: Sequence[str] | pl.Series,
    facts: _Facts,
    pairs: npt.NDArray[np.int64],
    threshold: float,
    n_tokens: npt.NDArray[np.int64],
) -> None:
    # One slice of pairs at a time becomes Python objects (a pair as a list costs ~100 bytes),
    # and with a Series only that slice's keys become strings.
    for start in range(0, len(pairs), VERIFY_BATCH):
        batch = pairs[start : start + VERIFY_BATCH]
        if isinstance(keys, pl.Series):
            idx = np.unique(batch)
            got: _Keys = dict(zip(idx.tolist(), keys.gather(idx).to_list(), strict=True))
        else:
            got = keys
        for a, b in batch.tolist():
            s = similarity(got[a], got[b], threshold)
            if s.passes(threshold) and facts.agree(a, b, n_tokens, got):
                edges[(a, b)] = similarity(got[a], got[b])  # uncut scores, for the report


def verify_candidates(
    keys: list[str], facts: _Facts | list[str], pairs: Iterable[Sequence[int]], threshold: float = DEFAULT_THRESHOLD
) -> dict[tuple[int, int], Score]:
    """The pairs (indices into ``keys``, any order, repeats allowed) that pass
    ``similarity`` and the fact check, as ``verified_pairs`` checks its candidates."""
    if not isinstance(facts, _Facts):
        facts = _Facts(facts)
    arr = np.asarray([(min(a, b), max(a, b)) for a, b in pairs if a != b], dtype=np.int64).reshape(-1, 2)
    edges: dict[tuple[int, int], Score] = {}
    n_tokens = np.array([k.count(" ") + 1 for k in keys], dtype=np.int64)
    _verify_into(edges, keys, facts, np.unique(arr, axis=0), threshold, n_tokens)
    return edges


def _columns(units: pl.DataFrame) -> pl.DataFrame:
    """The audit's columns, cast, every row kept; a missing key is computed from the text."""
    need = ("paragraph_id", "article_id", "outlet", "text")
    missing = [c for c in need if c not in units.columns]
    if missing:
        raise UsageError(
            f"duplicate audit: units lack column(s) {', '.join(missing)}",
            hint="pass a PARAGRAPHS frame (clean.paragraphs_frame) or dupes.units_from_claims(claims)",
        )
    df = units
    for col, dtype in (("date", pl.String()), ("paragraph", pl.Int64()), ("key", pl.String())):
        if col not in df.columns:
            df = df.with_columns(pl.lit(None, dtype=dtype).alias(col))
    df = df.select(
        pl.col("paragraph_id").cast(pl.String),
        pl.col("article_id").cast(pl.String),
        pl.col("outlet").cast(pl.String).fill_null(""),
        pl.col("date").cast(pl.String),
        pl.col("paragraph").cast(pl.Int64),
        pl.col("text").cast(pl.String).fill_null(""),
        pl.col("key").cast(pl.String),
    )
    # A missing key is computed here, so callers may pass bare text.
    if df["key"].null_count():
        keys = [k if k is not None else match_key(t) for k, t in zip(df["key"], df["text"], strict=True)]
        df = df.with_columns(pl.Series("key", keys, dtype=pl.String))
    # Keys and texts are gathered in bulk: from one chunk a gather copies 16-byte string
    # views, from several (a frame read from parquet) the strings themselves. Rechunking a
    # string column shares its data buffers, so this costs views, not text.
    return df.with_columns(df["key"].rechunk(), df["text"].rechunk())


def _unit_rows(df: pl.DataFrame) -> npt.NDArray[np.int64]:
    """Row numbers of the units: one per paragraph_id (its first row), in id order."""
    # A distinct-mask and one sort of the ids: a frame unique + sort held ~4x the memory.
    pid = df["paragraph_id"].rechunk()
    rows = np.flatnonzero((pid.is_first_distinct() & pid.is_not_null()).to_numpy()).astype(np.int64)
    return rows[pid.gather(rows).arg_sort().to_numpy()]


def _normal_dates(df: pl.DataFrame) -> pl.DataFrame:
    date = pl.col("date").str.strip_chars()
    return df.with_columns(pl.when(date == "").then(None).otherwise(date).alias("date"))


def _prepare(units: pl.DataFrame) -> pl.DataFrame:
    """The units as the audit sees them: one row per paragraph_id, sorted by it, keys set."""
    df = _columns(units)
    return _normal_dates(df[_unit_rows(df)])


def _classes(keys: pl.Series, pool: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Verbatim classes (equal key, equal pool label), numbered by first occurrence.

    Returns the first unit of each class (ascending: index = class number) and the class of
    every unit. Done with one string sort and integer arrays: a polars group-by over the
    keys took ~450 MB of working memory at a million units, this ~100 MB.
    """
    n = len(keys)
    order = keys.arg_sort().to_numpy().astype(np.int64)
    by_key = keys.gather(order)
    same = (by_key.slice(1) == by_key.slice(0, n - 1)).to_numpy()
    del by_key
    key_id = np.empty(n, dtype=np.int64)
    key_id[order] = np.concatenate(([0], np.cumsum(~same)))
    del same
    order = np.lexsort((pool, key_id))
    k, p = key_id[order], pool[order]
    new_run = np.concatenate(([True], (k[1:] != k[:-1]) | (p[1:] != p[:-1])))
    del k, p, key_id
    first_of_run = np.minimum.reduceat(order, np.flatnonzero(new_run))
    first = np.sort(first_of_run)
    cls = np.empty(n, dtype=np.int64)
    cls[order] = np.searchsorted(first, first_of_run)[np.cumsum(new_run) - 1]
    return first, cls


SIG_BATCH = 50_000  # units per engine task
# Above this many distinct keys the audit spills band keys to disk (see verified_pairs).
# The MinHash-LSH step then holds ~100 MB at any corpus size (~290 MB with a 100k chunk);
# on 100k synthetic paragraphs a 25k chunk was as fast as keeping everything in memory.
# Smaller corpora (fixtures, a day of news) pay no disk round trip.
CHUNK_UNITS = 25_000
VERIFY_BATCH = 65_536  # candidate pairs turned into Python ints at a time


def _signature_chunk(keys: list[str], num_perm: int = NUM_PERM) -> np.ndarray:
    """MinHash signatures of one chunk of match keys (word SHINGLE_K-shingles)."""
    th = TokenHasher()
    return signatures((shingles(th.ids(k.split()), SHINGLE_K) for k in keys), len(keys), num_perm)


def audit_duplicates(
    units: pl.DataFrame,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    scope: str | None = None,
    min_tokens: int = MIN_TOKENS,
    num_perm: int = NUM_PERM,
    bands: int = BANDS,
    engine: Any = None,
    chunk_size: int | None = None,
) -> DupesResult:
    """Find verbatim and near-verbatim duplicate units (paragraphs or claims).

    ``scope``: None = every group; "within-article" = repeats inside one article only;
    "within-outlet" = repeats across articles of one outlet; "across" = groups spanning
    outlets. Each scope pools the units accordingly, so a paragraph repeated inside its
    article is reported under "within-article" even when other outlets also carry it.
    ``chunk_size``: distinct keys held in memory at once for MinHash-LSH (default
    ``CHUNK_UNITS``); above it band keys are spilled to a temporary folder (same result).
    """
    if scope is not None and scope not in SCOPES:
        raise UsageError(f"unknown scope {scope!r}", hint="use within-article, within-outlet or across")
    if not 0.0 < threshold <= 1.0:
        raise UsageError(f"threshold {threshold} is out of range", hint="give a similarity between 0 and 1")
    if chunk_size is not None and chunk_size < 1:
        raise UsageError(f"chunk size {chunk_size} must be at least 1", hint="pass chunk_size=None for the default")
    df = _columns(units)
    rows = _unit_rows(df)
    key_all = df["key"]
    ok = ((key_all.str.len_chars() > 0) & (key_all.str.count_matches(" ").fill_null(0) + 1 >= min_tokens)).to_numpy()
    rows = rows[ok[rows]]
    del ok
    n = len(rows)
    if n == 0:
        return _empty_result(threshold, scope)

    # Units are numbered 0..n-1 (paragraph_id order); unit u is row rows[u] of df. Per-unit
    # state is numpy arrays and 16-byte views into the frame's strings: Python objects are
    # made only for the units being verified or grouped, so memory per unit stays small.
    pool_col = {"within-article": "article_id", "within-outlet": "outlet"}.get(scope or "")
    pool = (
        df[pool_col].gather(rows).cast(pl.Categorical).to_physical().cast(pl.Int64).to_numpy()
        if pool_col
        else np.zeros(n, dtype=np.int64)
    )
    # 1. verbatim classes: same key in the same pool, numbered by first occurrence; the
    # first unit represents the class.
    unit_keys = key_all.gather(rows)
    rep_units, cls = _classes(unit_keys, pool)
    m = len(rep_units)
    by_cls = np.argsort(cls, kind="stable")  # units of class c: by_cls[off[c]:off[c + 1]], ascending
    off = np.concatenate(([0], np.cumsum(np.bincount(cls, minlength=m))))

    def copies(c: int) -> list[int]:
        return by_cls[off[c] : off[c + 1]].tolist()

    rep_key_s = unit_keys.gather(rep_units)
    del unit_keys
    rep_text_s = df["text"].gather(rows[rep_units])

    # 2. near candidates among class representatives.
    facts = _Facts(rep_text_s)
    edges = verified_pairs(
        rep_key_s, facts, threshold, pool[rep_units] if pool_col else None, num_perm=num_perm, bands=bands,
        engine=engine, chunk_size=chunk_size,
    )

    # 3. components, split against a reference so no member is only chained in. Only classes
    # with an edge or with copies can form a group.
    uf = _UnionFind()
    for ea, eb in edges:
        uf.union(ea, eb)
    comps: dict[int, list[int]] = defaultdict(list)
    for c in sorted(set(uf.parent) | set(np.flatnonzero(np.diff(off) > 1).tolist())):
        comps[uf.find(c)].append(c)
    adj: dict[int, dict[int, Score]] = defaultdict(dict)
    for (ea, eb), sc in edges.items():
        adj[ea][eb] = sc
        adj[eb][ea] = sc
    in_comps = sorted(comps.keys() | {c for comp in comps.values() for c in comp})
    rep_keys: dict[int, str] = dict(zip(in_comps, rep_key_s.gather(in_comps).to_list(), strict=True))
    rep_tokens = {c: k.count(" ") + 1 for c, k in rep_keys.items()}
    copies_of = {c: copies(c) for c in in_comps}
    # The units that can appear in the output, and their columns.
    units_out = sorted(u for c in in_comps for u in copies_of[c])
    rows_out = _normal_dates(df[rows[units_out]] if units_out else df.clear())
    dates: dict[int, str | None] = dict(zip(units_out, rows_out["date"].to_list(), strict=True))
    art: dict[int, str] = dict(zip(units_out, rows_out["article_id"].to_list(), strict=True))
    outl: dict[int, str] = dict(zip(units_out, rows_out["outlet"].to_list(), strict=True))
    pos: dict[int, int | None] = dict(zip(units_out, rows_out["paragraph"].to_list(), strict=True))
    pid: dict[int, str] = dict(zip(units_out, rows_out["paragraph_id"].to_list(), strict=True))
    texts: dict[int, str] = dict(zip(units_out, rows_out["text"].to_list(), strict=True))
    keys: dict[int, str] = dict(zip(units_out, rows_out["key"].to_list(), strict=True))
    del rows_out

    def order_key(u: int) -> tuple[str, str, int, str]:
        p = pos[u]
        return (dates[u] or "", art[u], p if p is not None else 1 << 62, pid[u])

    group_rows: list[dict[str, object]] = []
    member_rows: list[dict[str, object]] = []
    for comp in comps.values():
        if len(comp) == 1 and len(copies_of[comp[0]]) == 1:
            continue
        for classes, ref_cls, scores in _split(comp, adj, copies_of, rep_keys, facts, rep_tokens, threshold, order_key, dates):
            mem = sorted((u for c in classes for u in copies_of[c]), key=order_key)
            if len(mem) < 2:
                continue
            origin = _origin(mem, dates, art, outl)
            ref_unit = origin if origin is not None and rep_keys[ref_cls] == keys[origin] else min(copies_of[ref_cls], key=order_key)
            g = group_id(pid[u] for u in mem)
            n_art, n_out = len({art[u] for u in mem}), len({outl[u] for u in mem})
            g_scope = "within-article" if n_art == 1 else "within-outlet" if n_out == 1 else "across"
            sims: list[float] = []
            for u in mem:
                s = scores[int(cls[u])]
                if u != ref_unit:
                    sims.append(max(s.similarity, s.containment))
                member_rows.append(
                    {
                        "group_id": g, "paragraph_id": pid[u], "article_id": art[u], "outlet": outl[u],
                        "date": dates[u], "text": texts[u], "similarity": s.similarity,
                        "containment": s.containment, "is_origin": u == origin, "is_reference": u == ref_unit,
                        "diff": compact_diff(texts[ref_unit], texts[u]) if keys[u] != keys[ref_unit] else "",
                    }
                )
            group_rows.append(
                {
                    "group_id": g, "kind": "verbatim" if len(classes) == 1 else "near", "scope": g_scope,
                    "size": len(mem), "n_articles": n_art, "n_outlets": n_out, "reference_id": pid[ref_unit],
                    "origin_id": pid[origin] if origin is not None else None,
                    "origin_outlet": outl[origin] if origin is not None else None,
                    "origin_date": dates[origin] if origin is not None else None,
                    "similarity_min": min(sims), "similarity_mean": round(sum(sims) / len(sims), 4),
                    "text": texts[ref_unit],
                }
            )

    # The pair graph and per-unit strings are done with: free them before the frames are built.
    del edges, adj, comps, facts, rep_key_s, rep_text_s, copies_of, rep_keys, texts, keys
    groups = schema.frame(group_rows, GROUPS)
    members = schema.frame(member_rows, MEMBERS)
    del group_rows, member_rows
    if scope is not None:
        groups = groups.filter(pl.col("scope") == scope)
        members = members.filter(pl.col("group_id").is_in(groups["group_id"].implode()))
    groups = groups.sort(["size", "group_id"], descending=[True, False])
    members = members.join(groups.select("group_id", pl.col("size").alias("_size")), on="group_id").sort(
        ["_size", "group_id", "is_reference", "date", "paragraph_id"],
        descending=[True, False, True, False, False],
        nulls_last=True,
    ).drop("_size")
    return DupesResult(
        groups=groups,
        members=members,
        outlet_reuse=_outlet_reuse(df["outlet"].gather(rows).to_frame(), groups, members),
        copies=_copies(groups, members),
        undated=int(groups["origin_id"].null_count()),
        units=n,
        threshold=threshold,
        scope=scope,
    )


def _split(
    comp: list[int],
    adj: dict[int, dict[int, Score]],
    copies: Mapping[int, list[int]],
    rep_keys: Mapping[int, str],
    facts: _Facts,
    rep_tokens: Mapping[int, int],
    threshold: float,
    order_key: Callable[[int], tuple[str, str, int, str]],
    dates: Mapping[int, str | None],
) -> list[tuple[list[int], int, dict[int, Score]]]:
    """Split one component into groups whose members all pass against the group reference.

    Reference: the class of the earliest dated unit when every unit is dated, else the
    medoid (the class with the largest summed similarity to its verified neighbours,
    copies counted). Members: the reference's verified neighbours, plus neighbours of
    neighbours re-verified directly (LSH may have missed the direct pair). The rest is
    split again.
    """
    out: list[tuple[list[int], int, dict[int, Score]]] = []
    left = set(comp)
    while left:
        all_dated = all(dates[u] for c in left for u in copies[c])
        if all_dated:
            ref = min(left, key=lambda c: min(order_key(u) for u in copies[c]))
        else:
            ref = max(
                sorted(left),
                key=lambda c: len(copies[c]) - 1 + sum(max(s.similarity, s.containment) * len(copies[o]) for o, s in adj[c].items() if o in left),
            )
        scores = {ref: Score(1.0, 1.0)}
        for o, s in adj[ref].items():
            if o in left:
                scores[o] = s
        for o in list(scores):
            for o2 in adj[o]:
                if o2 in left and o2 not in scores:
                    s2 = similarity(rep_keys[ref], rep_keys[o2], threshold)
                    if s2.passes(threshold) and facts.agree(ref, o2, rep_tokens, rep_keys):
                        scores[o2] = similarity(rep_keys[ref], rep_keys[o2])
        out.append((sorted(scores), ref, scores))
        left -= set(scores)
    return out


def _origin(
    mem: list[int], dates: Mapping[int, str | None], art: Mapping[int, str], outl: Mapping[int, str]
) -> int | None:
    """The earliest occurrence, or None when it cannot be told."""
    if len({art[u] for u in mem}) == 1:
        return mem[0]  # one article: the first occurrence, dated or not
    if any(not dates[u] for u in mem):
        return None
    first = min(dates[u] or "" for u in mem)
    earliest = [u for u in mem if dates[u] == first]
    if len({outl[u] for u in earliest}) > 1:
        return None  # same day, several outlets: who copied whom is unknown
    return earliest[0]


def _outlet_reuse(units: pl.DataFrame, groups: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame:
    totals = units.group_by("outlet").len("paragraphs")
    across = members.join(
        groups.filter(pl.col("n_outlets") > 1).select("group_id", "origin_outlet"), on="group_id"
    )
    per = across.group_by("outlet").agg(
        pl.col("paragraph_id").n_unique().alias("found_elsewhere"),
        pl.col("is_origin").sum().cast(pl.Int64).alias("originated"),
        (pl.col("origin_outlet").is_not_null() & (pl.col("origin_outlet") != pl.col("outlet")))
        .sum()
        .cast(pl.Int64)
        .alias("copied"),
    )
    out = totals.join(per, on="outlet", how="left").with_columns(
        pl.col("found_elsewhere", "originated", "copied").fill_null(0).cast(pl.Int64),
        pl.col("paragraphs").cast(pl.Int64),
    )
    out = out.with_columns((pl.col("found_elsewhere") / pl.col("paragraphs")).round(4).alias("share"))
    return out.select(list(OUTLET_REUSE)).cast(OUTLET_REUSE).sort(  # type: ignore[arg-type]
        ["share", "outlet"], descending=[True, False]
    )


def _copies(groups: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame:
    rows: dict[tuple[str, str, str], list[int]] = {}
    by_group: dict[str, Counter[str]] = defaultdict(Counter)
    for g, o in zip(members["group_id"], members["outlet"], strict=True):
        by_group[g][o] += 1
    for r in groups.filter(pl.col("n_outlets") > 1).iter_rows(named=True):
        counts = by_group[r["group_id"]]
        src = r["origin_outlet"]
        if src is not None:
            for o, k in counts.items():
                if o != src:
                    acc = rows.setdefault((src, o, "dated"), [0, 0])
                    acc[0] += 1
                    acc[1] += k
        else:
            outs = sorted(counts)
            for i, a in enumerate(outs):
                for b in outs[i + 1 :]:
                    acc = rows.setdefault((a, b, "unknown"), [0, 0])
                    acc[0] += 1
                    acc[1] += counts[a] + counts[b]
    out = [
        {"outlet_from": a, "outlet_to": b, "direction": d, "groups": v[0], "paragraphs": v[1]}
        for (a, b, d), v in rows.items()
    ]
    return schema.frame(out, COPIES).sort(
        ["direction", "groups", "paragraphs", "outlet_from", "outlet_to"], descending=[False, True, True, False, False]
    )


def _empty_result(threshold: float, scope: str | None) -> DupesResult:
    return DupesResult(
        groups=schema.empty(GROUPS),
        members=schema.empty(MEMBERS),
        outlet_reuse=schema.empty(OUTLET_REUSE),
        copies=schema.empty(COPIES),
        undated=0,
        units=0,
        threshold=threshold,
        scope=scope,
    )


# --- Markdown ---------------------------------------------------------------------------


def render_dupes_markdown(result: DupesResult, *, title: str, limit: int = 200) -> str:
    """The audit as Markdown: summary, outlet reuse, who copies whom, then every group."""
    g = result.groups
    n_verb = g.filter(pl.col("kind") == "verbatim").height
    n_near = g.height - n_verb
    out = [f"# {md_text(title)}", ""]
    out.append(
        f"{result.units} units audited (at least {MIN_TOKENS} words), threshold {result.threshold:.2f}"
        + (f", scope {result.scope}" if result.scope else "")
        + f": {g.height} groups ({n_verb} verbatim, {n_near} near), "
        f"{result.members.height} duplicated units."
    )
    if result.undated:
        out.append("")
        out.append(
            f"{result.undated} group(s): origin unknown (undated, or first published the same day by several outlets)."
        )
    out.append("")
    if g.height:
        by_scope = dict(g.group_by("scope").len().iter_rows())
        out.append(md_table(["scope", "groups"], [[s, str(by_scope.get(s, 0))] for s in SCOPES]))
        out.append("")

    out += ["## Outlet reuse", ""]
    if result.outlet_reuse.height:
        out.append(
            md_table(
                ["outlet", "units", "found elsewhere", "share", "origin of", "copied from others"],
                [
                    [md_cell(r["outlet"]), str(r["paragraphs"]), str(r["found_elsewhere"]), f"{r['share']:.0%}",
                     str(r["originated"]), str(r["copied"])]
                    for r in result.outlet_reuse.iter_rows(named=True)
                ],
            )
        )
    else:
        out.append("No units.")
    out += ["", "## Who copies whom", ""]
    dated = result.copies.filter(pl.col("direction") == "dated")
    unknown = result.copies.filter(pl.col("direction") == "unknown")
    if dated.height:
        out.append(
            md_table(
                ["from (earliest)", "to", "groups", "units"],
                [[md_cell(r["outlet_from"]), md_cell(r["outlet_to"]), str(r["groups"]), str(r["paragraphs"])] for r in dated.iter_rows(named=True)],
            )
        )
        out.append("")
    if unknown.height:
        out.append("Shared across outlets, origin unknown (undated):")
        out.append("")
        out.append(
            md_table(
                ["outlet", "outlet", "groups", "units"],
                [[md_cell(r["outlet_from"]), md_cell(r["outlet_to"]), str(r["groups"]), str(r["paragraphs"])] for r in unknown.iter_rows(named=True)],
            )
        )
        out.append("")
    if not result.copies.height:
        out += ["No unit is shared by two outlets.", ""]

    out += ["## Groups", ""]
    if not g.height:
        out.append("No duplicates found.")
    mem_by_group: dict[str, list[dict[str, object]]] = defaultdict(list)
    for r in result.members.iter_rows(named=True):
        mem_by_group[str(r["group_id"])].append(r)
    for r in g.head(limit).iter_rows(named=True):
        gid = str(r["group_id"])
        origin = (
            f"origin {md_text(r['origin_outlet'])}" + (f", {md_text(r['origin_date'])}" if r["origin_date"] else "")
            if r["origin_id"]
            else "origin unknown (undated)"
        )
        out += [
            f'<a id="{anchor("dupes", gid)}"></a>',
            f"### {gid}: {r['kind']}, {r['scope']}, {r['size']} units, {r['n_outlets']} outlet(s)",
            "",
            f"{origin}; similarity min {r['similarity_min']:.2f}, mean {r['similarity_mean']:.2f}",
            "",
            f"> {md_text(r['text'], 600)}",
            "",
        ]
        rows = []
        for mr in mem_by_group[gid]:
            role = "origin" if mr["is_origin"] else "reference" if mr["is_reference"] else ""
            rows.append(
                [
                    md_cell(str(mr["outlet"])), md_cell(str(mr["date"] or "undated")), md_cell(str(mr["paragraph_id"])),
                    role, f"{mr['similarity']:.2f}",
                    "identical" if mr["is_reference"] else _md_diff(str(r["text"]), str(mr["text"])),
                ]
            )
        out.append(md_table(["outlet", "date", "unit", "role", "similarity", "diff vs reference"], rows))
        out.append("")
    if g.height > limit:
        out.append(f"… and {g.height - limit} more groups (see duplicates.parquet).")
    return "\n".join(out).rstrip() + "\n"

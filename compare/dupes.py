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
   agree) so that one template with different facts is not a duplicate;
4. groups are connected components of verified pairs, split so that every member is
   verified directly against the group's reference (its origin, else its medoid): no
   chaining A~B~C into one group when A and C differ;
5. origin = earliest dated member; unknown when any member is undated or when the earliest
   day is shared by several outlets (except inside one article, where the first occurrence
   is the origin).
"""

from __future__ import annotations

import difflib
import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl
from rapidfuzz import fuzz

from . import schema
from .errors import UsageError
from .markdown import anchor, md_cell, md_table, md_text
from .normalize import match_key
from .shingle import (
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
    """Numbers and date words of units, computed lazily (only for verified-similar pairs)."""

    def __init__(self, texts: list[str]) -> None:
        self._texts = texts
        self._cache: dict[int, Counter[str]] = {}

    def of(self, i: int) -> Counter[str]:
        got = self._cache.get(i)
        if got is None:
            got = _facts(self._texts[i])
            self._cache[i] = got
        return got

    def agree(self, i: int, j: int, n_tokens: list[int], keys: list[str] | None = None) -> bool:
        # Reading numbers and dates is slow; when no word that differs between the two keys
        # can carry one, the facts agree without reading them.
        if keys is not None:
            ca, cb = Counter(keys[i].split()), Counter(keys[j].split())
            if not any(_may_state_fact(w) for w in (ca - cb) + (cb - ca)):
                return True
        return facts_agree(self.of(i), self.of(j), n_tokens[i], n_tokens[j])


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
    return similarity(key_a, key_b)


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
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        p = self.parent
        while p[x] != x:
            p[x] = p[p[x]]
            x = p[x]
        return x

    def union(self, a: int, b: int) -> None:
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
    keys: list[str],
    facts: _Facts | list[str],
    threshold: float = DEFAULT_THRESHOLD,
    pool: npt.NDArray[np.int64] | None = None,
    *,
    num_perm: int = NUM_PERM,
    bands: int = BANDS,
    engine: Any = None,
) -> dict[tuple[int, int], Score]:
    """Near-duplicate pairs (i < j) among distinct keys: MinHash-LSH candidates, verified.

    ``facts``: the display texts aligned with ``keys`` (numbers and dates are read from
    them, lazily); ``pool``: optional labels, only pairs with equal labels are considered.
    Memory: signatures are built in bounded blocks, then only ``len(keys) x bands`` band
    keys and the candidate list are held.
    """
    if len(keys) < 2:
        return {}
    if engine is None:
        sig = _signature_chunk(keys, num_perm)
    else:
        # Signatures are per unit: chunks give the same rows (blake2b token ids, fixed seed).
        from functools import partial

        sig = np.concatenate(engine.map_chunks(partial(_signature_chunk, num_perm=num_perm), keys, SIG_BATCH))
    pairs = candidate_pairs(band_keys(sig, bands), pool)
    del sig
    return verify_candidates(keys, facts, pairs.tolist(), threshold)


def verify_candidates(
    keys: list[str], facts: _Facts | list[str], pairs: Iterable[Sequence[int]], threshold: float = DEFAULT_THRESHOLD
) -> dict[tuple[int, int], Score]:
    """The pairs (indices into ``keys``) that pass ``similarity`` and the fact check."""
    if not isinstance(facts, _Facts):
        facts = _Facts(facts)
    n_tokens = [k.count(" ") + 1 for k in keys]
    edges: dict[tuple[int, int], Score] = {}
    for a, b in pairs:
        a, b = min(a, b), max(a, b)
        if a == b or (a, b) in edges:
            continue
        s = similarity(keys[a], keys[b], threshold)
        if s.passes(threshold) and facts.agree(a, b, n_tokens, keys):
            edges[(a, b)] = similarity(keys[a], keys[b])  # uncut scores, for the report
    return edges


def _prepare(units: pl.DataFrame) -> pl.DataFrame:
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
    ).filter(pl.col("paragraph_id").is_not_null())
    # A missing key is computed here, so callers may pass bare text.
    if df["key"].null_count():
        keys = [k if k is not None else match_key(t) for k, t in zip(df["key"], df["text"], strict=True)]
        df = df.with_columns(pl.Series("key", keys, dtype=pl.String))
    date = pl.col("date").str.strip_chars()
    df = df.with_columns(pl.when(date == "").then(None).otherwise(date).alias("date"))
    return df.unique("paragraph_id", keep="first").sort("paragraph_id")


SIG_BATCH = 50_000  # units per engine task


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
) -> DupesResult:
    """Find verbatim and near-verbatim duplicate units (paragraphs or claims).

    ``scope``: None = every group; "within-article" = repeats inside one article only;
    "within-outlet" = repeats across articles of one outlet; "across" = groups spanning
    outlets. Each scope pools the units accordingly, so a paragraph repeated inside its
    article is reported under "within-article" even when other outlets also carry it.
    """
    if scope is not None and scope not in SCOPES:
        raise UsageError(f"unknown scope {scope!r}", hint="use within-article, within-outlet or across")
    if not 0.0 < threshold <= 1.0:
        raise UsageError(f"threshold {threshold} is out of range", hint="give a similarity between 0 and 1")
    df = _prepare(units)
    n_tok = df["key"].str.count_matches(" ").fill_null(0) + 1
    df = df.filter((df["key"].str.len_chars() > 0) & (n_tok >= min_tokens))
    n = df.height
    if n == 0:
        return _empty_result(threshold, scope)

    pool_col = {"within-article": "article_id", "within-outlet": "outlet"}.get(scope or "")
    pool = (
        df[pool_col].cast(pl.Categorical).to_physical().cast(pl.Int64).to_numpy()
        if pool_col
        else np.zeros(n, dtype=np.int64)
    )
    keys: list[str] = df["key"].to_list()
    texts: list[str] = df["text"].to_list()

    # 1. verbatim classes: same key in the same pool; the first unit represents the class.
    cls_of: dict[tuple[int, str], int] = {}
    rep_units: list[int] = []
    copies: list[list[int]] = []
    for i, k in enumerate(keys):
        c = cls_of.setdefault((int(pool[i]), k), len(rep_units))
        if c == len(rep_units):
            rep_units.append(i)
            copies.append([])
        copies[c].append(i)
    m = len(rep_units)
    rep_keys = [keys[i] for i in rep_units]
    rep_tokens = [k.count(" ") + 1 for k in rep_keys]

    # 2. near candidates among class representatives.
    facts = _Facts([texts[i] for i in rep_units])
    edges = verified_pairs(
        rep_keys, facts, threshold, pool[rep_units] if pool_col else None, num_perm=num_perm, bands=bands,
        engine=engine,
    )

    # 3. components, split against a reference so no member is only chained in.
    uf = _UnionFind(m)
    for a, b in edges:
        uf.union(a, b)
    comps: dict[int, list[int]] = defaultdict(list)
    for c in range(m):
        comps[uf.find(c)].append(c)
    adj: dict[int, dict[int, Score]] = defaultdict(dict)
    for (a, b), s in edges.items():
        adj[a][b] = s
        adj[b][a] = s

    dates: list[str | None] = df["date"].to_list()
    art: list[str] = df["article_id"].to_list()
    outl: list[str] = df["outlet"].to_list()
    pos: list[int | None] = df["paragraph"].to_list()
    pid: list[str] = df["paragraph_id"].to_list()

    def order_key(u: int) -> tuple[str, str, int, str]:
        p = pos[u]
        return (dates[u] or "", art[u], p if p is not None else 1 << 62, pid[u])

    group_rows: list[dict[str, object]] = []
    member_rows: list[dict[str, object]] = []
    for comp in comps.values():
        if len(comp) == 1 and len(copies[comp[0]]) == 1:
            continue
        for classes, ref_cls, scores in _split(comp, adj, copies, rep_keys, facts, rep_tokens, threshold, order_key, dates):
            mem = sorted((u for c in classes for u in copies[c]), key=order_key)
            if len(mem) < 2:
                continue
            origin = _origin(mem, dates, art, outl)
            ref_unit = origin if origin is not None and rep_keys[ref_cls] == keys[origin] else min(copies[ref_cls], key=order_key)
            g = group_id(pid[u] for u in mem)
            n_art, n_out = len({art[u] for u in mem}), len({outl[u] for u in mem})
            g_scope = "within-article" if n_art == 1 else "within-outlet" if n_out == 1 else "across"
            sims: list[float] = []
            for u in mem:
                s = scores[cls_of[(int(pool[u]), keys[u])]]
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

    groups = schema.frame(group_rows, GROUPS)
    members = schema.frame(member_rows, MEMBERS)
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
        outlet_reuse=_outlet_reuse(df, groups, members),
        copies=_copies(groups, members),
        undated=int(groups["origin_id"].null_count()),
        units=n,
        threshold=threshold,
        scope=scope,
    )


def _split(
    comp: list[int],
    adj: dict[int, dict[int, Score]],
    copies: list[list[int]],
    rep_keys: list[str],
    facts: _Facts,
    rep_tokens: list[int],
    threshold: float,
    order_key: Callable[[int], tuple[str, str, int, str]],
    dates: list[str | None],
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


def _origin(mem: list[int], dates: list[str | None], art: list[str], outl: list[str]) -> int | None:
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

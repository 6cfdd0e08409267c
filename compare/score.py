"""Pair scoring: link claims of different articles that state the same thing.

Lexical first, because semantic encoders are slow on CPU:

1. Character 2-4-gram TF-IDF on the match keys (IDF fitted on the claims themselves);
   candidate pairs with lexical cosine >= ``lexical_min`` (exact below 5000 claims,
   usearch above, always verified exactly). Clauses of one sentence are never paired;
   other sentences of the same article are, because an article can carry two versions
   of a claim (a ministry's "more than 100 attacks" and, later, "1000 attacks").
2. rapidfuzz ``token_sort_ratio`` on the keys of every candidate pair (one ``cpdist``
   call), then a lexical-only score: a logistic model of (lexical, fuzz) fitted on ANS
   train (same claim = agree|disagree vs other), so the score reads as the probability
   that the two claims are the same claim.
3. ``semantic``: ``"none"`` stops here. ``"auto"`` embeds only the claims that need it:
   those in a grey-zone pair (lexical-only score between ``grey_low`` and ``grey_high``;
   at most ``auto_max_embed`` of them, most uncertain first), and, while the total stays
   under ``auto_max_embed``, the claims with no confident
   lexical link (these can only be matched across wording; in a corpus of Latin-script
   and Arabic claims that is every claim, as n-grams cannot link across scripts);
   semantic nearest neighbours among the embedded claims add cross-wording and
   cross-language pairs. ``"all"`` embeds every claim and searches semantic neighbours
   among all of them. Pairs whose two claims are embedded are re-scored with the hybrid
   model (lexical, semantic, fuzz; for a Latin-script claim against an Arabic one, the
   ``@cross`` model of the semantic cosine alone); the others keep the lexical-only
   score (``semantic`` is null for them).
4. Relation: ``duplicate`` needs a near-verbatim match (lexical >= ``duplicate_lexical``,
   at most one word of difference) AND the same numbers AND the same negation;
   ``paraphrase`` score >= ``paraphrase``; ``related`` score >= ``link``; below, no link.
   So "100 attacks" vs "1000 attacks" stays linked (paraphrase/related) for the contrast
   judge but is never a duplicate.

All weights and thresholds come from ``compare/data/calibration.json`` (written by
``python -m compare.evaluate --calibrate`` from ../shared; the figures that chose them
are stored beside them).
"""

from __future__ import annotations

import json
import math
import time
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from . import schema
from .candidates import candidate_pairs, pair_cosine
from .encode import Encoder, LexicalEncoder, encode_cached
from .errors import ModelError, UsageError
from .text import negation
from .text.normalize import is_latin, match_key
from .text.numbers import strip_clitics

# Words whose presence on one side only keeps two claims from being duplicates: the
# negators, and "ما" (it negates a past verb, "ما قال"; as "what" it still changes the sentence).
NEGATIONS = frozenset(match_key(w) for w in (*negation.NEGATORS, "ما"))
# Function words that may differ between two duplicates (wire copy edits).
_FUNCTION = frozenset(
    ["في", "من", "الى", "على", "عن", "مع", "ان", "انه", "انها", "قد", "ثم", "او", "و", "ف", "ب", "ل", "ك", "هذا", "هذه", "ذلك", "تلك", "التي", "الذي", "الذين", "كما", "ايضا", "حيث", "the", "a", "an", "of", "to", "in", "on", "at", "for", "and", "or", "by", "with", "from", "that", "this", "is", "was", "are", "were", "be", "as", "it", "its"]
)


@lru_cache(maxsize=1)
def load_calibration() -> dict[str, Any]:
    """The calibrated weights and thresholds shipped in compare/data/calibration.json."""
    try:
        text = resources.files("compare").joinpath("data/calibration.json").read_text("utf-8")
        return dict(json.loads(text))
    except (OSError, ValueError) as exc:
        raise ModelError("compare/data/calibration.json is missing or unreadable",
                         hint="reinstall compare, or run python -m compare.evaluate --calibrate") from exc


def lexical_feature_fingerprint(pairs: list[tuple[str, str]]) -> str:
    """SHA-256 of the lexical features the calibrated models read (character n-gram
    cosine and fuzz of match keys) on ``pairs``, rounded to 6 decimals: the calibration
    records it, and a test fails when the code computes these features differently."""
    import hashlib

    keys = [match_key(t) for pair in pairs for t in pair]
    lex = LexicalEncoder().sparse(keys)
    index = np.arange(len(keys), dtype=np.int64).reshape(-1, 2)
    cosine = pair_cosine(lex, index)
    fuzz = fuzz_pairs(keys[0::2], keys[1::2])
    payload = json.dumps([LexicalEncoder().name, np.round(cosine, 6).tolist(), np.round(fuzz, 6).tolist()])
    return hashlib.sha256(payload.encode()).hexdigest()


def _logistic(model: dict[str, Any], feats: dict[str, np.ndarray]) -> np.ndarray:
    z = np.full(len(next(iter(feats.values()))), float(model["intercept"]), dtype=np.float64)
    for name, w in model["weights"].items():
        z += float(w) * feats[name]
    return 1.0 / (1.0 + np.exp(-z))


def _by_script(cal: dict[str, Any], name: str, feats: dict[str, np.ndarray],
               latin: np.ndarray | None, cross: np.ndarray | None = None) -> np.ndarray:
    """Model ``name`` on every pair; where fitted, its ``@latin`` variant on the pairs of
    two Latin-script claims (``latin``) and its ``@cross`` variant on the pairs of one
    Latin-script and one other claim (``cross``)."""
    out = _logistic(cal["models"][name], feats)
    for mask, suffix in ((latin, "@latin"), (cross, "@cross")):
        variant = cal["models"].get(f"{name}{suffix}")
        if variant is not None and mask is not None and mask.any():
            out[mask] = _logistic(variant, {k: v[mask] for k, v in feats.items()})
    return out


def lexical_score(lexical: np.ndarray, fuzz: np.ndarray, cal: dict[str, Any] | None = None,
                  latin: np.ndarray | None = None) -> np.ndarray:
    """Probability-like same-claim score from lexical cosine and fuzz (0-100).
    ``latin``: per pair, both claims in Latin script (uses the English-fitted model)."""
    cal = cal or load_calibration()
    return _by_script(cal, "lexical", {"lexical": lexical, "fuzz": fuzz / 100.0}, latin)


def hybrid_score(lexical: np.ndarray, semantic: np.ndarray, fuzz: np.ndarray,
                 cal: dict[str, Any] | None = None, encoder_name: str | None = None,
                 latin: np.ndarray | None = None, cross: np.ndarray | None = None) -> np.ndarray:
    """Same-claim score from lexical, semantic cosine and fuzz. The semantic weight is the
    one fitted for ``encoder_name``'s family when calibrated, else the default encoder's;
    ``latin`` as for ``lexical_score``. ``cross``: per pair, one claim in Latin script and
    the other not (an English and an Arabic version). Character n-grams and fuzz cannot
    match across scripts, so those pairs are scored by the semantic cosine alone, on the
    scale fitted for it (the Arabic model gave English-Arabic paraphrases about 0.01)."""
    cal = cal or load_calibration()
    fam = _family(encoder_name)
    name = f"hybrid:{fam}" if fam and f"hybrid:{fam}" in cal["models"] else "hybrid"
    return _by_script(cal, name, {"lexical": lexical, "semantic": semantic, "fuzz": fuzz / 100.0}, latin, cross)


def _family(encoder_name: str | None) -> str | None:
    if not encoder_name:
        return None
    if encoder_name.startswith("use-"):
        return "use"
    if "e5" in encoder_name.split("@")[0]:
        return "e5"
    return None


_PAIR_BATCH = 200_000  # pairs per engine task


def _fuzz_chunk(ab: list[tuple[str, str]]) -> np.ndarray:
    return fuzz_pairs([a for a, _ in ab], [b for _, b in ab])


def _chunked_cosine(lex: Any, pairs: np.ndarray, engine: Any) -> np.ndarray:
    """pair_cosine, chunk by chunk on the engine (exact verification of candidate pairs)."""
    if engine is None or pairs.shape[0] <= _PAIR_BATCH:
        return pair_cosine(lex, pairs)
    from functools import partial

    return np.concatenate(engine.map_chunks(partial(pair_cosine, lex), list(pairs), _PAIR_BATCH))


def fuzz_pairs(keys_a: list[str], keys_b: list[str], engine: Any = None) -> np.ndarray:
    """rapidfuzz token_sort_ratio of aligned key pairs (0-100), one vectorised call
    (or one per chunk of pairs on ``engine``)."""
    from rapidfuzz import fuzz, process

    if not keys_a:
        return np.zeros(0, dtype=np.float64)
    if engine is not None and len(keys_a) > _PAIR_BATCH:
        return np.concatenate(engine.map_chunks(_fuzz_chunk, list(zip(keys_a, keys_b, strict=True)), _PAIR_BATCH))
    return np.asarray(process.cpdist(keys_a, keys_b, scorer=fuzz.token_sort_ratio, workers=1),
                      dtype=np.float64)


def _content(key: str) -> Counter[str]:
    return Counter(
        s for s in (strip_clitics(t) for t in key.split()) if s not in _FUNCTION and len(s) > 1
    )


def _negations(key: str) -> frozenset[str]:
    return frozenset(t for t in key.split() if t in NEGATIONS)


def is_duplicate_text(key_a: str, key_b: str, numbers_a: list[str], numbers_b: list[str]) -> bool:
    """Near-verbatim guard: same numbers, same negation, at most one content word differs."""
    if Counter(numbers_a) != Counter(numbers_b):
        return False
    if _negations(key_a) != _negations(key_b):
        return False
    ca, cb = _content(key_a), _content(key_b)
    return sum(((ca - cb) + (cb - ca)).values()) <= 1


def relations(scores: np.ndarray, lexical: np.ndarray, keys: list[str], numbers: list[list[str]],
              pairs: np.ndarray, cal: dict[str, Any] | None = None) -> list[str | None]:
    """Relation per pair (None = below the link threshold)."""
    th = (cal or load_calibration())["thresholds"]
    out: list[str | None] = []
    for (i, j), s, lx in zip(pairs.tolist(), scores.tolist(), lexical.tolist(), strict=True):
        if s < th["link"]:
            out.append(None)
        elif lx >= th["duplicate_lexical"] and is_duplicate_text(keys[i], keys[j], numbers[i], numbers[j]):
            out.append("duplicate")
        elif s >= th["paraphrase"]:
            out.append("paraphrase")
        else:
            out.append("related")
    return out


def _bilingual(latin: np.ndarray) -> bool:
    """Does the corpus hold claims of both scripts in earnest? The smaller script must
    carry at least 1% of the claims (and two of them): one stray Latin line (layout
    residue in a scraped Arabic page) does not make every claim worth embedding."""
    minority = int(min(latin.sum(), (~latin).sum()))
    return minority >= max(2, 0.01 * latin.shape[0])


def _across_sentences(pairs: np.ndarray, sentence: np.ndarray) -> np.ndarray:
    """Drop pairs inside one sentence. ``sentence`` holds one label per claim (article,
    paragraph, sentence), so two sentences of one article still pair."""
    if pairs.shape[0] == 0:
        return pairs
    return pairs[sentence[pairs[:, 0]] != sentence[pairs[:, 1]]]


def _merge(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if b.shape[0] == 0:
        return a
    return np.unique(np.concatenate([a, b]).reshape(-1, 2), axis=0)


@dataclass(frozen=True)
class _Claims:
    """The columns linking reads, in claim_id order, read once."""

    ids: list[str]
    keys: list[str]
    texts: list[str]
    outlets: list[str | None]
    sentence: np.ndarray  # one integer per (article, paragraph, sentence)
    numbers: list[list[str]]
    latin: np.ndarray  # Latin-script claim


def _claim_columns(claims: pl.DataFrame) -> _Claims:
    ordered = claims.sort("claim_id")
    ids = ordered["claim_id"].to_list()
    if len(set(ids)) != len(ids):
        dup = next(c for c, n in Counter(ids).items() if n > 1)
        raise UsageError(f"claim_id {dup!r} occurs more than once", hint="claim ids must be unique")
    keys = [k or "" for k in ordered["key"].to_list()]
    place = zip(ordered["article_id"].cast(pl.String).fill_null("").to_list(), ordered["paragraph"].to_list(),
                ordered["sentence"].to_list(), strict=True)
    sentence_of: dict[tuple[str, int, int], int] = {}
    sentence = np.asarray([sentence_of.setdefault(k, len(sentence_of)) for k in place], dtype=np.int64)
    return _Claims(
        ids=ids, keys=keys, texts=[t or "" for t in ordered["text"].to_list()], outlets=ordered["outlet"].to_list(),
        sentence=sentence, numbers=[list(x) if x is not None else [] for x in ordered["numbers"].to_list()],
        latin=np.asarray([is_latin(k) for k in keys], dtype=bool),
    )


def _claims_to_embed(c: _Claims, lex: Any, pairs: np.ndarray, semantic: str, cal: dict[str, Any],
                     stats: dict[str, Any]) -> np.ndarray:
    """Rows to embed: all (``all``), or in ``auto`` the grey-zone claims, most uncertain
    first, and, while the budget allows, the claims with no confident lexical link."""
    if semantic == "all":
        return np.arange(len(c.ids))
    th = cal["thresholds"]
    s0 = lexical_score(pair_cosine(lex, pairs), fuzz_pairs([c.keys[i] for i in pairs[:, 0]], [c.keys[j] for j in pairs[:, 1]]),
                       cal, c.latin[pairs[:, 0]] & c.latin[pairs[:, 1]])
    budget = int(th["auto_max_embed"])
    grey = (s0 >= th["grey_low"]) & (s0 < th["grey_high"])
    # Grey claims, most uncertain first (best grey pair nearest the zone's middle),
    # capped at the budget so the semantic pass stays bounded on big corpora.
    mid = (float(th["grey_low"]) + float(th["grey_high"])) / 2
    urgency: dict[int, float] = {}
    for (i, j), sc in zip(pairs[grey].tolist(), s0[grey].tolist(), strict=True):
        d = abs(sc - mid)
        for x in (i, j):
            if d < urgency.get(x, 2.0):
                urgency[x] = d
    ranked = sorted(urgency, key=lambda x: (urgency[x], x))
    need_set = set(ranked[:budget])
    confident = set(pairs[s0 >= th["grey_high"]].ravel().tolist())
    stats["bilingual"] = _bilingual(c.latin)
    if stats["bilingual"]:
        # Latin-script and other claims side by side: no n-gram links across
        # scripts, so every claim is still alone towards the other script.
        confident = set()
    lonely = [i for i in range(len(c.ids)) if i not in confident and i not in urgency]
    # Claims with no confident lexical link can only match across wording: embed
    # them too while the budget allows (one semantic pass over a bounded set).
    take_lonely = len(need_set) + len(lonely) <= budget
    if take_lonely:
        need_set.update(lonely)
    stats["auto_grey_claims"] = len(urgency)
    stats["auto_grey_embedded"] = min(len(urgency), budget)
    stats["auto_lonely_claims"] = len(lonely)
    stats["auto_lonely_embedded"] = take_lonely
    return np.asarray(sorted(need_set), dtype=np.int64)


@dataclass(frozen=True)
class _Embedded:
    rows: dict[int, int]  # claim row -> row of ``vectors``
    vectors: np.ndarray
    pairs: np.ndarray  # semantic candidate pairs


def _semantic_pass(c: _Claims, need: np.ndarray, encoder: Encoder, cal: dict[str, Any], cache_dir: Path | None,
                   progress: bool, engine: Any, timings: dict[str, float]) -> _Embedded:
    th = cal["thresholds"]
    t0 = time.perf_counter()
    rows: dict[int, int] = {}
    vecs = np.zeros((0, 0), dtype=np.float32)
    if need.size:
        vecs = encode_cached(encoder, [c.texts[i] for i in need.tolist()], cache_dir, progress, engine=engine)
        rows = {int(i): r for r, i in enumerate(need.tolist())}
    timings["embed"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    sem_pairs = np.zeros((0, 2), dtype=np.int64)
    if need.size >= 2:
        local = candidate_pairs(vecs, k=int(th["k"]), min_sim=float(th["semantic_min"]))
        sem_pairs = _across_sentences(need[local] if local.size else local, c.sentence)
        sem_pairs = np.sort(sem_pairs, axis=1) if sem_pairs.size else sem_pairs
    timings["semantic_candidates"] = time.perf_counter() - t0
    return _Embedded(rows, vecs, sem_pairs)


def _links_frame(c: _Claims, pairs: np.ndarray, rel: list[str | None], score: np.ndarray, lx: np.ndarray,
                 sem: np.ndarray, fz: np.ndarray) -> pl.DataFrame:
    rows: list[dict[str, object]] = []
    for p, (i, j) in enumerate(pairs.tolist()):
        if rel[p] is None:
            continue
        a, b = (i, j) if c.ids[i] <= c.ids[j] else (j, i)
        rows.append({
            "claim_a": c.ids[a], "claim_b": c.ids[b], "outlet_a": c.outlets[a], "outlet_b": c.outlets[b],
            "relation": rel[p], "score": round(float(score[p]), 6), "lexical": round(float(lx[p]), 6),
            "semantic": None if math.isnan(sem[p]) else round(float(sem[p]), 6),
            "fuzz": round(float(fz[p]), 4), "contrast": None,
        })
    # An empty differences list on every row, as a literal: built per row in Python it
    # would cost seconds on a large table.
    links = schema.frame(rows, {k: v for k, v in schema.LINKS.items() if k != "differences"}).with_columns(
        pl.lit([], dtype=schema.DIFFERENCES).alias("differences"))
    return links.sort(["claim_a", "claim_b"]) if links.height else links


def link_claims(
    claims: pl.DataFrame,
    encoder: Encoder | None,
    *,
    cache_dir: Path | None = None,
    semantic: str = "auto",
    progress: bool = False,
    calibration: dict[str, Any] | None = None,
    engine: Any = None,
) -> tuple[pl.DataFrame, dict[str, Any]]:
    """Score claim pairs across articles; returns a schema.LINKS frame and run statistics.

    ``semantic``: ``auto`` | ``all`` | ``none`` (see the module docstring). ``encoder`` may
    be None only with ``none``; a lexical encoder also means lexical-only linking.
    """
    if semantic not in ("auto", "all", "none"):
        raise UsageError(f"unknown semantic mode {semantic!r}", hint="use auto, all or none")
    cal = calibration or load_calibration()
    th = cal["thresholds"]
    t_all = time.perf_counter()
    timings: dict[str, float] = {}
    stats: dict[str, Any] = {"claims": claims.height, "semantic_mode": semantic,
                             "encoder": None if encoder is None else encoder.name}
    if claims.height < 2:
        stats.update(embedded=0, embedded_fraction=0.0, candidates=0, links=0, timings=timings)
        return schema.empty(schema.LINKS), stats
    c = _claim_columns(claims)

    t0 = time.perf_counter()
    lex = LexicalEncoder().sparse(c.keys, engine=engine)
    pairs = _across_sentences(candidate_pairs(lex, k=int(th["k"]), min_sim=float(th["lexical_min"])), c.sentence)
    timings["lexical_candidates"] = time.perf_counter() - t0
    stats["lexical_candidates"] = int(pairs.shape[0])

    embedded = _Embedded({}, np.zeros((0, 0), dtype=np.float32), np.zeros((0, 2), dtype=np.int64))
    if semantic != "none" and encoder is not None and not isinstance(encoder, LexicalEncoder):
        t0 = time.perf_counter()
        need = _claims_to_embed(c, lex, pairs, semantic, cal, stats)
        timings["select"] = time.perf_counter() - t0
        embedded = _semantic_pass(c, need, encoder, cal, cache_dir, progress, engine, timings)
        pairs = _merge(pairs, embedded.pairs)
    stats["embedded"] = len(embedded.rows)
    stats["embedded_fraction"] = round(len(embedded.rows) / len(c.ids), 4)
    stats["semantic_candidates"] = int(embedded.pairs.shape[0])
    stats["candidates"] = int(pairs.shape[0])

    t0 = time.perf_counter()
    lx = _chunked_cosine(lex, pairs, engine)
    fz = fuzz_pairs([c.keys[i] for i in pairs[:, 0]], [c.keys[j] for j in pairs[:, 1]], engine=engine)
    both_latin = c.latin[pairs[:, 0]] & c.latin[pairs[:, 1]]
    score = lexical_score(lx, fz, cal, both_latin)
    sem = np.full(pairs.shape[0], np.nan)
    vec_rows, vecs = embedded.rows, embedded.vectors
    if vec_rows and pairs.shape[0]:
        both = np.asarray([int(i) in vec_rows and int(j) in vec_rows for i, j in pairs.tolist()], dtype=bool)
        if both.any():
            ra = np.asarray([vec_rows[int(i)] for i in pairs[both, 0]], dtype=np.int64)
            rb = np.asarray([vec_rows[int(j)] for j in pairs[both, 1]], dtype=np.int64)
            sem[both] = np.clip(np.einsum("ij,ij->i", vecs[ra], vecs[rb], dtype=np.float64), -1, 1)
            cross = c.latin[pairs[:, 0]] != c.latin[pairs[:, 1]]
            score[both] = hybrid_score(lx[both], sem[both], fz[both], cal, encoder.name if encoder else None,
                                       both_latin[both], cross[both])
    rel = relations(score, lx, c.keys, c.numbers, pairs, cal)
    timings["score"] = time.perf_counter() - t0

    links = _links_frame(c, pairs, rel, score, lx, sem, fz)
    timings["total"] = time.perf_counter() - t_all
    stats["links"] = links.height
    stats["relations"] = dict(sorted(Counter(r for r in rel if r is not None).items()))
    stats["timings"] = {k: round(v, 4) for k, v in timings.items()}
    return links, stats

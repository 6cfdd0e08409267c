"""Incremental runs: `compare report` on a grown corpus, same cache folder, embeds only the
claims it has not seen and keeps the ids of clusters whose members did not change.

Why it holds: article ids hash (outlet, text), claim ids hash (article id, span), the
embedding cache is keyed by sha1(text) per encoder, and a cluster id is the sha1 of its
smallest member claim id; nothing depends on the order or the size of the corpus.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from compare import encode
from compare.pipeline import make_report
from tests.conftest import FIXTURES
from tests.test_engine import HashEncoder

# Held back from the first run, added in the second (two outlets, one of them new content).
HELD_BACK = ("levant-post/idlib-talks.txt", "idlib-voice/oktay-attacks.txt")


def _report(corpus: Path, out: Path, cache: Path, semantic: str,
            monkeypatch: pytest.MonkeyPatch) -> tuple[HashEncoder, pl.DataFrame, pl.DataFrame]:
    enc = HashEncoder()
    monkeypatch.setattr(encode, "get_encoder", lambda name="default": enc)
    make_report([corpus], out, encoder="default", semantic=semantic, cache_dir=cache)
    return enc, pl.read_parquet(out / "claims.parquet"), pl.read_parquet(out / "clusters.parquet")


def _members(claims: pl.DataFrame) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for cid, k in zip(claims["claim_id"].to_list(), claims["cluster_id"].to_list(), strict=True):
        out.setdefault(k, set()).add(cid)
    return {k: frozenset(v) for k, v in out.items()}


@pytest.mark.parametrize("semantic", ["all", "auto"])
def test_grown_corpus_reuses_cache_and_keeps_cluster_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, semantic: str
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "corpus", corpus)
    held = tmp_path / "held"
    for rel in HELD_BACK:
        (held / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(corpus / rel, held / rel)
    cache = tmp_path / "cache"

    enc1, claims1, _ = _report(corpus, tmp_path / "out1", cache, semantic, monkeypatch)
    for rel in HELD_BACK:
        shutil.move(held / rel, corpus / rel)
    enc2, claims2, clusters2 = _report(corpus, tmp_path / "out2", cache, semantic, monkeypatch)

    old_ids, new_ids = set(claims1["claim_id"]), set(claims2["claim_id"])
    assert old_ids < new_ids, "old articles keep their claim ids; the added ones bring new claims"
    old_texts = set(claims1["text"])
    added_texts = {t for c, t in zip(claims2["claim_id"], claims2["text"], strict=True) if c not in old_ids}
    # The cache: no text is ever encoded twice, and nothing already known is re-encoded.
    assert len(enc2.seen) == len(set(enc2.seen))
    assert not set(enc2.seen) & set(enc1.seen)
    assert enc2.seen, "the second run embedded something"
    if semantic == "all":
        assert set(enc1.seen) == old_texts
        assert set(enc2.seen) == added_texts - old_texts, "only the new claims are embedded"

    # Cluster ids: a cluster whose members are unchanged keeps its id.
    before, after = _members(claims1), _members(claims2)
    by_members = {m: k for k, m in after.items()}
    unchanged = [k for k, m in before.items() if m in by_members]
    assert all(by_members[before[k]] == k for k in unchanged)
    multi = [k for k in unchanged if len(before[k]) > 1]
    assert multi, "some multi-claim cluster survives the growth unchanged (the test is not vacuous)"
    # A grown cluster keeps its id when its smallest member is an old claim.
    for k, m in after.items():
        if min(m) in old_ids and any(c not in old_ids for c in m):
            old_k = claims1.filter(pl.col("claim_id") == min(m))["cluster_id"].item()
            assert k == old_k or not before[old_k] <= m
    assert set(clusters2["cluster_id"]) == set(after)

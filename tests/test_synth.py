"""benchmarks/synth.py: planted groups are where the labels say, and runs are reproducible."""

from __future__ import annotations

import importlib.util
import itertools
import json
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest

from compare.text.normalize import match_key
from tests.conftest import ROOT, SHARED, needs_shared


def _load_synth() -> ModuleType:
    spec = importlib.util.spec_from_file_location("synth", ROOT / "benchmarks" / "synth.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["synth"] = mod  # dataclasses look their module up by name
    spec.loader.exec_module(mod)
    return mod


synth = _load_synth()

# Our own sentences (no ../shared text): one topic, enough for a tiny corpus.
_SENTENCES = [
    "قال مسؤول في وزارة الدفاع إن القوات تقدمت نحو المدينة صباح اليوم بعد اشتباكات عنيفة .",
    "وأعلنت الأمم المتحدة أن 120 ألف شخص نزحوا من المنطقة خلال الأسبوعين الماضيين .",
    "وتقول مصادر محلية إن القصف استهدف سوقا شعبيا وأوقع عددا من الضحايا المدنيين .",
    "وأكد المتحدث باسم الحكومة أن المفاوضات ستستأنف الأسبوع المقبل في العاصمة .",
    "ويعتقد مراقبون أن الاتفاق يمهد لمرحلة جديدة من التعاون بين البلدين الجارين .",
    "وذكرت وكالة الأنباء الرسمية أن 35 جنديا قتلوا في الهجوم على الموقع العسكري .",
]


def _topic() -> object:
    paragraphs = [f"{s[:-2]} رقم {i} ." for i, s in enumerate(_SENTENCES * 4)]
    t = synth.Topic("T-1", synth.date(2017, 5, 1), [("a.com", "http://a.com/1"), ("b.net", "http://b.net/2"),
                    ("c.org", "http://c.org/3"), ("d.info", "http://d.info/4")], paragraphs)
    t.plantable = list(_SENTENCES)
    for p in paragraphs:
        w = p.split()
        for a, b in itertools.pairwise(w):
            t.bigrams.setdefault(a, []).append(b)
    return t


def test_change_number_changes_exactly_one_number() -> None:
    rng = random.Random(3)
    src = _SENTENCES[1]
    out = synth.change_number(src, rng)
    assert out is not None and out != src
    assert [w for w in out.split() if not w.isdigit()] == [w for w in src.split() if not w.isdigit()]
    assert synth.change_number("لا أرقام في هذه الجملة .", rng) is None


def test_insert_negation_adds_la_before_a_present_verb() -> None:
    out = synth.insert_negation(_SENTENCES[4])
    assert out is not None
    assert out.split().count("لا") == _SENTENCES[4].split().count("لا") + 1
    assert out.replace(" لا ", " ", 1) == _SENTENCES[4]


def test_near_edit_is_small_and_keeps_numbers() -> None:
    rng = random.Random(0)
    for s in _SENTENCES:
        out = synth.near_edit(s, rng)
        assert out != s
        assert [w for w in out.split() if w.isdigit()] == [w for w in s.split() if w.isdigit()]
        a, b = set(match_key(s).split()), set(match_key(out).split())
        assert len(a & b) / len(a | b) >= 0.6


def test_build_corpus_is_deterministic_and_labels_point_at_planted_lines() -> None:
    topics = [_topic()]
    a1, l1 = synth.build_corpus(topics, 30, seed=7, plant_rate=0.3)
    a2, l2 = synth.build_corpus([_topic()], 30, seed=7, plant_rate=0.3)
    assert [x.paragraphs for x in a1] == [x.paragraphs for x in a2] and l1 == l2
    a3, _ = synth.build_corpus([_topic()], 30, seed=8, plant_rate=0.3)
    assert [x.paragraphs for x in a1] != [x.paragraphs for x in a3]
    assert l1, "some groups are planted"
    for g in l1:
        members = g["members"]
        assert len(members) >= 2
        assert len({a1[m["row"] - 1].outlet for m in members}) == len(members), "members in distinct outlets"
        for m in members:
            art = a1[m["row"] - 1]
            assert art.id == m["id"] and art.paragraphs[m["line"] - 1] == m["text"]
        texts = [m["text"] for m in members]
        if g["kind"] == "verbatim":
            assert len(set(texts)) == 1
        else:
            assert len(set(texts)) >= 2


def test_write_corpus_jsonl(tmp_path: Path) -> None:
    arts, labels = synth.build_corpus([_topic()], 12, seed=1, plant_rate=0.5)
    synth.write_corpus(tmp_path, arts, labels, {"seed": 1})
    rows = [json.loads(x) for x in (tmp_path / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 12 and set(rows[0]) == {"id", "outlet", "title", "date", "url", "text"}
    lab = json.loads((tmp_path / "labels.json").read_text(encoding="utf-8"))
    for g in lab["groups"]:
        for m in g["members"]:
            assert rows[m["row"] - 1]["text"].split("\n")[m["line"] - 1] == m["text"]


def test_main_skips_cleanly_without_shared(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert synth.main(["--shared", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == 0
    assert "absent" in capsys.readouterr().out
    assert not (tmp_path / "o").exists()


@needs_shared("data/baly2018-dev")
def test_real_corpus_small(tmp_path: Path) -> None:
    assert synth.main(["-n", "150", "--out", str(tmp_path), "--shared", str(SHARED)]) == 0
    rows = (tmp_path / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    lab = json.loads((tmp_path / "labels.json").read_text(encoding="utf-8"))
    assert len(rows) == 150 and lab["groups"]
    assert set(lab["groups_by_kind"]) <= set(synth.PLANT_KINDS)
    planted = {m["text"] for g in lab["groups"] for m in g["members"]}
    lines = [line for r in rows for line in json.loads(r)["text"].split("\n")]
    # A planted text occurs only where a label puts it (no accidental extra copies).
    n_members = sum(len(g["members"]) for g in lab["groups"])
    assert sum(1 for line in lines if line in planted) == n_members

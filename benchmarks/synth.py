"""Synthetic corpora for the scale benchmark, built from real Arabic news text.

Usage::

    python benchmarks/synth.py --articles 1000 --out /tmp/compare-synth/1k --seed 0

Source: ``../shared/data/baly2018-dev`` (articles retrieved for 254 claims about the
war in Syria, from ~580 outlets). Nothing from it is copied into the repository: the
corpus is written to a folder outside it (default under /tmp).

How a corpus is made (deterministic for a given seed and size):

* every article belongs to a *topic* (one Baly claim file) and an outlet (the url
  domain of a real article retrieved for that topic) and gets a date near the
  topic's date;
* its paragraphs are real paragraphs of that topic, each used at most once; when a
  topic runs out, new paragraphs are *generated* by a word-bigram walk over the
  topic's text, so large corpora do not become thousands of accidental verbatim
  copies (which would swamp the planted ones and make clustering meaningless);
* planted groups with KNOWN answers are inserted into random articles of
  different outlets: ``verbatim`` copies, ``near`` copies (one or two small edits:
  a word dropped, two words swapped, a lead-in added), and contrast pairs
  ``number`` (one number changed) and ``negation`` (a negation inserted). Planted
  paragraphs are single sentences reserved for planting, so they occur nowhere else.

Outputs in ``--out``: ``corpus.jsonl`` (``id, outlet, title, date, url, text``; one
article a line, paragraphs separated by newlines) and ``labels.json`` (the planted
groups: kind and members as ``(id, row, line, text)``; ``row`` is the 1-based JSONL
line, ``line`` the 1-based line of the paragraph inside ``text``).

When ``../shared`` is absent it prints a message and exits 0.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

SHARED = Path(__file__).resolve().parents[2] / "shared"
BALY = "data/baly2018-dev/claims"
DEFAULT_OUT = Path("/tmp/compare-synth")

_DIGITS = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]+")
_ARABIC_WORD = re.compile("^[\u0621-\u064a]{3,}$")
# Present-tense verbs start with ya/ta: a "لا" in front negates them ("يقول" -> "لا يقول").
_PRESENT = re.compile("^[يت][\u0621-\u064a]{2,}$")
_LEAD_INS = ("وقال مصدر إن", "وبحسب مصادر فإن", "وأفادت التقارير بأن", "ومن جهة أخرى")
PLANT_KINDS = ("verbatim", "near", "number", "negation")


@dataclass
class Topic:
    name: str
    day: date
    outlets: list[tuple[str, str]]  # (outlet, url)
    paragraphs: list[str]  # background pool, used once each
    plantable: list[str] = field(default_factory=list)  # single sentences reserved for planting
    bigrams: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class SynthArticle:
    id: str
    outlet: str
    url: str
    date: str
    paragraphs: list[str]


def _outlet(url: str) -> str:
    host = urlparse(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host or "unknown"


def _is_plantable(line: str) -> bool:
    """A one-sentence paragraph of ordinary length (Baly spaces punctuation: ' .' ends it)."""
    return 60 <= len(line) <= 300 and len(line.split()) >= 8 and line.endswith(" .") and " . " not in line[:-2]


def load_topics(shared: Path = SHARED, generator: str = "global") -> list[Topic]:
    """Topics from the Baly files: outlets, unique paragraphs, a bigram model.

    ``generator``: ``global`` (default) walks one corpus-wide bigram model from a topic's
    opening word; ``topic`` walks the topic's own model. Same-topic walks share so much
    vocabulary that, once half a corpus is generated, lexical links explode (measured:
    743,802 links for 119,184 claims at 8,700 articles), which real news does not do."""
    files = sorted((shared / BALY).glob("*.json"))
    seen: set[str] = set()
    topics: list[Topic] = []
    base = date(2017, 1, 1)
    for _i, path in enumerate(files):
        data = json.loads(path.read_text(encoding="utf-8"))
        outlets: list[tuple[str, str]] = []
        paragraphs: list[str] = []
        for text, url in zip(data["article"], data["url"], strict=True):
            outlets.append((_outlet(url), url))
            for raw in text.split("\n"):
                line = " ".join(raw.split())
                # Each real paragraph once in the whole corpus: natural reprints stay out of
                # the background so that planted groups are the known duplicates.
                if len(line) >= 20 and line not in seen:
                    seen.add(line)
                    paragraphs.append(line)
        bigrams: dict[str, list[str]] = {}
        for para in paragraphs:
            words = para.split()
            for a, b in itertools.pairwise(words):
                bigrams.setdefault(a, []).append(b)
        day = base + timedelta(days=(int(hashlib.sha1(path.stem.encode()).hexdigest(), 16) % 700))
        topics.append(Topic(path.stem, day, sorted(set(outlets)), paragraphs, bigrams=bigrams))
    if generator == "global":
        shared_model: dict[str, list[str]] = {}
        for t in topics:
            for a, succ in t.bigrams.items():
                shared_model.setdefault(a, []).extend(succ)
        for t in topics:
            t.bigrams = shared_model
    elif generator != "topic":
        raise ValueError(f"unknown generator {generator!r}")
    for t in topics:
        t.plantable = [p for p in t.paragraphs if _is_plantable(p)]
        plant = set(t.plantable[::2])  # half of them reserved for planting, half stay background
        t.plantable = [p for p in t.plantable if p in plant]
        t.paragraphs = [p for p in t.paragraphs if p not in plant]
    return [t for t in topics if t.outlets and t.paragraphs]


def generate_paragraph(topic: Topic, rng: random.Random) -> str:
    """A new paragraph: a bigram walk over the topic's words, length of a real paragraph."""
    model = rng.choice(topic.paragraphs).split()
    n = max(8, min(len(model), 80))
    word = model[0]
    out = [word]
    while len(out) < n:
        nxt = topic.bigrams.get(word)
        if not nxt:
            nxt = rng.choice(topic.paragraphs).split()
        word = nxt[int(rng.random() * len(nxt))]
        out.append(word)
    if out[-1] != ".":
        out.append(".")
    return " ".join(out)


def near_edit(text: str, rng: random.Random) -> str:
    """One or two small edits that keep the meaning: drop a word, swap two, add a lead-in.

    Numbers and negations are left alone so that a near copy is never a contrast.
    """
    words = text.split()
    for _ in range(rng.choice((1, 2))):
        op = rng.choice(("drop", "swap", "lead"))
        safe = [i for i, w in enumerate(words[:-1]) if _ARABIC_WORD.match(w) and w not in ("لا", "لم", "لن", "ما")]
        if op == "lead" or len(safe) < 3:
            words = [*rng.choice(_LEAD_INS).split(), *words]
        elif op == "drop":
            del words[rng.choice(safe[1:])]
        else:
            i = rng.choice(safe[:-1])
            if i + 1 < len(words) - 1 and _ARABIC_WORD.match(words[i + 1]):
                words[i], words[i + 1] = words[i + 1], words[i]
            else:
                del words[i]
    return " ".join(words)


def change_number(text: str, rng: random.Random) -> str | None:
    """The same sentence with one number changed (ASCII digits out), or None without one."""
    spans = [m for m in _DIGITS.finditer(text) if not (len(m.group()) == 4 and m.group().startswith(("19", "20")))]
    if not spans:
        return None
    m = rng.choice(spans)
    old = int(m.group().translate(str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")))
    new = old + rng.choice((1, 2, 3, 5, 10, 20)) * (1 if old < 3 or rng.random() < 0.5 else -1)
    if new <= 0:
        new = old + 7
    return text[: m.start()] + str(new) + text[m.end() :]


def insert_negation(text: str) -> str | None:
    """The same sentence with "لا" before its first present-tense verb, or None."""
    words = text.split()
    for i, w in enumerate(words[1:], start=1):
        if _PRESENT.match(w) and words[i - 1] not in ("لا", "لم", "لن", "ما"):
            return " ".join([*words[:i], "لا", *words[i:]])
    return None


def build_corpus(
    topics: Sequence[Topic], n_articles: int, *, seed: int = 0, plant_rate: float = 0.2,
    min_paragraphs: int = 3, max_paragraphs: int = 12,
) -> tuple[list[SynthArticle], list[dict[str, object]]]:
    """Articles and planted groups. ``plant_rate``: planted groups per article (all kinds)."""
    rng = random.Random(seed)
    weights = [len(t.outlets) for t in topics]
    cursor = [0] * len(topics)
    pools = [rng.sample(t.paragraphs, len(t.paragraphs)) for t in topics]
    articles: list[SynthArticle] = []
    article_topic: list[int] = []
    for i in range(n_articles):
        ti = rng.choices(range(len(topics)), weights=weights)[0]
        t = topics[ti]
        outlet, url = rng.choice(t.outlets)
        k = rng.randint(min_paragraphs, max_paragraphs)
        paras: list[str] = []
        for _ in range(k):
            if cursor[ti] < len(pools[ti]):
                paras.append(pools[ti][cursor[ti]])
                cursor[ti] += 1
            else:
                paras.append(generate_paragraph(t, rng))
        day = t.day + timedelta(days=rng.randint(0, 6))
        aid = f"syn-{i:07d}"
        articles.append(SynthArticle(aid, outlet, f"{url.split('#')[0]}#{aid}", day.isoformat(), paras))
        article_topic.append(ti)

    by_topic: dict[int, list[int]] = {}
    for i, ti in enumerate(article_topic):
        by_topic.setdefault(ti, []).append(i)
    plant_pool = [(ti, p) for ti, t in enumerate(topics) if ti in by_topic for p in t.plantable]
    rng.shuffle(plant_pool)
    # Number contrasts need a sentence with a number: they draw from their own pool.
    numeric = [tp for tp in plant_pool if change_number(tp[1], random.Random(0)) is not None]
    numeric_set = set(numeric)
    others = [tp for tp in plant_pool if tp not in numeric_set]
    n_groups = min(round(n_articles * plant_rate), len(plant_pool))
    groups: list[dict[str, object]] = []
    inserts: list[tuple[int, str, int]] = []  # (article index, text, group index)
    for g in range(n_groups):
        kind = PLANT_KINDS[g % len(PLANT_KINDS)]
        pool = numeric if kind == "number" and numeric else others if others else numeric
        if not pool:
            break
        ti, source = pool.pop()
        if kind == "number":
            variant = change_number(source, rng)
        elif kind == "negation":
            variant = insert_negation(source)
        else:
            variant = source
        if variant is None or (variant == source and kind in ("number", "negation")):
            kind, variant = "near", source  # no number/verb to change: plant a near copy instead
        size = 2 if kind in ("number", "negation") else rng.choice((2, 2, 3, 4))
        texts = [source] + [near_edit(source, rng) if kind == "near" else variant for _ in range(size - 1)]
        # Members in articles of different outlets, preferably of the same topic (a story).
        candidates = by_topic[ti] if len(by_topic[ti]) >= size * 2 else list(range(n_articles))
        chosen: list[int] = []
        outlets: set[str] = set()
        for a in rng.sample(candidates, min(len(candidates), size * 6)):
            if articles[a].outlet not in outlets:
                chosen.append(a)
                outlets.add(articles[a].outlet)
            if len(chosen) == size:
                break
        if len(chosen) < 2:
            continue
        groups.append({"group_id": f"g{g:06d}", "kind": kind, "texts": texts[: len(chosen)], "articles": chosen})
        inserts.extend((a, txt, len(groups) - 1) for a, txt in zip(chosen, texts, strict=False))

    # Insert planted paragraphs at random positions, then record their final line numbers.
    placed: dict[int, list[tuple[str, int]]] = {}
    for a, txt, gi in inserts:
        placed.setdefault(a, []).append((txt, gi))
    members: dict[int, list[dict[str, Any]]] = {}
    for a in sorted(placed):
        paras = articles[a].paragraphs
        for txt, _gi in placed[a]:
            pos = rng.randint(1, len(paras))  # never first: line 1 also gives the title
            paras.insert(pos, txt)
        for line, p in enumerate(paras, start=1):
            for txt, gi in placed[a]:
                if p == txt:
                    members.setdefault(gi, []).append(
                        {"id": articles[a].id, "row": a + 1, "line": line, "text": txt}
                    )
    labels: list[dict[str, object]] = []
    for gi, grp in enumerate(groups):
        unique = {(m["id"], m["line"]): m for m in members.get(gi, [])}
        ms = sorted(unique.values(), key=lambda m: (m["row"], m["line"]))
        if len(ms) >= 2:
            labels.append({"group_id": grp["group_id"], "kind": grp["kind"], "members": ms})
    return articles, labels


def _title(paragraph: str) -> str:
    words = [w for w in paragraph.split() if any(ch.isalnum() for ch in w)]
    return " ".join(words[:10])


def write_corpus(out: Path, articles: Sequence[SynthArticle], labels: list[dict[str, object]], meta: dict[str, object]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / "corpus.jsonl.tmp"
    with tmp.open("w", encoding="utf-8") as fh:
        for a in articles:
            rec = {"id": a.id, "outlet": a.outlet, "title": _title(a.paragraphs[0]), "date": a.date,
                   "url": a.url, "text": "\n".join(a.paragraphs)}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    tmp.replace(out / "corpus.jsonl")
    kinds: dict[str, int] = {}
    for g in labels:
        kinds[str(g["kind"])] = kinds.get(str(g["kind"]), 0) + 1
    (out / "labels.json").write_text(
        json.dumps({**meta, "groups_by_kind": dict(sorted(kinds.items())), "groups": labels}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )


def planted_pairs(labels: list[dict[str, object]]) -> list[tuple[str, dict[str, object], dict[str, object]]]:
    """Every pair of members of every planted group: (kind, member, member)."""
    pairs = []
    for g in labels:
        ms = g["members"]
        assert isinstance(ms, list)
        for i in range(len(ms)):
            for j in range(i + 1, len(ms)):
                pairs.append((str(g["kind"]), ms[i], ms[j]))
    return pairs


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", "-n", type=int, default=1000, help="number of articles (1000, 10000, 100000)")
    ap.add_argument("--out", type=Path, default=None, help=f"output folder (default {DEFAULT_OUT}/N)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--plant-rate", type=float, default=0.2, help="planted groups per article")
    ap.add_argument("--min-paragraphs", type=int, default=3)
    ap.add_argument("--max-paragraphs", type=int, default=12)
    ap.add_argument("--shared", type=Path, default=SHARED, help="the ../shared folder")
    ap.add_argument("--generator", choices=("global", "topic"), default="global",
                    help="bigram model for generated paragraphs (see load_topics)")
    args = ap.parse_args(argv)
    if not (args.shared / BALY).is_dir():
        print(f"synth: {args.shared / BALY} is absent; nothing to build (needs ../shared).")
        return 0
    out = args.out or DEFAULT_OUT / str(args.articles)
    t0 = time.perf_counter()
    topics = load_topics(args.shared, args.generator)
    articles, labels = build_corpus(
        topics, args.articles, seed=args.seed, plant_rate=args.plant_rate,
        min_paragraphs=args.min_paragraphs, max_paragraphs=args.max_paragraphs,
    )
    real = {p for t in topics for p in (*t.paragraphs, *t.plantable)}
    generated = sum(1 for a in articles for p in a.paragraphs if p not in real)
    meta = {"seed": args.seed, "generator": args.generator, "generated_paragraphs": generated, "articles": len(articles), "paragraphs": sum(len(a.paragraphs) for a in articles),
            "outlets": len({a.outlet for a in articles}), "source": "baly2018-dev"}
    write_corpus(out, articles, labels, meta)
    print(f"synth: {meta['articles']} articles, {meta['paragraphs']} paragraphs, {meta['outlets']} outlets, "
          f"{len(labels)} planted groups -> {out} ({time.perf_counter() - t0:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

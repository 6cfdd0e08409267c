"""Duplicate-paragraph audit: verbatim, near, must-not-match, scopes, origins, robustness."""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from compare import dupes, schema, shingle
from compare.dupes import near
from compare.errors import UsageError
from compare.render.dupes import render_dupes_markdown
from compare.text.normalize import clean_display, match_key
from tests.conftest import SHARED, claim_row, claims_frame, needs_shared

LEAD = ("أعربت الرئاسة الروسية الكرملين يوم الأحد عن قلقها بسبب تواجد الإرهابيين في محافظة إدلب "
        "مشيرة إلى أن هؤلاء يشكلون تهديدا للجيش السوري والعسكريين الروس")
QUOTE = ("وقال المتحدث باسم الكرملين ديمتري بيسكوف في تصريحات متلفزة إن روسيا لا تزال قلقة بسبب "
         "تواجد الإرهابيين في محافظة إدلب وتتوقع تحريرها منهم إلا أنها لا ترى بديلا عن التعاون مع تركيا")
OTHER = [
    "وشدد وزير الخارجية على ضرورة استعادة السيطرة على المحافظة بعد فشل الاتفاق السابق بين الطرفين",
    "وكانت الأمم المتحدة قد حذرت من كارثة إنسانية في شمال غرب البلاد مع نزوح مئات آلاف المدنيين",
    "ويأتي ذلك في وقت تتواصل فيه الاشتباكات العنيفة على محاور عدة في ريف حلب الغربي والجنوبي",
    "من جهتها أعلنت وزارة الدفاع التركية إرسال تعزيزات عسكرية جديدة إلى نقاط المراقبة المنتشرة هناك",
]


def para(pid: str, article: str, outlet: str, text: str, *, n: int = 1, date: str | None = None) -> dict[str, object]:
    text = clean_display(text)
    return {
        "paragraph_id": pid, "article_id": article, "outlet": outlet, "source": f"/c/{outlet}/{article}.txt",
        "date": date, "paragraph": n, "start": 0, "end": len(text), "text": text, "key": match_key(text),
    }


def frame(rows: list[dict[str, object]]) -> pl.DataFrame:
    return schema.frame(rows, schema.PARAGRAPHS)


def groups_of(res: dupes.DupesResult) -> list[set[str]]:
    by: dict[str, set[str]] = {}
    for g, p in zip(res.members["group_id"], res.members["paragraph_id"], strict=True):
        by.setdefault(g, set()).add(p)
    return sorted(by.values(), key=sorted)


def filler(prefix: str, k: int = 4) -> list[dict[str, object]]:
    return [para(f"{prefix}{i}", f"{prefix}art", f"{prefix}out", t, n=10 + i) for i, t in enumerate(OTHER[:k])]


# --- pairs ---------------------------------------------------------------------------------


def test_verbatim_across_outlets_and_within_article() -> None:
    rows = [
        para("a:p1", "a", "A", LEAD, n=1), para("a:p2", "a", "A", LEAD, n=2),
        para("b:p1", "b", "B", "«" + LEAD + "»."),  # punctuation only: same match key
        para("c:p1", "c", "C", OTHER[0]),
    ]
    res = dupes.audit_duplicates(frame(rows))
    assert groups_of(res) == [{"a:p1", "a:p2", "b:p1"}]
    g = res.groups.row(0, named=True)
    assert (g["kind"], g["scope"], g["size"], g["n_outlets"]) == ("verbatim", "across", 3, 2)
    assert res.groups.schema == pl.Schema(schema.DUPE_GROUPS)
    assert res.members.schema == pl.Schema(schema.DUPE_MEMBERS)


@pytest.mark.parametrize(
    "variant",
    [
        LEAD.replace("يوم الأحد", "الأحد").replace("تهديدا", "خطرا"),  # small edits
        "مشيرة إلى أن هؤلاء يشكلون تهديدا للجيش السوري والعسكريين الروس " + LEAD.split(" مشيرة")[0],  # reordered clauses
        LEAD + " وأضاف أن موسكو تتابع الوضع عن كثب",  # added clause
        LEAD.split(" مشيرة")[0] + " مشيرة إلى أن هؤلاء يشكلون تهديدا",  # dropped clause
    ],
    ids=["edits", "reorder", "added-clause", "dropped-clause"],
)
def test_near_duplicates_found(variant: str) -> None:
    rows = [para("a:p1", "a", "A", LEAD), para("b:p1", "b", "B", variant), *filler("z")]
    res = dupes.audit_duplicates(frame(rows))
    assert groups_of(res) == [{"a:p1", "b:p1"}]
    assert res.groups["kind"].to_list() == ["near"]
    diff = res.members.filter(~pl.col("is_reference"))["diff"].item()
    assert "[-" in diff or "{+" in diff


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("قالت مصادر محلية إن غارات جوية قتلت 5 أشخاص في إدلب يوم الاثنين وأصابت آخرين بجروح",
         "قالت مصادر محلية إن غارات جوية قتلت 12 شخصا في إدلب يوم الاثنين وأصابت آخرين بجروح"),
        ("قالت مصادر محلية إن غارات جوية قتلت خمسة أشخاص في ريف إدلب يوم الاثنين وأصابت آخرين",
         "قالت مصادر محلية إن غارات جوية قتلت خمسة أشخاص في ريف إدلب يوم الجمعة وأصابت آخرين"),
        ("Local sources said air strikes killed 5 people in Idlib on Monday and wounded dozens more",
         "Local sources said air strikes killed 12 people in Hama on Friday and wounded dozens more"),
    ],
    ids=["number", "weekday", "english-template"],
)
def test_same_template_different_facts_do_not_match(a: str, b: str) -> None:
    rows = [para("a:p1", "a", "A", a), para("b:p1", "b", "B", b), *filler("z")]
    assert dupes.audit_duplicates(frame(rows)).groups.height == 0
    # The texts are close enough that only the fact check tells them apart.
    assert dupes.similarity(match_key(a), match_key(b)).similarity >= 0.8


def test_unrelated_paragraphs_do_not_match() -> None:
    rows = [para(f"x:p{i}", "x", "X", t, n=i) for i, t in enumerate([LEAD, QUOTE, *OTHER])]
    assert dupes.audit_duplicates(frame(rows)).groups.height == 0


def test_no_chaining_every_member_passes_against_its_reference() -> None:
    rng = random.Random(3)
    words = QUOTE.split()
    chain = [words]
    for _ in range(12):  # each step changes two words: neighbours pass, ends do not
        w = list(chain[-1])
        for i in rng.sample(range(len(w)), 2):
            w[i] = f"كلمة{rng.randrange(10**6)}"
        chain.append(w)
    rows = [para(f"c{i}:p1", f"c{i}", f"O{i}", " ".join(w)) for i, w in enumerate(chain)]
    res = dupes.audit_duplicates(frame(rows))
    first, last = match_key(" ".join(chain[0])), match_key(" ".join(chain[-1]))
    assert not dupes.similarity(first, last).passes(dupes.DEFAULT_THRESHOLD)
    assert res.groups.height >= 2
    assert not any({"c0:p1", f"c{len(chain) - 1}:p1"} <= g for g in groups_of(res))
    keys = dict(zip(res.members["paragraph_id"], res.members["text"], strict=True))
    for g in res.groups.iter_rows(named=True):
        ref = keys[g["reference_id"]]
        for m in res.members.filter(pl.col("group_id") == g["group_id"]).iter_rows(named=True):
            assert dupes.similarity(match_key(ref), match_key(m["text"])).passes(dupes.DEFAULT_THRESHOLD)


# --- scopes, origins -----------------------------------------------------------------------


def scoped_rows() -> list[dict[str, object]]:
    return [
        para("a1:p1", "a1", "A", LEAD, n=1), para("a1:p2", "a1", "A", LEAD, n=2),  # within article...
        para("b1:p1", "b1", "B", LEAD),  # ... and across outlets
        para("a2:p1", "a2", "A", QUOTE), para("a3:p4", "a3", "A", QUOTE, n=4),  # within outlet
        *filler("z"),
    ]


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (None, [{"a1:p1", "a1:p2", "b1:p1"}, {"a2:p1", "a3:p4"}]),
        ("within-article", [{"a1:p1", "a1:p2"}]),
        ("within-outlet", [{"a2:p1", "a3:p4"}]),
        ("across", [{"a1:p1", "a1:p2", "b1:p1"}]),
    ],
)
def test_scopes(scope: str | None, expected: list[set[str]]) -> None:
    res = dupes.audit_duplicates(frame(scoped_rows()), scope=scope)
    assert groups_of(res) == expected
    if scope:
        assert set(res.groups["scope"]) == {scope}


def test_unknown_scope_and_threshold_raise_usage_errors() -> None:
    from compare.errors import UsageError

    with pytest.raises(UsageError):
        dupes.audit_duplicates(frame(scoped_rows()), scope="everywhere")
    with pytest.raises(UsageError):
        dupes.audit_duplicates(frame(scoped_rows()), threshold=1.5)


def test_origin_by_date_and_who_copies_whom() -> None:
    variant = LEAD.replace("يوم الأحد", "الأحد")
    rows = [
        para("b:p1", "b", "B", variant, date="2020-02-17"),
        para("a:p1", "a", "A", LEAD, date="2020-02-16"),
        para("c:p1", "c", "C", LEAD, date="2020-02-18"),
        para("c2:p1", "c2", "C", QUOTE, date="2020-02-18"), para("d:p1", "d", "D", QUOTE, date="2020-02-19"),
        *filler("z"),
    ]
    res = dupes.audit_duplicates(frame(rows))
    lead = res.groups.filter(pl.col("size") == 3).row(0, named=True)
    assert (lead["origin_id"], lead["origin_outlet"], lead["origin_date"]) == ("a:p1", "A", "2020-02-16")
    assert lead["reference_id"] == "a:p1"
    origin_rows = res.members.filter(pl.col("is_origin"))
    assert sorted(origin_rows["paragraph_id"]) == ["a:p1", "c2:p1"]
    copies = {(r["outlet_from"], r["outlet_to"]): r["groups"] for r in res.copies.iter_rows(named=True)}
    assert copies == {("A", "B"): 1, ("A", "C"): 1, ("C", "D"): 1}
    assert set(res.copies["direction"]) == {"dated"}
    reuse = {r["outlet"]: r for r in res.outlet_reuse.iter_rows(named=True)}
    assert (reuse["A"]["originated"], reuse["A"]["copied"]) == (1, 0)
    assert (reuse["C"]["originated"], reuse["C"]["copied"], reuse["C"]["found_elsewhere"]) == (1, 1, 2)
    assert res.undated == 0


def test_undated_origin_unknown_and_said_so() -> None:
    rows = [para("a:p1", "a", "A", LEAD), para("b:p1", "b", "B", LEAD, date="2020-02-16"), *filler("z")]
    res = dupes.audit_duplicates(frame(rows))
    assert res.groups["origin_id"].to_list() == [None]
    assert res.undated == 1
    assert res.copies["direction"].to_list() == ["unknown"]
    md = render_dupes_markdown(res, title="Duplicate paragraphs")
    assert "origin unknown (undated)" in md


def test_same_day_different_outlets_origin_unknown_but_within_article_first_wins() -> None:
    rows = [
        para("a:p1", "a", "A", LEAD, date="2020-02-16"), para("b:p1", "b", "B", LEAD, date="2020-02-16"),
        para("c:p3", "c", "C", QUOTE, n=3), para("c:p1", "c", "C", QUOTE, n=1),
    ]
    res = dupes.audit_duplicates(frame(rows))
    by_size = {r["n_outlets"]: r for r in res.groups.iter_rows(named=True)}
    assert by_size[2]["origin_id"] is None
    assert by_size[1]["origin_id"] == "c:p1"  # first occurrence in the article, undated


# --- robustness ----------------------------------------------------------------------------


def test_empty_short_and_missing_keys() -> None:
    rows = [
        para("a:p1", "a", "A", ""), para("b:p1", "b", "B", ""), para("a:p2", "a", "A", "SHARE"),
        para("b:p2", "b", "B", "SHARE"), para("a:p3", "a", "A", LEAD), para("b:p3", "b", "B", LEAD),
    ]
    df = frame(rows).with_columns(pl.lit(None, dtype=pl.String).alias("key"))  # keys computed
    res = dupes.audit_duplicates(df)
    assert groups_of(res) == [{"a:p3", "b:p3"}]
    empty = dupes.audit_duplicates(schema.empty(schema.PARAGRAPHS))
    assert empty.groups.height == 0 and empty.members.schema == pl.Schema(schema.DUPE_MEMBERS)
    assert "No duplicates found" in render_dupes_markdown(empty, title="t")


def test_one_line_corpus() -> None:
    res = dupes.audit_duplicates(frame([para("a:p1", "a", "A", LEAD)]))
    assert res.groups.height == 0 and res.units == 1
    assert res.outlet_reuse["paragraphs"].to_list() == [1]


def test_missing_columns_is_a_usage_error() -> None:
    from compare.errors import UsageError

    with pytest.raises(UsageError, match="paragraph_id"):
        dupes.audit_duplicates(pl.DataFrame({"text": ["x"]}))


@pytest.mark.slow
def test_huge_paragraph_does_not_crash() -> None:
    rng = random.Random(1)
    vocab = [f"w{i}" for i in range(5000)] + LEAD.split()
    words = [rng.choice(vocab) for _ in range(180_000)]
    big = " ".join(words)
    assert len(big) > 1_000_000
    words[500] = "edited"
    rows = [para("a:p1", "a", "A", big), para("b:p1", "b", "B", " ".join(words)), para("c:p1", "c", "C", LEAD)]
    res = dupes.audit_duplicates(frame(rows))
    assert groups_of(res) == [{"a:p1", "b:p1"}]
    assert "too long to diff" in render_dupes_markdown(res, title="t")


# --- Markdown ------------------------------------------------------------------------------


def test_markdown_escapes_article_text_and_shows_diff() -> None:
    evil = LEAD + " | <script>alert(1)</script> [link](http://x) **bold**"
    rows = [para("a:p1", "a", "A|x", evil, date="2020-01-01"), para("b:p1", "b", "B", evil.replace("يوم الأحد", "الأحد"), date="2020-01-02"), *filler("z")]
    md = render_dupes_markdown(dupes.audit_duplicates(frame(rows)), title="Duplicate paragraphs")
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "[link](" not in md and "A|x" not in md
    assert "~~" in md  # the removed word is struck through
    member_rows = [line for line in md.splitlines() if line.startswith("| ") and ":p1" in line]
    assert len(member_rows) == 2
    for line in member_rows:
        assert len(re.findall(r"(?<!\\)\|", line)) == 7  # six columns, no cell broken by a pipe


def test_compact_diff() -> None:
    assert dupes.compact_diff("a b c d", "a b c d") == ""
    assert dupes.compact_diff("a b c d", "a x c d") == "a [-b-] {+x+} c d"
    long_ref = " ".join(f"w{i}" for i in range(30))
    d = dupes.compact_diff(long_ref, long_ref.replace("w15", "X"))
    assert d.startswith("… ") and "[-w15-] {+X+}" in d and d.endswith(" …")


# --- determinism, claims -------------------------------------------------------------------


def test_deterministic_ids_and_order_under_shuffle() -> None:
    rows = scoped_rows()
    a = dupes.audit_duplicates(frame(rows))
    shuffled = rows[:]
    random.Random(5).shuffle(shuffled)
    b = dupes.audit_duplicates(frame(shuffled))
    assert a.groups.equals(b.groups) and a.members.equals(b.members)
    assert all(re.fullmatch(r"d[0-9a-f]{10}", g) for g in a.groups["group_id"])
    assert dupes.group_id(["b", "a"]) == dupes.group_id(["a"])


def test_units_from_claims() -> None:
    claims = claims_frame([
        claim_row("c1", "A", LEAD, article="a"), claim_row("c2", "B", LEAD, article="b"),
        claim_row("c3", "B", QUOTE, article="b", start=200),
    ])
    units = dupes.units_from_claims(claims)
    assert units.schema == pl.Schema(schema.PARAGRAPHS)
    assert units["paragraph_id"].to_list() == ["c1", "c2", "c3"]
    assert groups_of(dupes.audit_duplicates(units)) == [{"c1", "c2"}]


# --- shingling / MinHash ---------------------------------------------------------------------


def test_signatures_do_not_depend_on_block_size() -> None:
    th = shingle.TokenHasher()
    docs = [shingle.shingles(th.ids(t.split()), 3) for t in [LEAD, QUOTE, *OTHER, LEAD * 50]]
    a = shingle.signatures(iter(docs), len(docs), 64, block=7)
    b = shingle.signatures(iter(docs), len(docs), 64, block=100_000)
    assert np.array_equal(a, b)


def test_minhash_estimates_jaccard() -> None:
    th = shingle.TokenHasher()
    base = [f"t{i}" for i in range(200)]
    other = base[:140] + [f"u{i}" for i in range(60)]
    sa, sb = shingle.shingles(th.ids(base), 3), shingle.shingles(th.ids(other), 3)
    sig = shingle.signatures(iter([sa, sb]), 2, 512)
    est = float((sig[0] == sig[1]).mean())
    assert abs(est - shingle.jaccard(sa, sb)) < 0.08


def test_candidate_pairs_respect_pools_and_big_buckets() -> None:
    keys = np.array([[1, 9], [1, 8], [1, 7], [2, 7]], dtype=np.uint64)
    assert shingle.candidate_pairs(keys).tolist() == [[0, 1], [0, 2], [1, 2], [2, 3]]
    pools = np.array([0, 1, 0, 0], dtype=np.int64)
    assert shingle.candidate_pairs(keys, pools).tolist() == [[0, 2], [2, 3]]
    big = np.zeros((500, 1), dtype=np.uint64)
    pairs = shingle.candidate_pairs(big, max_bucket=100)
    assert len(pairs) == 499  # a chain, not 124,750 pairs


# --- seeds (../shared) -----------------------------------------------------------------------


def _seed_units(unit: str) -> pl.DataFrame:
    from compare.clean import clean_articles, paragraphs_frame
    from compare.ingest import read_articles

    cleaned = clean_articles(read_articles([SHARED / "seeds"]))
    if unit == "paragraph":
        return paragraphs_frame(cleaned)
    try:
        from compare.segment import segment_claims
    except ImportError:
        # Until segment.py exists: clauses cut at sentence ends and commas.
        paras = paragraphs_frame(cleaned)
        rows = []
        for r in paras.iter_rows(named=True):
            for i, part in enumerate(p for p in re.split(r"[.!?؟،]+", r["text"]) if p.strip()):
                rows.append({**r, "paragraph_id": f"{r['paragraph_id']}:s{i}", "paragraph": r["paragraph"] * 1000 + i,
                             "text": clean_display(part), "key": match_key(part)})
        return frame(rows)
    return dupes.units_from_claims(segment_claims(cleaned))


@needs_shared("seeds")
def test_seeds_paragraphs_find_the_repeats_and_nothing_else() -> None:
    paras = _seed_units("paragraph")
    res = dupes.audit_duplicates(paras)
    text = dict(zip(paras["paragraph_id"], paras["text"], strict=True))
    found = [{text[p] for p in g} for g in groups_of(res)]
    lead = [t for t in text.values() if t.startswith("اعربت الرئاسة الروسية")]
    heading = next(t for t in text.values() if t.startswith("الكرملين يعلن عن لقاء قريب"))
    title = next(t for t in text.values() if t.startswith("روسيا تنسق مع تركيا وإيران"))
    assert len(lead) == 1 or len(set(lead)) == 1
    assert {lead[0]} in found or {lead[0]} == found[0]
    assert {heading, title} in found
    assert len(found) == 2, found  # nothing spurious
    assert res.members.filter(pl.col("outlet").str.contains("000"))["is_origin"].sum() == 1


@needs_shared("seeds")
def test_seeds_sentences_find_the_repeated_cavusoglu_quote() -> None:
    units = _seed_units("sentence")
    res = dupes.audit_duplicates(units)
    quote = [
        set(res.members.filter(pl.col("group_id") == g)["text"])
        for g in res.groups["group_id"]
    ]
    hits = [g for g in quote if sum("لحل المشكلات في المنطقة" in t for t in g) >= 2]
    assert hits, quote
    # Every grouped sentence comes from one seed article that repeats itself (000 or 004).
    outlets = set(res.members["outlet"])
    assert outlets and all(o.startswith(("000", "004")) for o in outlets), outlets
    assert set(res.groups["scope"]) == {"within-article"}


@needs_shared("data/baly2018-dev")
@pytest.mark.slow
def test_baly_sample_groups_pass_their_reference() -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from dupes_bench import load_baly

    df = load_baly()
    sample = df.filter(pl.col("article_id").is_in(df["article_id"].unique().sort().head(400).implode()))
    res = dupes.audit_duplicates(sample)
    assert res.groups.filter(pl.col("scope") == "across").height > 10  # wire copy is reprinted
    text = dict(zip(sample["paragraph_id"], sample["key"], strict=True))
    for g in res.groups.head(200).iter_rows(named=True):
        for m in res.members.filter(pl.col("group_id") == g["group_id"])["paragraph_id"]:
            assert dupes.similarity(text[g["reference_id"]], text[m]).passes(dupes.DEFAULT_THRESHOLD)


# --- streaming (band keys spilled to disk) ---------------------------------------------------


def reuse_corpus(seed: int = 11, n_base: int = 40) -> pl.DataFrame:
    """Paragraphs with verbatim copies, chains of small edits (split groups), numbers,
    dated and undated articles, repeats inside one article and inside one outlet."""
    rng = random.Random(seed)
    vocab = sorted({w for t in [LEAD, QUOTE, *OTHER] for w in t.split()}) + [f"كلمة{i}" for i in range(300)]
    articles = [(f"a{i}", f"O{i % 7}", rng.choice([None, "2020-02-16", "2020-02-17", "2020-02-18"])) for i in range(30)]
    rows: list[dict[str, object]] = []
    for b in range(n_base):
        words = [rng.choice(vocab) for _ in range(rng.randint(6, 30))]
        if b % 5 == 0:
            words.insert(1, str(rng.randint(1, 99)))
        chain = [words]
        for _ in range(rng.randint(0, 4)):  # each step edits two words: ends of a long chain differ
            w = list(chain[-1])
            for i in rng.sample(range(len(w)), 2):
                w[i] = rng.choice(vocab)
            chain.append(w)
        for w in chain:
            for _ in range(rng.randint(1, 3)):
                art, outlet, date = rng.choice(articles)
                n = len(rows)
                rows.append(para(f"{art}:p{n}", art, outlet, " ".join(w), n=n, date=date))
    return frame(rows)


def assert_same_result(a: dupes.DupesResult, b: dupes.DupesResult) -> None:
    for name in ("groups", "members", "outlet_reuse", "copies"):
        assert getattr(a, name).equals(getattr(b, name)), name
    assert (a.undated, a.units) == (b.undated, b.units)


@pytest.mark.parametrize("scope", [None, "within-article", "within-outlet", "across"])
def test_spilled_audit_equals_in_memory(scope: str | None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import tempfile

    units = reuse_corpus()
    in_memory = dupes.audit_duplicates(units, scope=scope)
    assert in_memory.groups.height >= 5
    if scope is None:
        assert set(in_memory.groups["kind"]) == {"verbatim", "near"}
    spills: list[Path] = []

    class Spy(shingle.BandSpill):
        def __init__(self, folder: Path, bands: int) -> None:
            spills.append(folder)
            super().__init__(folder, bands)

    monkeypatch.setattr(near, "BandSpill", Spy)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    spilled = dupes.audit_duplicates(units, scope=scope, chunk_size=7)  # dozens of chunks and parts
    assert len(spills) == 1
    assert_same_result(in_memory, spilled)
    assert not list(tmp_path.iterdir())  # the spill folder is removed


def test_verified_pairs_same_in_memory_and_spilled() -> None:
    df = reuse_corpus(seed=4).unique("key", keep="first", maintain_order=True)
    keys, texts = df["key"].to_list(), df["text"].to_list()
    want = list(dupes.verified_pairs(keys, texts).items())
    assert len(want) >= 10
    assert list(dupes.verified_pairs(keys, texts, chunk_size=5).items()) == want
    assert list(dupes.verified_pairs(df["key"], df["text"], chunk_size=3).items()) == want
    with pytest.raises(UsageError):
        dupes.verified_pairs(keys, texts, chunk_size=0)
    with pytest.raises(UsageError):
        dupes.audit_duplicates(df, chunk_size=0)


def test_spill_folder_removed_on_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import tempfile

    def fail(*args: object, **kwargs: object) -> None:
        assert list(tmp_path.iterdir())  # the spill folder exists while pairs are verified
        raise RuntimeError("interrupted")

    monkeypatch.setattr(near, "verify_candidates_into", fail)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(RuntimeError, match="interrupted"):
        dupes.audit_duplicates(reuse_corpus(), chunk_size=10)
    assert not list(tmp_path.iterdir())


# --- verbatim copies stay together -------------------------------------------------------------


def _edit(words: list[str], positions: list[int], tag: str) -> list[str]:
    out = list(words)
    for i in positions:
        out[i] = f"{tag}{i}"
    return out


@pytest.mark.parametrize("dated", [True, False])
def test_verbatim_copies_land_in_one_group_when_a_chain_is_split(dated: bool) -> None:
    # A ~ B ~ C but A !~ C: the component is split against its reference, and every copy of
    # B and of C goes with its own text, whichever group that is.
    a = QUOTE.split()
    b = _edit(a, [1, 8, 15, 22], "x")
    c = _edit(b, [2, 9, 16, 23], "y")
    ka, kb, kc = (match_key(" ".join(w)) for w in (a, b, c))
    assert dupes.similarity(ka, kb).passes(0.85) and dupes.similarity(kb, kc).passes(0.85)
    assert not dupes.similarity(ka, kc).passes(0.85)

    def day(d: int) -> str | None:
        return f"2020-02-1{d}" if dated else None

    rows = [
        para("a:p1", "a", "A", " ".join(a), date=day(1)),
        *(para(f"b{i}:p1", f"b{i}", f"B{i}", " ".join(b), date=day(2 + i)) for i in range(3)),
        *(para(f"c{i}:p{i}", f"c{i}", f"C{i}", " ".join(c), n=i, date=day(3)) for i in range(4)),
        para("c0:p9", "c0", "C0", " ".join(c), n=9, date=day(3)),  # and once more inside an article
        *filler("z"),
    ]
    res = dupes.audit_duplicates(frame(rows))
    key_of = {r["paragraph_id"]: r["key"] for r in rows}
    groups_by_key: dict[str, set[str]] = {}
    for g, p in zip(res.members["group_id"], res.members["paragraph_id"], strict=True):
        groups_by_key.setdefault(str(key_of[p]), set()).add(g)
    assert set(groups_by_key) == {ka, kb, kc}
    assert all(len(gs) == 1 for gs in groups_by_key.values())
    members = groups_of(res)
    assert {f"c{i}:p{i}" for i in range(4)} | {"c0:p9"} <= next(g for g in members if "c0:p9" in g)
    # Dated: A (the origin) is the reference and C, which fails against it, is split off.
    # Undated: the reference is the medoid B, which both A and C pass against.
    assert any({"a:p1", "c0:p9"} <= g for g in members) is not dated


def test_verbatim_copies_together_in_a_random_corpus() -> None:
    units = reuse_corpus(seed=23, n_base=60)
    res = dupes.audit_duplicates(units)
    n_tok = units["key"].str.count_matches(" ") + 1
    repeated = units.filter(n_tok >= dupes.MIN_TOKENS).group_by("key").agg(pl.col("paragraph_id")).filter(
        pl.col("paragraph_id").list.len() > 1
    )
    assert repeated.height >= 20
    group_of = dict(zip(res.members["paragraph_id"], res.members["group_id"], strict=True))
    for ids in repeated["paragraph_id"]:
        assert len({group_of.get(p) for p in ids}) == 1 and ids[0] in group_of


# --- negation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "differs"),
    [
        ("كما تسعى هذه البرامج أيضا لمنع تكرار عدد قليل من الحالات في طلبات تقديمهم",
         "كما لا تسعى هذه البرامج أيضا لمنع تكرار عدد قليل من الحالات في طلبات تقديمهم", True),
        ("أعلنت الحكومة أنها ستفتح المعابر أمام المساعدات الإنسانية خلال الأيام المقبلة",
         "لم تعلن الحكومة أنها ستفتح المعابر أمام المساعدات الإنسانية خلال الأيام المقبلة", True),
        ("The minister said the talks would resume in Geneva next week with both delegations",
         "The minister said the talks would not resume in Geneva next week with both delegations", True),
        # A clause added at the end that happens to hold a negator: still reuse.
        ("أعلنت الحكومة أنها ستفتح المعابر أمام المساعدات الإنسانية خلال الأيام المقبلة",
         "أعلنت الحكومة أنها ستفتح المعابر أمام المساعدات الإنسانية خلال الأيام المقبلة دون تأخير", False),
        # Both negated, other words edited.
        ("لم تعلن الحكومة أنها ستفتح المعابر أمام المساعدات الإنسانية خلال الأيام المقبلة",
         "لم تعلن الحكومة أنها ستفتح المعابر امام المساعدات الانسانية في الأيام المقبلة", False),
        # Not negation: one negator for another, a clitic, spacing, an idiom ("لا يزال" = still).
        ("وقالت الوزارة إن القوات دخلت المدينة بدون قتال بعد انسحاب المسلحين منها ليلا",
         "وقالت الوزارة إن القوات دخلت المدينة دون قتال بعد انسحاب المسلحين منها ليلا", False),
        ("لم تغب القامشلي وعامودا والدرباسية ورأس العين عن مشهد الاحتجاجات في المنطقة",
         "ولم تغب القامشلي وعامودا والدرباسية ورأس العين عن مشهد الاحتجاجات في المنطقة", False),
        ("الآراء الواردة في المقالات لا تمثل الرأي الرسمي للصحيفة بل تمثل وجهة نظر كاتبها",
         "الآراء الواردة في المقالات لاتمثل الرأي الرسمي للصحيفة بل تمثل وجهة نظر كاتبها", False),
        ("وتقاتل قوات النظام السوري لانتزاع آخر المناطق التي تسيطر عليها الفصائل في الريف",
         "وتقاتل قوات النظام السوري لانتزاع آخر المناطق التي لا تزال تسيطر عليها الفصائل في الريف", False),
    ],
    ids=["inserted-la", "leading-lam", "english-not", "trailing-clause", "both-negated", "negator-swap", "clitic",
         "spacing", "idiom"],
)
def test_negated_copy_is_not_a_duplicate(a: str, b: str, differs: bool) -> None:
    ka, kb = match_key(a), match_key(b)
    assert dupes.similarity(ka, kb).passes(dupes.DEFAULT_THRESHOLD)  # only negation tells them apart
    assert dupes.negation_differs(ka, kb) is differs
    rows = [para("a:p1", "a", "A", a), para("b:p1", "b", "B", b), *filler("z")]
    assert (dupes.audit_duplicates(frame(rows)).groups.height == 0) is differs
    assert (dupes.verify(ka, a, kb, b) is None) is differs


def test_units_one_per_id_first_row_wins_sorted_by_id() -> None:
    rng = random.Random(8)
    texts = [LEAD, QUOTE, *OTHER]
    rows = [para(f"p{rng.randrange(40)}", "a", "A", rng.choice(texts), n=i) for i in range(120)]
    df = pl.concat([frame(rows[:60]), frame(rows[60:])])  # two chunks, as read from parquet
    df = df.with_columns(pl.when(pl.col("paragraph") % 17 == 0).then(None).otherwise(pl.col("paragraph_id")).alias("paragraph_id"))
    got = dupes.prepare_units(df)
    want = df.filter(pl.col("paragraph_id").is_not_null()).unique("paragraph_id", keep="first").sort("paragraph_id")
    assert got["paragraph_id"].to_list() == want["paragraph_id"].to_list()
    assert got["paragraph"].to_list() == want["paragraph"].to_list()  # the first row of each id
    assert got["text"].to_list() == want["text"].to_list()

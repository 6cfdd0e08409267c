"""Ingest: formats, encodings, outlet rules, stable ids, and every bad-input error."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import polars as pl
import pytest

from compare import schema
from compare.errors import InputError
from compare.ingest import EmptyArticleWarning, articles_frame, normalize_date, read_articles
from tests.conftest import FIXTURES

CORPUS = FIXTURES / "corpus"
AR = "قال وزير الخارجية الروسي إن تركيا فشلت في الوفاء بالتزاماتها في إدلب."


def test_corpus_folder_outlets_and_order() -> None:
    arts = read_articles([CORPUS])
    assert len(arts) >= 15
    assert {a.outlet for a in arts} == {p.name for p in CORPUS.iterdir() if p.is_dir()}
    assert all(a.outlet_rule == "subfolder" for a in arts)
    rels = [Path(a.source).relative_to(CORPUS).as_posix() for a in arts]
    assert rels == sorted(rels)
    assert len({a.article_id for a in arts}) == len(arts)
    # Deterministic across runs.
    assert [a.article_id for a in read_articles([CORPUS])] == [a.article_id for a in arts]


def test_encodings_are_decoded() -> None:
    by_name = {Path(a.source).name + Path(a.source).parent.name: a for a in read_articles([CORPUS])}
    cp1256 = by_name["idlib-lavrov.txtdimashq-today"]
    utf16 = by_name["oktay-obligations.txtmarsad-turk"]
    crlf = by_name["oktay-attacks.txtidlib-voice"]
    assert "لافروف" in cp1256.text and "\ufffd" not in cp1256.text
    assert "أوقطاي" in utf16.text and not utf16.text.startswith("\ufeff")
    assert "\r\n" in crlf.text  # CRLF kept so offsets round-trip


def test_forced_encoding(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes(AR.encode("cp1256"))
    assert read_articles([f], encoding="cp1256")[0].text == AR
    assert read_articles([f])[0].text == AR  # detected


def test_bom_utf8(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes(b"\xef\xbb\xbf" + AR.encode())
    assert read_articles([f])[0].text == AR


def test_html_page() -> None:
    (a,) = read_articles([CORPUS / "levant-post" / "saraqib-return.html"])
    assert a.outlet == "Levant Post" and a.outlet_rule == "html-meta"
    assert a.title == "Displaced families return to Saraqib"
    assert a.date == "2020-02-19"
    assert a.url and a.url.startswith("https://levant-post.example/")
    assert "300 families" in a.text and "Related stories" not in a.text


def test_jsonl_csv_parquet_agree(tmp_path: Path) -> None:
    j = read_articles([FIXTURES / "formats" / "articles.jsonl"])
    c = read_articles([FIXTURES / "formats" / "articles.csv"])
    df = pl.read_ndjson(FIXTURES / "formats" / "articles.jsonl")
    pq = tmp_path / "articles.parquet"
    df.write_parquet(pq)
    p = read_articles([pq])
    for arts in (c, p):
        assert [(a.article_id, a.outlet, a.title, a.date, a.row) for a in arts] == [
            (a.article_id, a.outlet, a.title, a.date, a.row) for a in j
        ]
    assert [a.outlet_rule for a in j] == ["column"] * 3
    assert [a.row for a in j] == [1, 2, 3]
    assert [a.date for a in j] == ["2020-02-18", "2020-02-19", "2020-02-17"]


def test_custom_columns_and_file_stem(tmp_path: Path) -> None:
    f = tmp_path / "wire.jsonl"
    f.write_text(json.dumps({"body": AR, "site": "X"}, ensure_ascii=False) + "\n", encoding="utf-8")
    (a,) = read_articles([f], text_column="body", outlet_column="site")
    assert (a.outlet, a.outlet_rule) == ("X", "column")
    (b,) = read_articles([f], text_column="body")
    assert (b.outlet, b.outlet_rule) == ("wire", "file-stem")


def test_manifest_and_front_matter() -> None:
    arts = {Path(a.source).name: a for a in read_articles([FIXTURES / "corpus-manifest"])}
    assert (arts["convoy-a.txt"].outlet, arts["convoy-a.txt"].outlet_rule) == ("Levant Post", "manifest")
    assert arts["convoy-b.txt"].date == "2020-02-19"
    notes = arts["notes.md"]
    assert (notes.outlet, notes.outlet_rule, notes.title) == ("Field Notes", "front-matter", "Notes from Idlib")
    assert not notes.text.startswith("---")


def test_file_stem_rule_and_single_file(tmp_path: Path) -> None:
    f = tmp_path / "my-outlet.txt"
    f.write_text("Title\n\nBody sentence here.\n", encoding="utf-8")
    (a,) = read_articles([str(f)])
    assert (a.outlet, a.outlet_rule, a.row) == ("my-outlet", "file-stem", None)


def test_duplicate_ids_get_suffixes(tmp_path: Path) -> None:
    f = tmp_path / "d.jsonl"
    rows = [{"text": AR, "outlet": "o"}] * 3 + [{"text": AR, "outlet": "p"}]
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    ids = [a.article_id for a in read_articles([f])]
    assert ids[1] == ids[0] + "-2" and ids[2] == ids[0] + "-3"
    assert ids[3] != ids[0] and "-" not in ids[3]
    assert ids[0].startswith("a") and len(ids[0]) == 13


def test_articles_frame_schema() -> None:
    df = articles_frame(read_articles([CORPUS]))
    assert df.schema == pl.Schema(schema.ARTICLES)
    assert articles_frame([]).schema == pl.Schema(schema.ARTICLES)


@pytest.mark.parametrize(
    ("given", "expected"),
    [("2020-02-17", "2020-02-17"), ("2020-02-17T10:00:00Z", "2020-02-17"), ("17.02.2020", "2020-02-17"),
     ("17/02/2020", "2020-02-17"), ("February 17, 2020", "2020-02-17"), ("17 فبراير 2020", "2020-02-17"),
     ("١٧ شباط ٢٠٢٠", "2020-02-17"), ("yesterday", "yesterday"), ("", None), ("31.02.2020", "31.02.2020")],
)
def test_normalize_date(given: str, expected: str | None) -> None:
    assert normalize_date(given) == expected


def test_empty_row_is_skipped_with_warning(tmp_path: Path) -> None:
    f = tmp_path / "e.jsonl"
    f.write_text(json.dumps({"text": AR}) + "\n" + json.dumps({"text": "  "}) + "\n", encoding="utf-8")
    with pytest.warns(EmptyArticleWarning, match=r"e\.jsonl:2"):
        arts = read_articles([f])
    assert len(arts) == 1


# --- bad input: one InputError per case, naming the file and line/row -------------------


def _err(paths: list[Path], **kw: object) -> InputError:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EmptyArticleWarning)
        with pytest.raises(InputError) as info:
            read_articles(paths, **kw)  # type: ignore[arg-type]
    assert info.value.hint
    return info.value


def test_missing_path(tmp_path: Path) -> None:
    e = _err([tmp_path / "nope"])
    assert "nope" in e.message and "no such" in e.message


def test_empty_folder(tmp_path: Path) -> None:
    assert "no article files" in _err([tmp_path]).message
    (tmp_path / "a.jsonl").write_text("{}", encoding="utf-8")
    assert "a.jsonl" in _err([tmp_path]).hint


def test_empty_file(tmp_path: Path) -> None:
    f = tmp_path / "e.txt"
    f.write_bytes(b"")
    assert "empty" in _err([f]).message
    f.write_text(" \n\n", encoding="utf-8")
    assert "empty" in _err([f]).message


def test_binary_file(tmp_path: Path) -> None:
    f = tmp_path / "b.txt"
    f.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert "binary" in _err([f]).message
    g = tmp_path / "c.txt"
    g.write_bytes(b"abc\x00def" * 50)
    assert "binary" in _err([g]).message


def test_undecodable_with_forced_encoding(tmp_path: Path) -> None:
    f = tmp_path / "u.txt"
    f.write_bytes(b"ok line\n" + AR.encode("cp1256"))
    e = _err([f], encoding="utf-8")
    assert e.line == 2 and "utf-8" in e.message
    assert "unknown encoding" in _err([f], encoding="klingon").message


def test_unsupported_extension(tmp_path: Path) -> None:
    f = tmp_path / "a.docx"
    f.write_text("x", encoding="utf-8")
    assert "unsupported" in _err([f]).message


def test_bad_jsonl_line(tmp_path: Path) -> None:
    f = tmp_path / "bad.jsonl"
    f.write_text(json.dumps({"text": AR}) + "\n\n{not json\n", encoding="utf-8")
    e = _err([f])
    assert e.line == 3 and "bad.jsonl:3" in str(e)
    f.write_text("[1, 2]\n", encoding="utf-8")
    assert "not an object" in _err([f]).message


def test_missing_text_column_lists_columns(tmp_path: Path) -> None:
    f = tmp_path / "m.csv"
    f.write_text("body,outlet\nhello,x\n", encoding="utf-8")
    e = _err([f])
    assert "body" in e.message and "outlet" in e.message and "text-column" in e.hint
    j = tmp_path / "m.jsonl"
    j.write_text(json.dumps({"body": "x"}) + "\n", encoding="utf-8")
    assert "body" in _err([j]).message
    p = tmp_path / "m.parquet"
    pl.DataFrame({"body": ["x"]}).write_parquet(p)
    assert "body" in _err([p]).message


def test_malformed_csv_row(tmp_path: Path) -> None:
    f = tmp_path / "m.csv"
    f.write_text('text,outlet\n"a",x\n"b",y,extra\n', encoding="utf-8")
    e = _err([f])
    assert e.line == 3 and "3 fields" in e.message
    g = tmp_path / "q.csv"
    g.write_text('text,outlet\n"unterminated,x\n', encoding="utf-8")
    assert "CSV" in _err([g]).message


def test_all_rows_empty(tmp_path: Path) -> None:
    f = tmp_path / "e.csv"
    f.write_text("text,outlet\n,x\n", encoding="utf-8")
    assert "no articles" in _err([f]).message


def test_corrupt_parquet(tmp_path: Path) -> None:
    f = tmp_path / "c.parquet"
    f.write_bytes(b"PAR1garbage")
    assert "Parquet" in _err([f]).message


def test_non_text_column(tmp_path: Path) -> None:
    f = tmp_path / "n.jsonl"
    f.write_text(json.dumps({"text": 5}) + "\n", encoding="utf-8")
    e = _err([f])
    assert e.line == 1 and "not text" in e.message


def test_missing_html_extractor_is_a_dependency_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from compare.errors import DependencyError

    page = tmp_path / "page.html"
    page.write_text("<html><body><article><p>قال الوزير إن المحادثات ستبدأ غدا.</p></article></body></html>",
                    encoding="utf-8")
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # as when lxml_html_clean is absent
    with pytest.raises(DependencyError, match=r"page\.html") as err:
        read_articles([page])
    assert "lxml_html_clean" in err.value.hint

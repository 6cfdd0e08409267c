"""Ingest: read articles from folders, text/HTML files, JSONL, CSV and Parquet.

Every article keeps its decoded text untouched (BOM removed, CRLF kept), because all
later offsets point into ``Article.text``. Which rule named the outlet is recorded in
``Article.outlet_rule`` so that a report can say why an article belongs to an outlet.

Empty input policy (one rule everywhere): an empty *file* is an error (the user gave
us something that is not an article); an empty *record inside* a multi-article file
(a JSONL line, CSV or Parquet row with no text) is skipped with an
:class:`EmptyArticleWarning` naming the file and row, because exports often carry a
few blank rows and one of them should not stop a run.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from . import schema
from .errors import DependencyError, InputError
from .records import Article

DOC_SUFFIXES = (".txt", ".md", ".html", ".htm")
TABLE_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".parquet")
MANIFEST = "outlets.csv"
# A news article is rarely over 100k characters; one over this is a whole dump pasted into one
# record, and cleaning/segmenting it would take minutes. Refuse it with a clear message instead.
MAX_ARTICLE_CHARS = 5_000_000


class EmptyArticleWarning(UserWarning):
    """A record with no text inside a multi-article file was skipped."""


@dataclass(frozen=True, slots=True)
class _Meta:
    outlet: str | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None


# --- decoding ---------------------------------------------------------------------------

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_MAGIC = (b"%PDF", b"\x89PNG", b"PK\x03\x04", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"PAR1")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _line_of(data: bytes, pos: int) -> int:
    return data.count(b"\n", 0, pos) + 1


def decode_bytes(data: bytes, path: Path, encoding: str | None = None) -> str:
    """Bytes to text: forced ``encoding``, else BOM, else UTF-8, else charset detection.

    Raises InputError for binary data and for bytes the (forced) encoding cannot decode.
    """
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise InputError(
                f"unknown encoding {encoding!r}", path, hint="use a Python codec name such as utf-8 or cp1256"
            ) from None
        except UnicodeDecodeError as exc:
            raise InputError(
                f"bytes that are not valid {encoding} at byte {exc.start}",
                path,
                _line_of(data, exc.start),
                hint="drop --encoding to let the encoding be detected, or give the right one",
            ) from None
        return text.removeprefix("\ufeff")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(enc)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"file starts with a {enc} byte-order mark but is not valid {enc}",
                    path,
                    hint="re-save the file in UTF-8",
                ) from exc
    if data.startswith(_MAGIC) or b"\x00" in data:
        raise InputError("binary file, not text", path, hint="give text, HTML, JSONL, CSV or Parquet files")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise InputError(
                "cannot tell the text encoding (the file may be binary)",
                path,
                hint="force it with --encoding, e.g. --encoding cp1256",
            ) from None
        text = str(best)
    if len(_CONTROL.findall(text)) > max(2, len(text) // 20):
        raise InputError("binary file, not text (many control characters)", path, hint="give text files")
    return text


def _check_size(text: str, path: Path, row: int | None = None) -> None:
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(
            f"article of {len(text):,} characters, over the {MAX_ARTICLE_CHARS:,} limit",
            path,
            row,
            hint="split it into one file (or one JSONL line) per article",
        )


def _read_text(path: Path, encoding: str | None) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path, hint="check the path and permissions") from None
    if not data.strip():
        raise InputError("empty file", path, hint="remove it or give it some text")
    text = decode_bytes(data, path, encoding)
    if not text.strip():
        raise InputError("empty file (only whitespace)", path, hint="remove it or give it some text")
    return text


# --- dates ------------------------------------------------------------------------------

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9,
    "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12,
    "december": 12, "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "ابريل": 4, "مايو": 5,
    "يونيو": 6, "يوليو": 7, "أغسطس": 8, "اغسطس": 8, "سبتمبر": 9, "أكتوبر": 10, "اكتوبر": 10,
    "نوفمبر": 11, "ديسمبر": 12, "كانون الثاني": 1, "شباط": 2, "آذار": 3, "نيسان": 4, "أيار": 5,
    "حزيران": 6, "تموز": 7, "آب": 8, "أيلول": 9, "ايلول": 9, "تشرين الأول": 10, "تشرين الثاني": 11,
    "كانون الأول": 12,
}
_DIGITS = str.maketrans({**{chr(0x660 + i): str(i) for i in range(10)}, **{chr(0x6F0 + i): str(i) for i in range(10)}})
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T ]|\b)")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b")
_D_MON_Y = re.compile(r"^(?:\w+,?\s+)?(\d{1,2})\s+([^\d\s,]+(?:\s[^\d\s,]+)?)\s*,?\s+(\d{4})\b")
_MON_D_Y = re.compile(r"^(?:\w+,?\s+)?([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})\b")


def normalize_date(value: object) -> str | None:
    """A date as YYYY-MM-DD when it can be read (ISO, D.M.Y, '17 February 2020',
    'February 17, 2020', Arabic month names), else the value as given; None when empty."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()[:10]
    s = str(value).strip().translate(_DIGITS)
    if not s:
        return None
    ymd: tuple[int, int, int] | None = None
    if m := _ISO.match(s):
        ymd = int(m[1]), int(m[2]), int(m[3])
    elif m := _DMY.match(s):
        ymd = int(m[3]), int(m[2]), int(m[1])
    elif (m := _D_MON_Y.match(s)) and m[2].casefold() in _MONTHS:
        ymd = int(m[3]), _MONTHS[m[2].casefold()], int(m[1])
    elif (m := _MON_D_Y.match(s)) and m[1].casefold() in _MONTHS:
        ymd = int(m[3]), _MONTHS[m[1].casefold()], int(m[2])
    if ymd is not None:
        try:
            return date(*ymd).isoformat()
        except ValueError:
            pass
    return s


# --- ids --------------------------------------------------------------------------------


def _assign_ids(drafts: list[dict[str, object]]) -> list[Article]:
    """Stable ids from (outlet, text); repeats of a pair get -2, -3 in input order."""
    seen: dict[str, int] = {}
    out: list[Article] = []
    for d in drafts:
        outlet, text = str(d["outlet"]), str(d["text"])
        base = "a" + hashlib.sha1(f"{outlet}\x1f{text}".encode()).hexdigest()[:12]
        n = seen.get(base, 0) + 1
        seen[base] = n
        out.append(Article(article_id=base if n == 1 else f"{base}-{n}", **d))  # type: ignore[arg-type]
    return out


def _clean(value: object) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s or None


# --- documents (txt / md / html) --------------------------------------------------------

_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """YAML-ish ``key: value`` front matter and the text after it (front matter removed)."""
    m = _FRONT.match(text)
    if not m:
        return {}, text
    meta: dict[str, str] = {}
    for line in m[1].splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip():
            meta[key.strip().lower()] = value.strip().strip("\"'")
    if not meta:
        return {}, text
    return meta, text[m.end() :]


def _read_manifest(root: Path, encoding: str | None) -> dict[str, _Meta]:
    path = root / MANIFEST
    if not path.is_file():
        return {}
    text = _read_text(path, encoding)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    if "file" not in fields:
        raise InputError(
            f"manifest has no 'file' column (columns: {', '.join(fields) or 'none'})",
            path,
            1,
            hint="columns: file,outlet,title,date,url",
        )
    out: dict[str, _Meta] = {}
    for i, raw in enumerate(reader, start=1):
        row = {(k or "").strip().lower(): v for k, v in raw.items()}
        if None in raw:
            raise InputError(f"row {i} has more fields than the header", path, reader.line_num)
        name = (row.get("file") or "").strip().replace("\\", "/")
        if not name:
            continue
        out[name] = _Meta(_clean(row.get("outlet")), _clean(row.get("title")), _clean(row.get("date")), _clean(row.get("url")))
    return out


_LXML_MAX_DEPTH = 255  # lxml (under trafilatura) drops everything nested deeper than this
_BLOCK_TAGS = frozenset(["p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "section", "article"])


def _deep_html_text(raw: str) -> str:
    """Text of a page nested too deeply for lxml, by the stdlib parser (no depth limit).

    Only used when trafilatura found nothing *and* the page is deeper than lxml reads,
    so an ordinary page without an article still gets "no article text found".
    """
    from html.parser import HTMLParser

    class _Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.depth = self.max_depth = self.skip = 0
            self.parts: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.depth += 1
            self.max_depth = max(self.max_depth, self.depth)
            if tag in ("script", "style", "noscript", "template"):
                self.skip += 1
            if tag in _BLOCK_TAGS:
                self.parts.append("\n\n")

        def handle_endtag(self, tag: str) -> None:
            self.depth = max(0, self.depth - 1)
            if tag in ("script", "style", "noscript", "template"):
                self.skip = max(0, self.skip - 1)
            if tag in _BLOCK_TAGS:
                self.parts.append("\n\n")

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.parts.append(data)

    parser = _Text()
    parser.feed(raw)
    parser.close()
    if parser.max_depth <= _LXML_MAX_DEPTH:
        return ""
    paras = (" ".join(p.split()) for p in "".join(parser.parts).split("\n\n"))
    return "\n\n".join(p for p in paras if p)


def _html_article(raw: str, path: Path) -> tuple[str, _Meta, str | None]:
    """Main text and metadata of a saved page. The page title heads the text when the
    extracted text does not already start with it, so the title has offsets too."""
    try:
        import trafilatura
    except ImportError as exc:  # lxml >= 5.2 moved its HTML cleaner to lxml_html_clean
        raise DependencyError(f"{path}: reading saved HTML needs trafilatura and its parts ({exc})",
                              hint="pip install trafilatura lxml_html_clean") from None

    doc = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False)
    data = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else (doc or {})
    text = (data.get("text") or "").strip()
    if not text:
        text = _deep_html_text(raw)
    if not text:
        raise InputError("no article text found in the HTML page", path, hint="is it a saved article page?")
    title = _clean(data.get("title"))
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    meta = _Meta(None, title, _clean(data.get("date")), _clean(data.get("url")))
    return text, meta, _clean(data.get("sitename"))


def _doc_draft(path: Path, root: Path | None, manifest: dict[str, _Meta], encoding: str | None) -> dict[str, object]:
    raw = _read_text(path, encoding)
    rel = path.relative_to(root).as_posix() if root is not None else path.name
    mf = manifest.get(rel) or manifest.get(path.name) or _Meta()
    front: dict[str, str] = {}
    sitename: str | None = None
    if path.suffix.lower() in (".html", ".htm"):
        text, meta, sitename = _html_article(raw, path)
    else:
        front, text = split_front_matter(raw)
        meta = _Meta(None, front.get("title"), front.get("date"), front.get("url"))
        if not text.strip():
            raise InputError("no text after the front matter", path, hint="add the article text")
    _check_size(text, path)
    parts = Path(rel).parts
    # An explicit manifest entry wins; then the folder layout, front matter, the page's site.
    if mf.outlet:
        outlet, rule = mf.outlet, "manifest"
    elif root is not None and len(parts) > 1:
        outlet, rule = parts[0], "subfolder"
    elif front.get("outlet"):
        outlet, rule = front["outlet"], "front-matter"
    elif sitename:
        outlet, rule = sitename, "html-meta"
    else:
        outlet, rule = path.stem, "file-stem"
    return {
        "outlet": outlet,
        "outlet_rule": rule,
        "source": str(path),
        "row": None,
        "title": mf.title or meta.title,
        "date": normalize_date(mf.date or meta.date),
        "url": mf.url or meta.url,
        "text": text,
    }


def _folder_files(root: Path) -> list[Path]:
    files = [
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix.lower() in DOC_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    ]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


# --- tables (jsonl / csv / parquet) -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Columns:
    text: str
    outlet: str
    title: str
    date: str
    url: str
    id: str


def _missing_text(path: Path, cols: _Columns, present: Sequence[str], line: int | None) -> InputError:
    return InputError(
        f"no {cols.text!r} column (columns present: {', '.join(map(str, present)) or 'none'})",
        path,
        line,
        hint="name the text column with --text-column",
    )


def _row_draft(path: Path, row: dict[str, object], n: int, cols: _Columns, where: int) -> dict[str, object] | None:
    value = row.get(cols.text)
    if value is not None and not isinstance(value, str):
        raise InputError(f"{cols.text!r} is not text ({type(value).__name__})", path, where, hint="the text column must hold strings")
    if value is None or not value.strip():
        warnings.warn(EmptyArticleWarning(f"{path}:{where}: empty {cols.text!r}, skipped"), stacklevel=4)
        return None
    _check_size(value, path, where)
    outlet = _clean(row.get(cols.outlet))
    return {
        "outlet": outlet or path.stem,
        "outlet_rule": "column" if outlet else "file-stem",
        "source": str(path),
        "row": n,
        "title": _clean(row.get(cols.title)),
        "date": normalize_date(row.get(cols.date)),
        "url": _clean(row.get(cols.url)),
        "text": value,
    }


def _jsonl_rows(path: Path, cols: _Columns, encoding: str | None) -> Iterator[dict[str, object]]:
    text = _read_text(path, encoding)
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON ({exc.msg}, column {exc.colno})", path, n, hint="one JSON object per line") from None
        if not isinstance(row, dict):
            raise InputError(f"a JSON {type(row).__name__}, not an object", path, n, hint="one JSON object per line")
        if cols.text not in row:
            raise _missing_text(path, cols, list(row), n)
        draft = _row_draft(path, row, n, cols, n)
        if draft is not None:
            yield draft


def _csv_rows(path: Path, cols: _Columns, encoding: str | None) -> Iterator[dict[str, object]]:
    text = _read_text(path, encoding)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
        if cols.text not in header:
            raise _missing_text(path, cols, header, 1)
        for n, values in enumerate(reader, start=1):
            if not values or (len(values) == 1 and not values[0].strip()):
                continue
            if len(values) != len(header):
                raise InputError(
                    f"data row {n} has {len(values)} fields, the header has {len(header)}",
                    path,
                    reader.line_num,
                    hint="quote fields that contain commas or line breaks",
                )
            draft = _row_draft(path, dict(zip(header, values, strict=True)), n, cols, n)
            if draft is not None:
                yield draft
    except csv.Error as exc:
        raise InputError(f"malformed CSV ({exc})", path, reader.line_num, hint="check the quoting around this line") from None


def _parquet_rows(path: Path, cols: _Columns) -> Iterator[dict[str, object]]:
    try:
        df = pl.read_parquet(path)
    except Exception as exc:  # polars raises several types for corrupt files
        raise InputError(f"cannot read Parquet ({type(exc).__name__})", path, hint="is the file complete?") from None
    if cols.text not in df.columns:
        raise _missing_text(path, cols, df.columns, None)
    if df[cols.text].dtype not in (pl.String, pl.Null):
        raise InputError(f"{cols.text!r} column is {df[cols.text].dtype}, not text", path, hint="the text column must hold strings")
    for n, row in enumerate(df.iter_rows(named=True), start=1):
        draft = _row_draft(path, row, n, cols, n)
        if draft is not None:
            yield draft


def _table_drafts(path: Path, cols: _Columns, encoding: str | None) -> list[dict[str, object]]:
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        rows = list(_parquet_rows(path, cols))
    elif suffix == ".csv":
        rows = list(_csv_rows(path, cols, encoding))
    else:
        rows = list(_jsonl_rows(path, cols, encoding))
    if not rows:
        raise InputError("no articles (every record is empty)", path, hint=f"fill the {cols.text!r} column")
    return rows


# --- entry points -----------------------------------------------------------------------


def read_articles(
    paths: Sequence[str | Path],
    *,
    text_column: str = "text",
    outlet_column: str = "outlet",
    title_column: str = "title",
    date_column: str = "date",
    url_column: str = "url",
    id_column: str = "id",
    encoding: str | None = None,
) -> list[Article]:
    """Read articles from folders and files, in a deterministic order.

    - A folder: every .txt/.md/.html/.htm file under it (recursive, sorted by relative
      path, hidden files skipped), one article per file. Outlet: an ``outlets.csv``
      manifest entry in the folder (rule ``manifest``), else the top subfolder name
      (``subfolder``), else front matter ``outlet:`` (``front-matter``), else the page's
      site name for HTML (``html-meta``), else the file stem (``file-stem``).
    - A .txt/.md/.html file: the same rules, with its parent folder's manifest.
    - A .jsonl/.csv/.parquet file: one article per record; ``row`` is the 1-based line
      (JSONL) or data row (CSV, Parquet). Outlet from ``outlet_column`` (rule ``column``),
      else the file stem.

    Front matter is removed from ``Article.text``; anything else is kept as decoded
    (CRLF included). Empty files raise InputError; empty records inside a multi-article
    file are skipped with an :class:`EmptyArticleWarning`. ``id_column`` is accepted for
    symmetry with the other columns; ids are always derived from (outlet, text) so they
    are stable across input formats.
    """
    del id_column  # ids are content hashes, see the docstring
    cols = _Columns(text_column, outlet_column, title_column, date_column, url_column, "id")
    if not paths:
        raise InputError("no input paths given", hint="pass folders or files of articles")
    drafts: list[dict[str, object]] = []
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise InputError("no such file or folder", path, hint="check the path")
        if path.is_dir():
            files = _folder_files(path)
            if not files:
                tables = sorted(p.name for p in path.rglob("*") if p.suffix.lower() in TABLE_SUFFIXES)
                hint = (
                    f"pass table files directly, e.g. {path / tables[0]}"
                    if tables
                    else "supported: .txt .md .html .htm in folders; .jsonl .csv .parquet as files"
                )
                raise InputError("folder holds no article files", path, hint=hint)
            manifest = _read_manifest(path, encoding)
            drafts += [_doc_draft(f, path, manifest, encoding) for f in files]
        else:
            suffix = path.suffix.lower()
            if suffix in TABLE_SUFFIXES:
                drafts += _table_drafts(path, cols, encoding)
            elif suffix in DOC_SUFFIXES:
                drafts.append(_doc_draft(path, None, _read_manifest(path.parent, encoding), encoding))
            else:
                raise InputError(
                    f"unsupported file type {suffix or '(no extension)'}",
                    path,
                    hint="supported: .txt .md .html .htm .jsonl .csv .parquet",
                )
    return _assign_ids(drafts)


def articles_frame(articles: Sequence[Article]) -> pl.DataFrame:
    """The articles table (schema.ARTICLES), in input order."""
    rows: list[dict[str, object]] = [
        {
            "article_id": a.article_id,
            "outlet": a.outlet,
            "outlet_rule": a.outlet_rule,
            "source": a.source,
            "row": a.row,
            "title": a.title,
            "date": a.date,
            "url": a.url,
            "n_chars": len(a.text),
        }
        for a in articles
    ]
    return schema.frame(rows, schema.ARTICLES)

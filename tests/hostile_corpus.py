"""Hostile inputs for the sweep, generated at run time (never committed), and the checks.

Each case builds files under a folder and returns the paths to pass to ``compare``.
``run_sweep`` runs every command on every case and counts inputs and crashes; it is
shared by tests/test_hostile.py and benchmarks/hostile_sweep.py.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from typer.testing import CliRunner

from compare.cli import app

# Article text that tries to break out of a Markdown table or inject markup into HTML.
INJECTION = (
    "The minister said that 12 people were killed in the attack on Monday. "
    "</table><script>alert(1)</script> | pipe | `code` ``` "
    "[x](javascript:alert(1)) <img src=x onerror=alert(1)> "
    '<a href="javascript:alert(2)">link</a> <iframe src="javascript:alert(3)"></iframe> '
    "\u202eevil\u202c \u2066isolate\u2069 **bold** # heading\n\n"
    "قال الوزير إن 12 شخصا قتلوا في الهجوم يوم الاثنين </table><script>alert(1)</script>.\n"
)
SENTENCES = [
    "The minister said that {n} people were killed in the attack on Monday.",
    "Police reported that {n} vehicles were destroyed near the northern border.",
    "The governor announced a curfew of {n} hours across the province.",
    "قال الوزير إن {n} أشخاص قتلوا في الهجوم على المدينة يوم الاثنين.",
    "أعلنت الشرطة أن {n} سيارات دمرت قرب الحدود الشمالية.",
]


def _article(rng: random.Random, k: int = 4) -> str:
    return "\n\n".join(rng.choice(SENTENCES).format(n=rng.randint(2, 40)) for _ in range(k)) + "\n"


def empty_file(d: Path) -> list[Path]:
    (d / "c").mkdir()
    (d / "c" / "a.txt").write_bytes(b"")
    return [d / "c"]


def whitespace_file(d: Path) -> list[Path]:
    (d / "w.txt").write_bytes(b" \n\t\r\n  \n")
    return [d / "w.txt"]


def empty_jsonl(d: Path) -> list[Path]:
    (d / "e.jsonl").write_bytes(b"")
    return [d / "e.jsonl"]


def binary_file(d: Path) -> list[Path]:
    (d / "c").mkdir()
    (d / "c" / "a.txt").write_bytes(random.Random(1).randbytes(20_000))
    return [d / "c"]


def png_as_txt(d: Path) -> list[Path]:
    (d / "p.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    return [d / "p.md"]


def binary_parquet(d: Path) -> list[Path]:
    (d / "x.parquet").write_bytes(b"PAR1" + random.Random(2).randbytes(5000))
    return [d / "x.parquet"]


def invalid_utf8(d: Path) -> list[Path]:
    (d / "c").mkdir()
    good = SENTENCES[0].format(n=5).encode()
    (d / "c" / "a.txt").write_bytes(good + b" \xff\xfe\xc3\x28 broken \x80\x81.\n\n" + good)
    return [d / "c"]


def mixed_encodings(d: Path) -> list[Path]:
    (d / "c").mkdir()
    ar = SENTENCES[3].format(n=5)
    (d / "c" / "a.txt").write_bytes(ar.encode("utf-8") + b"\n\n" + ar.encode("cp1256") + b"\n")
    return [d / "c"]


def bad_bom(d: Path) -> list[Path]:
    (d / "b.txt").write_bytes(b"\xff\xfe" + b"\x00\xd8" * 3)  # UTF-16 BOM, lone surrogates
    return [d / "b.txt"]


def csv_broken_quoting(d: Path) -> list[Path]:
    (d / "b.csv").write_text('outlet,text\nA,"a quote that never closes\nB,fine text here.\n', encoding="utf-8")
    return [d / "b.csv"]


def csv_ragged(d: Path) -> list[Path]:
    (d / "r.csv").write_text("outlet,text\nA,one,two,three\n", encoding="utf-8")
    return [d / "r.csv"]


def csv_stray_quote(d: Path) -> list[Path]:
    (d / "s.csv").write_text('outlet,text\nA,he said "no" twice.\nB,"x"y\n', encoding="utf-8")
    return [d / "s.csv"]


def jsonl_bad_line(d: Path) -> list[Path]:
    good = json.dumps({"outlet": "A", "text": SENTENCES[0].format(n=3)})
    (d / "j.jsonl").write_text(f"{good}\n{{not json\n{good}\n", encoding="utf-8")
    return [d / "j.jsonl"]


def jsonl_not_object(d: Path) -> list[Path]:
    (d / "j.jsonl").write_text('["a", "b"]\n', encoding="utf-8")
    return [d / "j.jsonl"]


def jsonl_text_not_string(d: Path) -> list[Path]:
    (d / "j.jsonl").write_text('{"outlet": "A", "text": {"nested": [1, 2]}}\n', encoding="utf-8")
    return [d / "j.jsonl"]


def jsonl_truncated(d: Path) -> list[Path]:
    good = json.dumps({"outlet": "A", "text": SENTENCES[1].format(n=3)})
    (d / "j.jsonl").write_text(good + "\n" + good[: len(good) // 2], encoding="utf-8")
    return [d / "j.jsonl"]


def deep_html(d: Path) -> list[Path]:
    (d / "c").mkdir()
    body = "<div>" * 5000 + f"<p>{SENTENCES[0].format(n=7)} {SENTENCES[1].format(n=9)}</p>" + "</div>" * 5000
    (d / "c" / "a.html").write_text(f"<html><head><title>Deep</title></head><body>{body}</body></html>")
    return [d / "c"]


def unclosed_html(d: Path) -> list[Path]:
    (d / "u.html").write_text("<html><body>" + "<p><b><i>" * 3000 + SENTENCES[2].format(n=4))
    return [d / "u.html"]


def huge_paragraph(d: Path) -> list[Path]:
    """50 MB in one paragraph: refused at ingest, quickly and by name."""
    (d / "c").mkdir()
    unit = (SENTENCES[0].format(n=5) + " ").encode()
    (d / "c" / "huge.txt").write_bytes(unit * (50_000_000 // len(unit) + 1))
    return [d / "c"]


def huge_jsonl_record(d: Path) -> list[Path]:
    text = SENTENCES[1].format(n=2) + " " + "x" * 6_000_000
    (d / "h.jsonl").write_text(json.dumps({"outlet": "A", "text": text}) + "\n", encoding="utf-8")
    return [d / "h.jsonl"]


def injection_corpus(d: Path) -> list[Path]:
    """Three outlets reporting the same hostile text, with hostile titles, urls and names."""
    root = d / "corpus"
    rng = random.Random(7)
    outlets = ["alpha", "beta|pipe", "gamma<script>alert(1)<"]
    for i, outlet in enumerate(outlets):
        (root / outlet).mkdir(parents=True)
        front = (
            "---\n"
            "title: </table><script>alert(1)</script> [t](javascript:alert(1))\n"
            "url: javascript:alert(1)\n"
            "date: 2020-02-17\n"
            "---\n"
        )
        text = INJECTION.replace("12", str(12 + i)) + "\n" + _article(rng)
        (root / outlet / "a.md").write_text(front + text, encoding="utf-8")
        (root / outlet / "b.txt").write_text(INJECTION + "\n" + _article(rng), encoding="utf-8")
    return [root]


def injection_html_page(d: Path) -> list[Path]:
    page = (
        "<html><head><title>x</title><script>alert(1)</script></head><body><article>"
        f"<p>{SENTENCES[0].format(n=5)} &lt;script&gt;alert(1)&lt;/script&gt; "
        "&lt;/table&gt; [x](javascript:alert(1)) &#x202e;rev</p>"
        f"<p onclick=\"alert(1)\">{SENTENCES[1].format(n=6)}</p></article></body></html>"
    )
    (d / "c" / "site").mkdir(parents=True)
    (d / "c" / "site" / "a.html").write_text(page)
    (d / "c" / "other").mkdir()
    (d / "c" / "other" / "b.txt").write_text(f"{SENTENCES[0].format(n=5)} <script>alert(1)</script>\n")
    return [d / "c"]


def control_chars(d: Path) -> list[Path]:
    (d / "c").mkdir()
    (d / "c" / "a.txt").write_text(SENTENCES[0].format(n=3) + "\x07\x1b[31m red \x1b[0m\x0c\u2028\u2029\ufeff\n")
    return [d / "c"]


def many_tiny_files(d: Path, n: int = 100_000) -> list[Path]:
    """n one-line files in 100 outlet folders."""
    root = d / "tiny"
    for o in range(100):
        (root / f"o{o:03d}").mkdir(parents=True)
    line = [s.format(n=k).encode() + b"\n" for s in SENTENCES for k in range(2, 12)]
    for i in range(n):
        with open(root / f"o{i % 100:03d}" / f"{i:06d}.txt", "wb") as fh:
            fh.write(line[i % len(line)])
    return [root]


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path], list[Path]]
    commands: tuple[str, ...] = ("claims", "report", "diff", "dupes")


CASES: tuple[Case, ...] = (
    Case("empty-file", empty_file),
    Case("whitespace-file", whitespace_file),
    Case("empty-jsonl", empty_jsonl),
    Case("binary-file", binary_file),
    Case("png-as-md", png_as_txt),
    Case("corrupt-parquet", binary_parquet),
    Case("invalid-utf8", invalid_utf8),
    Case("mixed-encodings", mixed_encodings),
    Case("bad-bom", bad_bom),
    Case("csv-broken-quoting", csv_broken_quoting),
    Case("csv-ragged", csv_ragged),
    Case("csv-stray-quote", csv_stray_quote),
    Case("jsonl-bad-line", jsonl_bad_line),
    Case("jsonl-not-object", jsonl_not_object),
    Case("jsonl-text-not-string", jsonl_text_not_string),
    Case("jsonl-truncated", jsonl_truncated),
    Case("deep-html-5000", deep_html),
    Case("unclosed-html", unclosed_html),
    Case("huge-paragraph-50MB", huge_paragraph),
    Case("huge-jsonl-record", huge_jsonl_record, ("claims", "dupes")),
    Case("injection-corpus", injection_corpus),
    Case("injection-html-page", injection_html_page),
    Case("control-chars", control_chars),
)


# --- checks -------------------------------------------------------------------------------


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.in_script = False
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.in_script = True
            self.scripts.append("")
        if tag in ("iframe", "img", "object", "embed"):
            self.bad.append(f"<{tag}> element")
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.bad.append(f"{name}= attribute on <{tag}>")
            v = "".join((value or "").split()).lower()
            if name.lower() in ("href", "src", "action", "formaction") and v.startswith(("javascript:", "data:", "vbscript:")):
                self.bad.append(f"{name}={value!r} on <{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script:
            self.scripts[-1] += data


def html_problems(html: str) -> list[str]:
    """Injected markup in a rendered page: foreign scripts, on* handlers, script hrefs."""
    p = _Html()
    p.feed(html)
    p.close()
    problems = list(p.bad)
    problems += [f"script containing {s[:40]!r}" for s in p.scripts if "alert(" in s]
    if "\u202e" in html:
        problems.append("raw U+202E in the page")
    return problems


def markdown_problems(md: str) -> list[str]:
    low = md.lower()
    problems = [f"raw {s!r}" for s in ("<script", "</table>", "<img", "<iframe", "<a href") if s in low]
    if "](javascript:" in low.replace(" ", "") or "<javascript:" in low:
        problems.append("javascript: link")
    problems += [f"raw U+{ord(c):04X}" for c in "\u202e\u202c" if c in md]
    return problems


# --- running ------------------------------------------------------------------------------

_runner = CliRunner()


@dataclass
class Tally:
    inputs: int = 0
    runs: int = 0
    errors: int = 0  # clean refusals (exit 2 with a message)
    crashes: list[str] = field(default_factory=list)


def _snapshot(out: Path) -> dict[str, bytes] | None:
    if not out.exists():
        return None
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


def command_args(command: str, paths: list[Path], out: Path, reference: Path) -> list[str]:
    ps = [str(p) for p in paths]
    if command == "claims":
        return ["claims", *ps]
    if command == "report":
        return ["report", *ps, "--out", str(out), "--semantic", "none"]
    if command == "dupes":
        return ["dupes", *ps, "--out", str(out)]
    # diff short form: the hostile input is side A, a clean outlet is side B.
    if len(ps) == 1:
        return ["diff", ps[0], str(reference), "--out", str(out), "--semantic", "none"]
    return ["diff", *ps, "--out", str(out), "--semantic", "none"]


def run_command(command: str, paths: list[Path], work: Path, reference: Path) -> tuple[int, list[str]]:
    """Run one command on one input: its exit code and what went wrong (empty when fine)."""
    out = work / f"out-{command}"
    before = _snapshot(out)
    res = _runner.invoke(app, command_args(command, paths, out, reference))
    text = res.output
    problems: list[str] = []
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        problems.append(f"exception {type(res.exception).__name__}: {res.exception}")
    if "Traceback" in text:
        problems.append("traceback in output")
    if res.exit_code == 0:
        if command != "claims":
            for f in sorted(out.iterdir()):
                if f.suffix == ".md":
                    problems += [f"{f.name}: {p}" for p in markdown_problems(f.read_text("utf-8"))]
                elif f.suffix == ".html":
                    problems += [f"{f.name}: {p}" for p in html_problems(f.read_text("utf-8"))]
    elif res.exit_code == 2:
        if not text.startswith("Error: ") and "\nError: " not in text:
            problems.append(f"exit 2 without 'Error:' ({text[:200]!r})")
        elif not any(p.name in text for p in paths) and "side A" not in text:
            problems.append(f"error does not name the input: {text[:200]!r}")
        if _snapshot(out) != before:
            problems.append("output changed by a failed run")
    else:
        problems.append(f"exit code {res.exit_code}: {text[-300:]!r}")
    return res.exit_code, problems


def run_case(case: Case, work: Path, reference: Path, tally: Tally) -> dict[str, tuple[int, list[str]]]:
    """Build one input and run every command of the case on it: {command: (exit, problems)}."""
    import warnings

    work.mkdir(parents=True, exist_ok=True)
    paths = case.build(work)
    tally.inputs += 1
    results: dict[str, tuple[int, list[str]]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # EmptyArticleWarning is expected on some inputs
        for command in case.commands:
            code, problems = run_command(command, paths, work, reference)
            tally.runs += 1
            tally.errors += code == 2
            tally.crashes += [f"{case.name} / {command}: {p}" for p in problems]
            results[command] = (code, problems)
    return results


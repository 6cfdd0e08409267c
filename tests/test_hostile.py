"""Hostile-input sweep: every command on broken, huge, binary and injected inputs.

Each run must end in a clear refusal (exit 2, "Error: <file>...", no traceback, output
folder untouched) or a correct report with no injected markup. Inputs are generated
under tmp_path at test time (tests/hostile_corpus.py); nothing binary is committed.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hostile_corpus as hc

from compare import ingest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "fixtures" / "corpus" / "marsad-turk"
TALLY = hc.Tally()

# What each input must give: 2 = refused with a message, 0 = a report.
EXPECTED = {
    "empty-file": 2, "whitespace-file": 2, "empty-jsonl": 2, "binary-file": 2, "png-as-md": 2,
    "corrupt-parquet": 2, "invalid-utf8": 0, "mixed-encodings": 2, "bad-bom": 2,
    "csv-broken-quoting": 2, "csv-ragged": 2, "csv-stray-quote": 2, "jsonl-bad-line": 2,
    "jsonl-not-object": 2, "jsonl-text-not-string": 2, "jsonl-truncated": 2,
    "deep-html-5000": 0, "unclosed-html": 0, "huge-paragraph-50MB": 2, "huge-jsonl-record": 2,
    "injection-corpus": 0, "injection-html-page": 0, "control-chars": 0,
}


def test_every_case_has_an_expectation() -> None:
    assert sorted(EXPECTED) == sorted(c.name for c in hc.CASES)


@pytest.mark.parametrize("case", hc.CASES, ids=[c.name for c in hc.CASES])
def test_hostile_input(case: hc.Case, tmp_path: Path) -> None:
    results = hc.run_case(case, tmp_path, REFERENCE, TALLY)
    problems = [p for _, ps in results.values() for p in ps]
    assert problems == []
    assert {cmd: code for cmd, (code, _) in results.items()} == dict.fromkeys(case.commands, EXPECTED[case.name])


def test_refusals_name_the_file_and_reason(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from compare.cli import app

    paths = hc.huge_paragraph(tmp_path)
    res = CliRunner().invoke(app, ["claims", str(paths[0])])
    assert res.exit_code == 2
    assert "huge.txt" in res.output and "over the" in res.output and "limit" in res.output
    paths = hc.jsonl_bad_line(tmp_path)
    res = CliRunner().invoke(app, ["claims", str(paths[0])])
    assert res.exit_code == 2 and "j.jsonl:2" in res.output
    paths = hc.csv_broken_quoting(tmp_path)
    res = CliRunner().invoke(app, ["claims", str(paths[0])])
    assert res.exit_code == 2 and "b.csv" in res.output and "CSV" in res.output


def test_deep_html_text_is_extracted(tmp_path: Path) -> None:
    """5,000 nested <div>s are past lxml's depth limit; the stdlib fallback reads them."""
    arts = ingest.read_articles(hc.deep_html(tmp_path))
    assert "12" not in arts[0].text and "were killed in the attack" in arts[0].text
    assert "vehicles were destroyed" in arts[0].text


def test_shallow_page_without_article_still_refused(tmp_path: Path) -> None:
    (tmp_path / "n.html").write_text("<html><body><div><span></span></div></body></html>")
    with pytest.raises(ingest.InputError, match="no article text"):
        ingest.read_articles([tmp_path / "n.html"])


def test_injected_text_is_shown_not_executed(tmp_path: Path) -> None:
    """The hostile text still reaches the report, escaped (so the check above is not vacuous)."""
    from typer.testing import CliRunner

    from compare.cli import app

    paths = hc.injection_corpus(tmp_path)
    out = tmp_path / "r"
    res = CliRunner().invoke(app, ["report", *map(str, paths), "--out", str(out), "--semantic", "none"])
    assert res.exit_code == 0, res.output
    md = (out / "report.md").read_text("utf-8")
    html = (out / "report.html").read_text("utf-8")
    assert "&lt;script&gt;alert" in md and "&lt;/table&gt;" in md
    assert "&lt;script&gt;alert" in html
    assert hc.markdown_problems(md) == [] and hc.html_problems(html) == []
    # A pipe in a folder name must not split a table row: every row has the header's cells.
    for block in md.split("\n\n"):
        rows = [r for r in block.splitlines() if r.startswith("|")]
        widths = {r.replace("\\|", "").count("|") for r in rows}
        assert len(widths) <= 1, block


@pytest.mark.slow
def test_paragraph_under_the_limit_runs(tmp_path: Path) -> None:
    """A 1.5M-character single paragraph goes through claims and dupes (linear segmentation)."""
    from typer.testing import CliRunner

    from compare.cli import app

    (tmp_path / "c").mkdir()
    rng = random.Random(5)
    unit_sents = [s.format(n=k) for s in hc.SENTENCES for k in range(2, 60)]
    text = " ".join(rng.choice(unit_sents) for _ in range(22_000))[:1_500_000]
    (tmp_path / "c" / "long.txt").write_text(text, encoding="utf-8")
    assert len(text) < ingest.MAX_ARTICLE_CHARS
    res = CliRunner().invoke(app, ["claims", str(tmp_path / "c")])
    assert res.exit_code == 0, res.output
    n_claims = int(res.output.split("claims: ")[1].split()[0])
    assert n_claims > 10_000
    res = CliRunner().invoke(app, ["dupes", str(tmp_path / "c"), "--out", str(tmp_path / "u")])
    assert res.exit_code == 0, res.output


@pytest.mark.slow
def test_hundred_thousand_tiny_files(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from compare.cli import app

    paths = hc.many_tiny_files(tmp_path)
    TALLY.inputs += 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = CliRunner().invoke(app, ["claims", *map(str, paths)])
    TALLY.runs += 1
    if res.exit_code != 0 or "Traceback" in res.output:
        TALLY.crashes.append(f"100k-tiny-files / claims: {res.output[-300:]!r}")
    assert res.exit_code == 0, res.output
    assert "articles: 100000  outlets: 100" in res.output


def _interrupt_corpus(root: Path) -> None:
    rng = random.Random(3)
    words = ["".join(rng.choice("abcdefghiklmnoprstuvw") for _ in range(rng.randint(3, 8))) for _ in range(3000)]
    facts = [
        f"The minister said that {{n}} {rng.choice(words)} were {rng.choice(words)} in {rng.choice(words).title()}."
        for _ in range(400)
    ]
    for o in range(5):
        (root / f"o{o}").mkdir(parents=True)
        for i in range(120):
            paras = [
                rng.choice(facts).format(n=rng.randint(2, 50)) + " " + " ".join(rng.choices(words, k=12)) + "."
                for _ in range(6)
            ]
            (root / f"o{o}" / f"{i}.txt").write_text("\n\n".join(paras) + "\n")


@pytest.mark.slow
def test_ctrl_c_keeps_previous_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    env = {**os.environ, "COMPARE_CACHE": str(tmp_path / "cache")}
    cmd = [sys.executable, "-m", "compare.cli", "report"]
    first = subprocess.run(
        [*cmd, str(ROOT / "fixtures" / "corpus"), "--out", str(out), "--semantic", "none"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    big = tmp_path / "big"
    _interrupt_corpus(big)
    proc = subprocess.Popen(
        [*cmd, str(big), "--out", str(out), "--semantic", "none"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    time.sleep(3.0)  # past the imports, well inside the run (about 10 s on 2 cores)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    TALLY.inputs += 1
    TALLY.runs += 1
    if proc.returncode != 130 or "Traceback" in err:
        TALLY.crashes.append(f"SIGINT / report: exit {proc.returncode} {err[-300:]!r}")
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "Interrupted" in err
    assert {p.name: p.read_bytes() for p in sorted(out.iterdir())} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]  # no staging left


def test_zz_sweep_summary(capsys: pytest.CaptureFixture[str]) -> None:
    """Runs last (file order): the figure for the README."""
    if TALLY.runs == 0:
        pytest.skip("run with the sweep cases")
    with capsys.disabled():
        print(
            f"\nhostile sweep: inputs: {TALLY.inputs}, command runs: {TALLY.runs}, "
            f"clean refusals: {TALLY.errors}, crashes: {len(TALLY.crashes)}"
        )
    assert TALLY.crashes == []

"""Command line: parses options, calls the library, prints, exits. Nothing else.

Library modules are imported inside the commands so that ``compare --help`` stays
instant (no polars, torch or sentence-transformers import).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from .errors import CompareError

if TYPE_CHECKING:  # the engine module is imported only when a command runs
    from .engine import Engine

app = typer.Typer(
    name="compare",
    help="Compare claims across news outlets: who reported what, and how the versions differ.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

T = TypeVar("T")

Paths = Annotated[list[Path], typer.Argument(help="Folders or files: .txt/.md/.html, .jsonl, .csv, .parquet.")]
Out = Annotated[Path, typer.Option("--out", "-o", help="Output folder.")]
TextCol = Annotated[str, typer.Option(help="Column holding the article text (JSONL/CSV/Parquet).")]
OutletCol = Annotated[str, typer.Option(help="Column holding the outlet name.")]
Encoding = Annotated[str | None, typer.Option(help="Force the input encoding, e.g. cp1256.")]
EncoderOpt = Annotated[
    str,
    typer.Option(
        "--model",
        "--encoder",
        help="Encoder: default (offline multilingual), lexical, use, e5, or a sentence-transformers name or path.",
    ),
]
Semantic = Annotated[
    str, typer.Option(help="Semantic embedding: auto (only claims that need it), all, or none.")
]
PrecisionOpt = Annotated[
    str,
    typer.Option(help="How much evidence a contrast needs: high (two named sources give different figures "
                      "for one count), balanced (the same-claim test), or recall (the judge alone). "
                      "Operating points measured in docs/quality.md."),
]
CacheOpt = Annotated[Path | None, typer.Option("--cache", help="Embedding cache folder.")]
EngineOpt = Annotated[
    str, typer.Option("--engine", help="Where heavy batches run: local (this process) or ray (pip install 'compare\\[ray]').")
]
RayAddress = Annotated[
    str | None, typer.Option("--ray-address", help="Ray cluster to join (default $RAY_ADDRESS, else a local Ray).")
]


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _run(fn: Callable[[], T]) -> T:
    """Turn library errors into one clear message and exit code 2; Ctrl-C into 130."""
    try:
        return fn()
    except CompareError as exc:
        _err(f"Error: {exc.message}")
        if exc.hint:
            _err(f"Hint: {exc.hint}")
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        _err("Interrupted: previous outputs were left as they were.")
        raise typer.Exit(130) from None


def _ingest_options(text_column: str, outlet_column: str, encoding: str | None) -> dict[str, object]:
    return {"text_column": text_column, "outlet_column": outlet_column, "encoding": encoding}


def _with_engine(name: str, address: str | None, fn: Callable[[Engine | None], T]) -> T:
    """Run ``fn(engine)`` with the chosen engine (None for local: no Ray import), then close it."""
    from .engine import get_engine

    eng = get_engine(name, address)
    try:
        return fn(None if eng.name == "local" else eng)
    finally:
        eng.close()


def _pairs(pairs: tuple[tuple[str, int], ...], inner: str, outer: str) -> str:
    return outer.join(f"{k}{inner}{v}" for k, v in pairs)


def _progress() -> bool:
    return sys.stderr.isatty()


@app.command()
def claims(
    paths: Paths,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the claims table (.parquet/.csv/.jsonl).")] = None,
    text_column: TextCol = "text",
    outlet_column: OutletCol = "outlet",
    encoding: Encoding = None,
) -> None:
    """Ingest, clean and segment articles into a claims table."""
    def go() -> None:
        from .io import write_table
        from .pipeline import extract_claims

        run = extract_claims(paths, **_ingest_options(text_column, outlet_column, encoding))
        if out is not None:
            write_table(run.claims, out)
        typer.echo(_pairs(run.counts, ": ", "  "))
        typer.echo("outlet named by: " + _pairs(run.outlet_rules, " ", ", "))
        typer.echo("lines dropped: " + (_pairs(run.dropped_reasons, " ", ", ") or "none"))
        if out is not None:
            typer.echo(f"wrote {out}")

    _run(go)


@app.command()
def report(
    paths: Paths,
    out: Out,
    model: EncoderOpt = "default",
    semantic: Semantic = "auto",
    precision: PrecisionOpt = "balanced",
    top: Annotated[int, typer.Option(help="Stories shown in full (most outlets and contrasts first); 0 shows "
                                          "everything. The Parquet outputs always hold everything.")] = 15,
    cache: CacheOpt = None,
    text_column: TextCol = "text",
    outlet_column: OutletCol = "outlet",
    encoding: Encoding = None,
    engine: EngineOpt = "local",
    ray_address: RayAddress = None,
) -> None:
    """Cluster claims across outlets and write the comparison report."""
    def go() -> None:
        from .pipeline import default_cache_dir, make_report

        res = _with_engine(
            engine,
            ray_address,
            lambda eng: make_report(
                paths,
                out,
                encoder=model,
                semantic=semantic,
                top=top or None,
                cache_dir=cache or default_cache_dir(),
                progress=_progress(),
                ingest_options=_ingest_options(text_column, outlet_column, encoding),
                engine=eng,
                precision=precision,
            ),
        )
        typer.echo(_pairs(res.comparison.counts, ": ", "  "))
        typer.echo(f"wrote {', '.join(str(out / f) for f in res.files)}")

    _run(go)


@app.command()
def diff(
    paths: Paths,
    out: Out,
    a: Annotated[list[str] | None, typer.Option("--a", help="Outlet(s) of side A (repeatable).")] = None,
    b: Annotated[list[str] | None, typer.Option("--b", help="Outlet(s) of side B (repeatable).")] = None,
    model: EncoderOpt = "default",
    semantic: Semantic = "auto",
    precision: PrecisionOpt = "balanced",
    cache: CacheOpt = None,
    text_column: TextCol = "text",
    outlet_column: OutletCol = "outlet",
    encoding: Encoding = None,
    engine: EngineOpt = "local",
    ray_address: RayAddress = None,
) -> None:
    """Diff two outlets (or two groups): only in A, only in B, same, reworded, contrasting.

    Short form: `compare diff PATH_A PATH_B --out DIR`, each path one outlet's articles.
    """
    def go() -> None:
        from .pipeline import default_cache_dir, make_diff
        res = _with_engine(
            engine,
            ray_address,
            lambda eng: make_diff(
                paths,
                out,
                a=a or [],
                b=b or [],
                encoder=model,
                semantic=semantic,
                cache_dir=cache or default_cache_dir(),
                progress=_progress(),
                ingest_options=_ingest_options(text_column, outlet_column, encoding),
                engine=eng,
                precision=precision,
            ),
        )
        typer.echo(_pairs(res.counts, ": ", "  "))
        typer.echo(f"wrote {', '.join(str(out / f) for f in res.files)}")

    _run(go)


@app.command()
def dupes(
    paths: Paths,
    out: Out,
    unit: Annotated[str, typer.Option(help="paragraph or sentence.")] = "paragraph",
    threshold: Annotated[float | None, typer.Option(help="Near-duplicate similarity, 0-1.")] = None,
    scope: Annotated[
        str | None, typer.Option(help="Keep only within-article, within-outlet or across.")
    ] = None,
    text_column: TextCol = "text",
    outlet_column: OutletCol = "outlet",
    encoding: Encoding = None,
    engine: EngineOpt = "local",
    ray_address: RayAddress = None,
) -> None:
    """Audit duplicated paragraphs: verbatim and near-verbatim reuse, and who copies whom."""
    def go() -> None:
        from .pipeline import make_dupes

        res = _with_engine(
            engine,
            ray_address,
            lambda eng: make_dupes(
                paths,
                out,
                unit=unit,
                threshold=threshold,
                scope=scope,
                ingest_options=_ingest_options(text_column, outlet_column, encoding),
                engine=eng,
            ),
        )
        typer.echo(_pairs(res.counts, ": ", "  "))
        typer.echo(f"wrote {', '.join(str(out / f) for f in res.files)}")

    _run(go)


@app.command()
def evaluate(
    shared: Annotated[Path, typer.Option(help="The folder holding data/ (../shared).")] = Path("../shared"),
    cache: CacheOpt = None,
    encoders: Annotated[str, typer.Option(help="Semantic encoders to measure, comma-separated.")] = "use",
) -> None:
    """Print quality figures on the labelled datasets (STS17, ANS, CheckThat, MSRP, Baly)."""
    from .errors import InputError

    def go() -> None:
        from .contrast import evaluate_contrast_ans
        from .evaluate import DEFAULT_CACHE, format_report, run_evaluation

        if not (shared / "data").is_dir():
            raise InputError("no data/ folder here", shared, hint="point --shared at the folder that holds data/")
        res = run_evaluation(shared, tuple(encoders.split(",")), cache or DEFAULT_CACHE)
        typer.echo(format_report(res))
        for part, role in (("report", "held out"), ("tune", "tuning")):
            c = evaluate_contrast_ans(shared / "data" / "ans-stance" / "stance-dev.csv", part=part)
            typer.echo(
                f"Contrast judge, ANS dev {part} half ({role}; disagree vs agree/other): "
                f"precision {c['precision']:.3f} recall {c['recall']:.3f} F1 {c['f1']:.3f}"
            )
            typer.echo(f"  confusion: {c.get('confusion')}")

    _run(go)


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()

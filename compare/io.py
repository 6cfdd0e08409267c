"""Atomic writes: an output is either the complete new file or the previous one."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from .errors import OutputError

TABLE_FORMATS = (".parquet", ".csv", ".jsonl", ".json")


def _file_mode() -> int:
    # mkstemp creates 0600 files; outputs should get the usual mode (0666 minus umask).
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _check_parent(path: Path) -> None:
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.exists():
        raise OutputError(
            f"{path}: folder {parent} does not exist", hint="create it first or choose another --out"
        )
    if not os.access(parent, os.W_OK):
        raise OutputError(f"{path}: folder {parent} is not writable", hint="choose another --out")


def _temp_beside(path: Path, suffix: str) -> tuple[int, str]:
    """A temporary file in the target's folder; a folder that refuses it (read-only
    mount, permissions that root does not override) is an ``OutputError``."""
    try:
        return tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{path}: folder {path.parent} is not writable ({exc.strerror})",
                          hint="choose another --out") from None


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    path = Path(path)
    _check_parent(path)
    fd, tmp = _temp_beside(path, ".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, _file_mode())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_text_atomic(path: str | Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def _write_table(df: pl.DataFrame, path: Path, suffix: str) -> None:
    if suffix == ".parquet":
        # Statistics off and one row group: byte-identical output for identical input.
        df.write_parquet(path, compression="zstd", statistics=False)
    elif suffix == ".csv":
        flat = df.with_columns(
            [pl.col(c).list.join("|") for c, t in df.schema.items() if isinstance(t, pl.List)]
        )
        flat.write_csv(path)
    elif suffix in (".jsonl", ".json"):
        df.write_ndjson(path)
    else:  # pragma: no cover - guarded by write_table
        raise OutputError(f"{path}: unknown table format")


def write_table(df: pl.DataFrame, path: str | Path) -> None:
    """Write a frame as Parquet, CSV or JSONL, chosen by the file extension, atomically."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_FORMATS:
        raise OutputError(
            f"{path}: cannot tell the format from the extension {suffix or '(none)'}",
            hint="use .parquet, .csv or .jsonl",
        )
    _check_parent(path)
    fd, tmp = _temp_beside(path, suffix)
    os.close(fd)
    try:
        _write_table(df, Path(tmp), suffix)
        os.chmod(tmp, _file_mode())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_dir(out: str | Path) -> Iterator[Path]:
    """Yield a staging folder; on success its files replace those in ``out``.

    Nothing in ``out`` changes unless the whole block succeeds, so an error or Ctrl-C
    leaves the previous outputs intact.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder", hint="choose another --out")
    parent = out.parent if str(out.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out}: cannot create folder {parent} ({exc.strerror})", hint="choose another --out") from None
    if not parent.is_dir():
        raise OutputError(f"{out}: {parent} is not a folder", hint="choose another --out")
    if not os.access(parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise OutputError(f"{out}: not writable", hint="choose another --out")
    try:
        stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=parent))
    except OSError as exc:
        raise OutputError(f"{out}: not writable ({exc.strerror})", hint="choose another --out") from None
    try:
        yield stage
        out.mkdir(exist_ok=True)
        for item in sorted(stage.iterdir()):
            target = out / item.name
            if target.is_dir():
                shutil.rmtree(target)
            os.replace(item, target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)

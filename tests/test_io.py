from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import polars as pl
import pytest

from compare.errors import OutputError
from compare.io import atomic_dir, write_table


def test_write_table_formats_and_roundtrip(tmp_path: Path) -> None:
    df = pl.DataFrame({"a": [1, 2], "b": [["x", "y"], []]})
    write_table(df, tmp_path / "t.parquet")
    assert pl.read_parquet(tmp_path / "t.parquet").equals(df)
    write_table(df, tmp_path / "t.jsonl")
    assert pl.read_ndjson(tmp_path / "t.jsonl").height == 2
    write_table(df, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_text().splitlines()[1] == "1,x|y"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv", "t.jsonl", "t.parquet"]


def test_write_table_refuses_unknown_extension_and_missing_folder(tmp_path: Path) -> None:
    df = pl.DataFrame({"a": [1]})
    with pytest.raises(OutputError, match="extension"):
        write_table(df, tmp_path / "t.xlsx")
    with pytest.raises(OutputError, match="does not exist"):
        write_table(df, tmp_path / "nope" / "t.parquet")


def _refused_as_nobody(target: Path) -> bool:
    """Try ``write_table`` into ``target`` in a forked child running as user 65534
    (root overrides folder permissions, so the parent cannot see the refusal itself)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            os.setgid(65534)
            os.setuid(65534)
            write_table(pl.DataFrame({"a": [1]}), target / "t.parquet")
        except OutputError as exc:
            code = 0 if "not writable" in str(exc) else 2
        except BaseException:
            code = 3
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def test_unwritable_folder(tmp_path: Path) -> None:
    # Under /tmp with open parents, so that the unprivileged child can reach it.
    base = Path(tempfile.mkdtemp(prefix="compare-ro-", dir="/tmp"))
    try:
        base.chmod(0o755)
        ro = base / "ro"
        ro.mkdir()
        ro.chmod(0o555)
        if os.geteuid() == 0:
            assert _refused_as_nobody(ro)
        else:
            with pytest.raises(OutputError, match="not writable"):
                write_table(pl.DataFrame({"a": [1]}), ro / "t.parquet")
        assert list(ro.iterdir()) == []
    finally:
        ro.chmod(0o755)
        shutil.rmtree(base)


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux /proc")
def test_read_only_filesystem_refused_even_for_root() -> None:
    # procfs takes no new files whoever asks: the temporary file fails, not a permission check.
    with pytest.raises(OutputError, match="not writable"):
        write_table(pl.DataFrame({"a": [1]}), Path("/proc/self/t.parquet"))
    with pytest.raises(OutputError, match="not writable"), atomic_dir("/proc/self/out"):
        pass


def test_atomic_dir_keeps_previous_outputs_on_failure(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with atomic_dir(out) as stage:
        (stage / "report.md").write_text("first")
    assert (out / "report.md").read_text() == "first"
    with pytest.raises(RuntimeError), atomic_dir(out) as stage:
        (stage / "report.md").write_text("half")
        raise RuntimeError("boom")
    assert (out / "report.md").read_text() == "first"
    with pytest.raises(KeyboardInterrupt), atomic_dir(out) as stage:
        (stage / "report.md").write_text("half")
        raise KeyboardInterrupt
    assert (out / "report.md").read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging folder left behind


def test_atomic_dir_refuses_a_file(tmp_path: Path) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(OutputError, match="not a folder"), atomic_dir(f):
        pass


def test_outputs_get_the_usual_file_mode(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        write_table(pl.DataFrame({"a": [1]}), tmp_path / "t.parquet")
        assert (tmp_path / "t.parquet").stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(mask)


def test_atomic_dir_creates_missing_parents(tmp_path: Path) -> None:
    out = tmp_path / "a" / "b" / "out"
    with atomic_dir(out) as stage:
        (stage / "x.md").write_text("x")
    assert (out / "x.md").read_text() == "x"
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(OutputError, match="cannot create folder"), atomic_dir(blocker / "sub" / "out"):
        pass

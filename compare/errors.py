"""Named exceptions. The library raises these; only ``cli.py`` prints them and exits."""

from __future__ import annotations

from pathlib import Path


class CompareError(Exception):
    """Base class: a message for the user plus a hint on what to do about it."""

    exit_code = 2

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\nHint: {self.hint}"


class InputError(CompareError):
    """Bad or unreadable input. Names the file and, where known, the line or row."""

    def __init__(
        self, message: str, path: str | Path | None = None, line: int | None = None, hint: str = ""
    ) -> None:
        where = ""
        if path is not None:
            where = str(path) + (f":{line}" if line is not None else "")
        super().__init__(f"{where}: {message}" if where else message, hint)
        self.path = None if path is None else str(path)
        self.line = line


class OutputError(CompareError):
    """The output cannot be written (unwritable directory, unknown extension...)."""


class ModelError(CompareError):
    """An encoder or trained artefact cannot be loaded."""


class CacheError(CompareError):
    """The embedding cache is unreadable; it is safe to delete it."""


class UsageError(CompareError):
    """Options that do not fit together (unknown outlet, A equal to B...)."""


class DependencyError(CompareError):
    """A package the requested feature needs is missing or broken; the hint says what to install."""

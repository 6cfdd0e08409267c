"""Where the heavy batch functions run: inline (``local``) or on a Ray cluster (``ray``).

The stages stay plain batch functions; an engine only decides where each batch runs::

    engine = get_engine("ray")                      # or "local" (the default)
    vecs = engine.map_chunks(encoder.encode, texts, batch_size=512)   # one result per batch
    rows = engine.map_batches(verify_chunk, pairs, batch_size=65536)  # results flattened

Both engines return results in input order, so output is identical whichever runs it
(tests/test_engine.py checks this). ``RayEngine`` imports Ray only when first used and
ships the *same* functions to workers with cloudpickle; batches travel as Python lists,
numpy arrays or Arrow tables (``map_frames`` sends polars frames as Arrow, zero-copy).
It connects to ``address`` (or ``$RAY_ADDRESS``) when one is given, else starts a local
instance. Ray is an optional extra: ``pip install 'compare[ray]'``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol, TypeVar, runtime_checkable

import polars as pl

from .errors import UsageError

T = TypeVar("T")
R = TypeVar("R")

ENGINES = ("local", "ray")


def _batches(items: Sequence[T], batch_size: int) -> Iterator[list[T]]:
    if batch_size < 1:
        raise UsageError(f"batch size {batch_size} must be at least 1")
    for start in range(0, len(items), batch_size):
        yield list(items[start:start + batch_size])


@runtime_checkable
class Engine(Protocol):
    name: str

    def map_chunks(self, fn: Callable[[list[T]], R], items: Sequence[T], batch_size: int) -> list[R]:
        """``fn`` on consecutive batches of ``items``: one result per batch, in order."""
        ...

    def map_batches(self, fn: Callable[[list[T]], Sequence[R]], items: Sequence[T],
                    batch_size: int) -> list[R]:
        """``fn`` on consecutive batches, results concatenated in order (rows of an array too)."""
        ...

    def map_frames(self, fn: Callable[[pl.DataFrame], pl.DataFrame], frame: pl.DataFrame,
                   batch_size: int) -> pl.DataFrame:
        """``fn`` on row slices of ``frame``; the outputs stacked in order."""
        ...

    def close(self) -> None: ...


def _flatten(chunks: list[Sequence[R]]) -> list[R]:
    out: list[R] = []
    for c in chunks:
        out.extend(c)
    return out


def _stack(frames: list[pl.DataFrame], fallback: pl.DataFrame) -> pl.DataFrame:
    return pl.concat(frames, how="vertical") if frames else fallback


class LocalEngine:
    """Runs every batch inline, in this process: exactly a plain call, batch by batch."""

    name = "local"

    def map_chunks(self, fn: Callable[[list[T]], R], items: Sequence[T], batch_size: int) -> list[R]:
        return [fn(b) for b in _batches(items, batch_size)]

    def map_batches(self, fn: Callable[[list[T]], Sequence[R]], items: Sequence[T],
                    batch_size: int) -> list[R]:
        return _flatten(self.map_chunks(fn, items, batch_size))

    def map_frames(self, fn: Callable[[pl.DataFrame], pl.DataFrame], frame: pl.DataFrame,
                   batch_size: int) -> pl.DataFrame:
        if batch_size < 1:
            raise UsageError(f"batch size {batch_size} must be at least 1")
        outs = [fn(frame.slice(s, batch_size)) for s in range(0, frame.height, batch_size)]
        return _stack(outs, fn(frame.clear()))

    def close(self) -> None:
        return None


def _call_chunk(fn: Callable[[Any], Any], batch: Any) -> Any:
    return fn(batch)


def _call_frame(fn: Callable[[pl.DataFrame], pl.DataFrame], table: Any) -> Any:
    # Frames cross process boundaries as Arrow tables (Ray serialises those zero-copy).
    return fn(pl.from_arrow(table)).to_arrow()  # type: ignore[arg-type]


class RayEngine:
    """Ray tasks over the same batch functions. Connects lazily, on the first map call."""

    name = "ray"

    def __init__(self, address: str | None = None, *, num_cpus: int | None = None,
                 max_in_flight: int | None = None) -> None:
        self.address = address or os.environ.get("RAY_ADDRESS") or None
        self.num_cpus = num_cpus
        self.max_in_flight = max_in_flight
        self._ray: Any = None
        self._started = False  # True when this engine started the Ray instance (close stops it)

    def _connect(self) -> Any:
        if self._ray is not None:
            return self._ray
        try:
            import ray
        except ImportError as exc:
            raise UsageError("--engine ray needs the package ray",
                             hint="pip install 'compare[ray]' (or pip install 'ray[data]'), or use --engine local") from exc
        if not ray.is_initialized():
            try:
                if self.address:
                    ray.init(address=self.address, log_to_driver=False)
                else:
                    ray.init(num_cpus=self.num_cpus, include_dashboard=False, log_to_driver=False)
                    self._started = True
            except Exception as exc:  # ConnectionError, RuntimeError, ... depending on the version
                where = self.address or "a local instance"
                raise UsageError(f"cannot start or reach Ray at {where}: {exc}".splitlines()[0],
                                 hint="check --ray-address / RAY_ADDRESS (ray status), or use --engine local") from exc
        self._ray = ray
        return ray

    def _run(self, fn: Callable[[Any, Any], Any], payload: Any, batches: list[Any]) -> list[Any]:
        """Submit one task per batch, at most ``max_in_flight`` at a time; results in order."""
        ray = self._connect()
        if not batches:
            return []
        remote = ray.remote(fn)
        fn_ref = ray.put(payload)  # shipped once, not once per batch
        limit = self.max_in_flight or max(2, 2 * int(ray.available_resources().get("CPU", 1) or 1))
        refs: list[Any] = []
        for batch in batches:
            if len(refs) >= limit:
                # Bound memory: wait for the oldest to finish before submitting more.
                ray.wait(refs[len(refs) - limit:len(refs) - limit + 1], num_returns=1)
            refs.append(remote.remote(fn_ref, batch))
        try:
            return list(ray.get(refs))
        except ray.exceptions.RayTaskError as exc:
            # Re-raise the stage's own error (a CompareError keeps its hint), not Ray's wrapper.
            cause = exc.as_instanceof_cause()
            raise cause from None

    def map_chunks(self, fn: Callable[[list[T]], R], items: Sequence[T], batch_size: int) -> list[R]:
        return self._run(_call_chunk, fn, list(_batches(items, batch_size)))

    def map_batches(self, fn: Callable[[list[T]], Sequence[R]], items: Sequence[T],
                    batch_size: int) -> list[R]:
        return _flatten(self.map_chunks(fn, items, batch_size))

    def map_frames(self, fn: Callable[[pl.DataFrame], pl.DataFrame], frame: pl.DataFrame,
                   batch_size: int) -> pl.DataFrame:
        if batch_size < 1:
            raise UsageError(f"batch size {batch_size} must be at least 1")
        tables = [frame.slice(s, batch_size).to_arrow() for s in range(0, frame.height, batch_size)]
        outs = [pl.from_arrow(t) for t in self._run(_call_frame, fn, tables)]
        return _stack([o for o in outs if isinstance(o, pl.DataFrame)], fn(frame.clear()))

    def close(self) -> None:
        if self._ray is not None and self._started:
            self._ray.shutdown()
        self._ray = None
        self._started = False


def get_engine(name: str = "local", address: str | None = None, **options: Any) -> Engine:
    """``local`` (inline, no Ray import) or ``ray`` (``address`` or $RAY_ADDRESS, else local Ray)."""
    key = (name or "local").strip().lower()
    if key == "local":
        if address:
            raise UsageError("--ray-address only applies to --engine ray", hint="add --engine ray")
        return LocalEngine()
    if key == "ray":
        return RayEngine(address, **options)
    raise UsageError(f"unknown --engine {name!r}", hint="use local or ray")

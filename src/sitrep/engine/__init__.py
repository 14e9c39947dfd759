"""Engines: how per-document work is run (in this process, local worker processes, Ray).

An engine only maps a picklable function over documents; what the function
does lives in the stages. Chosen by name in settings (`engine`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator


def batched(items: Iterable, n: int) -> Iterator[list]:
    """Lists of up to *n* items, in order (itertools.batched arrives only in Python 3.12)."""
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) == n:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def map_documents(fn: Callable, items: Iterable, *, engine: str = "local", workers: int = 1,
                  chunksize: int = 4, pool=None) -> Iterator:
    """Yield ``fn(item)`` for every item, in order: in *pool* (`local.Workers`) when given, else in
    *workers* processes started for this call, else in this process."""
    if engine != "local":
        from ..errors import ConfigError

        raise ConfigError(f"unknown engine {engine!r}; this version has: local")
    if pool is not None:
        yield from pool.map(fn, items, chunksize=chunksize)
        return
    if workers <= 1:
        yield from map(fn, items)
        return
    from .local import Workers

    with Workers(workers) as started:
        yield from started.map(fn, items, chunksize=chunksize)

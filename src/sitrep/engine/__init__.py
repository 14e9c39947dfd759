"""Engines: how per-document work is run (in this process, local worker processes, Ray).

An engine only maps a picklable function over documents; what the function
does lives in the stages. Chosen by name in settings (`engine`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator


def map_documents(fn: Callable, items: Iterable, *, engine: str = "local", workers: int = 1,
                  chunksize: int = 4) -> Iterator:
    """Yield ``fn(item)`` for every item, in order."""
    if engine != "local":
        from ..errors import ConfigError

        raise ConfigError(f"unknown engine {engine!r}; this version has: local")
    if workers <= 1:
        yield from map(fn, items)
        return
    import multiprocessing as mp

    # fork shares the loaded gazetteer and vocabularies with the workers for free.
    with mp.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(fn, items, chunksize=chunksize)

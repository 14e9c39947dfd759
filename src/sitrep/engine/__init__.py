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
    with mp.get_context("fork").Pool(workers, initializer=_one_thread) as pool:
        yield from pool.imap(fn, items, chunksize=chunksize)


def _one_thread() -> None:
    """Each worker gets one core: BLAS and torch thread pools would only fight the other workers."""
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:  # threadpoolctl comes with scikit-learn; without it the workers still run
        pass

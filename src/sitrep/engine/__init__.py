"""Engines: how per-document work is run (in this process, local worker processes, Ray).

An engine only maps a picklable function over documents; what the function
does lives in the stages. Chosen by name in settings (`engine`): ``local``
(this machine's processes) or ``ray`` (actors of a Ray cluster, `sitrep.engine.ray`;
needs the optional extra ``sitrep[ray]``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

ENGINES = ("local", "ray")


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


def check_engine(engine: str) -> None:
    """Raise `ConfigError` unless *engine* is known and can run here (Ray installed for ``ray``)."""
    from ..errors import ConfigError

    if engine not in ENGINES:
        raise ConfigError(f"unknown engine {engine!r}; this version has: {', '.join(ENGINES)}")
    if engine == "ray":
        from .ray import require_ray

        require_ray()


def map_documents(fn: Callable, items: Iterable, *, engine: str = "local", workers: int = 1,
                  chunksize: int = 4, setup: Callable[[], None] | None = None,
                  address: str | None = None) -> Iterator:
    """Yield ``fn(item)`` for every item, in order.

    *setup* loads what *fn* needs (models) where the work runs: once here before local workers
    fork (they share it), once in each Ray actor. *address* is the Ray cluster's (``ray``
    engine; None starts Ray on this machine unless ``RAY_ADDRESS`` names one). With one worker,
    every engine runs *fn* in this process.
    """
    check_engine(engine)
    if workers <= 1:
        yield from map(fn, items)
        return
    if engine == "ray":
        from .ray import map_documents as on_ray

        yield from on_ray(fn, items, workers=workers, chunksize=chunksize, setup=setup, address=address)
        return
    if setup is not None:
        setup()
    import multiprocessing as mp

    # fork shares the loaded gazetteer and vocabularies with the workers for free.
    with mp.get_context("fork").Pool(workers, initializer=one_thread) as pool:
        yield from pool.imap(fn, items, chunksize=chunksize)


def one_thread() -> None:
    """Each worker gets one core: BLAS and torch thread pools would only fight the other workers."""
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:  # threadpoolctl comes with scikit-learn; without it the workers still run
        pass


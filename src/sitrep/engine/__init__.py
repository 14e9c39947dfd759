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
                  chunksize: int = 4, pool=None, setup: Callable[[], None] | None = None,
                  address: str | None = None) -> Iterator:
    """Yield ``fn(item)`` for every item, in order.

    *pool* is a started `local.Workers` to run in (local engine); without one, *workers* local
    processes are started for this call (they load the models themselves, `local.Workers`).
    *setup* loads what *fn* needs in each Ray actor. *address* is the Ray cluster's (``ray``
    engine; None starts Ray on this machine unless ``RAY_ADDRESS`` names one). With one worker
    and no pool, every engine runs *fn* in this process.
    """
    check_engine(engine)
    if pool is not None:
        yield from pool.map(fn, items, chunksize=chunksize)
        return
    if workers <= 1:
        yield from map(fn, items)
        return
    if engine == "ray":
        from .ray import map_documents as on_ray

        yield from on_ray(fn, items, workers=workers, chunksize=chunksize, setup=setup, address=address)
        return
    from .local import Workers

    with Workers(workers) as started:
        yield from started.map(fn, items, chunksize=chunksize)

"""Local worker processes for the per-document stage, started before they are needed.

Loading spaCy, the gazetteer and the lexicons takes seconds. The libraries, the gazetteer and the
lexicons are loaded once in the main process and shared with the workers it forks; each worker
then loads the spaCy model while the main process is still reading the articles, not after.
The sentence-embedding model stays out of the workers: the main process loads it (in a thread, at
the same time) and embeds the leads the workers send back, so torch is loaded once, not per worker.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Iterable, Iterator


class Workers:
    """A pool of *n* forked worker processes that have loaded the models (`warm_up_workers`)."""

    def __init__(self, n: int):
        from ..pipeline import load_shared

        self.n = n
        load_shared()   # loaded once here, the forked workers share it (copy on write)
        self._pool = mp.get_context("fork").Pool(n, initializer=_start)

    def map(self, fn: Callable, items: Iterable, chunksize: int = 1) -> Iterator:
        """Yield ``fn(item)`` for every item, in order."""
        yield from self._pool.imap(fn, items, chunksize=chunksize)

    def close(self) -> None:
        self._pool.terminate()
        self._pool.join()

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _start() -> None:
    one_thread()
    from ..pipeline import warm_up_workers

    warm_up_workers()


def one_thread() -> None:
    """Each worker gets one core: BLAS and torch thread pools would only fight the other workers."""
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:  # threadpoolctl comes with scikit-learn; without it the workers still run
        pass

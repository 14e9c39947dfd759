"""Local worker processes for the per-document stage, started before they are needed.

Loading spaCy, the gazetteer and the lexicons takes seconds. The libraries, the gazetteer and the
lexicons are loaded once in the main process and shared with the workers it forks; each worker
then loads the spaCy model while the main process is still reading the articles, not after.

The sentence-embedding model stays out of the workers and out of the main process: one more
process (`Embedding`), forked first, imports torch and loads the model while the main process
loads spaCy, then embeds the leads the workers send back. So torch is loaded once, on a core the
main process is not using, and neither the main process nor the workers import it at all.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import sys
from collections.abc import Callable, Iterable, Iterator

log = logging.getLogger(__name__)


class Workers:
    """A pool of *n* forked worker processes that have loaded the models (`warm_up_workers`), and an
    `Embedding` process for their leads (`embedding`; None where `_fork_embedding` says no)."""

    def __init__(self, n: int):
        from ..pipeline import load_shared

        self.n = n
        self.embedding = Embedding() if _fork_embedding() else None   # forked before anything heavy
        load_shared()   # loaded once here, the forked workers share it (copy on write)
        self._pool = mp.get_context("fork").Pool(n, initializer=_start)

    def map(self, fn: Callable, items: Iterable, chunksize: int = 1) -> Iterator:
        """Yield ``fn(item)`` for every item, in order."""
        yield from self._pool.imap(fn, items, chunksize=chunksize)

    def close(self) -> None:
        self._pool.terminate()
        self._pool.join()
        if self.embedding is not None:
            self.embedding.close()

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _fork_embedding() -> bool:
    """Whether to fork an `Embedding` process: not when this process holds the encoder already (a
    watch embeds in its own process), nor from a Ray client (a child loading torch beside Ray's
    inherited connections has crashed Ray's node manager)."""
    from ..nlp.embed import Embedder

    ray = sys.modules.get("ray")
    return not Embedder.loaded() and not (ray is not None and getattr(ray, "is_initialized", lambda: False)())


class Embedding:
    """A forked process that loads the sentence encoder at once and embeds the texts sent to it.

    ``send(texts)`` then ``receive()`` gives their vectors, in the order sent; several lists may be
    sent before the first is received. ``receive`` gives None when the process failed on them (the
    log says why): their documents are then stored without vectors, and fusion embeds their leads.
    """

    def __init__(self):
        ctx = mp.get_context("fork")
        self._conn, child = ctx.Pipe()
        # A plain process and pipe: no thread is started here, so forking the workers later is safe.
        self._process = ctx.Process(target=_serve_embeddings, args=(child, self._conn),
                                    name="sitrep-embedding", daemon=True)
        self._process.start()
        child.close()
        self.pending = 0
        self.failed = False

    def send(self, texts: list[str]) -> None:
        self.pending += 1
        if not self.failed:
            try:
                self._conn.send(list(texts))
            except (OSError, ValueError) as e:
                self._fail(f"cannot reach it ({e})")

    def receive(self):
        """The vectors of the oldest list sent and not yet received (a float32 array), or None."""
        if self.pending == 0:
            raise RuntimeError("nothing was sent to the embedding process")
        self.pending -= 1
        if self.failed:
            return None
        try:
            out = self._conn.recv()
        except (EOFError, OSError) as e:
            self._fail(f"it stopped ({e or 'no answer'})")
            return None
        if isinstance(out, str):   # the error the process met on this list; it goes on with the next
            log.warning("lead embeddings failed (%s); stories will embed these leads later", out)
            return None
        return out

    def _fail(self, why: str) -> None:
        self.failed = True
        log.warning("the embedding process failed: %s; stories will embed the leads later", why)

    def close(self) -> None:
        self._conn.close()
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join()


def _serve_embeddings(conn, parent_end) -> None:
    parent_end.close()
    from ..nlp.embed import Embedder

    Embedder.one_thread = True    # the workers have the other cores
    embedder = Embedder.shared()  # loading starts now, while the main process loads spaCy
    while True:
        try:
            texts = conn.recv()
        except (EOFError, OSError):   # the main process closed its end: done. Leave at once, as the
            os._exit(0)               # workers do: exit handlers copied from the parent are not ours to run
        try:
            conn.send(embedder(texts))
        except Exception as e:  # report it for this list and serve the next
            conn.send(f"{type(e).__name__}: {e}")


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

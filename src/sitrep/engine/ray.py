"""The Ray engine: the per-document stage on Ray Data, across the actors of a Ray cluster.

Each item (in the pipeline, a batch of documents) is pickled into one row of a Ray dataset, with
its sequence number. `map_batches` runs them through a pool of `workers` actors: each actor loads
the models once (*setup*, e.g. `sitrep.pipeline.warm_up_models`) and then calls *fn* on the items
it is given; what *fn* returns comes back pickled. The driver receives the results in input order
(Ray Data's ``preserve_order``, and the sequence numbers checked), and is the only one to touch
the store: workers only compute.

Without ``address`` (``--ray-address``) and without ``RAY_ADDRESS`` in the environment, a Ray is
started on this machine with ``workers`` CPUs, and stopped again once the map is done. An address
(``auto``, ``ray://head:10001``) joins a running cluster, whose workers need sitrep and its models
installed as the driver has them (``pip install 'sitrep[ray]'`` there too). A Ray already
initialised in this process (a notebook, a test) is used as it is.

Ray is an optional extra (``pip install 'sitrep[ray]'``); asking for this engine without it is a
`ConfigError` saying so.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import socket
from collections.abc import Callable, Iterable, Iterator

from ..errors import ConfigError

log = logging.getLogger(__name__)

MISSING = "engine \"ray\" is disabled: install sitrep[ray] (pip install 'sitrep[ray]')"
PROTOCOL = pickle.HIGHEST_PROTOCOL


def require_ray():
    """The `ray` module, or `ConfigError` saying how to install it."""
    try:
        import ray
        import ray.data  # noqa: F401  (ray without its data extra cannot run this engine either)
    except ImportError as e:
        raise ConfigError(f"{MISSING}; importing ray failed: {e}") from e
    return ray


class _Worker:
    """One actor of the pool: loads the models once, then maps *fn* over the rows it is given."""

    def __init__(self, fn: Callable, setup: Callable[[], None] | None):
        from .local import one_thread

        one_thread()            # one core per actor: thread pools would only fight the other actors
        try:
            import torch

            torch.set_num_threads(1)   # as the local engine's workers: the same embeddings to the last bit
        except ImportError:
            pass
        if setup is not None:
            setup()
        self.fn = fn

    def __call__(self, batch):
        import pyarrow as pa

        results = [pickle.dumps(self.fn(pickle.loads(item)), protocol=PROTOCOL)
                   for item in batch.column("item").to_pylist()]
        return pa.table({"seq": batch.column("seq"), "result": pa.array(results, type=pa.large_binary())})


def map_documents(fn: Callable, items: Iterable, *, workers: int, chunksize: int = 1,
                  setup: Callable[[], None] | None = None, address: str | None = None) -> Iterator:
    """Yield ``fn(item)`` for every item, in order, computed by *workers* Ray actors.

    *chunksize* items go to an actor at a time. The items are read (and pickled) here first, all of
    them: a Ray dataset is made from a list."""
    ray = require_ray()
    import pyarrow as pa

    pickled = [pickle.dumps(item, protocol=PROTOCOL) for item in items]
    if not pickled:
        return
    table = pa.table({"seq": pa.array(range(len(pickled)), type=pa.int64()),
                      "item": pa.array(pickled, type=pa.large_binary())})
    del pickled
    with _connected(ray, address, workers):
        from ray.data import DataContext

        with _quiet_data(DataContext.get_current()):
            # One block per actor call, so that the pool shares the work out evenly; no more actors than calls.
            blocks = [table.slice(i, chunksize) for i in range(0, table.num_rows, chunksize)]
            del table
            ds = ray.data.from_arrow(blocks).map_batches(
                _Worker, fn_constructor_args=(fn, setup), batch_size=chunksize, batch_format="pyarrow",
                compute=ray.data.ActorPoolStrategy(size=min(workers, len(blocks))), num_cpus=1)
            del blocks
            expected = 0
            for row in ds.iter_rows():
                if row["seq"] != expected:  # preserve_order is on: never expected, but order is the contract
                    raise RuntimeError(f"Ray returned result {row['seq']} where {expected} was due")
                expected += 1
                yield pickle.loads(row["result"])


@contextlib.contextmanager
def _connected(ray, address: str | None, workers: int):
    """Ray initialised in this process for the block: as it is, joined at *address*, or started here."""
    if ray.is_initialized():
        yield
        return
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")   # never report to Ray's usage server
    address = address or os.environ.get("RAY_ADDRESS") or None
    quiet = dict(logging_level=logging.ERROR, log_to_driver=False)
    if address:
        _answers(address)
    try:
        if address:
            ray.init(address=address, **quiet)
        else:
            ray.init(num_cpus=workers, include_dashboard=False, ignore_reinit_error=True, **quiet)
    except (ConnectionError, ValueError, RuntimeError) as e:
        where = f"the Ray cluster at {address!r} (--ray-address, ray_address or RAY_ADDRESS)" if address \
            else "a Ray on this machine"
        raise ConfigError(f"engine \"ray\": cannot start or join {where}: {e}") from e
    try:
        yield
    finally:
        ray.shutdown()


def _answers(address: str, timeout: float = 5.0) -> None:
    """`ConfigError` unless something listens at *address* (``HOST:PORT`` or ``ray://HOST:PORT``; ``auto``
    is Ray's to find): Ray itself would retry a wrong address for minutes."""
    host, sep, port = address.removeprefix("ray://").rpartition(":")
    if not sep or not port.isdigit():
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as e:
        raise ConfigError(f"engine \"ray\": nothing answers at {address!r} (--ray-address, ray_address or "
                          f"RAY_ADDRESS): {e.strerror or e}; is the Ray cluster up, and is that its address?") from e


@contextlib.contextmanager
def _quiet_data(ctx):
    """Results in input order and no progress bars or execution banners, for the block only."""
    saved = (ctx.execution_options.preserve_order, ctx.enable_progress_bars, ctx.print_on_execution_start)
    data_log = logging.getLogger("ray.data")
    level = data_log.level
    ctx.execution_options.preserve_order = True
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False
    data_log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        (ctx.execution_options.preserve_order, ctx.enable_progress_bars, ctx.print_on_execution_start) = saved
        data_log.setLevel(level)

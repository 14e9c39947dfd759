"""The Ray engine (`sitrep run --engine ray`): the same outputs as the local engine, results in input
order, and clear errors for an unknown engine or a missing Ray.

The tests that run Ray start a small one of their own on this machine (2 CPUs, no dashboard), shared
by the module and shut down after it; they skip, saying why, when ray is not installed. The error
tests need neither Ray nor a model."""

from __future__ import annotations

import datetime as dt
import importlib.util
import itertools
import re
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.engine import check_engine, map_documents
from sitrep.errors import ConfigError
from sitrep.pipeline import MANIFEST, run
from sitrep.settings import Settings, load_settings

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "sitrep" / "data" / "sample"

# Ray Data copies its own context, deprecated fields included: its warnings, not sitrep's.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.data.context")

needs_ray = pytest.mark.skipif(importlib.util.find_spec("ray") is None,
                               reason="ray is not installed: pip install 'sitrep[ray]' (make install does)")


@pytest.fixture(scope="module")
def local_ray():
    """A Ray started for these tests on this machine: 2 CPUs, no dashboard, stopped after the module."""
    import logging
    import os

    import ray

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    if ray.is_initialized():
        ray.shutdown()
    ray.init(num_cpus=2, include_dashboard=False, logging_level=logging.ERROR, log_to_driver=False)
    # The functions these tests map live in this module, which Ray's workers cannot import: send them whole.
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    try:
        yield ray
    finally:
        ray.cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
        ray.shutdown()


def outputs(out: Path) -> dict[str, bytes]:
    """Every output file but manifest.json (run id, times), the report's generated time masked."""
    stamp = re.compile(rb"\d{4}-\d\d-\d\d \d\d:\d\d UTC")
    files = {p.name: p.read_bytes() for p in out.iterdir()
             if p.is_file() and not p.name.startswith("sitrep.db") and p.name != MANIFEST}
    return {k: stamp.sub(b"(time)", v) if k.startswith("report.") else v for k, v in files.items()}


def slow_for_the_first(item: int) -> tuple[int, int]:
    """*item* squared, after a wait that is longest for the first items: they finish last."""
    time.sleep(max(0.0, 0.3 - 0.03 * item))
    return item, item * item


@needs_ray
@pytest.mark.slow
def test_results_come_back_in_input_order_even_when_later_items_finish_first(local_ray):
    assert local_ray.is_initialized()
    got = list(map_documents(slow_for_the_first, range(12), engine="ray", workers=2, chunksize=1))
    assert got == [(i, i * i) for i in range(12)]
    assert local_ray.is_initialized()  # a Ray the caller started is left running


@needs_ray
@pytest.mark.nlp
@pytest.mark.slow
def test_the_sample_gives_byte_identical_outputs_on_the_ray_and_the_local_engine(local_ray, tmp_path, monkeypatch):
    """Both engines with 2 workers from the first document: the local one forks processes, the Ray one
    runs 2 actors of the test's Ray; ingestion times come from one repeatable clock."""
    from sitrep import store as store_module
    from sitrep.engine import ray as ray_engine

    on_ray = []
    real = ray_engine.map_documents

    def counted(*args, **kwargs):
        for result in real(*args, **kwargs):
            on_ray.append(result)
            yield result

    monkeypatch.setattr(ray_engine, "map_documents", counted)
    results, reports = {}, {}
    for engine in ("local", "ray"):
        start = dt.datetime(2026, 3, 10, 23, 59, 58, 500000, tzinfo=dt.timezone.utc)
        ticks = itertools.count()
        monkeypatch.setattr(store_module, "_now", lambda: start + dt.timedelta(seconds=next(ticks)))
        reports[engine] = run([SAMPLE], tmp_path / engine,
                              Settings(engine=engine, workers=2, parallel_from=1, progress=False))
        results[engine] = outputs(tmp_path / engine)
    # Ray extracted every original document of the sample, in batches, and gave each its claims.
    assert on_ray and sum(len(batch) for batch in on_ray) == reports["ray"].stored - reports["ray"].duplicates
    assert sum(len(e.claims) for batch in on_ray for e in batch) == reports["ray"].claims > 0
    local, ray = results["local"], results["ray"]
    assert {"claims.jsonl", "events.csv", "stories.json", "ged.csv", "places.geojson"} <= set(local)
    assert sorted(local) == sorted(ray)
    for name in local:
        assert local[name] == ray[name], f"{name} differs between the local and the Ray engine"
    assert (reports["local"].stored, reports["local"].claims) == (reports["ray"].stored, reports["ray"].claims)


# -------------------------------------------------------------------- errors: no Ray, no model needed

def test_an_unknown_engine_is_a_config_error_before_anything_is_read(tmp_path):
    with pytest.raises(ConfigError, match=r"unknown engine 'spark'; this version has: local, ray"):
        run([SAMPLE], tmp_path / "out", Settings(engine="spark", progress=False))
    assert not (tmp_path / "out").exists()
    with pytest.raises(ConfigError, match="unknown engine"):
        list(map_documents(abs, [1, -2], engine="spark"))
    res = CliRunner().invoke(app, ["run", str(SAMPLE), "--out", str(tmp_path / "cli"), "--engine", "spark",
                                   "--no-progress"])
    assert res.exit_code == 2 and "unknown engine 'spark'" in res.output and "[E201]" in res.output
    assert not (tmp_path / "cli").exists()


def test_asking_for_ray_without_it_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)   # `import ray` now fails as it does where it is not installed
    monkeypatch.setitem(sys.modules, "ray.data", None)
    with pytest.raises(ConfigError, match=re.escape("disabled: install sitrep[ray] (pip install 'sitrep[ray]')")):
        check_engine("ray")
    with pytest.raises(ConfigError, match=re.escape('engine "ray" is disabled: install sitrep[ray]')):
        run([SAMPLE], tmp_path / "out", Settings(engine="ray", workers=2, parallel_from=1, progress=False))
    assert not (tmp_path / "out").exists()
    with pytest.raises(ConfigError, match=re.escape("disabled: install sitrep[ray]")):
        list(map_documents(abs, [1, -2], engine="ray", workers=2))
    res = CliRunner().invoke(app, ["run", str(SAMPLE), "--out", str(tmp_path / "cli"), "--engine", "ray",
                                   "--no-progress"])
    assert res.exit_code == 2 and "disabled: install sitrep[ray]" in res.output
    check_engine("local")   # the local engine never needs Ray
    assert list(map_documents(abs, [1, -2], engine="local")) == [1, 2]


def test_the_engine_and_ray_address_come_from_the_config_file_and_the_flags(tmp_path):
    config = tmp_path / "sitrep.toml"
    config.write_text('engine = "ray"\nray_address = "ray://head:10001"\nworkers = 8\n', encoding="utf-8")
    settings = load_settings(config)
    assert (settings.engine, settings.ray_address, settings.workers) == ("ray", "ray://head:10001", 8)
    assert load_settings(config, ray_address="auto", workers=3).ray_address == "auto"
    assert Settings().ray_address is None and Settings().engine == "local"
    config.write_text("ray_address = 10001\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="ray_address must be str"):
        load_settings(config)


@needs_ray
def test_a_ray_address_where_nothing_listens_is_a_config_error_at_once(monkeypatch):
    import socket

    import ray

    monkeypatch.setattr(ray, "is_initialized", lambda: False)  # not this module's Ray: join the address
    with socket.socket() as s:   # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    for address in (f"127.0.0.1:{port}", f"ray://127.0.0.1:{port}"):
        started = time.perf_counter()
        with pytest.raises(ConfigError, match=re.escape(f"nothing answers at {address!r}")):
            list(map_documents(abs, [1, -2], engine="ray", workers=2, address=address))
        assert time.perf_counter() - started < 10

"""Shared fixtures: small corpora built by hand, and the optional ../shared folder."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import pgserver

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

# A GeoNames file the developer imported into their own cache must not change what the tests see;
# the tests of imported gazetteers point SITREP_GEONAMES_DB at databases they make themselves.
os.environ["SITREP_GEONAMES_DB"] = "off"


@pytest.fixture
def shared() -> Path:
    """The project's ../shared folder; tests using it skip in a user's clone, which has none."""
    if not (SHARED / "seeds").is_dir():
        pytest.skip("../shared/seeds is absent (only CI and developers have it)")
    return SHARED


# ---------------------------------------------------------------- stores: SQLite and PostgreSQL

@pytest.fixture(scope="session")
def pg_server() -> Iterator[pgserver.TempServer | pgserver.ExistingServer]:
    """The PostgreSQL server of this test session (see tests/pgserver.py).

    The server `SITREP_TEST_PG_URL` names, else a throw-away one started here from Debian's binaries
    and stopped (its folder removed) at the end of the session, also when tests failed. Tests that need
    it skip, naming what is missing, when there are no PostgreSQL binaries."""
    try:
        server = pgserver.server()
    except pgserver.Unavailable as e:
        pytest.skip(f"PostgreSQL tests skipped: {e}")
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_database(pg_server) -> Iterator[str]:
    """The SQLAlchemy URL of a new, empty PostgreSQL database, dropped after the test."""
    with pg_server.database() as url:
        yield url


def pytest_collection_modifyitems(config, items):
    """A test that asks for the PostgreSQL server itself carries the `postgresql` marker, as db_url's half does."""
    for item in items:
        if {"pg_server", "pg_database"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.postgresql)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def db_url(request, tmp_path) -> str:
    """The SQLAlchemy URL of an empty store: a test taking it runs once on SQLite, once on PostgreSQL.

    Give it to `Store(db_url)`, to `Settings(db=db_url)` for `sitrep.pipeline.run`, or to
    `sitrep run --db` (and the other commands' `--db`). The SQLite store is a file in the test's
    `tmp_path`; on PostgreSQL each test gets a database of its own (`CREATE DATABASE` with a unique
    name, dropped after the test even when the test left a store open). Node ids end in `[sqlite]`
    or `[postgresql]`, and the PostgreSQL runs carry the `postgresql` marker (`-m "not postgresql"`
    leaves them out). PostgreSQL runs skip, saying why, without PostgreSQL binaries; set
    `SITREP_TEST_PG_URL` to use a server of your own (see tests/pgserver.py). A test that needs
    both stores at once (comparing them) takes `pg_database` and a SQLite URL of its own instead.
    Keep tests that run spaCy on both few: each one is a second pipeline run.

    >>> def test_something(db_url):              # doctest: +SKIP
    ...     store = Store(db_url)
    """
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db.sqlite'}"
    return request.getfixturevalue("pg_database")


ARTICLE = ("date 2026-03-10 Gunmen attacked a police post in Bannu on Tuesday, killing at least four officers, "
           "police said. Residents said six people died.\n\nThe army said the attackers had fled.")


@pytest.fixture
def messy_folder(tmp_path: Path) -> Path:
    """One good article, a binary file, an empty file and a JSONL file with one bad line."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (d / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 4)
    (d / "empty.txt").write_text("", encoding="utf-8")
    lines = [
        json.dumps({"id": "j1", "text": "Five soldiers were killed in Tank, officials said.", "published": "2026-03-11"}),
        '{"id": "j2", "text": "broken',
        json.dumps({"id": "j3", "text": "Two civilians were wounded in Lakki Marwat.", "published": "2026-03-11T09:30:00Z"}),
    ]
    (d / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return d


# ---------------------------------------------------------------- `make test-fast` loads no model
# `make test-fast` deselects the `nlp` and `slow` markers. So that an unmarked test cannot quietly
# bring spaCy or the embedding model back into the developer loop, loading either one in such a run
# fails the test that did it, naming the marker to add.

_MODEL_LOADS: list[str] = []


def _deselects_nlp(config) -> bool:
    expr = config.getoption("markexpr", default="") or ""
    return "not nlp" in expr


def pytest_configure(config):
    if not _deselects_nlp(config):
        return
    from sitrep.nlp import embed, parse

    def no_spacy(*args, **kwargs):
        _MODEL_LOADS.append("spaCy")
        raise RuntimeError("this test loads spaCy: mark it @pytest.mark.nlp (make test-fast loads no model)")

    def no_embedder(self):
        _MODEL_LOADS.append("the embedding model")
        raise RuntimeError("this test loads the embedding model: mark it @pytest.mark.nlp")

    parse.load_pipeline = no_spacy
    embed.Embedder.__init__ = no_embedder


@pytest.fixture(autouse=True)
def _no_model_in_fast_runs(request):
    """Fail a test run with -m 'not nlp' that loaded a model, even where the code caught the error."""
    _MODEL_LOADS.clear()
    yield
    if _MODEL_LOADS:
        loaded = sorted(set(_MODEL_LOADS))
        _MODEL_LOADS.clear()
        pytest.fail(f"{' and '.join(loaded)} loaded in a run without the nlp marker: mark the test @pytest.mark.nlp")


# ---------------------------------------------------------------- stores built for the analyst's desk
SAMPLE = ROOT / "src" / "sitrep" / "data" / "sample"


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


@pytest.fixture(scope="session")
def pg_databases(pg_server):
    """A new PostgreSQL database per call (its URL), all of them dropped at the end of the session: for
    stores that outlive one test (a session's sample store), which `pg_database` cannot give."""
    with contextlib.ExitStack() as stack:
        yield lambda: stack.enter_context(pg_server.database())


@pytest.fixture(scope="session", params=BACKENDS)
def store_backend(request) -> str:
    """The database the desk and web tests build their stores on: each test using `store_urls`,
    `sample_store` or a store made from them runs once on SQLite and once on PostgreSQL (node ids end
    in ``[sqlite]`` / ``[postgresql]``; the PostgreSQL runs carry the `postgresql` marker and skip,
    saying why, without a server)."""
    return request.param


@pytest.fixture(scope="session")
def store_urls(store_backend, request, tmp_path_factory):
    """A new, empty database URL per call, on the session's `store_backend`: where the desk and web tests
    build their stores. The SQLite ones are files in temporary folders; the PostgreSQL ones databases of
    the session's server, dropped when it ends."""
    return _url_maker(store_backend, request, tmp_path_factory)


def _url_maker(backend: str, request, tmp_path_factory):
    if backend == "sqlite":
        return lambda name: f"sqlite:///{tmp_path_factory.mktemp(name) / 'sitrep.db'}"
    new = request.getfixturevalue("pg_databases")
    return lambda name: new()


@pytest.fixture(scope="session")
def built_stores(request, tmp_path_factory):
    """Stores built once per session and database, whatever order the tests run in:
    ``built_stores(key, backend, build)`` calls ``build(url, tmp_folder)`` the first time and returns
    what it returned ever after. Read-only for the tests that use them."""
    cache: dict[tuple[str, str], object] = {}

    def get(key: str, backend: str, build):
        if (key, backend) not in cache:
            url = _url_maker(backend, request, tmp_path_factory)(key)
            cache[key, backend] = build(url, tmp_path_factory.mktemp(f"{key}-{backend}"))
        return cache[key, backend]

    return get


@pytest.fixture(scope="session")
def sample_store(store_backend, built_stores):
    """The bundled sample corpus through `sitrep run`, once per session and database: (store URL, output
    folder). Read-only for the tests that use it (loads spaCy: mark them nlp)."""
    from deskkit import build_sample

    return built_stores("sample-store", store_backend, build_sample)


# -- a real browser: Debian's chromium through Playwright (never `playwright install`) --------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    """A headless chromium for the tests of one module (one Playwright per module: its sync API
    allows one at a time). Skipped, saying why, without /usr/bin/chromium or the playwright package."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is absent: install it with `apt-get install chromium chromium-driver` "
                    "(`make test` does so when run as root)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: `make install`")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=30_000)
        yield b
        b.close()


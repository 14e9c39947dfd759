"""The web app under test: a TestClient over a store, and a real server (uvicorn on a free loopback port).

`desk_server(url, **create_app_options)` starts the app on a store URL and returns its base URL; the
server stops at the end of the test module. For browser tests and for tests that change the store while
a page is open (a later test drops a file in a watched folder and waits for the story page to gain it).
"""

from __future__ import annotations

import socket
import threading
import time

import pytest
from fastapi.testclient import TestClient

from deskkit import build_hand_store
from sitrep.web import create_app

START_TIMEOUT = 20.0   # seconds a server may take to start before the test fails


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Running:
    """A uvicorn server in a thread; `stop` asks it to exit and waits a bounded time."""

    def __init__(self, app):
        import uvicorn

        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True, name=f"desk-{self.port}")
        self.thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the desk server did not start on port {self.port}")
            time.sleep(0.02)
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="module")
def desk_server():
    """Start the app on a store: ``base_url = desk_server(store_url, refresh_seconds=0.5)``."""
    running: list[Running] = []

    def start(store, **options) -> str:
        running.append(Running(create_app(store, **options)))
        return running[-1].url

    yield start
    for r in running:
        r.stop()


@pytest.fixture
def hand_store(store_urls):
    store = build_hand_store(store_urls("hand"))
    yield store
    store.close()


@pytest.fixture
def client(hand_store):
    with TestClient(create_app(hand_store)) as c:
        yield c


def build_hostile(url: str, tmp) -> str:
    """The XSS corpus (tests/xsskit.py) through `sitrep run` into the store at *url* (loads spaCy)."""
    import xsskit
    from sitrep.pipeline import run
    from sitrep.settings import Settings

    run([xsskit.hostile_folder(tmp / "in")], tmp / "out", Settings(progress=False, workers=1, db=url))
    return url


@pytest.fixture(scope="session")
def hostile_store(store_backend, built_stores) -> str:
    """The XSS corpus through `sitrep run`, once per session and database: its store URL (loads spaCy)."""
    return built_stores("xss-store", store_backend, build_hostile)

"""The web app itself: its state, routes mounted, error handling, and the server (see `sitrep.web`)."""

from __future__ import annotations

import hmac
import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles

from ..errors import ConfigError, QueryError, SitrepError
from ..settings import Settings
from ..store import Store

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
TOKEN_ENV = "SITREP_INGEST_TOKEN"
OSM_TILES = "https://tile.openstreetmap.org"
# No inline script anywhere (the JSON data block is not executed); Leaflet sets element styles via the
# CSSOM, and OpenStreetMap tiles load only when the reader switches them on, as in report.html.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       f"img-src 'self' data: {OSM_TILES}; connect-src 'self'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
           "X-Frame-Options": "DENY", "Cross-Origin-Opener-Policy": "same-origin"}


@dataclass
class AppState:
    """What the routes share: the store (opened once), settings, and the ingest switch and token."""

    store: Store
    settings: Settings
    ingest_token: str | None = None
    refresh_seconds: float = 5.0
    lock: threading.Lock = field(default_factory=threading.Lock)   # one ingest at a time
    fusion: object = None                                            # LiveFusion kept between ingests

    def token_ok(self, given: str) -> bool:
        return self.ingest_token is not None and hmac.compare_digest(given.encode(), self.ingest_token.encode())


def ingest_token(settings: Settings) -> str | None:
    """The ingest token: $SITREP_INGEST_TOKEN, else the settings' (config file's) ``ingest_token``."""
    return os.environ.get(TOKEN_ENV) or settings.ingest_token or None


def create_app(store: Store | str, settings: Settings | None = None, *, allow_ingest: bool = False,
               token: str | None = None, refresh_seconds: float = 5.0) -> FastAPI:
    """The web app over *store* (an open `Store` or a SQLAlchemy URL, opened once for the app's life).

    With *allow_ingest*, ``POST /api/v1/articles`` is added and needs ``Authorization: Bearer <token>``
    (*token*, else `ingest_token`); without a token the app refuses to be built (`ConfigError`).
    *refresh_seconds*: how often a story page asks whether its story changed.
    """
    from . import api, pages

    settings = (settings or Settings()).replace(progress=False)
    if isinstance(store, str):
        store = Store(store)
    token = token or ingest_token(settings)
    if allow_ingest and not token:
        raise ConfigError(f"--allow-ingest needs a token: set {TOKEN_ENV} or ingest_token in the --config file; "
                          "the ingest route is never open without one")
    desk = AppState(store, settings, token if allow_ingest else None, refresh_seconds)
    app = FastAPI(title="sitrep desk", version=_version(), docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json",
                  description="Stories, events, claims and sources of a sitrep store. Every list is paged: "
                              '`{"total", "limit", "offset", "items"}`.')
    app.state.desk = desk

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for k, v in HEADERS.items():
            response.headers.setdefault(k, v)
        return response

    @app.exception_handler(QueryError)
    async def bad_query(request: Request, e: QueryError):
        return _error(request, 422, str(e))

    @app.exception_handler(SitrepError)
    async def sitrep_error(request: Request, e: SitrepError):
        log.warning("%s %s: %s", request.method, request.url.path, e)
        return _error(request, 503, str(e))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, e: StarletteHTTPException):
        return _error(request, e.status_code, e.detail, getattr(e, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, e: RequestValidationError):
        if _wants_json(request):
            return JSONResponse({"detail": _plain(e.errors())}, status_code=422)
        return _error(request, 422, "; ".join(f"{'.'.join(map(str, x['loc'][1:]))}: {x['msg']}" for x in e.errors()))

    app.include_router(api.router(allow_ingest))
    app.include_router(pages.router)
    app.mount("/static", pages.static_files(), name="static")
    leaflet = pages.leaflet_folder()
    if leaflet is not None:
        app.mount("/leaflet", StaticFiles(directory=leaflet), name="leaflet")
    return app


def _plain(errors: list[dict]) -> list[dict]:
    """Validation errors as JSON can hold them (pydantic may put exceptions in `ctx`)."""
    return [{k: (v if k != "ctx" else {a: str(b) for a, b in v.items()}) for k, v in e.items() if k != "url"}
            for e in errors]


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _error(request: Request, status: int, detail, headers=None) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": detail}, status_code=status, headers=headers)
    from .pages import render

    return render(request, "error.html.j2", {"status": status, "detail": detail}, status=status)


def _version() -> str:
    from .. import __version__

    return __version__


def serve(store_url: str, host: str = "127.0.0.1", port: int = 8000, settings: Settings | None = None,
          allow_ingest: bool = False, echo=print) -> None:
    """Run the app with uvicorn until interrupted; *echo* is told the URL first."""
    import uvicorn

    app = create_app(store_url, settings, allow_ingest=allow_ingest)
    shown = f"[{host}]" if ":" in host else host
    echo(f"sitrep desk on http://{shown}:{port}/ (API docs at /docs{', ingest allowed' if allow_ingest else ''}); "
         "Ctrl-C stops it")
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)

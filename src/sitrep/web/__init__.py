"""`sitrep serve`: the analyst's desk in a browser, and a JSON API, over one store.

Server-rendered pages (stories, a story as report.html shows it, events, claims, sources) and a JSON
API under ``/api/v1``, all thin wrappers over `sitrep.desk`. Read-only unless the app is started with
ingest allowed and a token; then ``POST /api/v1/articles`` adds an article through `pipeline.update`.

Safe by default: every article string is escaped by Jinja2's autoescaping, every response carries a
Content-Security-Policy that runs only the app's own scripts (served from /static, no inline script),
nothing is loaded from another host (Leaflet comes from node_modules, the API docs are a local page),
and article links are shown as text, never followed.

>>> app = create_app("sqlite:///out/sitrep.db")   # doctest: +SKIP
>>> serve("sqlite:///out/sitrep.db", port=8000)   # doctest: +SKIP
"""

from .app import CSP, HEADERS, TOKEN_ENV, AppState, create_app, ingest_token, serve

__all__ = ["CSP", "HEADERS", "TOKEN_ENV", "AppState", "create_app", "ingest_token", "serve"]

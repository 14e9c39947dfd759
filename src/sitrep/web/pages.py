"""The desk's HTML pages, rendered on the server from `sitrep.desk` and the report's template parts.

Forms are GET forms whose fields are the API's parameters; an empty field means no filter. Values a
person typed wrongly (a fatality count that is no number) are said on the page, with status 422.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles

from .. import desk
from ..report import assets as report_assets
from ..report.compose import source as source_view
from ..report.html import TEMPLATES as REPORT_TEMPLATES, environment, page_data, script_json

HERE = Path(__file__).parent
PAGE = 25
router = APIRouter(include_in_schema=False)

# SPEC §3's codes, offered as choices in the claim browser.
PREDICATES = ["killed", "injured", "killed_or_injured", "captured", "escaped", "rescued", "attacked_places",
              "damaged_property", "burned_vehicles"]
CATEGORIES = ["people", "security_forces", "military", "police", "paramilitary", "ctd", "intelligence", "militants",
              "civilians", "officials", "prisoners", "property", "vehicles", "places"]
CLAIMANT_TYPES = ["armed_group", "military", "government", "police", "international", "ngo", "media", "witnesses",
                  "unattributed"]
HEDGES = ["asserted", "reported", "claimed", "alleged", "confirmed", "unverified", "denied"]


def _env():
    env = environment(HERE / "templates")
    env.filters["seg"] = lambda v: quote(str(v), safe="")   # one URL path segment, whatever the id holds
    return env


_ENV = None


def render(request: Request, name: str, context: dict, status: int = 200) -> HTMLResponse:
    global _ENV
    _ENV = _ENV or _env()
    html = _ENV.get_template(name).render(request=request, path=request.url.path, **context)
    return HTMLResponse(html, status_code=status)


def static_files() -> StaticFiles:
    return StaticFiles(directory=HERE / "static")


def leaflet_folder() -> Path | None:
    """node_modules/leaflet/dist, served at /leaflet (the page loads Leaflet from this server, never a CDN)."""
    nm = report_assets.node_modules()
    return nm / report_assets.LEAFLET if nm is not None else None


@router.get("/favicon.ico")
def favicon():
    """No icon: an empty answer, so browsers stop asking (and logs stay quiet)."""
    return Response(status_code=204)


@router.get("/report/{name}")
def report_asset(name: str):
    """report.js and report.css, the report's own script and style, served as files."""
    if name not in ("report.js", "report.css"):
        raise HTTPException(404, f"no report asset {name!r}")
    media = "text/javascript" if name.endswith(".js") else "text/css"
    return Response((REPORT_TEMPLATES / name).read_text(encoding="utf-8"), media_type=f"{media}; charset=utf-8")


def _store(request: Request):
    return request.app.state.desk.store


def _text(request: Request, name: str) -> str | None:
    v = request.query_params.get(name, "").strip()
    return v or None


def _int(request: Request, name: str, default: int | None, errors: list[str], low: int = 0) -> int | None:
    raw = _text(request, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        errors.append(f"{name}: {raw!r} is not a whole number")
        return default
    if value < low:
        errors.append(f"{name}: must be {low} or more")
        return default
    return value


def _date(request: Request, name: str, errors: list[str]) -> dt.date | None:
    raw = _text(request, name)
    if raw is None:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors.append(f"{name}: {raw!r} is not a date (YYYY-MM-DD)")
        return None


def _pager(request: Request, page: desk.Page) -> dict:
    """Links to the previous and next pages, keeping the other parameters."""
    params = {k: v for k, v in request.query_params.items() if k not in ("offset",) and v != ""}

    def link(offset: int) -> str:
        return request.url.path + "?" + urlencode(params | {"offset": offset})

    limit = page.limit or PAGE
    return {"first": page.offset + 1 if page.items else 0, "last": page.offset + len(page.items),
            "total": page.total,
            "prev": link(max(0, page.offset - limit)) if page.offset > 0 else None,
            "next": link(page.offset + limit) if page.offset + len(page.items) < page.total else None}


@router.get("/", response_class=HTMLResponse)
def story_list(request: Request):
    errors: list[str] = []
    limit, offset = _int(request, "limit", PAGE, errors), _int(request, "offset", 0, errors)
    store = _store(request)
    page = desk.stories(store, limit=min(limit, 200), offset=offset)
    fused = desk.fused_at(store)
    return render(request, "stories.html.j2", {
        "page": page, "pager": _pager(request, page), "errors": errors,
        "fused_at": fused.isoformat() if fused else None, "poll": "/api/v1/stamp", "poll_key": "fused_at",
        "poll_value": fused.isoformat() if fused else "", "refresh": request.app.state.desk.refresh_seconds},
        status=422 if errors else 200)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str):
    store = _store(request)
    stamp = desk.story_stamp(store, story_id)
    found = report_assets.load()
    report = desk.story_report(store, story_id, notices=list(found.disabled))
    if report is None or stamp is None:
        raise HTTPException(404, f"no story {story_id!r} in the store; it may have joined another story")
    with_map = found.leaflet_js is not None and leaflet_folder() is not None
    return render(request, "story.html.j2", {
        "report": report, "with_map": with_map, "notices": report.notices,
        "data_json": script_json(page_data(report, found) if with_map else {"maps": [], "basemap": None, "osm": ""}),
        "story_id": story_id, "poll": f"/api/v1/stories/{quote(story_id, safe='')}/stamp", "poll_key": "digest",
        "poll_value": stamp["digest"] or "", "changed_at": stamp["changed_at"],
        "refresh": request.app.state.desk.refresh_seconds})


EVENT_FIELDS = ("date_from", "date_to", "country", "admin1", "place", "actor", "event_type", "min_fatalities")


@router.get("/events", response_class=HTMLResponse)
def event_table(request: Request):
    errors: list[str] = []
    filters = {"date_from": _date(request, "date_from", errors), "date_to": _date(request, "date_to", errors),
               "country": _text(request, "country"), "admin1": _text(request, "admin1"),
               "place": _text(request, "place"), "actor": _text(request, "actor"),
               "event_type": _text(request, "event_type"),
               "min_fatalities": _int(request, "min_fatalities", None, errors),
               "story_id": _text(request, "story_id")}
    limit, offset = _int(request, "limit", PAGE, errors), _int(request, "offset", 0, errors)
    store = _store(request)
    page = desk.events(store, **filters, limit=min(limit, 500), offset=offset)
    query = urlencode({k: v for k, v in filters.items() if v is not None})
    return render(request, "events.html.j2", {
        "page": page, "pager": _pager(request, page), "errors": errors, "facets": desk.facets(store),
        "form": {k: request.query_params.get(k, "") for k in (*EVENT_FIELDS, "story_id")},
        "csv": "/api/v1/events.csv" + ("?" + query if query else ""),
        "geojson": "/api/v1/events.geojson" + ("?" + query if query else "")}, status=422 if errors else 200)


CLAIM_FIELDS = ("predicate", "category", "claimant_type", "hedge", "doc_id", "story_id")


@router.get("/claims", response_class=HTMLResponse)
def claim_browser(request: Request):
    errors: list[str] = []
    filters = {k: _text(request, k) for k in CLAIM_FIELDS}
    limit, offset = _int(request, "limit", PAGE, errors), _int(request, "offset", 0, errors)
    page = desk.claims(_store(request), **filters, limit=min(limit, 500), offset=offset)
    query = urlencode({k: v for k, v in filters.items() if v is not None})
    return render(request, "claims.html.j2", {
        "page": page, "pager": _pager(request, page), "errors": errors,
        "form": {k: request.query_params.get(k, "") for k in CLAIM_FIELDS},
        "choices": {"predicate": PREDICATES, "category": CATEGORIES, "claimant_type": CLAIMANT_TYPES,
                    "hedge": HEDGES},
        "jsonl": "/api/v1/claims.jsonl" + ("?" + query if query else "")}, status=422 if errors else 200)


@router.get("/documents/{doc_id:path}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str):
    """A source: its stored text with its claims' quotes marked; ``?claim=ID`` highlights that claim's."""
    store = _store(request)
    doc = store.get_document(doc_id)
    if doc is None:
        raise HTTPException(404, f"no document {doc_id!r} in the store")
    data = desk.document(store, doc_id)
    items = data["claims"]
    from ..records import Claim

    claims = [Claim(**{k: v for k, v in c.items() if k != "claim_id"}) for c in items]
    src, quotes = source_view(doc, claims)
    quote_of = {c["claim_id"]: i for i, c in enumerate(items)}
    errors: list[str] = []
    chosen = _int(request, "claim", None, errors)
    return render(request, "document.html.j2", {
        "doc": data, "src": src, "claims": list(zip(items, quotes)), "quote_of": quote_of,
        "hit": quote_of.get(chosen), "chosen": chosen, "errors": errors})


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request):
    """The API's routes and parameters, from the OpenAPI schema: a local page, no script, no CDN."""
    schema = request.app.openapi()
    routes = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                       "type": _type(p.get("schema", {})), "description": p.get("description", "")}
                      for p in op.get("parameters", [])]
            routes.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                           "description": op.get("description", ""), "params": params,
                           "responses": sorted(op.get("responses", {}))})
    return render(request, "docs.html.j2", {"routes": routes, "title": schema["info"]["title"],
                                            "version": schema["info"]["version"]})


def _type(schema: dict) -> str:
    if "anyOf" in schema:
        return " or ".join(_type(s) for s in schema["anyOf"] if s.get("type") != "null")
    kind = schema.get("type", "")
    return f"{kind} ({schema['format']})" if "format" in schema else kind


"""The JSON API under /api/v1: thin wrappers over `sitrep.desk`, with its parameter names.

Lists are paged (``{"total", "limit", "offset", "items"}``); unknown ids are 404 with a JSON
``detail``; bad parameters 422. The exports stream the files' text for a filter, in bounded memory.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse

from .. import desk
from ..ingest.readers import read_jsonl_line, too_large
from ..records import Problem

MAX_LIMIT = 1000
INGEST_ORIGIN = Path("api/articles")   # how a posted article's origin and quarantine rows name it

Limit = Annotated[int, Query(ge=0, le=MAX_LIMIT, description=f"Items per page (at most {MAX_LIMIT}).")]
Offset = Annotated[int, Query(ge=0, description="Items to skip.")]


def event_filters(
    date_from: Annotated[dt.date | None, Query(description="Events on or after this day (YYYY-MM-DD).")] = None,
    date_to: Annotated[dt.date | None, Query(description="Events on or before this day.")] = None,
    country: Annotated[str | None, Query(description="ACLED country name, any case: Nigeria.")] = None,
    admin1: Annotated[str | None, Query(description="First-level region, any case: Borno.")] = None,
    place: Annotated[str | None, Query(description="Part of the location's name, any case.")] = None,
    actor: Annotated[str | None, Query(description="Part of actor1 or actor2, any case: ISWAP.")] = None,
    event_type: Annotated[str | None, Query(description="ACLED event type: Battles.")] = None,
    min_fatalities: Annotated[int | None, Query(ge=0, description="Events with at least this many fatalities.")] = None,
    story_id: Annotated[str | None, Query(description="Events of this story.")] = None,
) -> dict:
    return {"date_from": date_from, "date_to": date_to, "country": country, "admin1": admin1, "place": place,
            "actor": actor, "event_type": event_type, "min_fatalities": min_fatalities, "story_id": story_id}


def claim_filters(
    predicate: Annotated[str | None, Query(description="SPEC §3 predicate: killed, injured, captured, …")] = None,
    category: Annotated[str | None, Query(description="Who or what is counted: civilians, military, …")] = None,
    claimant_type: Annotated[str | None, Query(description="armed_group, military, government, police, …")] = None,
    hedge: Annotated[str | None, Query(description="asserted, reported, claimed, alleged, confirmed, …")] = None,
    doc_id: Annotated[str | None, Query(description="Claims of this document.")] = None,
    story_id: Annotated[str | None, Query(description="Claims of this story's documents.")] = None,
) -> dict:
    return {"predicate": predicate, "category": category, "claimant_type": claimant_type, "hedge": hedge,
            "doc_id": doc_id, "story_id": story_id}


EventFilters = Annotated[dict, Depends(event_filters)]
ClaimFilters = Annotated[dict, Depends(claim_filters)]


def _store(request: Request):
    return request.app.state.desk.store


def _missing(what: str, key: str) -> HTTPException:
    return HTTPException(404, f"no {what} {key!r} in the store")


def _stream(chunks, media_type: str, filename: str) -> StreamingResponse:
    return StreamingResponse(chunks, media_type=media_type,
                             headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def router(allow_ingest: bool) -> APIRouter:
    r = APIRouter(prefix="/api/v1", tags=["api"])

    @r.get("/stories", summary="Stories, latest first")
    def stories(request: Request, limit: Limit = 50, offset: Offset = 0,
                since: Annotated[dt.datetime | None, Query(description="Only stories changed at or after this "
                                                                        "time (ISO 8601).")] = None) -> dict:
        """Each story with its counts, fatalities, headline figures and `changed` (changed in the latest
        fusion, or since `since`)."""
        return desk.stories(_store(request), limit=limit, offset=offset, since=since).as_dict()

    @r.get("/stories/{story_id}", summary="One story")
    def story(request: Request, story_id: str) -> dict:
        """The story as stories.json holds it, plus `digest`, `changed_at`, `changed`, `n_events`."""
        found = desk.story(_store(request), story_id)
        if found is None:
            raise _missing("story", story_id)
        return found

    @r.get("/stories/{story_id}/stamp", summary="What tells a story changed")
    def story_stamp(request: Request, story_id: str) -> dict:
        """`{id, digest, changed_at}`: a story page polls this and reloads when the digest changes."""
        found = desk.story_stamp(_store(request), story_id)
        if found is None:
            raise _missing("story", story_id)
        return found

    @r.get("/stamp", summary="When the stories were last built")
    def stamp(request: Request) -> dict:
        """`{fused_at}`: the story list polls this and reloads when it changes."""
        when = desk.fused_at(_store(request))
        return {"fused_at": when.isoformat() if when else None}

    @r.get("/events", summary="Events, filtered and paged")
    def events(request: Request, filters: EventFilters, limit: Limit = 50, offset: Offset = 0) -> dict:
        """Events as events.jsonl's rows (ACLED's columns, story_id, doc_ids, claim_quotes), newest day first."""
        return desk.events(_store(request), **filters, limit=limit, offset=offset).as_dict()

    @r.get("/events.csv", summary="Events as ACLED CSV", response_class=StreamingResponse)
    def events_csv(request: Request, filters: EventFilters):
        """events.csv's columns and order for the events matching the filters, streamed."""
        return _stream(desk.events_csv(_store(request), **filters), "text/csv; charset=utf-8", "events.csv")

    @r.get("/events.geojson", summary="Events as GeoJSON", response_class=StreamingResponse)
    def events_geojson(request: Request, filters: EventFilters):
        """places.geojson's features for the located events matching the filters, streamed."""
        return _stream(desk.events_geojson(_store(request), **filters), "application/geo+json", "events.geojson")

    @r.get("/stories.json", summary="Every story, as stories.json", response_class=StreamingResponse)
    def stories_json(request: Request):
        return _stream(desk.stories_json(_store(request)), "application/json", "stories.json")

    @r.get("/claims", summary="Claims, filtered and paged")
    def claims(request: Request, filters: ClaimFilters, limit: Limit = 50, offset: Offset = 0) -> dict:
        """Claims as claims.jsonl's rows plus `claim_id`, by document and position."""
        return desk.claims(_store(request), **filters, limit=limit, offset=offset).as_dict()

    @r.get("/claims.jsonl", summary="Claims as claims.jsonl", response_class=StreamingResponse)
    def claims_jsonl(request: Request, filters: ClaimFilters):
        return _stream(desk.claims_jsonl(_store(request), **filters), "application/x-ndjson", "claims.jsonl")

    @r.get("/documents/{doc_id:path}", summary="One source document")
    def document(request: Request, doc_id: str) -> dict:
        """Metadata, the stored text (what claim offsets point into), the stories listing it, its claims."""
        found = desk.document(_store(request), doc_id)
        if found is None:
            raise _missing("document", doc_id)
        return found

    @r.get("/facets", summary="Values to filter events by")
    def facets(request: Request) -> dict:
        """The distinct countries, admin1 names and event types of the stored events."""
        return desk.facets(_store(request))

    if allow_ingest:
        r.add_api_route("/articles", add_article, methods=["POST"], status_code=201,
                        summary="Add an article (needs the ingest token)",
                        responses={200: {"description": "Already stored, unchanged"},
                                   400: {"description": "Not JSON, or not UTF-8 (quarantined)"},
                                   401: {"description": "No bearer token"}, 403: {"description": "Wrong token"},
                                   413: {"description": "Above max_document_bytes (quarantined)"},
                                   422: {"description": "No usable article: no text, a bad date (quarantined)"}})
    return r


def _authorize(request: Request, authorization: str | None) -> None:
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise HTTPException(401, "send the ingest token as 'Authorization: Bearer <token>'",
                            headers={"WWW-Authenticate": "Bearer"})
    if not request.app.state.desk.token_ok(given.strip()):
        raise HTTPException(403, "wrong ingest token")


async def _body(request: Request, limit: int) -> bytes | None:
    """The request body, or None as soon as it grows past *limit* bytes (never read whole)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


def _refuse(request: Request, problem: Problem, status: int) -> JSONResponse:
    request.app.state.desk.store.add_problems([problem])
    return JSONResponse({"detail": f"{problem.reason}: {problem.detail}" if problem.detail else problem.reason,
                         "reason": problem.reason, "quarantined": True}, status_code=status)


async def add_article(request: Request, authorization: Annotated[str | None, Header()] = None):
    """Add one article, a JSON object like a JSONL line: `{"id", "text", "title"?, "published"?,
    "source"?, "url"?, "country"?}`. It is read by the JSONL reader (the same checks and quarantine
    rules as `sitrep run`), stored, extracted, and the stories it can belong to are built again.
    Returns the stored id, its status and the stories listing it."""
    from starlette.concurrency import run_in_threadpool

    _authorize(request, authorization)
    d = request.app.state.desk
    limit = d.settings.max_document_bytes
    body = await _body(request, limit)
    if body is None:
        size = request.headers.get("content-length")
        return _refuse(request, too_large(INGEST_ORIGIN, int(size) if size and size.isdigit() else limit + 1, limit),
                       413)
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        return _refuse(request, Problem(str(INGEST_ORIGIN), "undecodable text", detail=f"not UTF-8: {e.reason}"), 400)
    items = list(read_jsonl_line(INGEST_ORIGIN, 1, text)) or [
        Problem(str(INGEST_ORIGIN), "empty document", line=1, detail="the request body is empty")]
    item = items[0]
    if isinstance(item, Problem):
        return _refuse(request, item, 400 if item.reason == "malformed JSON line" else 422)
    return await run_in_threadpool(_store_article, d, item)


def _store_article(d, doc) -> JSONResponse:
    from ..fuse.live import LiveFusion
    from ..pipeline import update

    with d.lock:  # update() is one writer: articles posted at once are taken one after another
        d.fusion = d.fusion or LiveFusion(d.store)
        report = update(d.store, [doc], d.settings.replace(workers=1), fusion=d.fusion)
    stored = report.doc_ids[0] if report.doc_ids else doc.doc_id
    status = "new" if report.new else "updated" if report.updated else "unchanged"
    body = {"doc_id": stored, "status": status, "duplicate": bool(report.duplicates), "claims": report.claims,
            "stories": sorted(d.store.stories_of([stored])), "rebuilt": report.stories}
    return JSONResponse(body, status_code=201 if status != "unchanged" else 200)

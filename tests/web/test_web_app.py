"""The web app over a hand-made store (no model): every route, filters, paging, errors, headers, the ingest
route's refusals, and hostile strings escaped everywhere."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from sitrep import desk
from sitrep.errors import ConfigError
from sitrep.web import CSP, create_app

PAGES = ["/", "/stories/story-ng", "/stories/story-pk", "/events", "/events?country=Nigeria&min_fatalities=4",
         "/claims", "/claims?predicate=killed&claimant_type=witnesses", "/documents/evil", "/documents/evil?claim=5",
         "/documents/army", "/docs"]
API = ["/api/v1/stories", "/api/v1/stories/story-ng", "/api/v1/stories/story-ng/stamp", "/api/v1/stamp",
       "/api/v1/events", "/api/v1/events?country=pakistan&limit=1", "/api/v1/claims", "/api/v1/claims?hedge=claimed",
       "/api/v1/documents/evil", "/api/v1/facets", "/api/v1/events.csv", "/api/v1/events.geojson",
       "/api/v1/stories.json", "/api/v1/claims.jsonl", "/openapi.json"]


@pytest.mark.parametrize("path", PAGES + API)
def test_every_route_answers_with_the_security_headers(client, path):
    r = client.get(path)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-security-policy"] == CSP
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["referrer-policy"] == "no-referrer"
    for part in ("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'none'",
                 "form-action 'self'"):
        assert part in r.headers["content-security-policy"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_carry_no_inline_script_and_no_hostile_markup(client, path):
    html = client.get(path).text
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert 'src="/' in tag or 'type="application/json"' in tag, tag
    assert "<script>window.__xss" not in html and "<img src=x" not in html
    assert 'href="javascript:' not in html and "onerror=\"window" not in html
    for link in re.findall(r'(?:src|href|action)="([^"]*)"', html):  # this server's own paths only
        assert not re.match(r"(//|[a-zA-Z][a-zA-Z0-9+.-]*:)", link), link


def test_hostile_strings_are_shown_as_text(client):
    story = client.get("/stories/story-ng").text
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in story  # title, source, place, actor
    doc = client.get("/documents/evil").text
    assert "link, not followed: <span class=\"url\">javascript:window.__xss=1</span>" in doc


@pytest.mark.parametrize("path", [p for p in API if not p.endswith((".csv", ".geojson", ".jsonl", ".json"))
                                  or p == "/api/v1/stories.json"])
def test_json_answers_keep_article_strings_as_data(client, path):
    body = client.get(path).json()
    assert isinstance(body, dict)


@pytest.mark.parametrize("query, total", [("", 7), ("country=Nigeria", 4), ("country=nigeria&admin1=borno", 3),
                                          ("actor=ttp", 2), ("place=bann", 1), ("event_type=Battles", 4),
                                          ("min_fatalities=4", 3), ("date_from=2026-03-15&date_to=2026-05-01", 1),
                                          ("story_id=story-pk", 3)])
def test_event_filters_change_the_count(client, hand_store, query, total):
    body = client.get(f"/api/v1/events?{query}").json()
    assert body["total"] == total == len(body["items"])
    filters = dict(p.split("=") for p in query.split("&") if p)
    filters = {k: int(v) if k == "min_fatalities" else v for k, v in filters.items()}
    assert body == json.loads(json.dumps(desk.events(hand_store, **filters).as_dict()))
    page = client.get(f"/events?{query}").text
    assert re.search(rf'<b class="total">{total}</b> events? match', page)


def test_pages_of_the_api(client):
    first, second = (client.get(f"/api/v1/events?limit=4&offset={o}").json() for o in (0, 4))
    assert (first["total"], first["limit"], first["offset"], len(first["items"])) == (7, 4, 0, 4)
    assert len(second["items"]) == 3 and not {e["event_id_cnty"] for e in first["items"]} & \
        {e["event_id_cnty"] for e in second["items"]}
    html = client.get("/events?limit=4").text
    assert 'rel="next" href="/events?limit=4&amp;offset=4"' in html and 'rel="prev"' not in html


@pytest.mark.parametrize("path", ["/api/v1/stories/nope", "/api/v1/stories/nope/stamp", "/api/v1/documents/nope",
                                  "/api/v1/documents/a/b/c"])
def test_unknown_ids_are_404_with_a_json_detail(client, path):
    r = client.get(path)
    assert r.status_code == 404 and "nope" in r.json()["detail"] or "a/b/c" in r.json()["detail"]


@pytest.mark.parametrize("path", ["/stories/nope", "/documents/nope"])
def test_unknown_pages_are_404_pages(client, path):
    r = client.get(path)
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html") and "nope" in r.text


@pytest.mark.parametrize("query", ["limit=-1", "limit=5000", "offset=-1", "date_from=2026-02-30", "date_to=soon",
                                   "min_fatalities=-2", "min_fatalities=many"])
def test_bad_parameters_are_422(client, query):
    r = client.get(f"/api/v1/events?{query}")
    assert r.status_code == 422 and r.json()["detail"]
    assert client.get(f"/api/v1/events.csv?{query}").status_code in (200, 422)


@pytest.mark.parametrize("query, says", [("min_fatalities=many", "min_fatalities: 'many' is not a whole number"),
                                         ("date_from=2026-13-01", "date_from: '2026-13-01' is not a date")])
def test_a_form_value_typed_wrong_is_said_on_the_page(client, query, says):
    r = client.get(f"/events?{query}")
    assert r.status_code == 422 and says.replace("'", "&#39;") in r.text


def test_empty_form_fields_mean_no_filter(client):
    r = client.get("/events?date_from=&date_to=&country=&admin1=&place=&actor=&event_type=&min_fatalities=")
    assert r.status_code == 200 and '<b class="total">7</b>' in r.text


def test_download_links_carry_the_filters(client):
    html = client.get("/events?country=Pakistan&min_fatalities=1").text
    link = re.search(r'href="(/api/v1/events\.csv[^"]*)"', html).group(1).replace("&amp;", "&")
    rows = client.get(link).text.splitlines()
    assert [r.split(",")[0] for r in rows[1:]] == ["PAK1", "PAK2"]
    geo = re.search(r'href="(/api/v1/events\.geojson[^"]*)"', html).group(1).replace("&amp;", "&")
    assert len(client.get(geo).json()["features"]) == 2


def test_exports_stream_the_files_text(client, hand_store):
    r = client.get("/api/v1/events.csv")
    assert r.headers["content-type"].startswith("text/csv") and "attachment" in r.headers["content-disposition"]
    assert r.text == "".join(desk.events_csv(hand_store))
    assert client.get("/api/v1/stories.json").text == "".join(desk.stories_json(hand_store))
    assert client.get("/api/v1/claims.jsonl?doc_id=pk").text == "".join(desk.claims_jsonl(hand_store, doc_id="pk"))


def test_claims_link_to_their_quote_highlighted(client):
    claim = client.get("/api/v1/claims?doc_id=evil").json()["items"][0]
    html = client.get("/claims?doc_id=evil").text
    assert f'href="/documents/evil?claim={claim["claim_id"]}#hit"' in html
    page = client.get(f"/documents/evil?claim={claim['claim_id']}").text
    assert re.search(r'<span class="qa" id="hit"></span><mark data-q=" 0 " class="hit">3 civilians were killed</mark>',
                     page)
    assert 'class="hit"' not in client.get("/documents/evil").text


def test_story_page_is_the_reports_story(client):
    html = client.get("/stories/story-ng").text
    assert '<section class="story" id="story-ng">' in html and '<section id="sources">' in html
    assert 'id="viewer"' in html and 'src="/report/report.js"' in html and 'id="sitrep-data"' in html
    assert 'data-poll="/api/v1/stories/story-ng/stamp"' in html and 'data-poll-key="digest"' in html
    assert html.count('class="fig"') >= 2  # the figures, linked to their quotes


def test_report_assets_and_leaflet_are_served_here(client):
    assert "openSource" in client.get("/report/report.js").text
    assert client.get("/report/other.js").status_code == 404
    html = client.get("/stories/story-ng").text
    if 'src="/leaflet/leaflet.js"' in html:  # node_modules installed
        r = client.get("/leaflet/leaflet.js")
        assert r.status_code == 200 and "Leaflet" in r.text[:400]
        assert client.get("/leaflet/leaflet.css").status_code == 200


def test_api_docs_are_a_local_page(client):
    html = client.get("/docs").text
    for route in ("GET /api/v1/events", "GET /api/v1/events.csv", "GET /api/v1/claims", "GET /api/v1/stories/{story_id}"):
        assert route in html
    assert "min_fatalities" in html and "<script" not in html.replace('<script src="/static/desk.js"></script>', "")
    assert client.get("/openapi.json").json()["paths"]["/api/v1/events"]["get"]["parameters"]


def test_ingest_is_off_by_default(client):
    r = client.post("/api/v1/articles", json={"id": "x", "text": "Ten soldiers were killed."})
    assert r.status_code in (404, 405)
    assert "/api/v1/articles" not in client.get("/openapi.json").json()["paths"]


def test_ingest_refuses_to_start_without_a_token(hand_store, monkeypatch):
    monkeypatch.delenv("SITREP_INGEST_TOKEN", raising=False)
    with pytest.raises(ConfigError, match="needs a token"):
        create_app(hand_store, allow_ingest=True)


@pytest.fixture
def ingest(hand_store, monkeypatch):
    monkeypatch.setenv("SITREP_INGEST_TOKEN", "s3cret-token")
    from sitrep.settings import Settings

    with TestClient(create_app(hand_store, Settings(max_document_bytes=2000), allow_ingest=True)) as c:
        yield c


def quarantined(store):
    return [(p.path, p.reason) for p in store.problems()]


@pytest.mark.parametrize("headers, status", [({}, 401), ({"Authorization": "Basic abc"}, 401),
                                             ({"Authorization": "Bearer "}, 401),
                                             ({"Authorization": "Bearer wrong"}, 403),
                                             ({"Authorization": "Bearer s3cret-tokenX"}, 403)])
def test_ingest_needs_the_token(ingest, hand_store, headers, status):
    r = ingest.post("/api/v1/articles", json={"id": "n1", "text": "Ten soldiers were killed."}, headers=headers)
    assert r.status_code == status and hand_store.get_document("n1") is None


AUTH = {"Authorization": "Bearer s3cret-token"}


def test_an_oversized_article_is_413_and_quarantined(ingest, hand_store):
    r = ingest.post("/api/v1/articles", json={"id": "big", "text": "word " * 1000}, headers=AUTH)
    assert r.status_code == 413 and r.json()["quarantined"]
    assert quarantined(hand_store) == [("api/articles", "document too large")]


@pytest.mark.parametrize("body, status, reason", [
    (b'{"id": "x", "text": "unterminated', 400, "malformed JSON line"),
    (b"[1, 2]", 400, "malformed JSON line"),
    (b"\xff\xfe not utf-8", 400, "undecodable text"),
    (b'{"id": "x", "text": "   "}', 422, "empty document"),
    (b"", 422, "empty document"),
    (b'{"id": "x", "text": "Ten killed.", "published": "yesterday"}', 422, "invalid published date"),
])
def test_a_bad_body_is_refused_and_quarantined_with_the_reason(ingest, hand_store, body, status, reason):
    r = ingest.post("/api/v1/articles", content=body, headers=AUTH | {"Content-Type": "application/json"})
    assert r.status_code == status and r.json()["reason"] == reason
    assert quarantined(hand_store) == [("api/articles", reason)]


def test_reading_while_another_connection_writes_never_fails(hand_store):
    """The app reads through its own pool while a writer (as another process would, with its own engine)
    builds the stories again and again: every read answers 200 with a whole page."""
    import threading

    from deskkit import EVENTS
    from sitrep.store import Store

    writer = Store(hand_store.url)
    stories = {s["id"]: s for s in writer.stories()}
    failures: list[str] = []

    def write():
        try:
            for i in range(25):
                pk = stories["story-pk"] | {"title": f"TTP attacks, revision {i}"}
                writer.save_fusion([pk], [e for e in EVENTS if e["story_id"] == "story-pk"], replace=["story-pk"])
        except Exception as e:  # noqa: BLE001 - any failure of the writer fails the test
            failures.append(f"writer: {e}")

    with TestClient(create_app(hand_store)) as c:
        def read():
            for path in ["/api/v1/stories", "/api/v1/events?country=pakistan", "/", "/stories/story-pk",
                         "/api/v1/events.csv"] * 5:
                r = c.get(path)
                if r.status_code != 200:
                    failures.append(f"{path}: {r.status_code} {r.text[:200]}")
                elif path == "/api/v1/events?country=pakistan" and r.json()["total"] != 3:
                    failures.append(f"{path}: a partial page {r.json()['total']}")

        threads = [threading.Thread(target=write)] + [threading.Thread(target=read) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert not any(t.is_alive() for t in threads)
    writer.close()
    assert failures == []

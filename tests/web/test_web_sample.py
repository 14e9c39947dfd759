"""The web app over the bundled sample corpus as `sitrep run` stores it (loads spaCy): the API counts what
the store holds, the exports are the run's files, every story has its page, an article posted to the
ingest route joins the store, and the XSS corpus is escaped on every page."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

import xsskit
from deskkit import build_sample, copy_store
from xsskit import hostile_pages
from sitrep.settings import Settings
from sitrep.store import Store
from sitrep.web import create_app

pytestmark = pytest.mark.nlp


@pytest.fixture(scope="module")
def sample(sample_store):
    url, out = sample_store
    store = Store(url)
    with TestClient(create_app(store)) as c:
        yield c, store, out
    store.close()


def test_every_story_has_its_page_and_its_api_record(sample):
    client, store, _ = sample
    listed = client.get("/api/v1/stories?limit=1000").json()
    assert listed["total"] == len(store.stories()) > 0
    for s in listed["items"]:
        api = client.get(f"/api/v1/stories/{s['id']}").json()
        assert api["title"] == s["title"] and api["digest"] == s["digest"]
        page = client.get(f"/stories/{s['id']}")
        assert page.status_code == 200 and f'<section class="story" id="{s["id"]}">' in page.text
        assert client.get("/").text.count(f'href="/stories/{s["id"]}"') == 1


@pytest.mark.parametrize("key", ["country", "admin1", "event_type", "actor1", "actor2", "location"])
def test_each_stored_value_filters_to_the_stores_count(sample, key):
    client, store, _ = sample
    events = store.events()
    param = {"actor1": "actor", "actor2": "actor", "location": "place"}.get(key, key)
    def matches(e, value):
        v = value.lower()
        if param == "actor":
            return v in (e["actor1"] or "").lower() or v in (e["actor2"] or "").lower()
        if param == "place":
            return v in (e["location"] or "").lower()
        return (e[key] or "").lower() == v

    for value in sorted({e[key] for e in events if e[key]}):
        want = sum(1 for e in events if matches(e, value))
        assert client.get("/api/v1/events", params={param: value, "limit": 0}).json()["total"] == want, value


def test_fatalities_and_dates_filter_to_the_stores_count(sample):
    client, store, _ = sample
    events = store.events()
    for n in (0, 1, 5, 20, 1000):
        want = sum(1 for e in events if e["fatalities"] is not None and e["fatalities"] >= n)
        assert client.get(f"/api/v1/events?min_fatalities={n}&limit=0").json()["total"] == want
    days = sorted({e["event_date"] for e in events if e["event_date"]})
    for day in days:
        want = sum(1 for e in events if e["event_date"] and e["event_date"] >= day)
        assert client.get(f"/api/v1/events?date_from={day}&limit=0").json()["total"] == want


def test_paging_walks_every_event_once(sample):
    client, store, _ = sample
    seen = []
    for offset in range(0, len(store.events()) + 3, 3):
        seen += [e["event_id_cnty"] for e in client.get(f"/api/v1/events?limit=3&offset={offset}").json()["items"]]
    assert sorted(seen) == sorted(e["event_id_cnty"] for e in store.events())


def test_exports_without_a_filter_are_the_runs_files(sample):
    client, _, out = sample
    csv_text = client.get("/api/v1/events.csv").text
    file = (out / "events.csv").read_text(encoding="utf-8")
    assert csv_text.splitlines()[0] == file.splitlines()[0]
    assert csv_text == file
    assert client.get("/api/v1/events.geojson").text == (out / "places.geojson").read_text(encoding="utf-8")
    assert client.get("/api/v1/stories.json").text == (out / "stories.json").read_text(encoding="utf-8")
    assert client.get("/api/v1/claims.jsonl").text == (out / "claims.jsonl").read_text(encoding="utf-8")


def test_a_filtered_geojson_is_valid_and_holds_the_filtered_located_events(sample):
    client, store, _ = sample
    country = store.events()[0]["country"]
    geo = client.get("/api/v1/events.geojson", params={"country": country}).json()
    assert geo["type"] == "FeatureCollection"
    want = {e["event_id_cnty"] for e in store.events() if e["country"] == country and e["latitude"] not in (None, "")}
    assert {f["properties"]["event_id_cnty"] for f in geo["features"]} == want
    for f in geo["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert f["geometry"]["type"] == "Point" and -180 <= lon <= 180 and -90 <= lat <= 90


def test_claim_filters_count_what_the_store_holds(sample):
    client, store, _ = sample
    claims = store.claims()
    for field in ("predicate", "category", "claimant_type", "hedge"):
        for value in {getattr(c, field) for c in claims}:
            want = sum(1 for c in claims if getattr(c, field) == value)
            assert client.get("/api/v1/claims", params={field: value, "limit": 0}).json()["total"] == want


def test_every_document_page_marks_its_claims(sample):
    client, store, _ = sample
    for doc in store.iter_documents():
        api = client.get(f"/api/v1/documents/{doc.doc_id}").json()
        assert api["text"] == doc.text
        html = client.get(f"/documents/{doc.doc_id}").text
        assert html.count("<mark ") >= len({(c["char_start"], c["char_end"]) for c in api["claims"]}) > 0 or \
            not api["claims"]


# -- the ingest route, on a store of its own ---------------------------------------------------------------

TOKEN = "t0ken-for-tests"
ARTICLE = {"id": "desk-new-1", "published": "2026-06-02", "title": "Attack on Kukawa", "source": "Desk Wire",
           "text": "Gunmen killed 12 villagers in Kukawa, Borno State, on Monday, residents said. "
                   "The police said 9 people died in the attack on Kukawa."}


@pytest.fixture(scope="module")
def ingest_client(sample_store, store_urls):
    """The app with ingest allowed, on a copy of the sample store (the posted articles change it)."""
    url = copy_store(sample_store[0], store_urls("ingest-store"))
    app = create_app(url, Settings(workers=1), allow_ingest=True, token=TOKEN)
    with TestClient(app) as c:
        yield c
    app.state.desk.store.close()


def test_a_posted_article_is_stored_and_its_story_appears(ingest_client):
    before = ingest_client.get("/api/v1/stories?limit=1000").json()
    r = ingest_client.post("/api/v1/articles", json=ARTICLE, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["doc_id"] == "desk-new-1" and body["status"] == "new" and body["claims"] >= 1 and body["stories"]
    after = ingest_client.get("/api/v1/stories?limit=1000").json()
    story = next(s for s in after["items"] if s["id"] == body["stories"][0])
    assert story["changed"] and after["total"] >= before["total"]
    assert "desk-new-1" in ingest_client.get(f"/api/v1/stories/{story['id']}").json()["doc_ids"]
    assert ingest_client.get("/api/v1/documents/desk-new-1").json()["source"] == "Desk Wire"
    again = ingest_client.post("/api/v1/articles", json=ARTICLE, headers={"Authorization": f"Bearer {TOKEN}"})
    assert again.status_code == 200 and again.json()["status"] == "unchanged"


def test_a_posted_hostile_article_is_escaped_on_every_page(ingest_client):
    hostile = xsskit.articles()[0] | {"id": "hostile-1", "published": "2026-06-03"}
    r = ingest_client.post("/api/v1/articles", json=hostile, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 201, r.text
    for path in ["/", "/events", "/claims", "/documents/hostile-1",
                 *(f"/stories/{s}" for s in r.json()["stories"])]:
        assert_escaped(ingest_client.get(path).text, path)


# -- the XSS corpus through `sitrep run`, then every page ---------------------------------------------------

def assert_escaped(html: str, where: str) -> None:
    for raw in xsskit.RAW:
        assert raw not in html, f"{where} carries {raw!r} unescaped"
    assert not re.search(r"<[a-z][^>]*\son\w+\s*=", html, re.I), where
    assert not re.search(r"""(href|src|action)\s*=\s*["']?\s*(javascript|data|vbscript):""", html, re.I), where


@pytest.fixture(scope="module")
def hostile(hostile_store):
    with TestClient(create_app(hostile_store)) as c:
        yield c


def test_the_xss_corpus_is_escaped_on_every_page(hostile):
    pages = hostile_pages(hostile)
    assert len(pages) > 10
    seen = ""
    for path in pages:
        r = hostile.get(path)
        assert r.status_code == 200, path
        assert_escaped(r.text, path)
        seen += r.text
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in seen  # the payloads are there, as text


def test_the_xss_corpus_stays_data_in_the_api(hostile):
    for path in ["/api/v1/stories?limit=1000", "/api/v1/events?limit=1000", "/api/v1/claims?limit=1000"]:
        r = hostile.get(path)
        assert r.headers["content-type"] == "application/json" and r.headers["x-content-type-options"] == "nosniff"
        json.loads(r.text)


# -- the same answers from SQLite and PostgreSQL -------------------------------------------------------------

def _answers(url: str) -> dict[str, object]:
    """What the app answers on the sample store at *url*, but the times of the run (when stories were saved,
    the events' ACLED `timestamp`)."""
    def timeless(x):
        if isinstance(x, dict):
            return {k: timeless(v) for k, v in x.items() if k not in ("changed_at", "changed", "fused_at", "timestamp")}
        return [timeless(v) for v in x] if isinstance(x, list) else x

    store = Store(url)
    out: dict[str, object] = {}
    with TestClient(create_app(store)) as c:
        stories = c.get("/api/v1/stories?limit=1000").json()["items"]
        docs = sorted({d for s in stories for d in c.get(f"/api/v1/stories/{s['id']}").json()["doc_ids"]})
        paths = ["/api/v1/stories?limit=1000", "/api/v1/events?limit=1000", "/api/v1/claims?limit=1000",
                 "/api/v1/facets", "/api/v1/events.csv", "/api/v1/events.geojson", "/api/v1/stories.json",
                 "/api/v1/claims.jsonl", "/api/v1/events?place=a&limit=1000", "/api/v1/events?actor=forces&limit=7",
                 "/api/v1/events?limit=5&offset=5", "/api/v1/claims?predicate=killed&limit=1000",
                 *(f"/api/v1/stories/{s['id']}" for s in stories), *(f"/api/v1/documents/{d}" for d in docs),
                 *(f"/api/v1/events?story_id={s['id']}" for s in stories)]
        for path in paths:
            r = c.get(path)
            assert r.status_code == 200, path
            out[path] = timeless(r.json()) if "json" in r.headers["content-type"] and "ndjson" not in \
                r.headers["content-type"] else re.sub(r",\d+$", "", r.text, flags=re.M)  # CSV: timestamp last
        for s in stories:  # the story pages, but their timestamps
            out[f"/stories/{s['id']}"] = re.sub(r'data-poll-value="[^"]*"|\d{4}-\d\d-\d\dT[\d:.+]+', "",
                                                c.get(f"/stories/{s['id']}").text)
    store.close()
    return out


@pytest.mark.postgresql
def test_sqlite_and_postgresql_stores_answer_alike(built_stores):
    lite = _answers(built_stores("sample-store", "sqlite", build_sample)[0])
    pg = _answers(built_stores("sample-store", "postgresql", build_sample)[0])
    assert lite.keys() == pg.keys()
    for path in lite:
        assert lite[path] == pg[path], path

"""The desk in a real browser (Debian's chromium through Playwright) against a real server on loopback.

Skipped, saying why, without /usr/bin/chromium or the playwright package. Every request that leaves the
server is refused and recorded. Screenshots go to test-artifacts/web/ (printed at the end of each test).
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

import xsskit
from sitrep.store import Store

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "web"
WAIT = 15_000   # ms any single browser wait may take before the test fails (never a sleep)

pytestmark = pytest.mark.slow




@pytest.fixture
def page(browser):
    """A page that records dialogs, page errors, console lines and requests to anything but the server."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(WAIT)
    pg = context.new_page()
    pg.seen = {"dialogs": [], "errors": [], "console": [], "outside": []}
    pg.on("dialog", lambda d: (pg.seen["dialogs"].append(d.message), d.dismiss()))
    pg.on("pageerror", lambda e: pg.seen["errors"].append(str(e)))
    pg.on("console", lambda m: pg.seen["console"].append(m.text) if m.type in ("error", "warning") else None)

    def guard(route):
        if route.request.url.startswith("http://127.0.0.1:"):
            route.continue_()
        else:
            pg.seen["outside"].append(route.request.url)
            route.abort()

    pg.route(re.compile(r".*"), guard)
    yield pg
    context.close()


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    print(f"screenshot: {path}")
    return path


@pytest.fixture(scope="module")
def sample_url(sample_store, desk_server):
    return desk_server(sample_store[0])


@pytest.mark.nlp
def test_open_a_story_and_click_a_figure_to_see_its_quote(page, sample_url):
    page.goto(sample_url + "/")
    assert page.locator("table.stories tbody tr").count() > 0
    shot(page, "desk-stories")
    link = page.locator("table.stories a.title").first
    title = link.inner_text()
    link.click()
    page.wait_for_url(re.compile(r"/stories/"))
    assert page.locator("section.story h2").inner_text() == title
    figure = page.locator(".tolls a.fig").first
    number = figure.inner_text()
    figure.click()
    viewer = page.locator("#viewer")
    assert viewer.is_visible()
    hit = viewer.locator("mark.hit")
    assert hit.count() >= 1 and hit.first.is_visible()
    quote = "".join(hit.all_inner_texts())
    claims = httpx.get(sample_url + "/api/v1/claims", params={"limit": 1000}).json()["items"]
    claim = next(c for c in claims if c["quote"] == quote)
    digits = {int(n) for n in re.findall(r"\d+", number)}
    assert not digits or digits <= {claim["low"], claim["high"]}
    box, panel = hit.first.bounding_box(), viewer.bounding_box()
    assert panel["y"] <= box["y"] and box["y"] + box["height"] <= panel["y"] + panel["height"]
    shot(page, "desk-story-quote")
    assert page.seen == {"dialogs": [], "errors": [], "console": [], "outside": []}


@pytest.mark.nlp
def test_story_map_has_a_marker_per_located_event(page, sample_url):
    stories = httpx.get(sample_url + "/api/v1/stories").json()["items"]
    story = max(stories, key=lambda s: s["events"])
    page.goto(f"{sample_url}/stories/{story['id']}")
    if page.locator("div.map").count() == 0:
        pytest.skip("node_modules/leaflet is not installed: the page has no map")
    events = httpx.get(sample_url + "/api/v1/events", params={"story_id": story["id"], "limit": 1000}).json()["items"]
    assert page.locator("path.sitrep-marker").count() == sum(1 for e in events if e["latitude"] not in (None, ""))
    shot(page, "desk-story-map")
    assert page.seen["outside"] == [] and page.seen["errors"] == []


@pytest.mark.nlp
def test_filtering_the_events_table_changes_the_count(page, sample_url):
    page.goto(sample_url + "/events")
    total = int(page.locator("b.total").inner_text())
    countries = [o for o in page.locator("select[name=country] option").all_inner_texts() if o != "any"]
    assert total > 0 and countries
    page.select_option("select[name=country]", countries[0])
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"country="))
    narrowed = int(page.locator("b.total").inner_text())
    want = httpx.get(sample_url + "/api/v1/events", params={"country": countries[0], "limit": 0}).json()["total"]
    assert narrowed == want and (narrowed < total or len(countries) == 1)
    page.fill("input[name=min_fatalities]", "10")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"min_fatalities=10"))
    fewer = int(page.locator("b.total").inner_text())
    assert fewer == httpx.get(sample_url + "/api/v1/events", params={"country": countries[0], "min_fatalities": 10,
                                                                     "limit": 0}).json()["total"]
    assert page.locator("table.events tbody tr").count() == max(fewer, 1)
    csv_link = page.locator("a.download", has_text="CSV").get_attribute("href")
    assert "country=" in csv_link and "min_fatalities=10" in csv_link
    shot(page, "desk-events-filtered")


@pytest.mark.nlp
def test_a_claim_opens_its_source_with_the_quote_highlighted(page, sample_url):
    page.goto(sample_url + "/claims?predicate=killed")
    link = page.locator("table.claims a.quote").first
    quote = link.inner_text().strip("“”")
    link.click()
    page.wait_for_url(re.compile(r"/documents/.*claim="))
    hit = page.locator(".doctext mark.hit")
    assert hit.count() >= 1 and "".join(hit.all_inner_texts()) == quote
    assert hit.first.is_visible() and page.locator("#hit").count() == 1
    box = hit.first.bounding_box()
    assert 0 <= box["y"] <= page.viewport_size["height"]  # scrolled to it (#hit)
    shot(page, "desk-claim-source")


def test_a_story_page_reloads_itself_when_its_story_changes(page, desk_server, store_urls):
    from deskkit import EVENTS, build_hand_store

    store = build_hand_store(store_urls("refresh"))
    base = desk_server(store.url, refresh_seconds=0.3)
    page.goto(base + "/stories/story-pk")
    assert page.locator("section.story h2").inner_text() == "TTP attacks in Khyber Pakhtunkhwa"
    story = next(s for s in store.stories() if s["id"] == "story-pk")
    # Another process (here: this test) builds the story again with news; the open page notices.
    writer = Store(store.url)
    writer.save_fusion([story | {"title": "TTP attacks in Bannu and Tank"}],
                       [e for e in EVENTS if e["story_id"] == "story-pk"], replace=["story-pk"])
    writer.close()
    page.locator("section.story h2", has_text="Bannu and Tank").wait_for()  # the page reloaded by itself
    assert page.seen["errors"] == [] and page.seen["outside"] == []
    shot(page, "desk-story-reloaded")
    store.close()


@pytest.mark.nlp
def test_the_xss_corpus_runs_nothing_on_any_page(page, hostile_store, desk_server):
    base = desk_server(hostile_store)
    with httpx.Client(base_url=base) as client:
        paths = xsskit.hostile_pages(client)
    for path in paths:
        page.goto(base + path)
        for details in page.locator("details").all():
            details.evaluate("d => d.open = true")
        for link in page.locator("main a.fig, main a.ref").all()[:15]:
            if link.is_visible():
                link.click()
                page.keyboard.press("Escape")
        for marker in page.locator("path.sitrep-marker").all()[:10]:
            marker.click(force=True)
        assert page.evaluate("window.__xss") is None, path
        hostile = page.locator('[onerror], [onload], [ontoggle], a[href^="javascript:" i], iframe, object, embed, '
                               'base, meta[http-equiv="refresh" i], link[href^="http"], img[src^="http"], img[src="x"], '
                               'svg script').count()
        assert hostile == 0, path
    assert page.seen["dialogs"] == [] and page.seen["errors"] == [] and page.seen["outside"] == []
    assert not [line for line in page.seen["console"] if "xss" in line.lower()]
    page.goto(base + paths[4])
    shot(page, "desk-xss-story")


# Two reports of one incident, written for this test: the same town and day, another outlet, a new figure.
FIRST = {"id": "gwoza-1", "source": "Sahel Sentinel", "title": "Gunmen attack Gwoza market", "published": "2026-04-20",
         "text": "Gunmen attacked the main market in Gwoza, Borno State, on Monday, killing nine traders, police "
                 "said. Residents said the attackers arrived on motorcycles and set fire to stalls before fleeing "
                 "towards the Mandara hills."}
SECOND = {"id": "gwoza-2", "source": "Lake Chad Courier", "title": "Gwoza market toll", "published": "2026-04-20",
          "text": "Residents of Gwoza in Borno State said 14 people were killed when gunmen stormed the town's market "
                  "on Monday. A local vigilante leader said six others were wounded in the attack on the market."}


@pytest.mark.nlp
def test_an_open_story_page_gains_the_source_the_watch_reads(page, desk_server, store_urls, tmp_path):
    import json

    from sitrep.settings import Settings
    from sitrep.watch import Watcher

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    store = Store(store_urls("live-desk"))           # the watch's store; the app opens its own
    watcher = Watcher([inbox], store, Settings(progress=False, workers=1), settle=0)
    (inbox / "gwoza-1.jsonl").write_text(json.dumps(FIRST) + "\n", encoding="utf-8")
    assert watcher.poll().update.new == 1
    [story] = store.stories()
    base = desk_server(store.url, refresh_seconds=0.5)
    page.goto(f"{base}/stories/{story['id']}")
    sources = page.locator("#sources ol.sources > li")
    assert sources.count() == 1 and "Sahel Sentinel" in sources.first.locator("b.label").inner_text()
    assert "14" not in page.locator(".tolls").inner_text()
    shot(page, "desk-live-before")
    page.evaluate("window.__same_page = true")       # gone if the test itself navigated

    (inbox / "gwoza-2.jsonl").write_text(json.dumps(SECOND) + "\n", encoding="utf-8")
    cycle = watcher.poll()
    assert cycle.update.new == 1 and story["id"] in cycle.update.stories   # the same story, built again
    # The page polls its story's stamp and reloads itself: the new outlet is source [2], its figure shown.
    page.locator("#sources ol.sources > li", has_text="Lake Chad Courier").wait_for(timeout=20_000)
    assert sources.count() == 2
    assert sources.nth(1).locator("span.n").inner_text() == "[2]"
    assert "Lake Chad Courier" in sources.nth(1).locator("b.label").inner_text()
    page.locator(".tolls", has_text="14").first.wait_for(timeout=WAIT)
    assert page.evaluate("window.__same_page") is None   # reloaded by the page itself
    shot(page, "desk-live-after")
    assert page.seen["errors"] == [] and page.seen["outside"] == []
    store.close()

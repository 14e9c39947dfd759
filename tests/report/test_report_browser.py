"""report.html in a real browser (Debian's chromium through Playwright): map, quote links, and no XSS.

Skipped, saying why, when /usr/bin/chromium or the playwright package is missing; `make test`
installs chromium with apt-get when it can. Screenshots go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sitrep.pipeline import run
from sitrep.report import write_report
from sitrep.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
SAMPLE = ROOT / "src" / "sitrep" / "data" / "sample"
ARTIFACTS = ROOT / "test-artifacts"
# The sources in the seeds name eleven towns in Balochistan; each must be on the map.
ELEVEN = {"Quetta", "Nushki", "Mastung", "Dalbandin", "Kalat", "Kharan", "Gwadar", "Pasni", "Tump", "Buleda", "Dadhar"}

pytestmark = pytest.mark.slow




@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.route(re.compile(r"^(https?|wss?)://"), lambda route: route.abort())  # nothing may leave the machine
    yield pg
    context.close()


def open_report(page, path: Path):
    page.goto(path.resolve().as_uri())
    page.wait_for_load_state("load")
    assert page.errors == []
    return page


def events_located(out: Path) -> int:
    rows = [json.loads(line) for line in (out / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    return sum(1 for e in rows if e["latitude"] not in (None, "") and e["longitude"] not in (None, ""))


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    run([SAMPLE], out, Settings(progress=False))
    return out


def test_sample_map_has_one_marker_per_located_event(page, sample_out):
    open_report(page, sample_out / "report.html")
    expected = events_located(sample_out)
    assert expected > 0
    assert page.locator("path.sitrep-marker").count() == expected
    assert page.locator(".leaflet-container").count() == page.locator("div.map").count() > 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-sample.png"))


def test_clicking_a_figure_shows_its_quote_highlighted_in_its_source(page, sample_out):
    open_report(page, sample_out / "report.html")
    claims = [json.loads(line) for line in (sample_out / "claims.jsonl").read_text(encoding="utf-8").splitlines()]
    link = page.locator(".tolls a.fig").first
    number = link.inner_text()
    link.click()
    viewer = page.locator("#viewer")
    assert viewer.is_visible()
    hit = viewer.locator("mark.hit")
    assert hit.count() >= 1
    quote = "".join(hit.all_inner_texts())
    claim = next(c for c in claims if c["quote"] == quote)
    assert {int(n) for n in re.findall(r"\d+", number)} <= {claim["low"], claim["high"]}
    box, panel = hit.first.bounding_box(), viewer.bounding_box()
    assert panel["y"] <= box["y"] and box["y"] + box["height"] <= panel["y"] + panel["height"]  # scrolled into view
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-sample-quote.png"))
    page.keyboard.press("Escape")
    assert not viewer.is_visible()


def test_marker_popup_names_place_date_kind_actors_and_fatalities(page, sample_out):
    open_report(page, sample_out / "report.html")
    page.locator("path.sitrep-marker").first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    for field in ("Date:", "Kind:", "Actors:", "Fatalities:", "Sources:"):
        assert field in text


def hostile_article_folder(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    payload = ('<script>window.__pwned=1</script> <img src=x onerror="window.__pwned=1"> '
               '<a href="javascript:window.__pwned=1">read more</a> </script><script>window.__pwned=1</script>')
    (d / "hostile.txt").write_text(
        "date 2026-03-10 Gunmen attacked a police post in Bannu on Tuesday, killing at least four officers, "
        f"police said. {payload}\n\nResidents said six people died. Visit javascript:window.__pwned=1 for more.",
        encoding="utf-8")
    (d / "wire.jsonl").write_text(json.dumps({
        "id": "wire-1", "published": "2026-03-11", "url": "javascript:window.__pwned=1", "title": payload,
        "source": payload, "text": f"Five soldiers were killed in Bannu, officials said. {payload}"}) + "\n",
        encoding="utf-8")
    return d


def assert_nothing_ran(page):
    """The payload's flag stays unset and none of its elements exist, even after every link is used."""
    for details in page.locator("details.doc").all():
        details.evaluate("d => d.open = true")
    for link in page.locator("main a.fig, main a.ref").all()[:60]:
        link.click()
        page.keyboard.press("Escape")  # the source panel would cover the next link
    for marker in page.locator("path.sitrep-marker").all():
        marker.click(force=True)
    assert page.evaluate("window.__pwned") is None
    assert page.locator('img[src="x"], [onerror], [onload], a[href^="javascript:"], iframe').count() == 0
    scripts = page.locator("script").all()
    assert len(scripts) == 3 and not any("__pwned" in s.inner_text() for s in scripts[1:])
    assert page.errors == []


def test_hostile_article_through_the_pipeline_runs_nothing(page, tmp_path):
    out = tmp_path / "out"
    run([hostile_article_folder(tmp_path)], out, Settings(progress=False))
    open_report(page, out / "report.html")
    assert page.locator("path.sitrep-marker").count() == events_located(out)
    assert "<script>window.__pwned=1</script>" in page.locator("#sources").inner_text()  # shown as text
    assert_nothing_ran(page)


def test_hostile_names_quotes_and_places_run_nothing(page, tmp_path, hand):
    write_report(tmp_path, hand["stories"], hand["events"], hand["claims"], hand["docs"])
    open_report(page, tmp_path / "report.html")
    assert page.locator("path.sitrep-marker").count() == 2
    assert_nothing_ran(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-hostile.png"))


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory):
    if not (SHARED / "seeds").is_dir():
        pytest.skip("../shared/seeds is absent (only CI and developers have it)")
    out = tmp_path_factory.mktemp("seeds")
    run([SHARED / "seeds"], out, Settings(progress=False))
    return out


def test_seeds_report_shows_both_tolls_every_town_and_the_weekday(page, seeds_out):
    out = seeds_out
    open_report(page, out / "report.html")
    summary = page.locator(".summary").first.inner_text()
    assert re.search(r"Security forces killed: 10 according to the military \(ISPR\).*the BLA claims at least 8[04]",
                     summary), summary
    table = page.locator("table.figures tbody", has_text="Security forces killed").first.inner_text()
    assert "ISPR" in table and "BLA" in table
    data = json.loads(page.locator("#sitrep-data").text_content())
    places = {m["place"] for m in data["maps"][0]["markers"]}
    assert ELEVEN <= places
    assert page.locator("path.sitrep-marker").count() == events_located(out)
    weekday = page.locator(".contradictions li", has_text="weekday").inner_text()
    assert "Friday" in weekday and "Saturday" in weekday
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-seeds.png"), full_page=True)


def chart_fits(chart):
    """Every text of the chart lies inside it: the server's guess of text widths held in a real font."""
    box = chart.bounding_box()
    for text in chart.locator("text").all():
        b = text.bounding_box()
        if b is None or not text.inner_html().strip():
            continue
        assert box["x"] - 1 <= b["x"] and b["x"] + b["width"] <= box["x"] + box["width"] + 1, text.inner_html()
        assert box["y"] - 1 <= b["y"] and b["y"] + b["height"] <= box["y"] + box["height"] + 1, text.inner_html()


def test_seeds_report_draws_the_soldiers_dispute_on_screen_and_in_print(page, seeds_out):
    open_report(page, seeds_out / "report.html")
    table = page.locator("table.figures tbody", has_text="Security forces killed").first
    chart = table.locator("svg.dchart")
    assert chart.count() == 1
    chart.scroll_into_view_if_needed()
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box["width"] >= 600 and box["height"] >= 250
    for who in ("ISPR", "BLA"):   # a flat line has no height, so is_visible() would say no: its width says
        assert chart.locator(f'path.step[data-claimant="{who}"]').bounding_box()["width"] > 20
        assert chart.locator(f'g.legend-item[data-claimant="{who}"]').is_visible()
        assert chart.locator(f'a.cpt[data-claimant="{who}"]').first.is_visible()
    assert chart.locator("line.best").bounding_box()["width"] > 300
    assert "at least 84" in chart.get_attribute("aria-label")
    chart_fits(chart)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report-seeds-chart.png"
    chart.screenshot(path=str(shot))
    print(f"chart screenshot: {shot}")
    # a point of the chart opens its quote, as a figure does
    chart.locator('a.cpt[data-claimant="BLA"]').last.click()
    hit = page.locator("#viewer mark.hit")
    assert page.locator("#viewer").is_visible() and "84" in "".join(hit.all_inner_texts())
    page.keyboard.press("Escape")
    # in print: still drawn, within an A4 page's width, every text inside it
    page.emulate_media(media="print")
    assert chart.is_visible()
    assert chart.bounding_box()["width"] <= 17 / 2.54 * 96 + 1
    chart_fits(chart)
    shot = ARTIFACTS / "report-seeds-chart-print.png"
    chart.screenshot(path=str(shot))
    print(f"chart screenshot (print): {shot}")
    page.emulate_media(media="screen")


def test_chart_with_hostile_claimant_names_runs_nothing(page, tmp_path, hand, payload):
    story = hand["stories"][0]
    for row in story["figures"][0]["by_claimant"] + story["timeline"]:
        if row["claimant"] == "BLA":
            row["claimant"] = payload
    write_report(tmp_path, hand["stories"], hand["events"], hand["claims"], hand["docs"])
    open_report(page, tmp_path / "report.html")
    chart = page.locator("svg.dchart")
    assert chart.count() == 1 and chart.is_visible()
    legend = chart.locator("g.legend-item title").all_text_contents()
    assert any(t.startswith(payload) for t in legend)   # the name, as text
    for point in chart.locator("a.cpt").all():
        point.click()
        page.keyboard.press("Escape")
    assert_nothing_ran(page)
    chart_fits(chart)
    ARTIFACTS.mkdir(exist_ok=True)
    chart.screenshot(path=str(ARTIFACTS / "report-hostile-chart.png"))

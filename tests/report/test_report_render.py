"""report.html and report.md: escaping of article text, the inlined map, and the page without one."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
from html.parser import HTMLParser

import pytest

from sitrep.report import assets, basemap, build, render_html, render_markdown, write_report
from sitrep.report.html import script_json


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside each <script>."""

    def __init__(self):
        super().__init__()
        self.tags, self.scripts, self._in = [], [], None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in = ""

    def handle_data(self, data):
        if self._in is not None:
            self._in += data

    def handle_endtag(self, tag):
        if tag == "script" and self._in is not None:
            self.scripts.append(self._in)
            self._in = None


@pytest.fixture
def report(hand):
    return build(hand["stories"], hand["events"], hand["claims"], hand["docs"])


@pytest.fixture
def leaflet():
    found = assets.load()
    if found.leaflet_js is None:
        pytest.skip("node_modules/leaflet is missing: run `make install` (needs npm)")
    return found


@pytest.fixture
def no_map(monkeypatch):
    monkeypatch.setenv("SITREP_NODE_MODULES", "")
    return assets.load()


def parse(html: str) -> Tags:
    p = Tags()
    p.feed(html)
    return p


@pytest.mark.parametrize("with_leaflet", [True, False])
def test_article_markup_never_becomes_markup(report, with_leaflet, request):
    found = request.getfixturevalue("leaflet" if with_leaflet else "no_map")
    html = render_html(report, found)
    page = parse(html)
    assert not [t for t, _ in page.tags if t in ("img", "iframe", "object", "embed")]
    charts = [c for st in report.stories for f in st.figures for c in f.charts]
    svgs = [a for t, a in page.tags if t == "svg"]   # sitrep's own charts only, never an article's <svg>
    assert len(svgs) == len(charts) == 1 and all(a.get("class") == "dchart" for a in svgs)
    assert not [(t, a) for t, a in page.tags for k in a if k.startswith("on")]
    assert not [a for t, a in page.tags if t == "a" and not (a.get("href") or "").startswith("#")]
    assert len(page.scripts) == (3 if with_leaflet else 2)  # data, (Leaflet,) sitrep's own
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html   # shown, as text


def test_embedded_json_cannot_close_its_script_element(report, leaflet, payload):
    page = parse(render_html(report, leaflet))
    data = page.scripts[0]
    assert "<" not in data and ">" not in data
    places = [m["place"] for m in json.loads(data)["maps"][0]["markers"]]
    assert payload in places  # the text itself survives, to be shown with textContent
    assert str(script_json({"a": "</script><!--\u2028"})) == '{"a":"\\u003c/script\\u003e\\u003c!--\\u2028"}'


def test_only_the_pages_own_scripts_may_run(report, leaflet):
    page = parse(render_html(report, leaflet))
    csp = next(a["content"] for t, a in page.tags if a.get("http-equiv") == "Content-Security-Policy")
    hashes = set(re.findall(r"'(sha256-[^']+)'", csp))
    ran = page.scripts[1:]
    assert hashes == {"sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in ran}
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "default-src 'none'" in csp


def test_every_figure_link_points_at_a_quote_holding_its_number(report, leaflet):
    page = parse(render_html(report, leaflet))
    figs = [a for t, a in page.tags if t == "a" and "fig" in a.get("class", "").split()]
    anchors = {a["id"] for t, a in page.tags if t == "span" and a.get("id", "").startswith("q-")}
    assert figs
    for a in figs:
        q = report.quotes[int(a["data-q"])]
        assert a["href"] == f"#q-{q.id}" and f"q-{q.id}" in anchors
        assert q.claim.text_value in q.claim.quote
        assert int(a["data-n"]) == q.n


def test_page_without_leaflet_is_written_and_says_why_once(hand, tmp_path, no_map, caplog):
    caplog.set_level(logging.WARNING)
    assets._say_once.cache_clear()
    paths = write_report(tmp_path, hand["stories"], hand["events"], hand["claims"], hand["docs"])
    write_report(tmp_path, hand["stories"], hand["events"], hand["claims"], hand["docs"])
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert [p.name for p in paths] == ["report.html", "report.md"]
    assert html.count("map disabled:") == 1 and 'id="map-' not in html and len(parse(html).scripts) == 2
    assert "Security forces killed" in html
    assert [r.getMessage() for r in caplog.records].count(f"report: {no_map.disabled[0]}") == 1


def test_leaflet_is_inlined_with_its_images(report, leaflet):
    html = render_html(report, leaflet)
    assert 'class="map" id="map-story-test"' in html
    assert "url(images/" not in html and "data:image/png;base64," in html
    page = parse(html)  # nothing is fetched: no stylesheet, image or script comes from elsewhere
    assert not [(t, a) for t, a in page.tags if "src" in a or t == "link"]


def test_markdown_escapes_article_text_and_footnotes_each_number(report):
    md = render_markdown(report)
    assert "<script" not in md and "<img" not in md and "](javascript:" not in md
    assert "&lt;script&gt;" in md
    assert "10 according to the military (ISPR); the BLA claims **at least 84**[^q2]" in md.replace("**10**[^q0]", "10")
    assert "[^q2]: “at least 84 personnel of the security forces were killed” (BLA, claimed), source [2]" in md
    assert "| ISPR | military | **10**[^q0] ⚠ |" in md


def test_figures_tables_label_claimant_types_for_readers(voices, no_map):
    report = build(voices["stories"], voices["events"], voices["claims"], voices["docs"])
    md, html = render_markdown(report), render_html(report, no_map)
    assert "| Amnesty International | NGO |" in md and "| UN Human Rights Office | international |" in md
    assert "| reports (Daily Wire) | unattributed |" in md and "| outlet | unattributed |" in md
    assert '<span class="type type-ngo">NGO</span>' in html
    assert '<span class="type type-international">international</span>' in html


def test_topojson_is_decoded_to_the_polygons_near_the_points(tmp_path):
    # Two unit squares built by hand: quantized, delta-encoded, one arc reversed.
    topo = {"type": "Topology", "transform": {"scale": [1, 1], "translate": [60, 20]},
            "arcs": [[[0, 0], [1, 0], [0, 1], [-1, 0], [0, -1]], [[40, 40], [0, 1], [1, 0], [0, -1], [-1, 0]]],
            "objects": {"countries": {"type": "GeometryCollection", "geometries": [
                {"type": "Polygon", "arcs": [[0]], "properties": {"name": "Near"}},
                {"type": "MultiPolygon", "arcs": [[[~1]]], "properties": {"name": "Far"}}]}}}
    path = tmp_path / "t.json"
    path.write_text(json.dumps(topo))
    basemap._polygons.cache_clear()
    got = basemap.countries_near(path, [(20.5, 60.5)])
    assert [f["properties"]["name"] for f in got["features"]] == ["Near"]
    assert json.loads(json.dumps(got["features"][0]["geometry"]["coordinates"])) == [[[[60, 20], [61, 20], [61, 21], [60, 21], [60, 20]]]]


def test_world_atlas_basemap_frames_pakistan(leaflet):
    if leaflet.world is None:
        pytest.skip("world-atlas is missing: run `make install`")
    names = {f["properties"]["name"] for f in basemap.countries_near(leaflet.world, [(30.18, 67.0)])["features"]}
    assert {"Pakistan", "Afghanistan", "Iran", "India"} <= names and "United States of America" not in names

"""The disagreement chart: each claimant's figure over time as inline SVG, and where the report puts it."""

from __future__ import annotations

import copy
import dataclasses
import math
import re
import xml.etree.ElementTree as ET

import pytest

from sitrep.report import build, render_html, render_markdown
from sitrep.report import chart as ch
from sitrep.report.chart import Chart, Point, Series, disagreement_svg

NS = {"s": ch.SVG_NS}
HOSTILE = ['<script>window.__pwned=1</script>', '"quoted" & \'single\' <b>', "الجيش الوطني الليبي",
           "中国人民解放军发言人", "Inter-Services Public Relations " * 10]
NUMERIC = {"x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "width", "height"}


SAME = object()


def pt(at, low, high=SAME, qualifier=None, text=None, **kw) -> Point:
    """A point as the report builds it: a bare number is exact; the words follow from the numbers unless given."""
    high = low if high is SAME else high
    if qualifier is None:
        qualifier = "exact" if high == low else "at_least" if high is None else "range"
    from sitrep.report.words import value
    return Point(at, low, high, qualifier, text or value(low, high, qualifier, kw.get("word", "")),
                 **{k: v for k, v in kw.items() if k != "word"})


def soldiers(**kw) -> Chart:
    """The seeds' dispute: the military says 10, the group says more than 80 and then at least 84."""
    return Chart("Security forces killed", [
        Series("ISPR", "military", [pt("2026-01-31", 10, q=0, n=1, quote="10 security personnel were killed")]),
        Series("BLA", "armed group", [pt("2026-01-31", 80, None, "more_than", q=3, n=2, quote="over 80 had died"),
                                      pt("2026-02-01", 84, None, "at_least", q=2, n=2,
                                         quote="at least 84 personnel were killed")]),
    ], **({"best": 10} | kw))


def svg_of(chart: Chart, **kw) -> ET.Element:
    return ET.fromstring(str(disagreement_svg(chart, **kw)))   # well-formed XML, or this raises


def steps(root) -> dict[str, list[ET.Element]]:
    out: dict[str, list[ET.Element]] = {}
    for p in root.iterfind(".//s:path[@class='step']", NS):
        out.setdefault(p.get("data-claimant"), []).append(p)
    return out


def markers(root, claimant: str) -> list[ET.Element]:
    return [e for e in root.iterfind(".//*[@class='cpt']", NS) if e.get("data-claimant") == claimant]


def marker_xy(point_el) -> tuple[float, float]:
    """Where a point's marker sits: the centre of its circle, square, polygon or cross."""
    shape = next(e for e in point_el if "mark" in (e.get("class") or ""))
    if shape.tag.endswith("circle"):
        return float(shape.get("cx")), float(shape.get("cy"))
    if shape.tag.endswith("rect"):
        return (float(shape.get("x")) + float(shape.get("width")) / 2,
                float(shape.get("y")) + float(shape.get("height")) / 2)
    nums = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", shape.get("points") or shape.get("d"))]
    xs, ys = nums[0::2], nums[1::2]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def all_text(root) -> str:
    return " ".join(t for e in root.iter() for t in (e.text, e.tail) if t)


def assert_geometry_finite(root):
    """No NaN, no infinity, no negative size anywhere: a one-day or all-zero chart divides by nothing."""
    for e in root.iter():
        for k, v in e.attrib.items():
            if k in NUMERIC and not v.endswith("em"):
                assert math.isfinite(float(v)), (e.tag, k, v)
                if k in ("width", "height", "r"):
                    assert float(v) >= 0, (e.tag, k, v)
            if k in ("d", "points"):
                for n in re.findall(r"-?[\d.]+(?:e-?\d+)?|nan|inf", v):
                    assert math.isfinite(float(n)), (e.tag, k, v)


def test_each_claimant_is_one_step_line_that_steps_at_each_change():
    root = svg_of(soldiers())
    lines = steps(root)
    assert sorted(lines) == ["BLA", "ISPR"] and all(len(v) == 1 for v in lines.values())
    assert lines["ISPR"][0].get("d").count("V") == 0        # one figure: a flat line
    assert lines["BLA"][0].get("d").count("V") == 1         # 80, then 84: one step
    assert len(markers(root, "BLA")) == 2 and len(markers(root, "ISPR")) == 1
    (x80, y80), (x84, y84) = (marker_xy(m) for m in markers(root, "BLA"))
    assert x84 > x80 and y84 < y80                           # later and higher
    assert root.get("data-series") == "2"


def test_the_line_holds_a_claimants_figure_to_the_right_edge():
    root = svg_of(soldiers())
    ends = {c: float(re.findall(r"H(-?[\d.]+)", p[0].get("d"))[-1]) for c, p in steps(root).items()}
    assert ends["ISPR"] == ends["BLA"]


@pytest.mark.parametrize("low, high, qualifier, open_", [
    (58, 60, "range", False), (84, None, "at_least", True), (80, None, "more_than", True),
    (None, 15, "up_to", False)])
def test_ranges_are_drawn_as_bands(low, high, qualifier, open_):
    c = Chart("Militants killed", [Series("ISPR", "military", [pt("2026-01-31", low, high, qualifier)]),
                                   Series("BLA", "armed group", [pt("2026-02-01", 7)])])
    root = svg_of(c)
    bands = list(root.iterfind(".//s:rect[@data-claimant]", NS))
    assert [b.get("data-claimant") for b in bands] == ["ISPR"]   # BLA's single number has none
    band = bands[0]
    assert ("open" in band.get("class").split()) == open_
    top, bottom = float(band.get("y")), float(band.get("y")) + float(band.get("height"))
    drawing = ch._Drawing(c, ch.MAX_SERIES)
    if qualifier == "range":
        assert (top, bottom) == pytest.approx((drawing.y(60), drawing.y(58)), abs=0.1)
    elif qualifier == "up_to":
        assert (top, bottom) == pytest.approx((drawing.y(15), drawing.y(0)), abs=0.1)
    else:   # open upwards: the band rises from the floor, an arrow says it goes on
        assert bottom == pytest.approx(drawing.y(low), abs=0.1) and top < bottom
        assert root.find(".//s:path[@class='open']", NS) is not None


def test_the_best_figure_is_a_labelled_line():
    root = svg_of(soldiers())
    best = root.findall(".//s:line[@class='best']", NS)
    assert len(best) == 1 and best[0].get("y1") == best[0].get("y2")
    ispr = marker_xy(markers(root, "ISPR")[0])
    assert float(best[0].get("y1")) == pytest.approx(ispr[1], abs=0.1)  # best 10 is ISPR's 10
    assert [t.text for t in root.iterfind(".//s:text[@class='best-label']", NS)] == ["best 10"]


def test_without_a_best_figure_there_is_no_best_marker():
    root = svg_of(soldiers(best=None))
    assert root.find(".//s:line[@class='best']", NS) is None and "best" not in all_text(root)


def test_axes_have_date_and_number_ticks():
    root = svg_of(soldiers())
    ticks = [t.text for t in root.iterfind(".//s:text[@class='xtick']", NS)]
    assert ticks == ["31 Jan 2026", "1 Feb"]
    numbers = [int(t.text) for t in root.iterfind(".//s:g[@class='axes']/s:text", NS) if (t.text or "").isdigit()]
    assert numbers[0] == 0 and numbers == sorted(numbers) and numbers[-1] >= 84


def test_legend_and_direct_labels_name_every_claimant_with_its_figures():
    root = svg_of(soldiers())
    legend = {g.get("data-claimant"): g.find("s:title", NS).text
              for g in root.iterfind(".//s:g[@class='legend-item']", NS)}
    assert legend == {"ISPR": "ISPR (military): 10", "BLA": "BLA (armed group): more than 80, then at least 84"}
    direct = {g.get("data-claimant"): g.find("s:text", NS).text for g in root.iterfind(".//s:g[@class='direct']", NS)}
    assert direct == {"ISPR": "\u2068ISPR\u2069: 10", "BLA": "\u2068BLA\u2069: at least 84"}


def test_claimants_differ_by_shape_and_dash_not_colour_alone():
    many = Chart("People killed", [Series(f"claimant {i}", "witnesses", [pt("2026-01-31", i + 1)]) for i in range(6)])
    root = svg_of(many)
    styles = set()
    for g in root.iterfind(".//s:g[@class='legend-item']", NS):
        line = g.find("s:line", NS)
        shape = next(e for e in g if "mark" in (e.get("class") or "")).get("class")
        styles.add((line.get("stroke-dasharray"), shape))
    dashes = {d for d, _ in styles}
    shapes = {s for _, s in styles}
    assert len(dashes) == 6 and len(shapes) == 6


def test_the_chart_says_in_words_who_says_what():
    root = svg_of(soldiers())
    label = root.get("aria-label")
    assert root.get("role") == "img" and root.find("s:title", NS).text == label
    assert "\u2068ISPR\u2069 (military) says 10 (31 Jan 2026)" in label
    assert "\u2068BLA\u2069 (armed group) says more than 80 (31 Jan 2026), then at least 84 (1 Feb 2026)" in label
    assert label.startswith("Security forces killed") and label.endswith("Best figure: 10.")


def test_every_point_names_its_claimant_and_quote_and_links_to_it():
    root = svg_of(soldiers())
    links = list(root.iterfind(".//s:a[@class='cpt']", NS))
    assert len(links) == 3
    by_q = {a.get("data-q"): a for a in links}
    a = by_q["2"]
    assert a.get("href") == "#q-2" and a.get("data-n") == "2"
    assert a.find("s:title", NS).text == "BLA, 1 Feb 2026: at least 84 — “at least 84 personnel were killed” [2]"


def test_a_point_without_a_quote_id_is_no_link():
    c = Chart("People killed", [Series("A", "", [pt("2026-01-01", 1)]), Series("B", "", [pt("2026-01-02", 2)])])
    root = svg_of(c)
    assert root.find(".//s:a", NS) is None and len(root.findall(".//s:g[@class='cpt']", NS)) == 2


@pytest.mark.parametrize("name", HOSTILE)
def test_names_and_quotes_from_articles_stay_text(name):
    quote = f'</title><script>alert(1)</script> 84 were killed, {name} said'
    c = Chart(name, [Series(name, name, [pt("2026-01-31", 84, q=5, n=1, quote=quote)]),
                     Series("ISPR", "military", [pt("2026-01-31", 10)])], best=10, location=name)
    svg = str(disagreement_svg(c))
    root = ET.fromstring(svg)
    assert "<script" not in svg and "<b>" not in svg and "&lt;script&gt;" in svg
    assert not [e for e in root.iter() if e.tag.split("}")[-1] in ("script", "b", "foreignObject", "iframe")]
    assert not [k for e in root.iter() for k in e.attrib if k.startswith("on")]
    assert [e.get("data-claimant") for e in root.iterfind(".//s:g[@class='legend-item']", NS)][0] == \
        " ".join(name.split())   # the name survives, as text, whole
    point = root.find(".//s:a[@class='cpt']/s:title", NS).text
    assert "</title><script>alert(1)</script>" in point   # shown as text in the tooltip


def test_long_and_wide_names_are_cut_in_labels_and_kept_whole_in_titles():
    long_name = "Inter-Services Public Relations of the Armed Forces " * 6
    cjk = "中国人民解放军东部战区新闻发言人" * 3
    root = svg_of(Chart("People killed", [Series(long_name, "military", [pt("2026-01-31", 10)]),
                                          Series(cjk, "government", [pt("2026-02-01", 30)])]))
    for g in root.iterfind(".//s:g[@class='direct']", NS):
        text = g.find("s:text", NS).text
        assert text.endswith("…") and ch._text_width(text) <= ch.LABEL_MAX
        assert g.find("s:title", NS).text.startswith("\u2068" + " ".join(g.get("data-claimant").split()))
    legends = [g.find("s:text", NS).text for g in root.iterfind(".//s:g[@class='legend-item']", NS)]
    assert all(ch._text_width(t) <= ch.WIDTH for t in legends)


def test_one_date_for_every_statement_puts_claimants_side_by_side():
    c = Chart("Security forces killed", [
        Series("ISPR", "military", [pt("2026-01-31", 10)]),
        Series("BLA", "armed group", [pt("2026-01-31", 84, None, "at_least")]),
        Series("residents", "witnesses", [pt("2026-01-31", 20, 30)])], best=10)
    root = svg_of(c)
    assert_geometry_finite(root)
    xs = [marker_xy(markers(root, n)[0])[0] for n in ("ISPR", "BLA", "residents")]
    assert len(set(xs)) == 3 and max(xs) - min(xs) >= 40   # apart, not stacked on one x
    assert [t.text for t in root.iterfind(".//s:text[@class='xtick']", NS)] == ["31 Jan 2026"]
    assert sorted(steps(root)) == ["BLA", "ISPR", "residents"]
    for band in root.iterfind(".//s:rect[@data-claimant]", NS):
        assert float(band.get("width")) > 0 and float(band.get("height")) > 0


def test_one_date_one_claimant_revising_on_that_day():
    c = Chart("People killed", [Series("police", "police", [pt("2026-05-09", 1), pt("2026-05-09", 5)])])
    root = svg_of(c)
    assert_geometry_finite(root)
    (x1, y1), (x2, y2) = (marker_xy(m) for m in markers(root, "police"))
    assert x2 > x1 and y2 < y1


@pytest.mark.parametrize("values", [[0, 0], [0], [1, 1]])
def test_figures_of_zero_or_one_divide_by_nothing(values):
    c = Chart("People killed", [Series(f"c{i}", "", [pt("2026-01-31", v)]) for i, v in enumerate(values)])
    root = svg_of(c)
    assert_geometry_finite(root)
    numbers = [t.text for t in root.iterfind(".//s:g[@class='axes']/s:text", NS) if (t.text or "").isdigit()]
    assert len(numbers) >= 2   # the y axis has a height even when every figure is 0


def test_undated_statements_stand_in_their_own_column_left_of_the_dated_ones():
    c = Chart("Military personnel killed", [
        Series("BLA", "armed group", [pt(None, 12, None, "more_than"), pt("2026-01-31", None, None, "vague", "dozens",
                                                                           approx=12)]),
        Series("reports [4]", "unattributed", [pt(None, 12, 12, "approximately")]),
        Series("ISPR", "military", [pt("2026-02-02", 10)])])
    root = svg_of(c)
    assert_geometry_finite(root)
    undated = root.find(".//s:text[@class='xtick undated']", NS)
    assert undated is not None and undated.text == "undated"
    sep = float(root.find(".//s:line[@class='undated-sep']", NS).get("x1"))
    (xu, _), (xd, _) = (marker_xy(m) for m in markers(root, "BLA"))
    assert xu < sep < xd
    assert marker_xy(markers(root, "reports [4]")[0])[0] < sep < marker_xy(markers(root, "ISPR")[0])[0]
    assert "more than 12 (undated), then dozens (31 Jan 2026)" in root.get("aria-label")


def test_a_vague_word_is_a_hollow_marker_at_its_acled_number_labelled_with_the_word():
    c = Chart("Military personnel killed", [
        Series("BLA", "armed group", [pt("2026-01-31", None, None, "vague", "dozens", approx=12)]),
        Series("ISPR", "military", [pt("2026-01-31", 10)])])
    root = svg_of(c)
    point = markers(root, "BLA")[0]
    shape = next(e for e in point if "mark" in (e.get("class") or ""))
    assert shape.get("fill") == "#fff"
    assert [t.text for t in point.iterfind("s:text", NS)] == ["dozens"]
    assert marker_xy(point)[1] == pytest.approx(ch._Drawing(c, 12).y(12), abs=0.1)


def test_a_vague_word_with_no_number_is_named_not_drawn():
    c = Chart("People injured", [Series("residents", "witnesses", [pt("2026-01-31", None, None, "vague", "a few")]),
                                 Series("police", "police", [pt("2026-01-31", 3)]),
                                 Series("rescue", "government", [pt("2026-01-31", 6)])])
    root = svg_of(c)
    assert sorted(steps(root)) == ["police", "rescue"] and root.get("data-series") == "2"
    assert "a few" in all_text(root) and "residents" in all_text(root)
    assert "\u2068residents\u2069 (witnesses) says a few" in root.get("aria-label")


def test_many_claimants_are_drawn_up_to_a_limit_and_the_rest_counted():
    c = Chart("People killed", [Series(f"outlet {i}", "media", [pt(f"2026-01-{1 + i % 28:02d}", 10 + i)])
                                for i in range(20)], best=12)
    root = svg_of(c)
    assert_geometry_finite(root)
    assert len(steps(root)) == ch.MAX_SERIES and root.get("data-series") == str(ch.MAX_SERIES)
    assert root.find(".//s:text[@class='more']", NS).text == "8 more claimants in the table, not drawn"
    labels = sorted(float(g.find("s:text", NS).get("y")) for g in root.iterfind(".//s:g[@class='direct']", NS))
    assert all(b - a >= 13.9 for a, b in zip(labels, labels[1:]))   # direct labels never overlap
    styles = {(g.find("s:line", NS).get("stroke-dasharray"),
               next(e for e in g if "mark" in (e.get("class") or "")).get("class"))
              for g in root.iterfind(".//s:g[@class='legend-item']", NS)}
    assert len(styles) == ch.MAX_SERIES   # no two drawn claimants look alike
    assert len(list(root.iterfind(".//s:g[@class='legend-item']", NS))) == ch.MAX_SERIES
    x = [t.text for t in root.iterfind(".//s:text[@class='xtick']", NS)]
    assert 2 <= len(x) <= 8   # a month of days is ticked at intervals, not every day


def test_the_chart_is_sized_in_em_and_scales_by_its_viewbox():
    root = svg_of(soldiers())
    assert root.get("width").endswith("em") and root.get("height").endswith("em")
    w, h = (float(v) for v in root.get("viewBox").split()[2:])
    assert w / h == pytest.approx(float(root.get("width")[:-2]) / float(root.get("height")[:-2]))
    assert root.get("font-size") is None   # on the <svg> it would change what its em means
    assert root.find(".//s:rect[@class='bg']", NS).get("fill") == "#fff"


def test_dark_strokes_for_every_claimant():
    def luminance(hex_colour):
        r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    assert all(luminance(c) < 0.35 for c in ch.COLOURS)


# ------------------------------------------------------------------------------- from the report model

@pytest.fixture
def report(hand):
    return build(hand["stories"], hand["events"], hand["claims"], hand["docs"])


def figure(report, label):
    return next(f for f in report.stories[0].figures if f.label == label)


def test_a_disputed_figure_gets_a_chart_from_the_stored_timeline(report):
    fig = figure(report, "Security forces killed")
    [c] = fig.charts
    assert (c.label, c.best, c.location) == ("Security forces killed", 10, None)
    got = {s.claimant: [(p.at, p.text) for p in s.points] for s in c.series}
    # BLA's earlier figure is the one its revision names; it is drawn on the day it was stated
    assert got == {"ISPR": [("2026-01-31", "10")],
                   "BLA": [("2026-01-31", "more than 80"), ("2026-02-01", "at least 84")]}
    for s in c.series:
        for p in s.points:
            q = report.quotes[p.q]
            assert q.claim.quote == p.quote and {p.low, p.high} - {None} <= {q.claim.low, q.claim.high}
            assert p.n == q.n


def test_one_claimant_with_one_figure_gets_no_chart(report):
    assert figure(report, "Militants killed").charts == []
    assert figure(report, "Civilians killed").charts == []


def test_claimants_agreeing_get_no_chart(hand):
    story = copy.deepcopy(hand["stories"][0])
    fig = story["figures"][0]
    fig["by_claimant"][1].update(low=10, high=10, qualifier="exact", text_value="10")
    story["timeline"] = [t for t in story["timeline"] if t["claimant"] == "ISPR"]
    report = build([story], hand["events"], hand["claims"], hand["docs"])
    assert figure(report, "Security forces killed").charts == []


def test_a_claimant_revising_its_own_figure_alone_gets_a_chart(hand):
    story = copy.deepcopy(hand["stories"][0])
    story["timeline"] = [t for t in story["timeline"] if t["claimant"] == "BLA"]
    story["figures"][0]["by_claimant"] = [r for r in story["figures"][0]["by_claimant"] if r["claimant"] == "BLA"]
    report = build([story], hand["events"], hand["claims"], hand["docs"])
    [c] = figure(report, "Security forces killed").charts
    assert [s.claimant for s in c.series] == ["BLA"] and len(c.series[0].points) == 2


def test_undated_statements_stay_undated(hand):
    story = copy.deepcopy(hand["stories"][0])
    for t in story["timeline"]:
        if t["claimant"] == "ISPR":
            t["at"] = None
    claims = [dataclasses.replace(c, published=None) if c.doc_id == "ispr" else c for c in hand["claims"]]
    report = build([story], hand["events"], claims, hand["docs"])
    [c] = figure(report, "Security forces killed").charts
    ispr = next(s for s in c.series if s.claimant == "ISPR")
    assert [p.at for p in ispr.points] == [None]
    assert "undated" in str(disagreement_svg(c))


def test_figures_limited_to_a_place_are_charted_apart(hand):
    story = copy.deepcopy(hand["stories"][0])
    for t in story["timeline"]:
        t["location"] = "Quetta"
    for r in story["figures"][0]["by_claimant"]:
        r["location"] = "Quetta"
    report = build([story], hand["events"], hand["claims"], hand["docs"])
    [c] = figure(report, "Security forces killed").charts
    assert c.location == "Quetta" and c.best == 10   # the only place: its figures are the totals
    assert c.title == "Security forces killed in Quetta"


def test_unnamed_voices_are_named_with_their_outlet_or_source(voices):
    report = build(voices["stories"], voices["events"], voices["claims"], voices["docs"])
    [c] = report.stories[0].figures[0].charts
    names = [s.claimant for s in c.series]
    assert sorted(names[:3]) == ["Amnesty International", "UN Human Rights Office", "residents"]
    assert sorted(names[3:]) == ["outlet [2]", "reports (Daily Wire)"]   # unnamed voices last


def test_report_html_puts_the_chart_in_the_disputed_figures_table(report, monkeypatch):
    from sitrep.report import assets
    monkeypatch.setenv("SITREP_NODE_MODULES", "")
    html = render_html(report, assets.load())
    body = html.split('<tr class="fighead"><th colspan="7">Security forces killed', 1)[1].split("</tbody>", 1)[0]
    assert '<tr class="chart"><td colspan="7"><figure class="chartbox"><svg xmlns="http://www.w3.org/2000/svg"' in body
    assert html.count('class="dchart"') == 1


def test_report_md_tells_how_each_claimants_figure_changed(report):
    md = render_markdown(report)
    assert "How each claimant's figure changed (drawn as a chart in report.html):" in md
    q80 = next(p.q for s in figure(report, "Security forces killed").charts[0].series for p in s.points
               if p.low == 80)
    assert ("- BLA (armed group): **more than 80**[^q%d] on 31 January 2026, then **at least 84**[^q2] on "
            "1 February 2026" % q80) in md
    assert "- ISPR (military): **10**[^q0] on 31 January 2026" in md
    assert "<svg" not in md


# ------------------------------------------------------------------------------- the seeds, end to end

@pytest.mark.nlp
@pytest.mark.shared
def test_seeds_report_charts_the_disputed_toll_of_soldiers(shared, tmp_path):
    from sitrep.pipeline import run
    from sitrep.settings import Settings

    out = tmp_path / "seeds"
    run([shared / "seeds"], out, Settings(progress=False))
    html = (out / "report.html").read_text(encoding="utf-8")
    body = html.split('<tr class="fighead"><th colspan="7">Security forces killed', 1)[1].split("</tbody>", 1)[0]
    svg = re.search(r"<svg .*?</svg>", body, re.S).group(0)
    root = ET.fromstring(svg)
    lines = steps(root)
    assert {"ISPR", "BLA"} <= set(lines)
    label = root.get("aria-label")
    assert "\u2068ISPR\u2069 (military) says 10" in label and "at least 84" in label
    bla = markers(root, "BLA")
    assert bla and all(m.tag.endswith("}a") and m.get("href", "").startswith("#q-") for m in bla)
    assert root.find(".//s:line[@class='best']", NS) is not None
    md = (out / "report.md").read_text(encoding="utf-8")
    assert re.search(r"- BLA \(armed group\): .*\*\*at least 84\*\*", md)


@pytest.mark.parametrize("points, expected", [
    ([pt("2026-01-31", 10, q=4)], "ISPR (military): **10**[^q4] on 31 January 2026"),
    ([pt(None, 12, None, "more_than"), pt("2026-01-31", None, None, "vague", "dozens", approx=12)],
     "ISPR (military): **more than 12** undated, then **dozens** on 31 January 2026"),
    ([pt("2026-02-01", 80, None, "more_than", q=3), pt("2026-02-01", 84, None, "at_least", q=2),
      pt("2026-02-03", 84, None, "at_least", q=7)],   # restated as it was: no change to tell
     "ISPR (military): **more than 80**[^q3] on 1 February 2026, then **at least 84**[^q2] the same day"),
])
def test_report_md_line_per_claimant(points, expected):
    from sitrep.report.markdown import changed
    assert changed(Series("ISPR", "military", points)) == expected


def test_report_md_line_escapes_names():
    from sitrep.report.markdown import changed
    line = changed(Series("<script>[x](javascript:1)", "armed group", [pt("2026-01-31", 1)]))
    assert "<script" not in line and not re.search(r"(?<!\\)\]\(javascript", line)   # a link only when unescaped
    assert line.startswith("&lt;script&gt;\\[x\\](javascript:1) (armed group): **1** on 31 January 2026")

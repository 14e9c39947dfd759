"""A picture of a disagreement: each claimant's figure over time, as inline SVG built on the server.

`disagreement_svg(chart)` takes plain data (a `Chart` of `Series` of `Point`)
and returns SVG markup to put into a page: no script, no external resource, no
id that two charts on one page could share, so it works under report.html's
Content-Security-Policy and in any other front end that escapes its own text.

What is drawn:

- x is the date a figure was stated (the day its document was published), y the
  figure. Each claimant is a step line: its figure holds until it states another.
  Several figures of one claimant on one day are steps up from the lowest, so the
  line ends at the figure reconciliation keeps (the latest; on one day, the highest).
- A range (58–60) is a band from low to high; "at least"/"more than" a short band
  above the floor with an arrow up (open-ended); "up to" a band from 0 with an arrow down.
  A vague word ("dozens") is a hollow marker at the number ACLED counts for it,
  labelled with the word; a word with no such number is not drawn (it is in the
  description).
- Statements without a date are drawn in a column of their own, "undated", left of
  the dated ones: reconciliation takes an undated figure for the earliest, so a
  claimant's line runs from it to its dated figures. No date is invented.
- When every statement has one date there is no time to spread over: the claimants
  stand side by side in that day's column, each with its own marker and band, and
  their lines run from there to the right edge.
- The story's best figure is a thick grey line labelled "best N".
- Claimants differ by marker shape and dash pattern (and colour, never alone), are
  named at the end of their line and in the legend. Every point has a `<title>`
  naming the claimant, the date and the quote, and links to the quote (`#q-<id>`,
  `data-q`, `data-n`) as the report's figure links do.

Every string is escaped by ElementTree, so claimant names and quotes from articles
stay text; the result is well-formed XML.

>>> svg = disagreement_svg(Chart("Security forces killed", [
...     Series("ISPR", "military", [Point("2026-01-31", 10, 10, "exact", "10")]),
...     Series("BLA", "armed group", [Point("2026-02-01", 84, None, "at_least", "at least 84")])], best=10))
>>> svg.startswith("<svg") and "BLA" in svg
True
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Sequence

from markupsafe import Markup

SVG_NS = "http://www.w3.org/2000/svg"
MAX_SERIES = 12   # more claimants than this are listed, not drawn: the table above names every one
OPEN_ENDED = ("at_least", "more_than")

# Layout, in SVG user units (1 unit is 1 CSS px at the chart's natural size of 45em by 16px).
WIDTH = 720
FONT = 12
PLOT_H = 200
TOP = 34
AXIS_H = 34
ROW = 17
UNDATED_W = 64
PAD = 40            # room inside the plot before the first date
OPEN_BAND = 22      # height of the band drawn above an open "at least" floor
LABEL_MIN, LABEL_MAX = 96, 230

INK = "#1d2329"
GRID = "#d5d9de"
BEST = "#8a8f96"
# Dark enough to print on white; told apart by shape and dash first, colour only helps.
COLOURS = ["#1d2329", "#0b4f8a", "#9c3b00", "#1e6b3a", "#6a2c91", "#6b5a00"]
DASHES = ["", "7 3", "2 2.5", "9 3 2 3", "14 4", "4 2 1 2"]
SHAPES = ["circle", "square", "triangle", "diamond", "down", "cross", "plus"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass(frozen=True)
class Point:
    """One statement of a figure: when, the numbers as stated (SPEC §3), and the quote it comes from.

    `approx` is the number a vague word stands for ("dozens" 12), None otherwise;
    `q` is the report's quote id (the point links to `#q-<q>`), `n` its source number,
    `refs` every source number stating the same figure that day.
    """

    at: str | None
    low: int | None
    high: int | None
    qualifier: str
    text: str
    quote: str = ""
    q: int | None = None
    n: int | None = None
    refs: tuple[int, ...] = ()
    approx: int | None = None

    @property
    def level(self) -> float | None:
        """Where the line runs: the floor of the figure, the ceiling of "up to", a vague word's number."""
        if self.low is not None:
            return float(self.low)
        if self.high is not None:
            return float(self.high)
        return float(self.approx) if self.approx is not None else None

    @property
    def band(self) -> tuple[float, float | None] | None:
        """(bottom, top) of the range the figure allows, top None when open; None for a single number."""
        if self.qualifier in OPEN_ENDED and self.low is not None and self.high is None:
            return float(self.low), None
        if self.low is None and self.high is not None:
            return 0.0, float(self.high)
        if self.low is not None and self.high is not None and self.high != self.low:
            return float(min(self.low, self.high)), float(max(self.low, self.high))
        return None

    @property
    def day(self) -> dt.date | None:
        try:
            return dt.date.fromisoformat(str(self.at)[:10]) if self.at else None
        except ValueError:
            return None


@dataclass(frozen=True)
class Series:
    """One claimant's figures, in the order stated. `kind` is how a reader names its type ("armed group")."""

    claimant: str
    kind: str
    points: Sequence[Point]


@dataclass(frozen=True)
class Chart:
    """A figure's disagreement: its label ("Security forces killed"), a series per claimant, the best figure.

    `location` names the place the figures are limited to, None for the whole incident.
    """

    label: str
    series: Sequence[Series]
    best: int | None = None
    location: str | None = None

    @property
    def title(self) -> str:
        return f"{self.label} in {self.location}" if self.location else self.label

    def __html__(self) -> Markup:
        """`{{ chart }}` in an autoescaping template (Jinja2, markupsafe) inserts the SVG."""
        return disagreement_svg(self)


def disagreement_svg(chart: Chart, *, max_series: int = MAX_SERIES) -> Markup:
    """The chart as an `<svg>` element (Markup, safe to insert into HTML as it is).

    *chart* is plain data: a label, one `Series` per claimant with its `Point`s, the
    best figure (or None). At most *max_series* claimants are drawn, in the order
    given; the rest are counted under the legend. The element is 45em wide with a
    viewBox, so CSS may scale it (report.css: `width: 100%; max-width: 50rem`);
    `role="img"` with an `aria-label` and a `<title>` saying who says what.
    """
    return Markup(ET.tostring(_Drawing(chart, max_series).svg(), encoding="unicode", short_empty_elements=True))


def describe(chart: Chart) -> str:
    """The chart in words: 'Security forces killed, …: ISPR (military) says 10 (31 Jan 2026); … Best figure: 10.'"""
    parts = []
    for s in chart.series:
        name = _iso(_clean(s.claimant) or "unnamed source") + (f" ({_clean(s.kind)})" if _clean(s.kind) else "")
        steps = [f"{_clean(p.text)} ({_date_text(p.day, True) if p.day else 'undated'})" for p in changes(s.points)]
        parts.append(f"{name} says " + ", then ".join(steps))
    text = f"{chart.title}, each claimant's figure by date: " + "; ".join(parts) + "."
    if chart.best is not None:
        text += f" Best figure: {chart.best}."
    return text


# ---------------------------------------------------------------------------------------------- drawing

def changes(points: Sequence[Point]) -> list[Point]:
    """A claimant's figures as they changed: in order, a figure restated as it was left out."""
    out: list[Point] = []
    for p in ordered(points):
        if not out or _clean(p.text) != _clean(out[-1].text):
            out.append(p)
    return out


def ordered(points: Sequence[Point]) -> list[Point]:
    """Undated first (reconciliation takes them for the earliest), then by day; on one day, lowest first."""
    return sorted(points, key=lambda p: (p.day is not None, p.day or dt.date.min,
                                         p.level if p.level is not None else -1.0))


def _iso(name: str) -> str:
    """A name isolated from the text around it, so a right-to-left name cannot reorder its neighbours."""
    return "\u2068" + name + "\u2069"


def _clean(text: str) -> str:
    return " ".join(str(text or "").split())


# Advance widths in em of a wide sans-serif (DejaVu Sans, the widest common fallback), rounded: the server cannot
# measure the reader's font, so it guesses high and a label is cut a little early rather than run off the chart.
_EM = {**dict.fromkeys("ijl'|", 0.28), **dict.fromkeys(" .,:;!", 0.34), **dict.fromkeys("ftI()[]{}/\\", 0.4),
       **dict.fromkeys("r-", 0.42), **dict.fromkeys("\"*^`", 0.5), **dict.fromkeys("sz_Jcyvkx", 0.6),
       **dict.fromkeys("0123456789", 0.64), **dict.fromkeys("LFTZP", 0.62),
       **dict.fromkeys("EKSYABXRV", 0.7), **dict.fromkeys("CDHNUG", 0.78), **dict.fromkeys("OQ&", 0.8),
       **dict.fromkeys("<>=+~#%", 0.84), **dict.fromkeys("mMW@…—", 1.0), "w": 0.82}


def _text_width(text: str, size: float = FONT) -> float:
    """A generous guess of *text*'s width at *size*: wide (CJK) characters count a full em."""
    w = 0.0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) == "Cf":   # marks and bidi isolates
            continue
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            w += 1.0
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        w += _EM.get(base, 0.64)
    return w * size


def _fit(text: str, width: float, size: float = FONT) -> str:
    """*text* cut to *width* with an ellipsis; the full text stays in a `<title>`."""
    if _text_width(text, size) <= width:
        return text
    out = ""
    for ch in text:
        if _text_width(out + ch + "…", size) > width:
            break
        out += ch
    return out.rstrip() + "…"


def _date_text(d: dt.date, year: bool = False) -> str:
    return f"{d.day} {MONTHS[d.month - 1]}" + (f" {d.year}" if year else "")


def _nice_step(top: float, ticks: int = 6) -> int:
    """A step of 1, 2 or 5 times a power of ten giving at most *ticks* intervals up to *top*."""
    raw = max(top / ticks, 1.0)
    base = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if m * base >= raw:
            return int(m * base)
    return int(10 * base)


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


class _Drawing:
    """One chart's geometry and elements; `svg()` builds the tree."""

    def __init__(self, chart: Chart, max_series: int):
        self.chart = chart
        series = [Series(_clean(s.claimant) or "unnamed source", _clean(s.kind), ordered(s.points))
                  for s in chart.series]
        # a vague word with no number ("a few") cannot be placed: it is described and named under the legend
        self.hidden = [s for s in series if all(p.level is None for p in s.points)]
        drawn = [Series(s.claimant, s.kind, [p for p in s.points if p.level is not None]) for s in series
                 if s not in self.hidden]
        self.more = max(0, len(drawn) - max_series)
        self.drawn = drawn[:max_series]
        self.k = len(self.drawn)
        self.days = sorted({p.day for s in self.drawn for p in s.points if p.day})
        self.undated = any(p.day is None for s in self.drawn for p in s.points)
        self._scale_y()
        self._labels()
        self._scale_x()

    # ------------------------------------------------------------------ scales
    def _scale_y(self):
        values = [v for s in self.drawn for p in s.points for v in (p.low, p.high, p.approx) if v is not None]
        if self.chart.best is not None:
            values.append(self.chart.best)
        top = max(values, default=0) * 1.15
        floors = [p.low for s in self.drawn for p in s.points if p.band and p.band[1] is None]
        top = max([top] + [f / 0.86 for f in floors])   # room above an open "at least" floor for its arrow
        step = _nice_step(max(top, 1.0))
        self.ymax = max(step, math.ceil(max(top, 1.0) / step) * step)
        self.yticks = list(range(0, int(self.ymax) + 1, step))

    def y(self, v: float) -> float:
        return TOP + PLOT_H - v / self.ymax * PLOT_H

    def _labels(self):
        """Direct labels at the right: the claimant and its last figure."""
        self.label_texts = []
        for s in self.drawn:
            last = s.points[-1]
            self.label_texts.append(f"{_iso(s.claimant)}: {last.text}")
        widest = max([_text_width(t) for t in self.label_texts] + [_text_width("best 00000", FONT)], default=0)
        self.label_w = min(LABEL_MAX, max(LABEL_MIN, widest + 28))
        self.left = 14 + max(_text_width(f"{t:,}", FONT - 1) for t in self.yticks)
        self.right = WIDTH - self.label_w

    def _scale_x(self):
        x0 = self.left
        if self.undated:
            self.undated_x = x0 + UNDATED_W / 2
            x0 += UNDATED_W
        self.dated_left = x0
        width = self.right - x0
        # Claimants side by side: far apart when all speak on one day, a hair apart otherwise so that
        # equal figures on one day do not hide each other's markers.
        self.single = len(self.days) <= 1
        slot = min(36.0, (width - 2 * PAD) / max(self.k, 1)) if self.single else min(8.0, 32.0 / max(self.k, 1))
        self.slot = slot
        self.dodge = [(i - (self.k - 1) / 2) * slot for i in range(self.k)]
        if self.single:
            self.day_x = {d: x0 + max(width * 0.3, self.k * slot / 2 + PAD) for d in self.days}
        else:
            first, last = self.days[0], self.days[-1]
            span = (last - first).days
            self.day_x = {d: x0 + PAD + (d - first).days / span * (width - PAD - self.pad_right(width))
                          for d in self.days}
        if self.undated:
            self.dodge_u = [(i - (self.k - 1) / 2) * min(6.0, (UNDATED_W - 16) / max(self.k, 1))
                            for i in range(self.k)]
        self.xs = [self._series_x(i, s) for i, s in enumerate(self.drawn)]

    @staticmethod
    def pad_right(width: float) -> float:
        """Room after the last day, where every line shows the figure its claimant holds to."""
        return max(PAD, width * 0.14)

    def _series_x(self, i: int, s: Series) -> list[float]:
        """x of each point; a figure restated the same day steps a little right of the one it follows."""
        out, prev = [], None
        for p in s.points:
            x = self.undated_x + self.dodge_u[i] if p.day is None else self.day_x[p.day] + self.dodge[i]
            if prev is not None and prev[0] == p.day:
                x = prev[1] + 7
            out.append(x)
            prev = (p.day, x)
        return out

    def x(self, i: int, j: int) -> float:
        return self.xs[i][j]

    # ------------------------------------------------------------------ tree
    def svg(self) -> ET.Element:
        legend_rows = self.k + (1 if self.more else 0) + (1 if self.hidden else 0)
        height = TOP + PLOT_H + AXIS_H + 8 + legend_rows * ROW + 6
        desc = describe(self.chart)
        if self.more:
            desc += f" {self.more} more claimant{'s' * (self.more != 1)} in the table, not drawn."
        root = ET.Element("svg", {
            "xmlns": SVG_NS, "class": "dchart", "role": "img", "aria-label": desc,
            "viewBox": f"0 0 {WIDTH} {_num(height)}", "width": f"{WIDTH / 16:g}em", "height": f"{height / 16:g}em",
            "preserveAspectRatio": "xMinYMin meet", "data-series": str(self.k)})
        ET.SubElement(root, "title").text = desc
        # sizes of text live on a group: on the <svg> itself they would change what its width in em means
        top = ET.SubElement(root, "g", {
            "font-size": str(FONT),
            "font-family": "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', sans-serif"})
        svg, root = root, top
        ET.SubElement(root, "rect", {"class": "bg", "x": "0", "y": "0", "width": str(WIDTH),
                                     "height": _num(height), "fill": "#fff"})
        head = ET.SubElement(root, "text", {"x": "0", "y": "14", "font-weight": "600", "fill": INK})
        tail = " · each claimant's figure by date of statement"
        head.text = _fit(self.chart.title, WIDTH - _text_width(tail) - 8)
        sub = ET.SubElement(head, "tspan", {"font-weight": "normal", "fill": "#5d6670"})
        sub.text = tail
        self._axes(root)
        if self.chart.best is not None:
            self._best(root)
        for i, s in enumerate(self.drawn):
            self._bands(root, i, s)
        for i, s in enumerate(self.drawn):
            self._line(root, i, s)
        arrows = ET.SubElement(root, "g", {"class": "arrows"})   # under every marker, so none hides a point
        for i, s in enumerate(self.drawn):
            for j, p in enumerate(s.points):
                band = p.band
                if band and band[1] is None:
                    _arrow(arrows, self.x(i, j), self.y(p.level) - 7, -1, COLOURS[i % len(COLOURS)])
                elif band and p.low is None:
                    _arrow(arrows, self.x(i, j), self.y(p.level) + 7, 1, COLOURS[i % len(COLOURS)])
        for i, s in enumerate(self.drawn):
            self._points(root, i, s)
        self._direct_labels(root)
        self._legend(root, TOP + PLOT_H + AXIS_H + 8)
        return svg

    def _axes(self, root):
        g = ET.SubElement(root, "g", {"class": "axes", "fill": INK, "stroke-width": "1"})
        bottom = TOP + PLOT_H
        for t in self.yticks:
            yy = _num(self.y(t))
            ET.SubElement(g, "line", {"x1": _num(self.left), "x2": _num(self.right), "y1": yy, "y2": yy,
                                      "stroke": GRID if t else INK})
            lab = ET.SubElement(g, "text", {"x": _num(self.left - 5), "y": _num(self.y(t) + 4),
                                            "text-anchor": "end", "font-size": str(FONT - 1)})
            lab.text = f"{t:,}"
        ET.SubElement(g, "line", {"x1": _num(self.left), "x2": _num(self.left), "y1": str(TOP),
                                  "y2": str(bottom), "stroke": INK})
        if self.undated:
            sep = self.dated_left
            ET.SubElement(g, "line", {"class": "undated-sep", "x1": _num(sep), "x2": _num(sep), "y1": str(TOP),
                                      "y2": str(bottom + 6), "stroke": "#8a8f96", "stroke-dasharray": "2 3"})
            lab = ET.SubElement(g, "text", {"class": "xtick undated", "x": _num(self.undated_x),
                                            "y": str(bottom + 16), "text-anchor": "middle"})
            lab.text = "undated"
        for d, label in self._xticks():
            xx = _num(d)
            ET.SubElement(g, "line", {"x1": xx, "x2": xx, "y1": str(bottom), "y2": str(bottom + 5), "stroke": INK})
            lab = ET.SubElement(g, "text", {"class": "xtick", "x": xx, "y": str(bottom + 16), "text-anchor": "middle"})
            lab.text = label
        cap = ET.SubElement(g, "text", {"x": _num(self.right), "y": str(bottom + 30), "text-anchor": "end",
                                        "font-size": str(FONT - 1), "fill": "#5d6670"})
        cap.text = "date of statement (publication)"

    def _xticks(self) -> list[tuple[float, str]]:
        """Ticks at the days figures were stated, or at regular days when those would crowd."""
        if not self.days:
            return []
        if self.single:
            d = self.days[0]
            return [(self.day_x[d], _date_text(d, True))]
        first, last = self.days[0], self.days[-1]
        span = (last - first).days
        width = self.right - self.dated_left - PAD - self.pad_right(self.right - self.dated_left)
        per_day = width / span
        spaced = all((b - a).days * per_day >= 62 for a, b in zip(self.days, self.days[1:]))
        if len(self.days) <= 8 and spaced:
            days = self.days
        else:
            step = next((s for s in (1, 2, 3, 7, 14, 28, 61, 91, 182, 365, 730, 1826, 3652)
                         if s * per_day >= 70), 7305)
            days = [first + dt.timedelta(days=i) for i in range(0, span + 1, step)]
        x0 = self.dated_left + PAD
        out, year = [], None
        for d in days:
            out.append((x0 + (d - first).days * per_day, _date_text(d, d.year != year)))
            year = d.year
        return out

    def _best(self, root):
        yy = _num(self.y(self.chart.best))
        ET.SubElement(root, "line", {"class": "best", "x1": _num(self.left), "x2": _num(self.right), "y1": yy,
                                     "y2": yy, "stroke": BEST, "stroke-width": "4", "stroke-opacity": "0.55"})

    def _bands(self, root, i, s: Series):
        colour = COLOURS[i % len(COLOURS)]
        end = self.right
        for j, p in enumerate(s.points):
            band = p.band
            if band is None:
                continue
            x1 = self.x(i, j)
            x2 = self.x(i, j + 1) if j + 1 < len(s.points) else end
            if self.single or p.day is None or x2 - x1 < 8:
                # no time of its own (one day for all, undated, or restated the same day): a bar at the marker
                half = max(4.0, min(self.slot * 0.35, 9.0)) if self.single else 5.0
                x1, x2 = x1 - half, x1 + half
            lo, hi = band
            attrs = {"class": "band", "data-claimant": s.claimant, "x": _num(x1), "width": _num(x2 - x1),
                     "fill": colour, "fill-opacity": "0.13"}
            if hi is None:   # open upwards: a short band above the floor, its arrow says the rest
                top = max(TOP, self.y(lo) - OPEN_BAND)
                attrs.update({"class": "band open", "fill-opacity": "0.1"})
            else:
                top = self.y(hi)
                attrs.update({"stroke": colour, "stroke-opacity": "0.6", "stroke-width": "0.8",
                              "stroke-dasharray": DASHES[i % len(DASHES)] or "none"})
            attrs.update({"y": _num(top), "height": _num(max(self.y(lo) - top, 1.0))})
            ET.SubElement(root, "rect", attrs)

    def _line(self, root, i, s: Series):
        pts = s.points
        d = f"M{_num(self.x(i, 0))} {_num(self.y(pts[0].level))}"
        for j, p in enumerate(pts[1:], 1):
            d += f" H{_num(self.x(i, j))} V{_num(self.y(p.level))}"
        d += f" H{_num(self.right)}"
        attrs = {"class": "step", "data-claimant": s.claimant, "d": d, "fill": "none",
                 "stroke": COLOURS[i % len(COLOURS)], "stroke-width": "2", "stroke-linejoin": "round"}
        if DASHES[i % len(DASHES)]:
            attrs["stroke-dasharray"] = DASHES[i % len(DASHES)]
        ET.SubElement(root, "path", attrs)

    def _points(self, root, i, s: Series):
        colour = COLOURS[i % len(COLOURS)]
        shape = SHAPES[i % len(SHAPES)]
        for j, p in enumerate(s.points):
            cx, cy = self.x(i, j), self.y(p.level)
            when = _date_text(p.day, True) if p.day else "undated"
            tip = f"{s.claimant}, {when}: {p.text}"
            if p.quote:
                quote = _clean(p.quote)
                tip += f" — “{quote if len(quote) <= 160 else quote[:157].rstrip() + '…'}”"
            refs = p.refs or ((p.n,) if p.n is not None else ())
            if refs:
                tip += " " + ", ".join(f"[{n}]" for n in refs)
            if p.q is not None:
                holder = ET.SubElement(root, "a", {"class": "cpt", "href": f"#q-{p.q}", "data-q": str(p.q),
                                                   **({"data-n": str(p.n)} if p.n is not None else {}),
                                                   "tabindex": "-1"})
            else:
                holder = ET.SubElement(root, "g", {"class": "cpt"})
            holder.set("data-claimant", s.claimant)
            ET.SubElement(holder, "title").text = tip
            hollow = p.low is None and p.high is None
            _marker(holder, shape, cx, cy, colour, hollow)
            if hollow:
                word = ET.SubElement(holder, "text", {"x": _num(cx + 7), "y": _num(cy - 6), "fill": colour,
                                                      "font-size": str(FONT - 1), "font-style": "italic"})
                word.text = _fit(_clean(p.text), 90, FONT - 1)

    def _direct_labels(self, root):
        items = [(self.y(s.points[-1].level), i, self.label_texts[i]) for i, s in enumerate(self.drawn)]
        if self.chart.best is not None:
            items.append((self.y(self.chart.best), None, f"best {self.chart.best}"))
        items.sort(key=lambda t: (t[0], -1 if t[1] is None else t[1]))
        placed, gap = [], 14.0
        for target, i, text in items:   # push labels down so none overlaps the one above …
            placed.append(max(target, placed[-1] + gap) if placed else target)
        limit = TOP + PLOT_H + AXIS_H - 4
        for j in range(len(placed) - 1, -1, -1):   # … and back up when the last ran off the bottom
            cap = limit if j == len(placed) - 1 else placed[j + 1] - gap
            placed[j] = min(placed[j], cap)
        g = ET.SubElement(root, "g", {"class": "labels", "font-size": str(FONT)})
        for (target, i, text), yy in zip(items, placed):
            x = self.right + 6
            if abs(yy - target) > 1:
                ET.SubElement(g, "path", {"d": f"M{_num(self.right)} {_num(target)} L{_num(x + 4)} {_num(yy)}",
                                          "stroke": "#8a8f96", "stroke-width": "0.8", "fill": "none"})
            if i is None:
                lab = ET.SubElement(g, "text", {"class": "best-label", "x": _num(x + 4), "y": _num(yy + 4),
                                                "font-weight": "700", "fill": "#4a4f56"})
                lab.text = text
                continue
            colour = COLOURS[i % len(COLOURS)]
            item = ET.SubElement(g, "g", {"class": "direct", "data-claimant": self.drawn[i].claimant})
            _marker(item, SHAPES[i % len(SHAPES)], x + 8, yy, colour, False, 3.2)
            lab = ET.SubElement(item, "text", {"x": _num(x + 15), "y": _num(yy + 4), "fill": colour})
            lab.text = _fit(text, self.label_w - 28)
            ET.SubElement(item, "title").text = text

    def _legend(self, root, top: float):
        g = ET.SubElement(root, "g", {"class": "legend", "fill": INK})
        width = WIDTH - 60
        for i, s in enumerate(self.drawn):
            yy = top + i * ROW + ROW / 2
            colour = COLOURS[i % len(COLOURS)]
            item = ET.SubElement(g, "g", {"class": "legend-item", "data-claimant": s.claimant})
            attrs = {"x1": "2", "x2": "40", "y1": _num(yy), "y2": _num(yy), "stroke": colour, "stroke-width": "2"}
            if DASHES[i % len(DASHES)]:
                attrs["stroke-dasharray"] = DASHES[i % len(DASHES)]
            ET.SubElement(item, "line", attrs)
            _marker(item, SHAPES[i % len(SHAPES)], 21, yy, colour, False)
            full = f"{s.claimant} ({s.kind})" if s.kind else s.claimant
            steps = ", then ".join(_clean(p.text) for p in changes(s.points))
            lab = ET.SubElement(item, "text", {"x": "50", "y": _num(yy + 4)})
            lab.text = _fit(f"{_iso(full)}: {steps}", width)
            ET.SubElement(item, "title").text = f"{full}: {steps}"
        row = self.k
        if self.more:
            note = ET.SubElement(g, "text", {"class": "more", "x": "2", "y": _num(top + row * ROW + ROW / 2 + 4),
                                             "fill": "#5d6670"})
            note.text = f"{self.more} more claimant{'s' * (self.more != 1)} in the table, not drawn"
            row += 1
        if self.hidden:
            names = ", ".join(f"{_iso(s.claimant)} ({', '.join(_clean(p.text) for p in s.points) or 'no figure'})"
                              for s in self.hidden)
            note = ET.SubElement(g, "text", {"class": "more", "x": "2", "y": _num(top + row * ROW + ROW / 2 + 4),
                                             "fill": "#5d6670"})
            note.text = _fit("no number to draw: " + names, WIDTH - 4)


def _marker(parent, shape: str, cx: float, cy: float, colour: str, hollow: bool, r: float = 4.6):
    fill = "#fff" if hollow else colour
    common = {"class": f"mark mark-{shape}", "fill": fill, "stroke": colour, "stroke-width": "1.5"}
    if shape == "circle":
        ET.SubElement(parent, "circle", {**common, "cx": _num(cx), "cy": _num(cy), "r": _num(r)})
        return
    if shape == "square":
        s = r * 0.9
        ET.SubElement(parent, "rect", {**common, "x": _num(cx - s), "y": _num(cy - s), "width": _num(2 * s),
                                       "height": _num(2 * s)})
        return
    if shape in ("cross", "plus"):
        s = r * (0.85 if shape == "cross" else 1.1)
        d = (f"M{_num(cx - s)} {_num(cy - s)} L{_num(cx + s)} {_num(cy + s)} "
             f"M{_num(cx - s)} {_num(cy + s)} L{_num(cx + s)} {_num(cy - s)}") if shape == "cross" else (
             f"M{_num(cx - s)} {_num(cy)} H{_num(cx + s)} M{_num(cx)} {_num(cy - s)} V{_num(cy + s)}")
        # a light disc behind keeps the cross visible over lines and bands
        ET.SubElement(parent, "circle", {"cx": _num(cx), "cy": _num(cy), "r": _num(r), "fill": "#fff",
                                         "fill-opacity": "0.85" if not hollow else "1"})
        ET.SubElement(parent, "path", {**common, "d": d, "fill": "none", "stroke-width": "2.2"})
        return
    if shape == "triangle":
        pts = [(cx, cy - r * 1.15), (cx + r, cy + r * 0.75), (cx - r, cy + r * 0.75)]
    elif shape == "down":
        pts = [(cx, cy + r * 1.15), (cx + r, cy - r * 0.75), (cx - r, cy - r * 0.75)]
    else:  # diamond
        pts = [(cx, cy - r * 1.2), (cx + r, cy), (cx, cy + r * 1.2), (cx - r, cy)]
    ET.SubElement(parent, "polygon", {**common, "points": " ".join(f"{_num(a)},{_num(b)}" for a, b in pts)})


def _arrow(parent, cx: float, y0: float, direction: int, colour: str):
    """A short arrow from a figure's marker: up for "at least", down for "up to"."""
    tip = y0 + direction * 10
    ET.SubElement(parent, "path", {
        "class": "open", "fill": "none", "stroke": colour, "stroke-width": "1.5",
        "d": f"M{_num(cx)} {_num(y0)} V{_num(tip)} M{_num(cx - 3.5)} {_num(tip - direction * 4)} "
             f"L{_num(cx)} {_num(tip)} L{_num(cx + 3.5)} {_num(tip - direction * 4)}"})

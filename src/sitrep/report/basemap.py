"""The offline basemap: country outlines from world-atlas' TopoJSON, as GeoJSON around the events.

Decoding TopoJSON here (instead of shipping topojson-client to the browser)
lets the page carry only the countries near the events, rounded to what a
screen shows, which keeps the report small.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

PAD = 8.0        # degrees around the events' box, so neighbours frame the map
DIGITS = 3       # ~100 m: finer than a 50m-scale outline can show


@functools.lru_cache(maxsize=2)
def _polygons(path: str) -> list[tuple[str, tuple[float, float, float, float], list]]:
    """(country name, bounding box, rings) for every polygon of every country."""
    topo = json.loads(Path(path).read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topo.get("transform", {}).get("scale", (1, 1)), topo.get("transform", {}).get(
        "translate", (0, 0))
    quantized = "transform" in topo
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for px, py in arc:
            if quantized:  # arcs are delta-encoded integers when a transform is given
                x, y = x + px, y + py
                pts.append((round(x * sx + tx, DIGITS), round(y * sy + ty, DIGITS)))
            else:
                pts.append((round(px, DIGITS), round(py, DIGITS)))
        arcs.append(pts)

    def ring(ids: list[int]) -> list[tuple[float, float]]:
        pts: list[tuple[float, float]] = []
        for i in ids:
            a = arcs[i] if i >= 0 else arcs[~i][::-1]
            pts.extend(a if not pts else a[1:])
        return pts

    out = []
    for g in topo["objects"]["countries"]["geometries"]:
        polys = [g["arcs"]] if g.get("type") == "Polygon" else g["arcs"] if g.get("type") == "MultiPolygon" else []
        for poly in polys:  # per polygon, so a country's far-off islands stay off a regional map
            rings = [ring(r) for r in poly]
            if rings and rings[0]:
                xs, ys = [p[0] for p in rings[0]], [p[1] for p in rings[0]]
                out.append(((g.get("properties") or {}).get("name", ""), (min(xs), min(ys), max(xs), max(ys)), rings))
    return out


def countries_near(path: Path, points: list[tuple[float, float]]) -> dict:
    """A GeoJSON FeatureCollection of the countries whose box meets the (lat, lon) *points*' padded box."""
    if not points:
        return {"type": "FeatureCollection", "features": []}
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    w, s, e, n = min(lons) - PAD, min(lats) - PAD, max(lons) + PAD, max(lats) + PAD
    near: dict[str, list] = {}
    for name, (x0, y0, x1, y1), rings in _polygons(str(path)):
        if x0 <= e and x1 >= w and y0 <= n and y1 >= s:
            near.setdefault(name, []).append(rings)
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": name},
         "geometry": {"type": "MultiPolygon", "coordinates": polys}} for name, polys in near.items()]}

// sitrep report: figure links open their source with the quote highlighted; maps from inlined Leaflet.
// Article strings only ever reach the DOM through textContent, never innerHTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("sitrep-data").textContent);
  var viewer = document.getElementById("viewer");
  var vbody = document.getElementById("viewer-body");
  var vtitle = document.getElementById("viewer-title");

  var maps = [];
  // The side panel narrows the page on wide screens; Leaflet only notices window resizes by itself.
  function resized() { maps.forEach(function (m) { m.invalidateSize(); }); }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  // Show source n in the side panel; highlight quote q (if given) and scroll it into view.
  function openSource(n, q) {
    var doc = document.querySelector('details.doc[data-n="' + n + '"]');
    if (!doc) return false;
    vtitle.textContent = "[" + n + "] " + doc.querySelector(".label").textContent + " · " +
      doc.querySelector("summary .meta").textContent;
    var body = doc.querySelector(".doctext").cloneNode(true);
    body.querySelectorAll("[id]").forEach(function (x) { x.removeAttribute("id"); });
    var meta = doc.querySelector(".docmeta").cloneNode(true);
    meta.querySelectorAll("[id]").forEach(function (x) { x.removeAttribute("id"); });
    vbody.replaceChildren(meta, body);
    viewer.hidden = false;
    document.body.classList.add("viewing");
    resized();
    var first = null;
    if (q !== null && q !== undefined) {
      body.querySelectorAll("mark").forEach(function (m) {
        if ((" " + m.getAttribute("data-q") + " ").indexOf(" " + q + " ") >= 0) {
          m.classList.add("hit");
          if (!first) first = m;
        }
      });
    }
    if (first) first.scrollIntoView({ block: "center" });
    else vbody.scrollTop = 0;
    return true;
  }

  document.addEventListener("click", function (ev) {
    // a.cpt: a point of a disagreement chart (inline SVG), linked to its quote like a figure
    var a = ev.target.closest ? ev.target.closest("a.fig, a.ref, a.cpt") : null;
    if (!a) return;
    var n = a.getAttribute("data-n");
    var q = a.getAttribute("data-q");
    if (n && openSource(n, q)) ev.preventDefault();
  });
  document.getElementById("viewer-close").addEventListener("click", function () {
    viewer.hidden = true;
    document.body.classList.remove("viewing");
    resized();
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && !viewer.hidden) document.getElementById("viewer-close").click();
  });

  function popup(ev) {
    var box = el("div", "popup");
    box.appendChild(el("strong", null, ev.place + (ev.admin1 && ev.admin1 !== ev.place ? ", " + ev.admin1 : "")));
    [["Date", ev.date], ["Kind", ev.kind], ["Actors", ev.actors]].forEach(function (p) {
      if (!p[1]) return;
      var line = el("div");
      line.appendChild(el("span", "k", p[0] + ": "));
      line.appendChild(document.createTextNode(p[1]));
      box.appendChild(line);
    });
    var line = el("div");
    line.appendChild(el("span", "k", "Fatalities: "));
    var fat = ev.fatalities === null || ev.fatalities === undefined ? "not coded" : String(ev.fatalities);
    if (ev.q !== null) {
      var a = el("a", "fig", fat);
      a.href = "#q-" + ev.q;
      a.setAttribute("data-q", ev.q);
      a.setAttribute("data-n", ev.qn);
      a.title = "Show the quote behind this figure";
      line.appendChild(a);
    } else {
      line.appendChild(document.createTextNode(fat));
    }
    box.appendChild(line);
    var src = el("div");
    src.appendChild(el("span", "k", "Sources: "));
    ev.sources.forEach(function (n) {
      var r = el("a", "ref", "[" + n + "]");
      r.href = "#src-" + n;
      r.setAttribute("data-n", n);
      src.appendChild(r);
      src.appendChild(document.createTextNode(" "));
    });
    box.appendChild(src);
    return box;
  }

  // Place names that would overlap an earlier (bigger) event's name are hidden until zoomed in.
  function declutter(map) {
    var shown = [];
    map.getContainer().querySelectorAll(".place-label").forEach(function (t) {
      t.style.visibility = "";
      var r = t.getBoundingClientRect();
      var hit = shown.some(function (s) {
        return r.left < s.right && r.right > s.left && r.top < s.bottom && r.bottom > s.top;
      });
      if (hit) t.style.visibility = "hidden"; else shown.push(r);
    });
  }

  if (typeof L === "undefined" || !data.maps.length) return;
  data.maps.forEach(function (m) {
    var map = L.map("map-" + m.story, { zoomSnap: 0.25, scrollWheelZoom: false });
    maps.push(map);
    // The view comes first: Leaflet's vector renderer needs one before layers are added.
    var pts = m.markers.map(function (ev) { return [ev.lat, ev.lon]; });
    map.fitBounds(pts, { padding: [40, 40], maxZoom: 8 });
    map.attributionControl.setPrefix(false);
    var base = data.basemap ? L.geoJSON(data.basemap, {
      interactive: false,
      style: { color: "#8d8d8d", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1 }
    }) : L.layerGroup();
    base.addTo(map);
    var osm = L.tileLayer(data.osm, { maxZoom: 18, attribution: "© OpenStreetMap contributors" });
    L.control.layers({ "Offline outlines (bundled)": base, "OpenStreetMap (online)": osm }, null,
      { collapsed: false }).addTo(map);
    L.control.scale({ imperial: false }).addTo(map);
    m.markers.forEach(function (ev) {
      var r = 6 + Math.min(8, Math.sqrt(ev.fatalities || 0) * 1.5);
      var mk = L.circleMarker([ev.lat, ev.lon], {
        radius: r, className: "sitrep-marker", color: "#6b1010", weight: 1.5,
        fillColor: "#c0392b", fillOpacity: 0.75
      });
      mk.bindPopup(function () { return popup(ev); });
      mk.bindTooltip(el("span", null, ev.place), { permanent: true, direction: "right", offset: [r, 0],
        className: "place-label" });
      mk.addTo(map);
    });
    map.on("zoomend", function () { declutter(map); });
    declutter(map);
  });
})();

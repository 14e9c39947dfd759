"""A small store built by hand (no model loaded): documents, claims, two stories and their events, some
of them hostile. What the desk and web tests of `make test-fast` read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sitrep.fuse.events import EVENT_COLUMNS
from sitrep.records import Claim, Document
from sitrep.store import Store

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "sitrep" / "data" / "sample"

PAYLOAD = '<script>window.__xss=1</script>"><img src=x onerror="window.__xss=1">'

TEXTS = {
    "army": "The army said 10 soldiers were killed in Monguno. Officials said 4 civilians died in Dikwa.",
    "group": "ISWAP said it killed 40 soldiers in Monguno and seized 2 vehicles.",
    "evil": f"Residents said 3 civilians were killed in Marte. {PAYLOAD} Visit javascript:window.__xss=1 now.",
    "pk": "Police said 7 officers were killed in Bannu and 2 in Tank.",
}
DOCS = [
    Document("army", TEXTS["army"], "in/army.txt", published=dt.date(2026, 3, 15), source="Lake Chad Times"),
    Document("group", TEXTS["group"], "in/group.txt", published=dt.date(2026, 3, 15)),
    Document("evil", TEXTS["evil"], "in/wire.jsonl:1", published=dt.date(2026, 3, 16), title=PAYLOAD, source=PAYLOAD,
             url="javascript:window.__xss=1", fmt="jsonl"),
    Document("pk", TEXTS["pk"], "in/pk.txt", published=dt.date(2026, 5, 10)),
]


def _claim(doc, quote, value, predicate, category, claimant, ctype, hedge="reported", qualifier="exact"):
    start = TEXTS[doc].index(quote)
    return Claim(doc_id=doc, quote=quote, char_start=start, char_end=start + len(quote), predicate=predicate,
                 category=category, low=value, high=value, qualifier=qualifier, text_value=str(value),
                 claimant=claimant, claimant_type=ctype, hedge=hedge, published="2026-03-15")


CLAIMS = {
    "army": [_claim("army", "10 soldiers were killed", 10, "killed", "military", "army", "military"),
             _claim("army", "4 civilians died", 4, "killed", "civilians", "officials", "government")],
    "group": [_claim("group", "killed 40 soldiers", 40, "killed", "military", "ISWAP", "armed_group", "claimed"),
              _claim("group", "seized 2 vehicles", 2, "captured", "vehicles", "ISWAP", "armed_group", "claimed")],
    "evil": [_claim("evil", "3 civilians were killed", 3, "killed", "civilians", PAYLOAD, "witnesses")],
    "pk": [_claim("pk", "7 officers were killed", 7, "killed", "police", "police", "police", "asserted")],
}


def event(event_id, day, country, iso, admin1, location, actor1, actor2, event_type, fatalities, story, docs,
          lat=12.0, lon=13.0) -> dict:
    row = {c: "" for c in EVENT_COLUMNS}
    row |= {"event_id_cnty": event_id, "event_date": day, "year": int(day[:4]) if day else "", "country": country,
            "iso": iso, "admin1": admin1, "location": location, "actor1": actor1, "actor2": actor2,
            "event_type": event_type, "sub_event_type": "Armed clash", "fatalities": fatalities,
            "latitude": lat, "longitude": lon, "geo_precision": 1, "time_precision": 1, "notes": f"At {location}.",
            "source": "=cmd|' /C calc'!A0" if event_id == "NGA2" else "Lake Chad Times"}
    return row | {"story_id": story, "doc_ids": docs, "claim_quotes": []}


EVENTS = [
    event("NGA1", "2026-03-14", "Nigeria", 566, "Borno", "Monguno", "ISWAP: Islamic State West Africa Province",
          "Military Forces of Nigeria", "Battles", 10, "story-ng", ["army", "group"]),
    event("NGA2", "2026-03-14", "Nigeria", 566, "Borno", "Dikwa", "ISWAP: Islamic State West Africa Province",
          "Civilians (Nigeria)", "Violence against civilians", 4, "story-ng", ["army"]),
    event("NGA3", "2026-03-15", "Nigeria", 566, "Borno", PAYLOAD, PAYLOAD, "Civilians (Nigeria)",
          "Violence against civilians", 3, "story-ng", ["evil"], lat=12.3, lon=13.8),
    event("NGA4", "", "Nigeria", 566, "Yobe", "Damaturu", "Unidentified Armed Group (Nigeria)", "",
          "Battles", None, "story-ng", ["army"], lat=None, lon=None),
    event("PAK1", "2026-05-09", "Pakistan", 586, "Khyber Pakhtunkhwa", "Bannu", "TTP: Tehreek-e-Taliban Pakistan",
          "Police Forces of Pakistan", "Battles", 7, "story-pk", ["pk"], lat=32.98, lon=70.6),
    event("PAK2", "2026-05-09", "Pakistan", 586, "Khyber Pakhtunkhwa", "Tank", "TTP: Tehreek-e-Taliban Pakistan",
          "Police Forces of Pakistan", "Battles", 2, "story-pk", ["pk"], lat=32.2, lon=70.4),
    event("PAK10", "2026-05-09", "Pakistan", 586, "Khyber Pakhtunkhwa", "Lakki Marwat",
          "Police Forces of Pakistan", "Civilians (Pakistan)", "Explosions/Remote violence", 0, "story-pk", ["pk"],
          lat=32.6, lon=70.9),
]


def story(story_id, title, start, end, doc_ids, events, figures=()) -> dict:
    return {"id": story_id, "title": title, "date_start": start, "date_end": end, "doc_ids": doc_ids, "copies": {},
            "aliases": [], "actors": [], "places": [], "figures": list(figures),
            "fatalities": sum(e["fatalities"] or 0 for e in events), "contradictions": [], "timeline": [],
            "event_ids": [e["event_id_cnty"] for e in events]}


FIG = {"predicate": "killed", "category": "military", "low": 10, "best": 10, "high": 40,
       "rationale": "Low 10 from the army; high 40 from ISWAP.",
       "by_claimant": [{"claimant": "army", "claimant_type": "military", "low": 10, "high": 10, "qualifier": "exact",
                        "text_value": "10", "location": None, "first_seen": "2026-03-15", "doc_ids": ["army"],
                        "quotes": ["10 soldiers were killed"]},
                       {"claimant": "ISWAP", "claimant_type": "armed_group", "low": 40, "high": 40,
                        "qualifier": "exact", "text_value": "40", "location": None, "first_seen": "2026-03-15",
                        "doc_ids": ["group"], "quotes": ["killed 40 soldiers"]}]}
STORIES = [
    story("story-ng", f"ISWAP attack in Monguno {PAYLOAD}", "2026-03-14", "2026-03-15", ["army", "group", "evil"],
          EVENTS[:4], [FIG]),
    story("story-pk", "TTP attacks in Khyber Pakhtunkhwa", "2026-05-09", "2026-05-09", ["pk"], EVENTS[4:]),
]


def build_hand_store(url: str) -> Store:
    """The hand-made store at *url* (which must be empty), open."""
    store = Store(url)
    store.add_documents(DOCS)
    for d in DOCS:
        store.save_extraction(d.doc_id, "claims", claims=CLAIMS[d.doc_id])
    store.save_fusion([dict(s) for s in STORIES], [dict(e) for e in EVENTS])
    return store


def copy_store(src_url: str, dst_url: str) -> str:
    """Copy every row of the store at *src_url* into the new, empty store at *dst_url* (either database):
    a store a test may change, made from a session's read-only one without running the pipeline again."""
    from sqlalchemy import delete, func, insert, select, text

    from sitrep.store import schema as t

    src, dst = Store(src_url), Store(dst_url)
    try:
        with src.engine.connect() as r, dst.engine.begin() as w:
            w.execute(delete(t.meta))
            for table in t.metadata.sorted_tables:
                rows = [dict(row._mapping) for row in r.execute(select(table))]
                for i in range(0, len(rows), 500):
                    w.execute(insert(table), rows[i:i + 500])
                if dst.engine.dialect.name == "postgresql" and "id" in table.c and table.c.id.autoincrement is True:
                    top = w.scalar(select(func.max(table.c.id))) or 0
                    w.execute(text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :n, false)"),
                              {"t": table.name, "n": top + 1})
    finally:
        src.close()
        dst.close()
    return dst_url


def build_sample(url: str, out: Path) -> tuple[str, Path]:
    """The bundled sample corpus through `sitrep run` into the store at *url*: (url, output folder)."""
    from sitrep.pipeline import run
    from sitrep.settings import Settings

    run([SAMPLE], out, Settings(progress=False, workers=1, db=url))
    return url, out

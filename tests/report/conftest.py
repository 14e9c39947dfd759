"""A small story built by hand: the military and an armed group disagree, one source is hostile."""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.records import Claim, Document

# What an attacker might put in an article, its title, outlet, link or a name sitrep extracts.
PAYLOAD = ('<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'
           '<a href="javascript:window.__pwned=1">click</a></script><script>window.__pwned=1</script>')

TEXTS = {
    "ispr": ("The military's media wing said 10 security personnel were killed in Quetta and Nushki, "
             "and that between 58 and 60 militants died in the clearance operation."),
    "bla": ("In a statement issued on Friday, January 31, the group said at least 84 personnel of the "
            "security forces were killed. It later said over 80 had died."),
    "evil": f"Residents said 3 civilians were killed near the market. {PAYLOAD} Visit javascript:alert(1) now.",
}


def _claim(doc, quote, text_value, predicate, category, low, high, qualifier, claimant, ctype, hedge="reported"):
    start = TEXTS[doc].index(quote)
    return Claim(doc_id=doc, quote=quote, char_start=start, char_end=start + len(quote), predicate=predicate,
                 category=category, low=low, high=high, qualifier=qualifier, text_value=text_value,
                 claimant=claimant, claimant_type=ctype, hedge=hedge, published="2026-01-31")


def _row(claimant, ctype, low, high, qualifier, text_value, doc, quote, first_seen="2026-01-31", location=None):
    return {"claimant": claimant, "claimant_type": ctype, "low": low, "high": high, "qualifier": qualifier,
            "text_value": text_value, "location": location, "first_seen": first_seen, "doc_ids": [doc],
            "quotes": [quote]}


@pytest.fixture
def payload() -> str:
    return PAYLOAD


@pytest.fixture
def hand():
    """stories, events, claims and documents as the pipeline hands them to the report."""
    evil_name = '<svg onload="window.__pwned=1">'
    claims = [
        _claim("ispr", "10 security personnel were killed", "10", "killed", "security_forces", 10, 10, "exact",
               "ISPR", "military", "confirmed"),
        _claim("ispr", "between 58 and 60 militants died", "between 58 and 60", "killed", "militants", 58, 60,
               "range", "ISPR", "military"),
        _claim("bla", "at least 84 personnel of the security forces were killed", "at least 84", "killed",
               "security_forces", 84, None, "at_least", "BLA", "armed_group", "claimed"),
        _claim("bla", "over 80 had died", "over 80", "killed", "security_forces", 80, None, "more_than",
               "BLA", "armed_group", "claimed"),
        _claim("evil", "3 civilians were killed", "3", "killed", "civilians", 3, 3, "exact", evil_name, "witnesses"),
    ]
    docs = {
        "ispr": Document("ispr", TEXTS["ispr"], "in/ispr.txt", published=dt.date(2026, 1, 31)),
        "bla": Document("bla", TEXTS["bla"], "in/bla.txt", published=dt.date(2026, 2, 1), source="Balochistan Wire"),
        "evil": Document("evil", TEXTS["evil"], "in/evil.jsonl:1", published=dt.date(2026, 2, 1), title=PAYLOAD,
                         source=PAYLOAD, url="javascript:window.__pwned=1", fmt="jsonl"),
    }
    story = {
        "id": "story-test", "title": "BLA attacks across 2 places in Balochistan, 31 January 2026",
        "date_start": "2026-01-31", "date_end": "2026-01-31", "doc_ids": ["ispr", "bla", "evil"], "copies": {},
        "aliases": ["Operation Herof"], "actors": [], "places": [], "fatalities": 13,
        "figures": [
            {"predicate": "killed", "category": "security_forces", "low": 10, "best": 10, "high": 84,
             "rationale": "Low 10 from ISPR; high 84 from BLA; best 10 is the figure of ispr.",
             "by_claimant": [
                 _row("ISPR", "military", 10, 10, "exact", "10", "ispr", "10 security personnel were killed"),
                 _row("BLA", "armed_group", 84, None, "at_least", "at least 84", "bla",
                      "at least 84 personnel of the security forces were killed", "2026-02-01")]},
            {"predicate": "killed", "category": "militants", "low": 58, "best": 58, "high": 60, "rationale": "",
             "by_claimant": [_row("ISPR", "military", 58, 60, "range", "between 58 and 60", "ispr",
                                  "between 58 and 60 militants died")]},
            {"predicate": "killed", "category": "civilians", "low": 3, "best": 3, "high": 3, "rationale": "",
             "by_claimant": [_row(evil_name, "witnesses", 3, 3, "exact", "3", "evil", "3 civilians were killed",
                                  location=PAYLOAD)]},
        ],
        "contradictions": [
            {"kind": "figures", "detail": "killed security forces: ISPR gives 10, BLA gives at least 84; "
                                          "the ranges do not overlap", "doc_ids": ["bla", "ispr"],
             "predicate": "killed", "category": "security_forces", "gap": 74,
             "claimants": [{"claimant": "ISPR", "claimant_type": "military", "outlet": None, "doc_id": None},
                           {"claimant": "BLA", "claimant_type": "armed_group", "outlet": None, "doc_id": None}]},
            {"kind": "weekday", "detail": "bla writes 'Friday, January 31', but that weekday does not match "
                                          "the date in 2026", "doc_ids": ["bla"], "wording": "Friday, January 31",
             "written": "Friday", "date": "2026-01-31", "weekday": "Saturday"},
            {"kind": "places", "detail": f"only some sources name {PAYLOAD} among the places attacked",
             "doc_ids": ["evil"]},
        ],
        "timeline": [
            {"at": "2026-01-31", "claimant": "ISPR", "claimant_type": "military", "predicate": "killed",
             "category": "security_forces", "low": 10, "high": 10, "qualifier": "exact", "doc_id": "ispr",
             "quote": "10 security personnel were killed", "location": None},
            {"at": "2026-02-01", "claimant": "BLA", "claimant_type": "armed_group", "predicate": "killed",
             "category": "security_forces", "low": 84, "high": None, "qualifier": "at_least", "doc_id": "bla",
             "quote": "at least 84 personnel of the security forces were killed", "location": None,
             "supersedes": {"low": 80, "high": None, "at": "2026-01-31", "doc_id": "bla"}},
        ],
        "event_ids": ["PAK1", "PAK2", "PAK3"],
    }
    base = {"event_date": "2026-01-31", "event_type": "Violence against civilians", "sub_event_type": "Attack",
            "actor1": "BLA: Baloch Liberation Army", "actor2": "Military Forces of Pakistan", "admin1": "Balochistan",
            "country": "Pakistan", "story_id": "story-test", "notes": "", "fatalities": 5}
    events = [
        base | {"event_id_cnty": "PAK1", "location": "Quetta", "latitude": 30.184, "longitude": 67.001,
                "doc_ids": ["ispr", "bla"], "claim_quotes": ["10 security personnel were killed"]},
        base | {"event_id_cnty": "PAK2", "location": PAYLOAD, "latitude": 29.552, "longitude": 66.023,
                "sub_event_type": "Suicide bomb", "doc_ids": ["evil"], "claim_quotes": ["3 civilians were killed"],
                "actor1": PAYLOAD},
        base | {"event_id_cnty": "PAK3", "location": "Somewhere", "latitude": None, "longitude": None,
                "doc_ids": ["ispr"], "claim_quotes": []},
    ]
    return {"stories": [story], "events": events, "claims": claims, "docs": docs}


VOICES = {
    "wire": ("The UN human rights office said at least 70 civilians were killed in the town. "
             "Reports said 90 civilians died."),
    "plain": ("Amnesty International documented 75 civilians killed, and the outlet counted 80 civilian bodies. "
              "Residents said 100 civilians were killed."),
}


@pytest.fixture
def voices():
    """One toll told by an international body, an NGO, residents and two unnamed voices, reconciled by sitrep."""
    from sitrep.fuse.reconcile import disagreements, figures

    def claim(doc, quote, value, claimant, ctype, qualifier="exact"):
        start = VOICES[doc].index(quote)
        text_value = quote.split(" civilian")[0]
        return Claim(doc_id=doc, quote=quote, char_start=start, char_end=start + len(quote), predicate="killed",
                     category="civilians", low=value, high=None if qualifier == "at_least" else value,
                     qualifier=qualifier, text_value=text_value, claimant=claimant, claimant_type=ctype,
                     hedge="reported", published="2024-10-04")

    claims = [claim("wire", "at least 70 civilians were killed", 70, "UN Human Rights Office", "international",
                    "at_least"),
              claim("wire", "90 civilians died", 90, "reports", "unattributed"),
              claim("plain", "75 civilians killed", 75, "Amnesty International", "ngo"),
              claim("plain", "80 civilian bodies", 80, "outlet", "unattributed"),
              claim("plain", "100 civilians were killed", 100, "residents", "witnesses")]
    docs = {"wire": Document("wire", VOICES["wire"], "in/wire.txt", published=dt.date(2024, 10, 4),
                             source="Daily Wire"),
            "plain": Document("plain", VOICES["plain"], "in/plain.txt", published=dt.date(2024, 10, 4))}
    figs, timeline = figures(claims, {d: doc.source for d, doc in docs.items()}.get,
                             {d: "2024-10-04" for d in docs}.get)
    story = {"id": "story-voices", "title": "Gang attack", "date_start": "2024-10-04", "date_end": "2024-10-04",
             "doc_ids": ["wire", "plain"], "aliases": [], "actors": [], "places": [], "figures": figs,
             "contradictions": disagreements(figs), "timeline": timeline, "event_ids": []}
    return {"stories": [story], "events": [], "claims": claims, "docs": docs}

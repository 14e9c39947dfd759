"""Stories: one story only when time, place and action agree, never because the same group is named.

The first tests build `DocInfo`s by hand with lead vectors of a chosen similarity (no model);
the last ones run the whole pipeline on a small corpus written for them: one raid told by two
outlets, the same group's attack on another town three days later, and an anniversary piece.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pytest

from sitrep.fuse.docs import DocInfo, Town, event_date
from sitrep.fuse.stories import cluster
from sitrep.records import Document

DAY = dt.date(2025, 11, 8)
# Two towns of northern Burkina Faso about 170 km apart, and a village 20 km from the first.
TOWNS = {"djibo": ("Djibo", 14.10, -1.63), "dori": ("Dori", 14.03, -0.03), "village": ("Village", 14.28, -1.63)}


def lead_vector(cos: float) -> np.ndarray:
    """A unit vector whose similarity to the reference lead [1, 0, 0] is *cos*."""
    return np.array([cos, math.sqrt(1 - cos * cos), 0.0], dtype=np.float32)


def town(key: str, violent: bool = True, mentions: int = 1, country: str = "BF", admin1: str | None = "Sahel"
         ) -> Town:
    name, lat, lon = TOWNS[key]
    admin1 = admin1 if key != "dori" else "Est"
    return Town(id=key, name=name, latitude=lat, longitude=lon, admin1=admin1, admin2=None, country=country,
                geonameid=None, surfaces={name}, violent=violent,
                sentences=[f"Gunmen attacked {name}."] * (mentions if violent else 0))


def doc(doc_id: str, day: dt.date | None = DAY, towns=(), cos: float = 1.0, lead: str = "Gunmen attacked a post",
        groups=("jnim",), country: str | None = "BF") -> DocInfo:
    return DocInfo(doc_id=doc_id, published=day, title=None, source=None, lead=lead, event_date=day,
                   date_precision=1, towns={t.id: t for t in towns}, country=country,
                   groups=[{"id": g, "name": g, "short": g, "inter": 2} for g in groups],
                   vector=lead_vector(cos))


def grouped(*docs: DocInfo) -> list[list[str]]:
    return sorted(sorted(d.doc_id for d in s.docs) for s in cluster(list(docs)))


def test_one_attack_told_differently_is_one_story():
    first = doc("wire", towns=[town("djibo")], lead="JNIM attacks army post in Djibo")
    other = doc("daily", day=DAY, towns=[town("djibo")], cos=0.3, groups=(), lead="Residents count their dead")
    assert grouped(first, other) == [["daily", "wire"]]


def test_a_shared_group_alone_does_not_make_one_story():
    djibo = doc("djibo", towns=[town("djibo")], lead="JNIM attacks army post in Djibo")
    dori = doc("dori", day=DAY + dt.timedelta(days=3), towns=[town("dori")], cos=0.8,
               lead="JNIM attacks gendarmerie post in Dori")
    assert grouped(djibo, dori) == [["djibo"], ["dori"]]


def test_a_town_recalled_further_down_is_not_the_articles_place():
    djibo = doc("djibo", towns=[town("djibo")], lead="JNIM attacks army post in Djibo")
    # "... in Dori on Tuesday. The attack comes three days after the group killed 12 soldiers in Djibo."
    dori = doc("dori", day=DAY + dt.timedelta(days=3), towns=[town("dori", mentions=2), town("djibo")], cos=0.8,
               lead="Gendarmes killed in attack on post in Dori")
    assert grouped(djibo, dori) == [["djibo"], ["dori"]]


def test_a_follow_up_naming_the_place_of_violence_joins():
    first = doc("wire", towns=[town("djibo")])
    follow = doc("follow", day=DAY + dt.timedelta(days=2), towns=[town("djibo", violent=False)], cos=0.4)
    assert grouped(first, follow) == [["follow", "wire"]]


def test_a_near_identical_lead_overrides_the_places_recognised():
    first = doc("wire", towns=[town("djibo")])
    copy = doc("copy", towns=[town("dori")], cos=0.95)
    assert grouped(first, copy) == [["copy", "wire"]]


def test_a_neighbouring_village_joins_that_day_but_not_days_later():
    first = doc("wire", towns=[town("djibo")])
    same_day = doc("nearby", towns=[town("village")], cos=0.5)
    assert grouped(first, same_day) == [["nearby", "wire"]]
    later = doc("later", day=DAY + dt.timedelta(days=3), towns=[town("village")], cos=0.5)
    assert grouped(first, later) == [["later"], ["wire"]]


def test_an_article_naming_no_town_is_judged_by_its_lead_in_its_country():
    first = doc("wire", towns=[town("djibo")])
    assert grouped(first, doc("vague", cos=0.6)) == [["vague", "wire"]]
    assert grouped(first, doc("unlike", cos=0.3)) == [["unlike"], ["wire"]]
    assert grouped(first, doc("abroad", cos=0.6, country="ML")) == [["abroad"], ["wire"]]


def test_the_same_town_and_group_a_year_apart_are_two_stories():
    first = doc("wire", towns=[town("djibo")])
    year = doc("year", day=DAY + dt.timedelta(days=365), towns=[town("djibo")], cos=0.95)
    assert grouped(first, year) == [["wire"], ["year"]]


def area(name: str, admin1: str | None = None, country: str = "BF") -> Town:
    """A region (or, without *admin1*, a country) where a document places its act, naming no town."""
    return Town(id=f"area:{name}", name=name, latitude=14.0, longitude=-1.0, admin1=admin1, admin2=None,
                country=country, geonameid=None, violent=True, precision=3 if admin1 else 4)


def test_a_report_placing_its_act_only_in_the_region_or_country_around_the_towns_joins():
    first = doc("wire", towns=[town("djibo", admin1="Sahel")])
    region = doc("region", cos=0.45)
    region.place = area("Sahel", admin1="Sahel")
    assert grouped(first, region) == [["region", "wire"]]
    country = doc("country", cos=0.6)
    country.place = area("Burkina Faso")
    assert grouped(first, country) == [["country", "wire"]]
    # the same act told in another region, or in the country by a lead too unlike, is another story
    elsewhere = doc("elsewhere", cos=0.85)
    elsewhere.place = area("Centre-Nord", admin1="Centre-Nord")
    assert grouped(first, elsewhere) == [["elsewhere"], ["wire"]]
    unlike = doc("unlike", cos=0.45)
    unlike.place = area("Burkina Faso")
    assert grouped(first, unlike) == [["unlike"], ["wire"]]


def test_a_country_level_report_first_still_takes_in_the_reports_from_its_towns():
    country = doc("country", cos=0.6)
    country.place = area("Burkina Faso")
    first = doc("wire", towns=[town("djibo")])
    assert grouped(country, first) == [["country", "wire"]]


def test_a_town_named_as_the_acts_place_without_violence_words_is_its_place():
    first = doc("wire", towns=[town("djibo")])
    short = doc("short", towns=[town("djibo", violent=False)], cos=0.3)
    short.place = town("djibo")
    assert grouped(first, short) == [["short", "wire"]]
    other = doc("other", towns=[town("dori", violent=False)], cos=0.3)
    other.place = town("dori")
    assert grouped(first, other) == [["other"], ["wire"]]


def test_a_report_months_later_about_the_same_days_act_joins_by_that_day():
    first = doc("wire", towns=[town("djibo")])
    inquiry = doc("inquiry", day=DAY + dt.timedelta(days=180), towns=[town("djibo")], cos=0.5)
    inquiry.event_date = DAY   # "the raid on 8 November 2025" read from its lead (see the event_date tests)
    assert grouped(first, inquiry) == [["inquiry", "wire"]]


def _date_row(text: str, surface: str, day: str) -> dict:
    start = text.index(surface)
    return {"kind": "date", "char_start": start, "char_end": start + len(surface), "label": day,
            "data": {"precision": 1, "surface": surface}}


def test_event_date_skips_an_earlier_incidents_date_and_prefers_the_articles_own_place():
    from sitrep.nlp.segment import split_sentences

    text = ("Gunmen stormed the army camp in Djibo on Saturday. The raid came days after an ambush near Kaya "
            "on 5 November. JNIM said on Sunday it had seized weapons.")
    d = Document(doc_id="d", text=text, origin="-", published=dt.date(2025, 11, 10))
    rows = [_date_row(text, "Saturday", "2025-11-08"), _date_row(text, "5 November", "2025-11-05"),
            _date_row(text, "Sunday", "2025-11-09")]
    sentences = split_sentences(text)
    earlier = lambda s: "came days after" in s  # noqa: E731
    assert event_date(d, rows)[0] == dt.date(2025, 11, 5)                       # without either rule
    assert event_date(d, rows, sentences, earlier)[0] == dt.date(2025, 11, 8)
    # the sentence telling violence at the article's own place outweighs a recollection with its date
    text = "Militants attacked a post in Dori on Tuesday. The group killed 12 soldiers in Djibo on 8 November."
    d = Document(doc_id="d", text=text, origin="-", published=dt.date(2025, 11, 12))
    rows = [_date_row(text, "Tuesday", "2025-11-11"), _date_row(text, "8 November", "2025-11-08")]
    sentences = split_sentences(text)
    assert event_date(d, rows, sentences)[0] == dt.date(2025, 11, 8)               # a tie: the earlier day
    main = {text[a:b] for a, b in sentences[:1]}
    assert event_date(d, rows, sentences, main=main)[0] == dt.date(2025, 11, 11)


def _rows(text: str, published: dt.date | None) -> tuple[Document, list[dict]]:
    """A document and its date rows, found by sitrep's own date reader as the pipeline stores them."""
    from sitrep.fuse.docs import date_rows
    from sitrep.nlp.dates import find_dates

    d = Document(doc_id="d", text=text, origin="-", published=published)
    rows = [{"kind": "date", "char_start": m.start, "char_end": m.end,
             "label": m.date.isoformat() if m.date else m.text,
             "data": {"precision": m.precision, "surface": m.text}} for m in find_dates(text, published)]
    return d, date_rows(d, rows)


def _day(text: str, published: dt.date | None) -> tuple[dt.date | None, int]:
    from sitrep.nlp.segment import split_sentences

    return event_date(*_rows(text, published), split_sentences(text))


@pytest.mark.parametrize("text, published, day", [
    # the act's date, not the interview's, the caption's or the statement's
    ("The minister spoke to reporters in the capital on July 9, 2025.\nEleven people were shot dead when "
     "police fired on marchers on Monday, he said.", "2025-07-10", ("2025-07-07", 1)),
    ("Speaking at a news conference on Sunday, the governor said 14 people died in last week's riots.", "2025-07-07",
     ("2025-07-02", 2)),
    ("Rights groups claimed Friday that troops killed 30 villagers during Wednesday's raid.", "2025-07-12",
     ("2025-07-09", 1)),
    # an older day, told with the act in the lead of a report months later
    ("An inquiry has called for charges.\nThe airstrike on 3 January 2025 on the market of Kabo killed 14 "
     "traders, the inquiry found.", "2025-06-30", ("2025-01-03", 1)),
    # ... but not in a report marking the anniversary, nor far down a report of a new act
    ("A year after the massacre in Kabo, families gathered on Sunday.\nOn 3 January 2025 gunmen killed 14 "
     "traders at the market.", "2026-01-05", ("2026-01-04", 1)),
    ("Gunmen killed five herders near Kabo, officials said.\nThe herders were buried on the hill.\n"
     "The whole village mourned them.\nThe army sent more troops to the area.\n"
     "Residents recalled how gunmen killed 14 traders there on 3 January 2025.", "2025-06-30", ("2025-06-30", 2)),
    # an undated text: "the March 2nd raid" takes its year from the text's own full date
    ("On March 4, 2025, residents buried their dead.\nThe March 2nd raid killed 12.", None, ("2025-03-02", 1)),
])
def test_event_date_is_the_day_the_act_is_told_with(text, published, day):
    got = _day(text, dt.date.fromisoformat(published) if published else None)
    assert (got[0].isoformat(), got[1]) == day


def test_incident_days_are_the_dates_written_with_the_incident():
    from sitrep.fuse.docs import incident_days
    from sitrep.nlp.segment import split_sentences

    text = ("Residents recall the horrific night that began on Friday, October 3, 2025, when gunmen arrived.\n"
            "Officials spoke on October 6, 2025 about the killings.\n"
            "Experts call the October 4th massacre the worst in years.\n"
            "Tuesday's funeral drew hundreds.")
    got = [(day.isoformat(), words) for day, words in incident_days(*_rows(text, None), split_sentences(text))]
    assert got == [("2025-10-04", "October 4th")]
    text = "The attack on Saturday, November 8 killed nine. Saturday's assault was the worst this year."
    assert [day.isoformat() for day, _ in incident_days(*_rows(text, dt.date(2025, 11, 9)), split_sentences(text))] == \
        ["2025-11-08", "2025-11-08"]


# ---- end to end ------------------------------------------------------------------------------------------

ARTICLES = [
    # one raid on the army post in Djibo, Saturday 8 November 2025, told by two outlets on later days
    {"id": "djibo-sahel-wire", "source": "Sahel Wire", "published": "2025-11-09",
     "title": "Jihadists kill 12 soldiers in raid on army post in Djibo",
     "text": "Fighters of the al-Qaeda-linked group JNIM attacked an army post in Djibo on Saturday, killing 12 "
             "soldiers, security sources said.\n\nThe assailants arrived on motorbikes at dawn and set fire to "
             "several vehicles before withdrawing towards the Malian border, one source said.\n\nThe army said "
             "reinforcements had secured the post by the afternoon."},
    {"id": "djibo-ouaga-daily", "source": "Ouaga Daily", "published": "2025-11-10",
     "title": "Residents of Djibo count their dead after Saturday's assault",
     "text": "Residents of Djibo in northern Burkina Faso said gunmen stormed the military camp on the edge of "
             "the town early on Saturday and fought soldiers for several hours.\n\nA local official told Ouaga "
             "Daily that at least 15 soldiers and two civilians died in the assault on Djibo. In a statement on "
             "Sunday, Jama'at Nusrat al-Islam wal-Muslimin (JNIM) claimed responsibility and said it had seized "
             "weapons.\n\nThe raid came days after an ambush near Kaya on 5 November that killed nine "
             "volunteers fighting alongside the army. The camp houses several hundred troops."},
    # the same group in another town three days later, recalling the raid on Djibo with its date
    {"id": "dori-sahel-wire", "source": "Sahel Wire", "published": "2025-11-12",
     "title": "Gendarmes killed in attack on post in Dori",
     "text": "Suspected JNIM militants attacked a gendarmerie post in Dori on Tuesday, killing seven gendarmes, "
             "a regional official said.\n\nThe gunmen opened fire on the post in Dori shortly after nightfall "
             "and burned two pickup trucks.\n\nThe attack comes three days after the group killed 12 soldiers "
             "in Djibo on 8 November. Djibo lies about 200 kilometres to the west."},
    # a rights group's findings four months later about the same raid, which dates it in its lead
    {"id": "djibo-inquiry", "source": "Sahel Wire", "published": "2026-03-02",
     "title": "Rights group faults army response to Djibo raid",
     "text": "A rights group has called for an inquiry into the army's response to the raid on its post in Djibo."
             "\n\nThe assault by JNIM fighters on 8 November 2025 killed 17 soldiers and two civilians, the group "
             "said, and reinforcements took six hours to arrive.\n\nThe army has not commented on the report."},
    # an anniversary piece a year later, which retells the raid
    {"id": "djibo-anniversary", "source": "Ouaga Daily", "published": "2026-11-09",
     "title": "A year after the massacre in Djibo, families still wait for answers",
     "text": "A year after the massacre in Djibo, the families of the soldiers who died are still waiting for "
             "the army to tell them how their sons were killed.\n\nOn 8 November 2025, JNIM fighters stormed "
             "the army post in Djibo, killing at least 12 soldiers. On Saturday, hundreds of people gathered in "
             "Djibo to mark the anniversary and lay wreaths at the gate of the camp.\n\n\"We have received "
             "nothing, not even a letter,\" said the mother of one soldier."},
]


@pytest.fixture(scope="module")
def stories(tmp_path_factory) -> dict[str, dict]:
    """The corpus above through `sitrep.pipeline.run`: each document id -> its story."""
    from sitrep.pipeline import run
    from sitrep.settings import Settings

    folder = tmp_path_factory.mktemp("stories-in")
    (folder / "burkina.jsonl").write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    out = tmp_path_factory.mktemp("stories-out")
    run([folder], out, Settings(progress=False))
    rows = json.loads((out / "stories.json").read_text(encoding="utf-8"))["stories"]
    return {d: s for s in rows for d in s["doc_ids"]}


@pytest.mark.slow
def test_pipeline_one_attack_from_two_outlets_is_one_story(stories):
    assert stories["djibo-sahel-wire"]["id"] == stories["djibo-ouaga-daily"]["id"]
    assert stories["djibo-sahel-wire"]["doc_ids"] == ["djibo-inquiry", "djibo-ouaga-daily", "djibo-sahel-wire"]


@pytest.mark.slow
def test_pipeline_a_report_months_later_dating_the_same_raid_joins_its_story(stories):
    story = stories["djibo-inquiry"]
    assert story["id"] == stories["djibo-sahel-wire"]["id"]
    assert story["date_start"] == "2025-11-08"
    rights = [r for f in story["figures"] if (f["predicate"], f["category"]) == ("killed", "military")
              for r in f["by_claimant"] if "djibo-inquiry" in r["doc_ids"]]
    assert [(r["low"], r["high"]) for r in rights] == [(17, 17)]


@pytest.mark.slow
def test_pipeline_same_group_in_another_town_three_days_later_is_another_story(stories):
    assert stories["dori-sahel-wire"]["id"] != stories["djibo-sahel-wire"]["id"]
    assert stories["dori-sahel-wire"]["doc_ids"] == ["dori-sahel-wire"]


@pytest.mark.slow
def test_pipeline_anniversary_piece_stays_out_of_the_original_story(stories):
    assert "djibo-anniversary" not in stories["djibo-sahel-wire"]["doc_ids"]
    assert stories["djibo-anniversary"]["doc_ids"] == ["djibo-anniversary"]


@pytest.mark.slow
def test_pipeline_date_start_is_the_day_of_the_incident(stories):
    # published on the 9th and 10th; the 5 November ambush and the recollection in the Dori piece don't count
    assert stories["djibo-sahel-wire"]["date_start"] == "2025-11-08"
    assert stories["dori-sahel-wire"]["date_start"] == "2025-11-11"

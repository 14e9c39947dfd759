"""sitrep's own wording for the report: labels, figures, claimants, dates.

Everything a reader sees in a summary is built here from the structured
records, never copied from an article; article words reach the page only as
quotes, names and the source texts themselves.
"""

from __future__ import annotations

import datetime as dt
import re

PREDICATE_ORDER = ["killed", "killed_or_injured", "injured", "captured", "rescued", "escaped",
                   "attacked_places", "burned_vehicles", "damaged_property"]
CATEGORY_ORDER = ["people", "civilians", "officials", "security_forces", "military", "police", "paramilitary",
                  "ctd", "intelligence", "militants", "prisoners", "places", "vehicles", "property"]
# Figures a summary leads with: the human toll. The rest stays in the figures table.
SUMMARY_PREDICATES = {"killed", "killed_or_injured", "injured", "captured"}

CATEGORY = {"people": "people", "security_forces": "security forces", "military": "military personnel",
            "police": "police", "paramilitary": "paramilitary forces", "ctd": "counter-terrorism (CTD) personnel",
            "intelligence": "intelligence personnel", "militants": "militants", "civilians": "civilians",
            "officials": "officials", "prisoners": "prisoners"}
PREDICATE = {"killed": "killed", "injured": "injured", "killed_or_injured": "killed or injured",
             "captured": "captured", "escaped": "escaped", "rescued": "rescued"}
WHOLE = {"attacked_places": "Places attacked", "damaged_property": "Properties damaged or seized",
         "burned_vehicles": "Vehicles burned"}
CLAIMANT_TYPE = {"armed_group": "armed group", "military": "military", "government": "government",
                 "police": "police", "international": "international", "ngo": "NGO", "media": "media",
                 "witnesses": "witnesses", "unattributed": "unattributed"}
# ACLED sub-event types as a reader would say them in a list ("suicide bombings in X and Y").
EVENT_KINDS = {"Armed clash": "armed clashes", "Suicide bomb": "suicide bombings", "Attack": "attacks",
               "Abduction/forced disappearance": "abductions", "Air/drone strike": "air or drone strikes",
               "Remote explosive/landmine/IED": "bombings (IED)", "Grenade": "grenade attacks",
               "Shelling/artillery/missile attack": "shelling",
               "Non-state actor overtakes territory": "seizure of territory",
               "Government regains territory": "territory retaken by the government",
               "Looting/property destruction": "looting or destruction of property",
               "Sexual violence": "sexual violence", "Violent demonstration": "violent demonstrations",
               "Mob violence": "mob violence", "Arrests": "arrests"}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
_WEEKDAY_DATE = re.compile(
    r"(?P<wd>%s)\W+(?:(?P<m1>%s)\s+(?P<d1>\d{1,2})|(?P<d2>\d{1,2})\s+(?P<m2>%s))(?:\W+(?P<y>\d{4}))?"
    % ("|".join(WEEKDAYS), "|".join(MONTHS), "|".join(MONTHS)), re.I)
_GENERIC = {"military", "army", "military officials", "officials", "government", "police", "residents",
            "witnesses", "elders", "health officials", "hospital officials", "security officials", "sources",
            "reports", "outlet"}
# Bodies named with a common noun take "the" (the UN Human Rights Office, the International Committee of the
# Red Cross); names such as Amnesty International, Human Rights Watch or UNICEF do not.
_INSTITUTION = re.compile(r"\b(?:Agency|Association|Authority|Center|Centre|Coalition|Commission|Committee|Council|"
                          r"Court|Crescent|Cross|Federation|Forum|Fund|Group|Institute|League|Mission|Nations|"
                          r"Network|Observatory|Office|Organi[sz]ation|Programme|Program|Project|Society|Union)\b")
_INDEPENDENT_BODIES = {"international", "ngo"}


def figure_label(predicate: str, category: str) -> str:
    """'Security forces killed', 'Places attacked'."""
    if predicate in WHOLE:
        return WHOLE[predicate]
    text = f"{CATEGORY.get(category, category.replace('_', ' '))} {PREDICATE.get(predicate, predicate)}"
    return text[:1].upper() + text[1:]


def figure_order(predicate: str, category: str) -> tuple:
    p = PREDICATE_ORDER.index(predicate) if predicate in PREDICATE_ORDER else len(PREDICATE_ORDER)
    c = CATEGORY_ORDER.index(category) if category in CATEGORY_ORDER else len(CATEGORY_ORDER)
    return p, c, predicate, category


def value(low: int | None, high: int | None, qualifier: str, text_value: str = "") -> str:
    """A figure as sitrep states it: '10', 'at least 84', '58–60', 'up to 15', 'dozens'."""
    if qualifier == "range" and low is not None and high is not None and low != high:
        return f"{low}–{high}"
    if qualifier == "approximately" and low is not None:
        return f"about {low}"
    if qualifier == "at_least" and low is not None:
        return f"at least {low}"
    if qualifier == "more_than" and low is not None:
        return f"more than {low}"
    if qualifier == "up_to" and high is not None:
        return f"up to {high}"
    if low is not None and (high is None or high == low):
        return str(low)
    if high is not None:
        return str(high) if low is None else f"{low}–{high}"
    return (text_value or "an unstated number").strip("\"'“”() ").lower() or "an unstated number"


def interval(low: int | None, high: int | None, qualifier: str) -> tuple[float, float] | None:
    """The numbers a figure allows, for overlap tests; None for vague words."""
    if low is None and high is None:
        return None
    lo = float(low) if low is not None else 0.0
    if high is not None:
        return lo, float(high)
    return (lo, float("inf")) if qualifier in ("at_least", "more_than") else (lo, lo)


def claimant_type(code: str) -> str:
    """A claimant type (SPEC §3) as the figures table shows it: 'armed group', 'NGO'."""
    return CLAIMANT_TYPE.get(code, (code or "").replace("_", " "))


def who(name: str, claimant_type: str) -> str:
    """The claimant as a summary names it: 'the military (ISPR)', 'the BLA', 'residents', 'the UN'."""
    word = name or "unnamed source"
    generic = word.lower() in _GENERIC
    if claimant_type == "military" and not generic:
        return f"the military ({word})"
    if claimant_type == "armed_group" and word.isupper():  # acronyms read as "the BLA", names as "al-Shabaab"
        return f"the {word}"
    if claimant_type == "unattributed" and word.lower() == "outlet":
        return "the outlet"
    if generic and word.lower() in {"military", "army", "government"}:
        return f"the {word.lower()}"
    if claimant_type in _INDEPENDENT_BODIES and not word.lower().startswith("the ") and (
            word == "UN" or _INSTITUTION.search(word)):
        return f"the {word}"
    return word


def says(claimant_type: str, category: str) -> str:
    """Verb for a claimant's figure: parties to the fighting 'claim' their opponents' losses."""
    if claimant_type == "armed_group":
        return "says" if category in ("militants",) else "claims"
    return "says"


def day(iso: str | None) -> str:
    """'2026-01-31' -> '31 January 2026'; anything unparsable is returned as is."""
    d = _date(iso)
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}" if d else (iso or "")


def span(start: str | None, end: str | None) -> str:
    """'On 31 January 2026', 'From 14 to 15 March 2026', 'From 30 January to 2 February 2026'."""
    a, b = _date(start), _date(end)
    if not a:
        return "On an unknown date"
    if not b or a == b:
        return f"On {day(start)}"
    if (a.year, a.month) == (b.year, b.month):
        return f"From {a.day} to {day(end)}"
    if a.year == b.year:
        return f"From {a.day} {MONTHS[a.month - 1]} to {day(end)}"
    return f"From {day(start)} to {day(end)}"


def weekday_mismatch(written: str, year: int | None) -> tuple[str, str, str] | None:
    """For "Friday, January 31" and 2026: ('Friday', '31 January 2026', 'Saturday')."""
    m = _WEEKDAY_DATE.search(written or "")
    if not m:
        return None
    month = (m.group("m1") or m.group("m2")).capitalize()
    d, y = int(m.group("d1") or m.group("d2")), int(m.group("y") or year or 0)
    try:
        real = dt.date(y, MONTHS.index(month) + 1, d)
    except ValueError:
        return None
    return m.group("wd").capitalize(), f"{d} {month} {y}", WEEKDAYS[real.weekday()]


def listing(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    items = [i for i in items if i]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def event_kind(sub_event_type: str) -> str:
    return EVENT_KINDS.get(sub_event_type, (sub_event_type or "events").lower())


def _date(iso) -> dt.date | None:
    if isinstance(iso, dt.date):
        return iso
    try:
        return dt.date.fromisoformat(str(iso)[:10])
    except (TypeError, ValueError):
        return None

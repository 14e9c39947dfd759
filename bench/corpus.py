"""Generate a synthetic news corpus of any size, for benchmarks and kill tests.

Articles are assembled from templates with varied places, actors, numbers and
claimants, so they look like wire copy to every stage but are all distinct.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

PLACES = [("Bannu", "Khyber Pakhtunkhwa"), ("Tank", "Khyber Pakhtunkhwa"), ("Lakki Marwat", "Khyber Pakhtunkhwa"),
          ("Monguno", "Borno"), ("Dikwa", "Borno"), ("Maiduguri", "Borno"), ("Jowhar", "Middle Shabelle"),
          ("Afgooye", "Lower Shabelle"), ("Beledweyne", "Hiiraan"), ("Gao", "Gao"), ("Menaka", "Menaka"),
          ("Beni", "North Kivu"), ("Butembo", "North Kivu"), ("Turbat", "Balochistan"), ("Kharan", "Balochistan")]
GROUPS = ["the TTP", "ISWAP", "al-Shabaab", "JNIM", "the ADF", "the BLA", "an armed group", "Boko Haram"]
FORCES = ["soldiers", "police officers", "paramilitary troops", "members of the security forces"]
CLAIMANTS = ["the army said", "police said", "a hospital official said", "residents said",
             "the group said in a statement", "the interior ministry said", "local officials said"]
CONTEXT = [
    "The attack was the latest in a series of assaults on security installations in {region}.",
    "Officials in {place} said reinforcements had been sent and roads into the town were closed.",
    "{group} has been active in the area for years and often targets checkpoints at night.",
    "Residents described hours of gunfire and said many families had left their homes.",
    "The provincial government condemned the violence and promised to rebuild the damaged buildings.",
    "Analysts said the group appeared to be testing the response of local forces.",
    "Mobile phone services in the district were suspended for most of the day.",
    "Local traders said markets in {place} stayed shut as people waited for news.",
    "Human rights groups called for an independent inquiry into the events.",
    "The area has seen a sharp rise in violence since the start of the year.",
]
# Real reports run longer than the figures: background, reactions, quotes, the region's history.
# These widen a realistic article to news length (median about 450 words, about 30% of sentences
# with a digit, as measured on ../shared's real articles and the 600-article sample).
MORE = [
    "Witnesses said the gunmen arrived on motorcycles shortly after dawn and fired into the air before moving on the post.",
    "A spokesman for the regional administration said the situation was under control but urged residents to stay indoors.",
    "The road linking {place} to the provincial capital was closed to traffic while troops searched nearby villages.",
    "Aid agencies said they were trying to reach families who had fled toward the hills during the fighting.",
    "Local elders called on both sides to respect a ceasefire brokered by religious leaders earlier in the year.",
    "The hospital in {place} said it had run short of blood and appealed for donors to come forward.",
    "Security analysts said the attackers appeared well organised and familiar with the layout of the compound.",
    "Shops reopened in the afternoon, although many residents said they were afraid to send their children to school.",
    "Opposition politicians criticised the government for failing to protect people living along the frontier.",
    "The army said it had launched a clearance operation and that the area would remain under curfew overnight.",
    "Residents said mobile networks went down during the attack, making it hard to reach relatives in the town.",
    "A teacher who lives near the post said the shooting lasted for much of the morning and then stopped suddenly.",
    "The attack followed weeks of rising tension after the arrest of several local leaders accused of links to {group}.",
    "Officials promised compensation for families whose homes and vehicles were destroyed in the violence.",
    "The United Nations office in the country said it was alarmed by the violence and called for restraint.",
]
MORE_NUMBERS = [
    "In {year}, a similar raid on the same post left the building in ruins for months.",
    "The district has about {pop},000 residents, most of whom depend on farming and cross-border trade.",
    "More than {pct} percent of the schools in {region} have closed at least once this year because of insecurity.",
    "The post lies about {km} kilometres from {place}, on a road that was rebuilt in {year}.",
    "At least {n2} families were registered at a temporary camp by nightfall, a relief official said.",
    "The government deployed {n2} extra officers to the region in {year} after a wave of kidnappings.",
]
QUALS = ["at least {n}", "{n}", "more than {n}", "up to {n}", "about {n}", "between {n} and {m}"]


def article(i: int, rng: random.Random) -> tuple[str, str]:
    place, region = rng.choice(PLACES)
    group = rng.choice(GROUPS)
    day = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(300))
    n = rng.randrange(2, 60)
    q = rng.choice(QUALS).format(n=n, m=n + rng.randrange(1, 9))
    lines = [
        f"Fighters from {group} attacked a security post in {place}, {region}, on {day:%A}, "
        f"killing {q} {rng.choice(FORCES)}, {rng.choice(CLAIMANTS)}.",
        f"Report {i}: {rng.choice(CLAIMANTS).capitalize()} that {rng.randrange(1, 30)} people were wounded "
        f"and {rng.randrange(1, 12)} vehicles were set on fire near the {rng.choice(['market', 'checkpoint', 'bridge', 'camp'])}.",
        f"{group[0].upper() + group[1:]} claimed that {rng.randrange(20, 120)} {rng.choice(FORCES)} had been killed, "
        f"a figure that could not be independently verified.",
        f"Officials said {rng.randrange(3, 40)} attackers were killed in the exchange of fire that lasted "
        f"{rng.randrange(2, 9)} hours, and that {rng.randrange(2, 15)} suspects had been detained.",
        f"The attack came {rng.randrange(2, 11)} weeks after a similar assault on {rng.choice(PLACES)[0]} "
        f"in which {rng.randrange(5, 50)} people died.",
    ]
    rng.shuffle(lines[1:])
    # Real reports carry context without figures: background, reactions, the region's history.
    context = rng.sample(CONTEXT, k=rng.randrange(3, 7))
    lines += [c.format(place=place, region=region, group=group) for c in context]
    return day.isoformat(), "\n\n".join(lines)


def realistic_article(i: int, rng: random.Random) -> tuple[str, str]:
    """An article of news length: `article`'s figures, then background until it reaches a length drawn
    around 450 words, with about three in ten sentences carrying a digit."""
    day, text = article(i, rng)
    place = next(p for p, _ in PLACES if p in text.split("\n\n", 1)[0])
    region = dict(PLACES)[place]
    group = rng.choice(GROUPS)
    target = int(rng.lognormvariate(6.1, 0.3))          # median about 450 words
    paras = text.split("\n\n")
    more, numbers = rng.sample(MORE, len(MORE)), rng.sample(MORE_NUMBERS, len(MORE_NUMBERS))
    words = len(text.split())
    while words < target and (more or numbers):
        digits = sum(any(c.isdigit() for c in p) for p in paras) / len(paras)
        pool = numbers if (digits < 0.3 and numbers) or not more else more
        line = pool.pop().format(place=place, region=region, group=group, year=rng.randrange(2008, 2025),
                                 pop=rng.randrange(40, 900), pct=rng.randrange(10, 60), km=rng.randrange(5, 90),
                                 n2=rng.randrange(20, 400))
        paras.insert(rng.randrange(2, len(paras) + 1), line)
        words += len(line.split())
    return day, "\n\n".join(paras)


def write_corpus(folder: Path, n: int, seed: int = 7, realistic: bool = False) -> Path:
    """Write *n* articles as .txt files with date markers into *folder* (*realistic*: of news length)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    make = realistic_article if realistic else article
    for i in range(n):
        day, text = make(i, rng)
        (folder / f"gen_{i:06d}.txt").write_text(f"date {day} {text}\n", encoding="utf-8")
    return folder


if __name__ == "__main__":
    import sys

    write_corpus(Path(sys.argv[1]), int(sys.argv[2]))

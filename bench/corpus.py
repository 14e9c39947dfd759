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


def write_corpus(folder: Path, n: int, seed: int = 7) -> Path:
    """Write *n* articles as .txt files with date markers into *folder*."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        day, text = article(i, rng)
        (folder / f"gen_{i:06d}.txt").write_text(f"date {day} {text}\n", encoding="utf-8")
    return folder


if __name__ == "__main__":
    import sys

    write_corpus(Path(sys.argv[1]), int(sys.argv[2]))

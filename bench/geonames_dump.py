"""Write a synthetic GeoNames geoname-table file (allCountries format) of any size, for `make bench`.

Rows look like the real dump's: names built from syllables, several alternate names per row (some in
Cyrillic and Arabic), 200 countries with admin1/admin2/admin3 codes, populated places (a few sections
of towns among them), admin areas, sites (camps, airports), and streams and hotels that the import
skips. Nothing here comes from GeoNames itself.

    python bench/geonames_dump.py OUT.txt ROWS
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

SYLLABLES = "ka ba lo mi ra tu zo an el gar dun sa wa ni ko be ri ma ta ya".split()
CYRILLIC = str.maketrans("abdegiklmnorstuwyz", "абдегиклмнорстувыз")
ARABIC = str.maketrans("abdegiklmnorstuwyz", "ابدجغيكلمنورستوويز")
FEATURES = ([("P", "PPL")] * 60 + [("P", "PPLX")] * 4 + [("P", "PPLA3")] * 2 + [("A", "ADM2")] * 2
            + [("A", "ADM3")] * 4 + [("S", "CMPRF"), ("S", "AIRP"), ("S", "MKT")] + [("H", "STM")] * 12
            + [("S", "HTL")] * 6 + [("T", "HLL")] * 4 + [("L", "AREA")] * 2)


def name(rng: random.Random) -> str:
    words = [("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))).capitalize()
             for _ in range(rng.choice((1, 1, 1, 2)))]
    return " ".join(words)


def write(path: Path, rows: int, seed: int = 11) -> Path:
    rng = random.Random(seed)
    countries = [chr(65 + i // 26) + chr(65 + i % 26) for i in range(0, 200 * 3, 3)]
    with open(path, "w", encoding="utf-8") as f:
        for gid in range(1, rows + 1):
            fclass, fcode = rng.choice(FEATURES)
            cc = rng.choice(countries)
            n = name(rng)
            alternates = [name(rng) for _ in range(rng.randint(0, 3))]
            if rng.random() < 0.3:
                alternates.append(n.lower().translate(CYRILLIC))
            if rng.random() < 0.2:
                alternates.append(n.lower().translate(ARABIC))
            lat, lon = round(rng.uniform(-50, 60), 5), round(rng.uniform(-170, 170), 5)
            a1, a2, a3 = f"{rng.randint(1, 30):02d}", str(rng.randint(1, 40)), str(rng.randint(1, 20))
            pop = rng.choice((0, 0, 0, rng.randint(100, 50_000)))
            f.write("\t".join([str(gid), n, n, ",".join(alternates), str(lat), str(lon), fclass, fcode, cc, "",
                               a1, a2, a3, "", str(pop), "", "100", "Etc/UTC", "2024-01-01"]) + "\n")
    return path


if __name__ == "__main__":
    write(Path(sys.argv[1]), int(sys.argv[2]))

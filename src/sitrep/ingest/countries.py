"""Country hints of feed articles (SPEC §1): a name or ISO code to an ISO 3166 alpha-2 code.

Feeds spell countries many ways: "NG", "NGA", "Nigeria", "Côte d'Ivoire",
"Iran (Islamic Republic of)", "Congo, The Democratic Republic of the",
"Russia". `country_code` accepts them all without guessing: pycountry's exact
lookup first, then the same names with case, accents, apostrophes, "the",
inverted ("X, Y of") and bracketed ("X (Y of)") forms normalised, then a short
list of everyday names pycountry does not carry. Nothing is fuzzy-matched: a
value that names no country gives None, and the article is read without a hint.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Everyday names (as ACLED, ReliefWeb and the press write them) that pycountry lacks.
ALIASES = {
    "russia": "RU", "turkey": "TR", "ivory coast": "CI",
    "dr congo": "CD", "drc": "CD", "d r congo": "CD", "congo kinshasa": "CD", "congo brazzaville": "CG",
    "palestine": "PS", "occupied palestinian territory": "PS", "opt": "PS",
    "kosovo": "XK", "xk": "XK", "xkx": "XK",  # not in ISO 3166, but geonames and ACLED use XK
    "uk": "GB", "great britain": "GB", "britain": "GB",
    "burma": "MM", "swaziland": "SZ", "cape verde": "CV", "macedonia": "MK", "east timor": "TL",
    "brunei": "BN", "vatican": "VA", "vatican city": "VA", "micronesia": "FM", "bosnia": "BA",
    "sao tome": "ST", "uae": "AE", "car": "CF",
}


def country_code(value) -> str | None:
    """The alpha-2 code *value* names ("Mali", "ML", "MLI", "mali" -> "ML"), or None.

    Anything but a non-blank string (a number, a list, null) is no hint: None.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    return _code(value.strip())


@lru_cache(maxsize=1024)
def _code(value: str) -> str | None:
    import pycountry

    try:
        return pycountry.countries.lookup(value).alpha_2
    except LookupError:
        pass
    names = _names()
    for key in _keys(value):
        if key in names:
            return names[key]
    return None


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Normalised name -> alpha-2, for every pycountry name, official and common name, plus ALIASES."""
    import pycountry

    names: dict[str, str] = {}
    for c in pycountry.countries:
        for name in (c.name, getattr(c, "official_name", None), getattr(c, "common_name", None)):
            for key in _keys(name or ""):
                names.setdefault(key, c.alpha_2)
    for name, code in ALIASES.items():
        names.setdefault(_key(name), code)
    return names


def _keys(name: str) -> list[str]:
    """*name* normalised, plus its uninverted ("Korea, Republic of") and unbracketed forms."""
    forms = [name]
    m = re.fullmatch(r"\s*(.+?)\s*\((.+)\)\s*", name)
    if m:  # "Iran (Islamic Republic of)", "Holy See (Vatican City State)"
        forms += [m[1], f"{m[2]} {m[1]}", m[2]]
    for form in list(forms):
        head, sep, tail = form.partition(",")
        if sep:  # "Congo, The Democratic Republic of the"
            forms.append(f"{tail} {head}")
    return [k for k in dict.fromkeys(_key(f) for f in forms) if k]


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("&", " and ").replace("saint ", "st ")
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(w for w in words if w != "the")

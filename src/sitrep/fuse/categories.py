"""The SPEC §3 category hierarchy: people ⊃ security forces ⊃ military, police, …"""

from __future__ import annotations

PARENT = {
    "military": "security_forces", "police": "security_forces", "paramilitary": "security_forces",
    "ctd": "security_forces", "intelligence": "security_forces", "security_forces": "people",
    "militants": "people", "civilians": "people", "officials": "civilians", "prisoners": "people",
}


def ancestors(category: str) -> list[str]:
    """Categories that contain *category*, nearest first: military -> [security_forces, people]."""
    out = []
    while category in PARENT:
        category = PARENT[category]
        out.append(category)
    return out


def related(a: str, b: str) -> bool:
    """True when one category contains the other (or they are equal)."""
    return a == b or a in ancestors(b) or b in ancestors(a)


def narrower(a: str, b: str) -> str:
    """The more specific of two related categories."""
    return a if b in ancestors(a) else b

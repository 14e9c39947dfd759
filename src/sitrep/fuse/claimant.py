"""Who states a figure: the claimant as a record, from reconciliation to the report.

A named claimant (ISPR, the UN Human Rights Office, residents) is one voice
however many outlets relay it. An unattributed figure ("reports", "sources",
the outlet itself) is the voice of the outlet that prints it, or, when the
document names no outlet, of the document itself; so the unnamed voices of
two outlets keep two rows.

Rows of stories.json (`figures[].by_claimant[]`) carry the record flat, beside
the name shown to users: `claimant`, `claimant_type`, `outlet`, `doc_id`.
Timeline entries carry `claimant`, `claimant_type` and `outlet`; their
`doc_id` is the claim's document, which `Claimant.from_row` keeps only when the
document itself is the speaker.

>>> Claimant.of("reports", "unattributed", outlet="Daily Sabah", doc_id="bu-03")
Claimant(name='reports', type='unattributed', outlet='Daily Sabah', doc_id=None)
>>> Claimant.of("ISPR", "military", outlet="Dawn", doc_id="pk-01").label
'ISPR'
"""

from __future__ import annotations

from dataclasses import dataclass

UNATTRIBUTED = "unattributed"


@dataclass(frozen=True)
class Claimant:
    """One voice: its name and type (SPEC §3), and for an unnamed voice the outlet or document that speaks."""

    name: str
    type: str
    outlet: str | None = None   # the outlet whose unattributed voice this is
    doc_id: str | None = None   # the document whose unattributed voice this is, when it names no outlet

    @classmethod
    def of(cls, name: str, claimant_type: str, outlet: str | None = None, doc_id: str | None = None) -> Claimant:
        """The voice behind a claim made in document *doc_id*, which *outlet* (None if unknown) publishes."""
        if claimant_type != UNATTRIBUTED:
            return cls(name, claimant_type)
        return cls(name, claimant_type, outlet, None) if outlet else cls(name, claimant_type, None, doc_id)

    @classmethod
    def from_row(cls, row: dict) -> Claimant:
        """The claimant of a `by_claimant` row, timeline entry or contradiction of stories.json."""
        return cls.of(row.get("claimant") or "", row.get("claimant_type") or "", row.get("outlet"),
                      row.get("doc_id"))

    def fields(self) -> dict:
        """The keys a `by_claimant` row or contradiction carries."""
        return {"claimant": self.name, "claimant_type": self.type, "outlet": self.outlet, "doc_id": self.doc_id}

    @property
    def unnamed(self) -> bool:
        return self.type == UNATTRIBUTED

    @property
    def label(self) -> str:
        """The voice in sitrep's own sentences (rationales, notes): 'ISPR', 'reports (Daily Sabah)'."""
        where = self.outlet or self.doc_id
        return f"{self.name} ({where})" if self.unnamed and where else self.name

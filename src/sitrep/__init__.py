"""sitrep: conflicting news reports about political violence in, a sourced situation report out."""

__version__ = "0.1.0"

"""sitrep: conflicting news reports about political violence in, a sourced situation report out."""

__version__ = "0.1.0"

__all__ = ["__version__", "open"]


def __getattr__(name):
    # sitrep.open loads the store and the desk only when asked: `import sitrep` stays light.
    if name == "open":
        from .desk.notebook import open_desk

        return open_desk
    raise AttributeError(f"module 'sitrep' has no attribute {name!r}")

"""Every error sitrep raises on purpose, in one place.

Each message names the cause and, where one exists, the fix. The CLI and the
web app turn these into user-facing errors at their edges; library code just
raises them.
"""

from __future__ import annotations


class SitrepError(Exception):
    """Base class: `code` is stable and can be searched for in the docs."""

    code = "E000"

    def __str__(self) -> str:  # "[E101] message"
        return f"[{self.code}] {super().__str__()}"


class InputError(SitrepError):
    """An input path or article that cannot be read at all (not quarantinable)."""

    code = "E101"

    def __init__(self, path: str, message: str, line: int | None = None):
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {message}")
        self.path = str(path)
        self.line = line


class ConfigError(SitrepError):
    """A settings file or flag with a bad value."""

    code = "E201"


class StoreError(SitrepError):
    """The store cannot be opened or has an incompatible schema."""

    code = "E301"


class DataFileError(SitrepError):
    """A vocabulary file under sitrep/data (or a user's copy) is malformed."""

    code = "E401"

    def __init__(self, path: str, message: str, line: int | None = None):
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {message}. Fix the file or restore the packaged copy.")
        self.path = str(path)
        self.line = line


class StrictModeError(SitrepError):
    """`--strict` was given and some inputs went to quarantine."""

    code = "E102"


class NoInputError(SitrepError):
    """The input paths exist but hold no article file: nothing to read, nothing is written."""

    code = "E103"

    def __init__(self, paths):
        where = ", ".join(str(p) for p in paths)
        super().__init__(f"no articles found in {where} (hidden files and folders are skipped); "
                         "nothing was read or written")
        self.paths = [str(p) for p in paths]


class OutputError(SitrepError):
    """The output folder cannot be created or written to."""

    code = "E501"

    def __init__(self, path, reason: str):
        super().__init__(f"cannot write to {path}: {reason}. Choose another --out or fix its permissions.")
        self.path = str(path)


class BusyError(SitrepError):
    """Another `sitrep run` is writing to the same output folder."""

    code = "E502"


class QueryError(SitrepError):
    """A filter or page asked of the store with a bad value: a date that is no date, a negative limit."""

    code = "E601"

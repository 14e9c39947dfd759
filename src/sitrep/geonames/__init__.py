"""Full GeoNames gazetteers imported from the dump files: `sitrep gazetteer import` and its reader.

See `importer` (the import), `db` (the SQLite file and its queries) and `formats` (the dump files).
"""

from .db import Entry, GeoNamesDB, default_path
from .importer import FileReport, ImportReport, import_files

__all__ = ["Entry", "FileReport", "GeoNamesDB", "ImportReport", "default_path", "import_files"]

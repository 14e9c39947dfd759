"""One frozen settings object, built once from defaults, a TOML file and flags.

Stages receive the settings they need as arguments; nothing re-reads the
config file deep inside.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError


@dataclass(frozen=True)
class Settings:
    """Everything a run can be told. Field names match the CLI flags."""

    db: str | None = None          # SQLAlchemy URL; default: sqlite file in the output folder
    strict: bool = False           # exit non-zero when anything is quarantined
    batch_size: int = 200          # documents per store transaction
    dedup_threshold: float = 0.7   # estimated Jaccard above which two texts are one article
    dedup_num_perm: int = 128      # MinHash permutations
    dedup_shingle: int = 4         # words per shingle
    progress: bool = True          # show a progress bar
    engine: str = "local"          # how per-document work runs: local (processes on this machine) or ray
    ray_address: str | None = None  # engine ray: the cluster to join (auto, ray://head:10001); None: $RAY_ADDRESS,
                                    # else a Ray started on this machine with `workers` CPUs
    workers: int = 2               # worker processes (Ray: actors) for recognition and claims
    parallel_from: int = 40        # below this many documents, one process is faster than starting workers
    report_stories: int = 25       # stories shown in report.html (most-reported first); all go to stories.json
    max_document_bytes: int = 2 * 1024 * 1024  # a larger article (file, JSONL line, feed entry) is quarantined unread
    max_file_bytes: int = 64 * 1024 * 1024     # a larger feed (parsed whole) is quarantined; JSONL is streamed, no limit
    ingest_token: str | None = None  # `sitrep serve --allow-ingest`: the bearer token POST /api/v1/articles needs

    def replace(self, **changes) -> "Settings":
        """Return a copy with *changes* applied (None values are ignored)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    def db_url(self, out_dir: Path) -> str:
        return self.db or f"sqlite:///{Path(out_dir).resolve() / 'sitrep.db'}"


def load_settings(path: str | Path | None = None, **flags) -> Settings:
    """Build settings from defaults, then the TOML file at *path*, then *flags*.

    The file holds the same keys as `Settings`, at top level or under `[sitrep]`.
    """
    settings = Settings()
    if path is not None:
        path = Path(path)
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(f"{path}: cannot read settings file: {e}") from e
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(f"{path}: not valid TOML: {e}") from e
        raw = raw.get("sitrep", raw)
        known = {f.name: f.type for f in dataclasses.fields(Settings)}
        unknown = sorted(set(raw) - set(known))
        if unknown:
            raise ConfigError(f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(known)}")
        for key, value in raw.items():
            default = getattr(settings, key)
            expected = type(default) if default is not None else str
            ok = isinstance(value, expected) or (expected is float and isinstance(value, int))
            if not ok or (expected is not bool and isinstance(value, bool)):
                raise ConfigError(f"{path}: setting {key} must be {expected.__name__}, got {value!r}")
        settings = settings.replace(**raw)
    return settings.replace(**flags)

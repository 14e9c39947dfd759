"""One `sitrep run` at a time per output folder: a lock file in it naming the run's process.

The lock file ``OUT/.sitrep.lock`` holds JSON: the process id, its host and the
process's start time (so a reused pid is not taken for the run). It appears
whole or not at all (written aside, then hard-linked into place, which fails
when a lock exists) and is removed when the run ends, however it ends short of
SIGKILL. A lock whose process is gone is stale and is taken over.
"""

from __future__ import annotations

import json
import os
import socket
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .errors import BusyError

LOCK = ".sitrep.lock"


def _started(pid: int) -> str | None:
    """When process *pid* started, in clock ticks since boot (Linux), or None when unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]  # field 22, counted after the command name


def _alive(owner: dict) -> bool:
    """Whether the process that wrote *owner* still runs (on another host: assumed so)."""
    if owner.get("host") != socket.gethostname():
        return True
    pid = owner["pid"]
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        pass
    started = _started(pid)
    return started is None or owner.get("started") in (None, started)


def _read(path: Path) -> dict | None:
    """The lock's owner, or None when the file is gone or is not a lock sitrep wrote."""
    try:
        owner = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise
    except (OSError, ValueError):
        return None
    return owner if isinstance(owner, dict) and isinstance(owner.get("pid"), int) else None


def acquire(out_dir: Path) -> Path:
    """Create *out_dir*/.sitrep.lock for this process; `BusyError` when a live run holds it."""
    lock = out_dir / LOCK
    me = {"pid": os.getpid(), "host": socket.gethostname(), "started": _started(os.getpid())}
    fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f"{LOCK}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(me, fh)
        for _ in range(5):
            try:
                _link(tmp, lock, me)
                return lock
            except FileExistsError:
                pass
            try:
                owner = _read(lock)
            except FileNotFoundError:
                continue  # released meanwhile
            if owner is not None and _alive(owner):
                raise BusyError(
                    f"another sitrep run (pid {owner['pid']} on {owner.get('host')}) is writing to {out_dir}; "
                    f"wait for it to finish, or remove {lock} if that process is not a sitrep run")
            _break(lock, owner)
        raise BusyError(f"could not lock {out_dir}: other runs keep taking {lock}; try again")
    finally:
        Path(tmp).unlink(missing_ok=True)


def _link(tmp: str, lock: Path, me: dict) -> None:
    """Put the written *tmp* in place as *lock*; `FileExistsError` when a lock is there."""
    try:
        os.link(tmp, lock)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: create it exclusively, then write
        fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(me, fh)


def _break(lock: Path, owner: dict | None) -> None:
    """Remove a stale lock, unless another run replaced it since it was read."""
    aside = lock.with_name(f"{LOCK}.{os.getpid()}.stale.tmp")
    try:
        os.rename(lock, aside)
    except FileNotFoundError:
        return
    try:
        if _read(aside) != owner:  # a live run's fresh lock: put it back
            try:
                os.link(aside, lock)
            except FileExistsError:
                pass
    except FileNotFoundError:
        pass
    aside.unlink(missing_ok=True)


def release(lock: Path) -> None:
    """Remove *lock* if this process holds it."""
    try:
        owner = _read(lock)
    except FileNotFoundError:
        return
    if owner is not None and owner.get("pid") == os.getpid() and owner.get("host") == socket.gethostname():
        lock.unlink(missing_ok=True)


@contextmanager
def hold(out_dir: Path):
    """Hold the lock on *out_dir* for the duration of the block.

    >>> with hold(Path("out")):   # doctest: +SKIP
    ...     write_outputs(store, Path("out"))
    """
    lock = acquire(Path(out_dir))
    try:
        yield lock
    finally:
        release(lock)

"""A throw-away PostgreSQL server for the tests, or the server ``SITREP_TEST_PG_URL`` names.

`TempServer` runs Debian's PostgreSQL binaries (``/usr/lib/postgresql/*/bin``, newest first, else
``initdb`` on PATH) in a temporary folder: initdb, then ``pg_ctl start`` listening on a free
port of 127.0.0.1 only, its unix socket inside the folder, trust authentication for this machine
only, fsync off (a test database is thrown away, never recovered). initdb refuses to run as root,
so under root the server runs as the ``postgres`` system user the Debian package creates (through
``runuser`` or ``setpriv``), in a folder it owns. `stop` (``pg_ctl stop -m fast``, then removing
the folder) runs at the end of the session, also when tests failed, and at interpreter exit as a
backstop.

The server is set up to show what a user's server would show and SQLite never does: the default
collation is ICU's English one (ids sort "a_c" < "a-b" < "ab" < "B", not byte-wise) and the
server's time zone is not UTC.

`ExistingServer` wraps a server of the user's (``SITREP_TEST_PG_URL=postgresql://user@host:port/db``;
the user must be allowed to create databases). Both hand out a fresh database per test with
`database()`, dropped afterwards.

No subprocess here runs without a timeout.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

ENV_URL = "SITREP_TEST_PG_URL"
TIMEOUT = 120        # seconds any PostgreSQL command may take
SERVER_USER = "postgres"
TIME_ZONE = "Asia/Kolkata"   # UTC+05:30: a time stored or read in the server's zone is off by a visible amount
INSTALL_HINT = ("install Debian's postgresql package (sudo apt-get install postgresql; `make test` does it "
                "when run as root) or set SITREP_TEST_PG_URL to a server you can create databases on")


class Unavailable(Exception):
    """No PostgreSQL server can be run here; the message says what is missing."""


def find_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl: Debian's newest ``/usr/lib/postgresql/N/bin``, else PATH."""
    def version(p: str) -> tuple[int, ...]:
        return tuple(int(x) for x in re.findall(r"\d+", Path(p).parent.name))

    for initdb in sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=version, reverse=True):
        bindir = Path(initdb).parent
        if os.access(initdb, os.X_OK) and os.access(bindir / "pg_ctl", os.X_OK):
            return bindir
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl", path=str(Path(found).resolve().parent)):
        return Path(found).resolve().parent
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psycopg_url(url: str) -> str:
    """*url* as a SQLAlchemy URL with the psycopg (3) driver, which sitrep depends on."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    if u.drivername in ("postgres", "postgresql"):
        u = u.set(drivername="postgresql+psycopg")
    return u.render_as_string(hide_password=False)


class _Databases:
    """Hands out fresh databases on a server reached through *admin_url*."""

    admin_url: str
    _engine = None

    def _admin(self):
        from sqlalchemy import create_engine

        if self._engine is None:
            self._engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        return self._engine

    @contextlib.contextmanager
    def database(self) -> Iterator[str]:
        """A new, empty database for one test; yields its SQLAlchemy URL and drops it afterwards."""
        from sqlalchemy import text
        from sqlalchemy.engine import make_url

        name = f"sitrep_test_{uuid.uuid4().hex[:12]}"
        with self._admin().connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)
        finally:
            self.drop(name)

    def drop(self, name: str) -> None:
        from sqlalchemy import text
        from sqlalchemy.exc import ProgrammingError

        with self._admin().connect() as c:
            try:  # a store the test left open must not keep its database alive
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            except ProgrammingError:  # before PostgreSQL 13: no FORCE
                c.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                          {"n": name})
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


class ExistingServer(_Databases):
    """The user's own server, named by ``SITREP_TEST_PG_URL``; nothing is started or stopped."""

    def __init__(self, url: str):
        self.admin_url = psycopg_url(url)
        self.description = f"{ENV_URL}={url}"

    def start(self) -> None:
        from sqlalchemy import text

        try:
            with self._admin().connect() as c:
                c.execute(text("SELECT 1"))
        except Exception as e:
            raise RuntimeError(f"cannot connect to {ENV_URL} ({self.admin_url}): {e}") from e

    def stop(self) -> None:
        self.close()


class TempServer(_Databases):
    """A PostgreSQL server of its own in a temporary folder, for one test session."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.root: Path | None = None
        self.port: int | None = None
        self.admin_url = ""
        self.description = ""
        self._as_user: list[str] = []
        self._user: pwd.struct_passwd | None = None
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            try:
                self._user = pwd.getpwnam(SERVER_USER)
            except KeyError:
                raise Unavailable(f"running as root and there is no {SERVER_USER!r} user to run PostgreSQL as; "
                                  f"{INSTALL_HINT}") from None
            if shutil.which("runuser"):
                self._as_user = ["runuser", "-u", SERVER_USER, "--"]
            elif shutil.which("setpriv"):
                self._as_user = ["setpriv", f"--reuid={self._user.pw_uid}", f"--regid={self._user.pw_gid}",
                                 "--init-groups"]
            else:
                raise Unavailable("running as root and neither runuser nor setpriv is there to run PostgreSQL "
                                  f"as {SERVER_USER!r}")

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [*self._as_user, str(self.bindir / args[0]), *args[1:]]
        res = subprocess.run(cmd, cwd=self.root, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                             timeout=TIMEOUT, env={**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"})
        if check and res.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({res.returncode}):\n{res.stdout}{res.stderr}{self._log()}")
        return res

    def _log(self) -> str:
        log = self.root / "server.log" if self.root else None
        if log and log.exists():
            return "\nserver log (end):\n" + "\n".join(log.read_text(errors="replace").splitlines()[-20:])
        return ""

    def _tempdir(self) -> Path:
        parent = Path(tempfile.gettempdir())
        if self._user is not None and not all(os.stat(p).st_mode & 0o001 for p in [parent, *parent.parents]):
            parent = Path("/tmp")  # TMPDIR is private to root: the server user could not reach its folder
        root = Path(tempfile.mkdtemp(prefix="sitrep-pg-", dir=parent))
        if self._user is not None:
            os.chown(root, self._user.pw_uid, self._user.pw_gid)
        return root

    def start(self) -> None:
        self.root = self._tempdir()
        atexit.register(self.stop)
        data = self.root / "data"
        common = ["-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]
        # ICU's English collation where this PostgreSQL has it (15 and later, built with ICU), else libc's.
        attempts = [["--locale=C.UTF-8", "--locale-provider=icu", "--icu-locale=en-US"], ["--locale=C.UTF-8"],
                    ["--no-locale"]]
        for extra in attempts:
            res = self._run("initdb", *common, *extra, check=extra is attempts[-1])
            if res.returncode == 0:
                break
            shutil.rmtree(data, ignore_errors=True)
        # trust, and only for this machine: the unix socket in our folder and 127.0.0.1
        (data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
        for _ in range(5):  # another process may take the free port between our look and the server's bind
            self.port = free_port()
            with open(data / "postgresql.conf", "a") as conf:
                conf.write(f"\n# sitrep tests\nlisten_addresses = '127.0.0.1'\nport = {self.port}\n"
                           f"unix_socket_directories = '{self.root}'\nfsync = off\nsynchronous_commit = off\n"
                           f"full_page_writes = off\ntimezone = '{TIME_ZONE}'\nmax_connections = 200\n")
            res = self._run("pg_ctl", "-D", str(data), "-l", str(self.root / "server.log"), "-w", "-t", "60",
                            "start", check=False)
            if res.returncode == 0:
                break
            if "already in use" not in self._log():
                raise RuntimeError(f"pg_ctl start failed ({res.returncode}):\n{res.stdout}{res.stderr}{self._log()}")
        else:
            raise RuntimeError(f"pg_ctl start found no free port:{self._log()}")
        self.admin_url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        version = self._run("pg_ctl", "--version").stdout.strip()
        self.description = f"{version} in {self.root}, port {self.port}"

    def stop(self) -> None:
        """Stop the server and remove its folder (safe to call twice)."""
        self.close()
        if self.root is None:
            return
        data = self.root / "data"
        if (data / "postmaster.pid").exists():
            try:
                self._run("pg_ctl", "-D", str(data), "-m", "fast", "-w", "-t", "60", "stop", check=False)
            except subprocess.TimeoutExpired:
                pass
            pid_file = data / "postmaster.pid"
            if pid_file.exists():  # did not stop in time: end the postmaster we started, by its id
                with contextlib.suppress(ValueError, OSError, IndexError):
                    os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None


def server() -> ExistingServer | TempServer:
    """The server the tests use: ``SITREP_TEST_PG_URL``'s, else a new one here.

    Raises `Unavailable` when PostgreSQL's binaries are missing (the tests then skip, saying so)."""
    url = os.environ.get(ENV_URL)
    if url:
        return ExistingServer(url)
    bindir = find_bindir()
    if bindir is None:
        raise Unavailable(f"PostgreSQL server binaries not found (initdb and pg_ctl, in "
                          f"/usr/lib/postgresql/*/bin or on PATH); {INSTALL_HINT}")
    return TempServer(bindir)

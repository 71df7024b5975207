"""A throwaway PostgreSQL cluster for the store's tests: started once, one database per test.

The cluster lives in a temporary folder with its socket inside, listens on a free port of
127.0.0.1 with trust authentication, and runs without fsync. initdb refuses to run as root, so
under root the cluster runs as the ``postgres`` system user (Debian's postgresql package creates
it), or as a throwaway system user made for the purpose and removed afterwards.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg
import pytest

INSTALL_HINT = "install Debian's postgresql (make test does)"
SERVER_SETTINGS = (
    "fsync=off",
    "synchronous_commit=off",
    "full_page_writes=off",
    "max_connections=300",
    "shared_buffers=16MB",
)


def find_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl: pg_config's, else Debian's, else on PATH."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        if found.returncode == 0:
            candidates.append(Path(found.stdout.strip()))
    candidates += [Path(d) for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).resolve().parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """A running throwaway cluster; :meth:`new_database` gives each test its own database."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="pm-store-pg-"))
        self.port = _free_port()
        self.user, self._made_user = _server_user()
        self._names = itertools.count(1)
        self._started = False
        self._shared: str | None = None

    def start(self) -> None:
        """initdb and start the server; raises with the server's log when either fails."""
        (self.root / "sock").mkdir()
        if self.user:
            shutil.chown(self.root, self.user)
            shutil.chown(self.root / "sock", self.user)
        self._run("initdb", "-D", str(self.root / "data"), "-A", "trust", "-U", "postgres",
                  "-E", "UTF8", "--locale=C", "--no-sync")  # fmt: skip
        options = " ".join(
            [f"-p {self.port}", "-c listen_addresses=127.0.0.1"]
            + [f"-c unix_socket_directories={self.root / 'sock'}"]
            + [f"-c {setting}" for setting in SERVER_SETTINGS]
        )
        self._run("pg_ctl", "-D", str(self.root / "data"), "-l", str(self.root / "log"),
                  "-w", "-o", options, "start")  # fmt: skip
        self._started = True

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """Create an empty database; returns its SQLAlchemy URL."""
        name = f"store_test_{next(self._names)}"
        self._admin("postgres", f'CREATE DATABASE "{name}"')
        return self.url(name)

    def new_schema(self) -> str:
        """An empty schema, first on the search path of the URL returned, in a shared database.

        Much faster than a database per test (milliseconds, against a third of a second for
        CREATE DATABASE), and as isolated: the store's tables and Alembic's version table are
        all created in the schema.
        """
        if self._shared is None:
            self._shared = self.new_database()
        name = f"test_{next(self._names)}"
        self._admin(self._shared.rsplit("/", 1)[1], f'CREATE SCHEMA "{name}"')
        return f"{self._shared}?options=-csearch_path%3D{name}"

    def _admin(self, database: str, statement: str) -> None:
        dsn = f"host=127.0.0.1 port={self.port} user=postgres dbname={database}"
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(statement.encode())  # our own names, never user input

    def stop(self) -> None:
        """Stop the server at once and remove everything it wrote."""
        try:
            if self._started:
                self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
            if self._made_user and self.user:
                subprocess.run(["userdel", self.user], capture_output=True)

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bindir / tool), *args]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.root)
        if done.returncode != 0:
            log = self.root / "log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{tool} failed: {done.stderr.strip()}\n{tail}")


def _server_user() -> tuple[str | None, bool]:
    """The user to run the server as (None: this one), and whether it was made for the tests."""
    if os.geteuid() != 0:
        return None, False
    if subprocess.run(["id", "-u", "postgres"], capture_output=True).returncode == 0:
        return "postgres", False
    name = f"pm-store-pg-{os.getpid()}"
    subprocess.run(["useradd", "--system", "--no-create-home", name], check=True)
    return name, True


def start_cluster() -> Cluster:
    """A started cluster; fails the test (never skips) when PostgreSQL is not installed."""
    bindir = find_bindir()
    if bindir is None:
        pytest.fail(
            f"PostgreSQL's initdb and pg_ctl were not found: {INSTALL_HINT}.", pytrace=False
        )
    cluster = Cluster(bindir)
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    return cluster

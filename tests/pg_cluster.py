"""A throwaway PostgreSQL cluster the tests start themselves (issue 13, item 9).

Debian's server binaries (``postgresql-15``): initdb into a temporary
directory, the socket in that directory and no TCP, stopped and removed at the
end of the session. The server refuses to run as root, so under root the
cluster belongs to the unprivileged ``postgres`` account (``runuser``). Each
pytest-xdist worker has its own session, so its own cluster in its own
directory: workers never share a server. Without the binaries every PostgreSQL
test skips and says why.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

PG_BIN = Path(os.environ.get("COCKPIT_PG_BIN", "/usr/lib/postgresql/15/bin"))
SERVER_ACCOUNT = "postgres"  # Debian's package creates it; the server will not run as root


def _missing() -> str | None:
    """Why the PostgreSQL tests cannot run here, or None."""
    for tool in ("initdb", "pg_ctl", "postgres"):
        if not (PG_BIN / tool).exists():
            return f"PostgreSQL server binaries not found ({PG_BIN / tool}): install postgresql (Debian: apt-get install postgresql)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SERVER_ACCOUNT)
        except KeyError:
            return f"running as root and there is no '{SERVER_ACCOUNT}' account to run the server as"
        if shutil.which("runuser") is None:
            return "running as root and runuser is missing (util-linux)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install -e '.[dev]')"
    return None


def _as_server(argv: list[str]) -> list[str]:
    return ["runuser", "-u", SERVER_ACCOUNT, "--", *argv] if os.geteuid() == 0 else argv


class Cluster:
    """A running cluster: its directory, socket and superuser."""

    def __init__(self, root: Path):
        self.root = root
        self.data = root / "data"
        self.superuser = SERVER_ACCOUNT if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name

    def conninfo(self, dbname: str = "postgres", user: str | None = None) -> str:
        return f"host={self.root} port=5432 dbname={dbname} user={user or self.superuser}"

    def start(self, settings: str = "-c shared_buffers=64MB") -> None:
        run = lambda argv: subprocess.run(_as_server(argv), check=True, capture_output=True, text=True)  # noqa: E731
        run([str(PG_BIN / "initdb"), "-A", "trust", "-U", self.superuser, "-E", "UTF8", "--locale=C.UTF-8",
             "-D", str(self.data)])
        # Unix socket only, in our own directory; small and unsafe-but-fast settings for a disposable cluster.
        options = (f"-k {self.root} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                   f"-c full_page_writes=off -c max_connections=60 {settings}")
        run([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"), "-w", "-t", "60",
             "-o", options, "start"])

    def stop(self) -> None:
        subprocess.run(_as_server([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"]),
                       capture_output=True, check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        try:
            return (self.root / "server.log").read_text(errors="replace")[-4000:]
        except OSError:
            return ""


@pytest.fixture(scope="session")
def pg_cluster():
    """One cluster per test session (so per xdist worker); skips when PostgreSQL is not installed."""
    why = _missing()
    if why:
        pytest.skip(f"PostgreSQL tests skipped: {why}")
    # Not under pytest's tmp dir: it is 0700 root's, and the server account must own its directory.
    root = Path(tempfile.mkdtemp(prefix="cockpit-pg-"))
    if os.geteuid() == 0:
        account = pwd.getpwnam(SERVER_ACCOUNT)
        os.chown(root, account.pw_uid, account.pw_gid)
    os.chmod(root, 0o755)  # the socket is reached by path; the data directory inside stays 0700
    cluster = Cluster(root)
    try:
        cluster.start()
    except subprocess.CalledProcessError as exc:
        log = cluster.log()
        cluster.stop()
        pytest.fail(f"could not start the test cluster: {exc.stderr or exc.stdout}\n{log}")
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster):
    """A fresh empty database for one test (dropped after), as a conninfo string.
    Roles are cluster-wide, so what a test creates as roles is made idempotent by the code under test."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(pg_cluster.conninfo(), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield pg_cluster.conninfo(name)
    with psycopg.connect(pg_cluster.conninfo(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_team(pg_url, db_path, capsys):
    """The sample workspace moved up to a fresh PostgreSQL database (`init`,
    then `import workspace`), as `cockpit` does it: its conninfo."""
    from cockpit.cli import main

    assert main(["--db", pg_url, "init"]) == 0
    assert main(["--db", pg_url, "import", "workspace", str(db_path)]) == 0, capsys.readouterr().err
    capsys.readouterr()
    return pg_url

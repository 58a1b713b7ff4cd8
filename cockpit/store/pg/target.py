"""Which backend a ``--db`` (or ``COCKPIT_DB``) names: a libpq URL or
conninfo string is PostgreSQL; anything else is a SQLite file path."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import psycopg

_CONNINFO = re.compile(r"\s*[a-z_]+\s*=")  # "host=/run/pg dbname=cockpit", libpq's key=value form


class PgError(Exception):
    """A PostgreSQL step that cannot be done, said in one sentence (exit 2)."""


def is_postgres(target: str | Path | None) -> bool:
    if target is None or isinstance(target, Path):
        return False
    return target.startswith(("postgresql://", "postgres://")) or bool(_CONNINFO.match(target))


def db_argument(value: str) -> str | Path:
    """argparse type of ``--db``: a URL stays text (a Path would fold its ``//``)."""
    return value if is_postgres(value) else Path(value)


def connect(conninfo: str, *, autocommit: bool = False) -> "psycopg.Connection[tuple[object, ...]]":
    """A connection, or PgError naming the server's reason (wrong database, no such role, no server)."""
    import psycopg

    from cockpit.i18n import t

    try:
        return psycopg.connect(conninfo, autocommit=autocommit)
    except psycopg.OperationalError as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise PgError(t("pg.connect_failed", target=redact(conninfo), reason=reason)) from None


def redact(conninfo: str) -> str:
    """The target without its password, for messages."""
    out = re.sub(r"(password\s*=\s*)\S+", r"\1***", conninfo)
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", out)

"""The team on PostgreSQL: a rep is a database role (LOGIN) granted
``cockpit_rep`` or ``cockpit_manager``; the reps table says their name.
Roles are the cluster's, so adding a rep another database already knows
only grants the group role again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cockpit.store.pg.schema import MANAGER_ROLE, REP_ROLE
from cockpit.store.reps import UNOWNED, Rep, Role, TeamError, check_new_rep

if TYPE_CHECKING:
    import psycopg


def add_rep(db: "psycopg.Connection[tuple[object, ...]]", login: str, name: str, role: Role = "rep") -> None:
    """The reps row and the login role, in one transaction (needs CREATEROLE)."""
    from psycopg import sql

    check_new_rep(login, name, ("rôle", "role"))
    who = sql.Identifier(login)
    with db.transaction():
        if db.execute("SELECT 1 FROM reps WHERE login = %s", (login,)).fetchone():
            raise TeamError(f"{login} fait déjà partie de l'équipe", f"{login} is already in the team")
        db.execute("INSERT INTO reps(login, name, role, active) VALUES (%s, %s, %s, 1)", (login, name.strip(), role))
        if not db.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone():
            db.execute(sql.SQL("CREATE ROLE {} LOGIN").format(who))
        group = MANAGER_ROLE if role == "manager" else REP_ROLE
        db.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), who))
        db.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
            sql.Identifier(str(db.info.dbname)), sql.Identifier(group)))


def reps(db: "psycopg.Connection[tuple[object, ...]]") -> list[Rep]:
    """Every rep, managers first, with what they own: the true counts whoever
    asks (a rep's role sees only their own rows; ``cockpit_team_counts()``
    counts with the definer's rights and gives nothing else), as on SQLite."""
    rows = db.execute(
        "SELECT r.login, r.name, r.role, r.active, coalesce(n.clients, 0), coalesce(n.prospects, 0)"
        " FROM reps r LEFT JOIN cockpit_team_counts() n ON n.owner = r.login"
        ' ORDER BY r.role = \'rep\', r.name COLLATE "C", r.login COLLATE "C"').fetchall()
    return [Rep(str(login), str(name), "manager" if role == "manager" else "rep", bool(active), int(str(nc)), int(str(np_)))
            for login, name, role, active, nc, np_ in rows]


def unowned(db: "psycopg.Connection[tuple[object, ...]]") -> tuple[int, int]:
    """``reps.unowned`` on the connection ``cockpit rep list`` reads the team on."""
    row = db.execute(UNOWNED[True]).fetchone()
    return (int(str(row[0])), int(str(row[1]))) if row else (0, 0)

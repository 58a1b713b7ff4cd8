"""The team (METHOD §8): reps and managers, and who owns which client and
prospect. The rep is the login (the OS account on SQLite). Every change here
is journaled in a unit of work, so a transfer is undone whole."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from cockpit.store.admin import AdminError
from cockpit.store.workspace import Workspace

Role = Literal["rep", "manager"]
LOGIN = re.compile(r"[a-z_][a-z0-9_.-]{0,31}")  # the shape of a Unix account name


class TeamError(AdminError, ValueError):
    """A team change that cannot be made, said in words (exit 2 on the command line)."""

    def __init__(self, fr: str, en: str) -> None:
        super().__init__(fr)
        self.fr, self.en = fr, en

    def __str__(self) -> str:  # in the interface's language
        from cockpit.i18n import current

        return self.fr if current() == "fr" else self.en


@dataclass(frozen=True)
class Rep:
    login: str
    name: str
    role: Role
    active: bool
    clients: int = 0
    prospects: int = 0


def reps(ws: Workspace) -> list[Rep]:
    """Every rep, managers first, with the clients and prospects they own."""
    rows = ws.db.execute(
        "SELECT r.login, r.name, r.role, r.active,"
        " (SELECT count(*) FROM clients c WHERE c.owner = r.login),"
        " (SELECT count(*) FROM prospects p WHERE p.owner = r.login)"
        " FROM reps r ORDER BY r.role = 'rep', r.name, r.login").fetchall()
    return [Rep(login, name, role, bool(active), nc, np_) for login, name, role, active, nc, np_ in rows]


def unowned(ws: Workspace) -> tuple[int, int]:
    """(clients, prospects) no rep owns — rows from before the team, an old
    import's: in no rep's portfolio, only in the team's; a manager gives them
    to a rep (``rep transfer - LOGIN``). Counted whoever asks, on either backend."""
    with ws.lock:
        row = ws.db.execute(UNOWNED[ws.backend == "postgresql"]).fetchone()
    return (int(str(row[0])), int(str(row[1]))) if row else (0, 0)


# (SQLite's, PostgreSQL's): a rep's role there sees no row nobody owns, the definer counts them (pg/definers.py).
UNOWNED = ("SELECT (SELECT count(*) FROM clients WHERE owner IS NULL), (SELECT count(*) FROM prospects WHERE owner IS NULL)",
           "SELECT coalesce(sum(clients), 0), coalesce(sum(prospects), 0) FROM cockpit_team_counts() WHERE owner IS NULL")


def rep(ws: Workspace, login: str) -> Rep | None:
    return next((r for r in reps(ws) if r.login == login), None)


def check_new_rep(login: str, name: str, what: tuple[str, str] = ("compte", "account")) -> None:
    """A login of the right shape and a display name; ``what`` the login is
    (the OS account on SQLite, the database role on PostgreSQL)."""
    if not LOGIN.fullmatch(login):
        raise TeamError(f"« {login} » n'est pas un identifiant : le nom du {what[0]} du commercial (lettres minuscules, "
                        "chiffres, _ . -)", f"'{login}' is not a login: the rep's {what[1]} name (lower-case letters, "
                        "digits, _ . -)")
    if not name.strip():
        raise TeamError("le nom affiché est vide (ex. --name \"Claire Martin\")",
                        "the display name is empty (e.g. --name \"Claire Martin\")")


def managers_only(ws: Workspace) -> None:
    """Only a manager changes the team (on PostgreSQL row-level security says so;
    on SQLite the cockpit does, and an account outside the team sets it up)."""
    from cockpit.store.own_rows import managers_only as refused, own_writes

    if ws.backend != "postgresql" and own_writes(ws) is not None:
        said = refused(ws.who)
        raise TeamError(said.fr, said.en)


def add_rep(ws: Workspace, login: str, name: str, role: Role = "rep") -> None:
    managers_only(ws)
    check_new_rep(login, name)
    if rep(ws, login) is not None:
        raise TeamError(f"{login} fait déjà partie de l'équipe", f"{login} is already in the team")
    same = next((r.login for r in reps(ws) if r.name.casefold() == name.strip().casefold()), None)
    if same is not None:  # an owner column names a rep by display name too: two would be one
        raise TeamError(f"« {name.strip()} » est déjà le nom affiché de {same} : choisissez un autre nom (ex. avec l'initiale)",
                        f"'{name.strip()}' is already {same}'s display name: choose another (e.g. with an initial)")
    with ws.unit() as u:
        u.create("reps", {"login": login, "name": name.strip(), "role": role, "active": 1})


def deactivate(ws: Workspace, login: str) -> None:
    """A rep who left: kept for the history (activity, visits), no longer
    offered; what they owned stays theirs until transferred."""
    managers_only(ws)
    found = _known(ws, login)
    if not found.active:
        raise TeamError(f"{login} est déjà inactif", f"{login} is already inactive")
    if found.role == "manager" and not any(r.active and r.role == "manager" and r.login != login for r in reps(ws)):
        raise TeamError(f"{login} est le dernier responsable actif : l'équipe n'en aurait plus (ajoutez-en un d'abord)",
                        f"{login} is the last active manager: the team would have none (add one first)")
    with ws.unit() as u:
        u.set("reps", (login,), "active", 0)


def transfer(ws: Workspace, source: str | None, target: str, clients: bool = True,
             prospects: bool = True) -> tuple[int, int]:
    """Everything ``source`` owns (None: the rows nobody owns, ``rep transfer -``)
    (or only the clients, or the prospects) to ``target``, in one unit of
    work: (clients moved, prospects moved)."""
    managers_only(ws)
    if source is not None:
        _known(ws, source)
    if source == target:
        raise TeamError(f"{source} vers {source} : rien à transférer (cockpit rep transfer DE VERS)",
                        f"{source} to {source}: nothing to transfer (cockpit rep transfer FROM TO)")
    if not _known(ws, target).active:
        raise TeamError(f"{target} est inactif : choisissez un commercial actif (cockpit rep list)",
                        f"{target} is inactive: choose an active rep (cockpit rep list)")
    moved = {"clients": 0, "prospects": 0}
    with ws.unit() as u:
        for entity, wanted in (("clients", clients), ("prospects", prospects)):
            if not wanted:
                continue
            whose, args = ("owner IS NULL", ()) if source is None else ("owner = ?", (source,))
            ids = [r[0] for r in u.db.execute(f"SELECT id FROM {entity} WHERE {whose} ORDER BY id", args)]
            for row_id in ids:
                u.set(entity, (row_id,), "owner", target)
            moved[entity] = len(ids)
    return moved["clients"], moved["prospects"]


def active(ws: Workspace, login: str) -> Rep:
    """The rep ``--rep`` names: an active one of the team, else TeamError."""
    found = rep(ws, login)
    if found is None or not found.active:
        fr, en = ("ne fait pas partie de l'équipe", "is not in the team") if found is None else ("est inactif", "is inactive")
        raise TeamError(f"--rep {login} : {login} {fr} (cockpit rep list)", f"--rep {login}: {login} {en} (cockpit rep list)")
    return found


def _known(ws: Workspace, login: str) -> Rep:
    found = rep(ws, login)
    if found is None:
        raise TeamError(f"{login} ne fait pas partie de l'équipe (cockpit rep list)",
                        f"{login} is not in the team (cockpit rep list)")
    return found


# ---- whose portfolio the screens compute over (METHOD §8) ---------------------

def viewer(ws: Workspace) -> Rep | None:
    """The rep using the cockpit (the workspace's ``who``), if in the team."""
    found = rep(ws, ws.who)
    return found if found is not None and found.active else None


def default_owner(ws: Workspace) -> str | None:
    """A rep works on their own portfolio by default; a manager, or an account
    outside the team (a solo workspace), on the team's (None)."""
    me = viewer(ws)
    return me.login if me is not None and me.role == "rep" else None


def view_owner(ws: Workspace, team: bool = False) -> str | None:
    """Whose portfolio a command computes over: the one the screens open on
    (a rep's own), the team's when asked (``--team``, the ``E`` key's other view).
    A role that reads only its own rows (a rep's on PostgreSQL) is refused the
    team's: it would be their own rows under the team's name."""
    if team and ws.own_rows_only:
        from cockpit.i18n import both

        raise TeamError(*both("scope.team_refused"))
    return None if team else default_owner(ws)


def activity_shown(owner: str | None, me: Rep | None, names: dict[str, str],
                   ranking: str) -> tuple[frozenset[str] | None, bool]:
    """(whose activity rows a view shows, None for every rep's; whether their
    places in the team's ranking are shown). Activity indicators are personal:
    a rep sees their own row and the team's average, the ranking of named reps
    being the managers' unless the workspace's ``[activity] ranking`` says
    everyone's (METHOD §8). Rows name a rep by login or display name: both match."""
    private = me is not None and me.role == "rep" and ranking == "managers"
    who = owner if owner is not None else me.login if private and me is not None else None
    if who is None:
        return None, True
    return frozenset({who, names.get(who, who)}), not private


def owners_offered(ws: Workspace) -> list[str | None]:
    """The views the ``E`` key goes through: a rep their own and the team's
    (only their own where their role reads no other rep's rows: PostgreSQL);
    a manager the team's and each active rep's."""
    me = viewer(ws)
    if me is None:
        return [None]
    if me.role == "rep":
        return [me.login] if ws.own_rows_only else [me.login, None]
    return [None, *(r.login for r in reps(ws) if r.role == "rep" and r.active)]


def names(ws: Workspace) -> dict[str, str]:
    """Display name per login, every rep (for labels; no counting of rows)."""
    with ws.lock:
        return dict(ws.db.execute("SELECT login, name FROM reps ORDER BY name, login").fetchall())



def sales_owner(ws: Workspace) -> str | None:
    """Whose lines a sales import replaces in the years its file covers: a rep's
    own clients' (METHOD §8: a portfolio is a rep's), as PostgreSQL's row-level
    security has it; None: every client's (a manager's, a solo workspace's)."""
    from cockpit.store.own_rows import own_writes

    return None if ws.backend == "postgresql" else own_writes(ws)  # PostgreSQL: the server scopes it

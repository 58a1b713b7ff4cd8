"""Whose portfolio the screens compute over (METHOD §8): the rep's own by
default, the team's on request; a manager also picks a rep. The App holds
the owner (None: the team); every screen reads through it and says it on
its status line."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cockpit.i18n import t
from cockpit.store import reps as reps_mod

if TYPE_CHECKING:
    from textual.app import App

    from screens.app import CockpitApp


class Scope:
    """The App's view: whose portfolio, and the team's names to say it."""

    def __init__(self, owner: str | None, names: dict[str, str], offered: list[str | None],
                 viewer: reps_mod.Rep | None = None) -> None:
        self.owner, self.names, self.offered, self.viewer = owner, names, offered, viewer

    @classmethod
    def of(cls, ws) -> "Scope":
        """Read once at start: a handful of rows (the reps), not the portfolio."""
        return cls(reps_mod.default_owner(ws), reps_mod.names(ws), reps_mod.owners_offered(ws), reps_mod.viewer(ws))

    def activity_view(self, ranking: str) -> tuple[frozenset[str] | None, bool]:
        """Whose activity rows are shown (None: every rep's) and whether their
        ranks are: `cockpit.store.reps.activity_shown`, as the CLI's."""
        return reps_mod.activity_shown(self.owner, self.viewer, self.names, ranking)

    @property
    def is_team(self) -> bool:
        """Views to go between, or a rep's own alone (their role reads no other rep's rows: PostgreSQL)."""
        return len(self.offered) > 1 or (self.viewer is not None and self.viewer.role == "rep")

    @property
    def read_only(self) -> bool:
        """A rep looks at the team's (METHOD §8) and writes in their own view:
        the team's holds other reps' rows, which are not theirs to change."""
        return self.is_team and self.owner is None and self.viewer is not None and self.viewer.role == "rep"

    def label(self) -> str:
        return self.label_of(self.owner)

    def label_of(self, owner: str | None) -> str:
        """"" for a solo workspace (no team to tell apart); else the rep's name or "équipe"."""
        if not self.is_team:
            return ""
        return t("scope.team") if owner is None else self.names.get(owner, owner)


def switch_scope(app: "CockpitApp") -> None:
    """``E``: a rep goes between their portfolio and the team's; a manager
    picks the team or one rep from a list."""
    scope = app.scope
    if not scope.is_team:
        app.say(t("scope.solo"))
        return
    if len(scope.offered) == 1:  # a rep who reads only their own rows: the team's would be theirs, mislabelled
        app.say(t("scope.team_for_managers"))
        return
    if len(scope.offered) == 2:
        i = scope.offered.index(scope.owner) if scope.owner in scope.offered else 0
        show(app, scope.offered[1 - i])
        return
    from screens.kit.dialogs import ChoiceDialog

    options = [scope.label_of(o) for o in scope.offered]
    current = scope.offered.index(scope.owner) if scope.owner in scope.offered else 0

    def chosen(index: int | None) -> None:
        if index is not None:
            show(app, scope.offered[index])

    app.push_screen(ChoiceDialog(t("scope.choose"), options, current), chosen)


def show(app: "CockpitApp", owner: str | None) -> None:
    """Every screen reads again over ``owner``'s portfolio (None: the team's)."""
    from screens.kit.status import StatusLine

    if owner == app.scope.owner:
        return
    app.scope.owner = owner
    for screen in app.mode_screens():
        for line in screen.query(StatusLine):
            line.show()
    app.tell(t("scope.now", view=app.scope.label()))
    app.data_changed("external")


def refused_here(app: "App[Any]") -> bool:
    """Said and True when the view shown is not the rep's to write in (the
    editor does not open, a write is not queued); the one check every write
    of every screen goes through (InlineEditor.open, Committer.submit)."""
    from screens.kit.keys import key_hint
    from screens.kit.notes import Notes

    scope = getattr(app, "scope", None)
    if scope is None or not scope.read_only or not isinstance(app, Notes):
        return False
    app.tell(t("scope.read_only", hint=key_hint(app.screen, "app.scope")), "warning")
    typeahead = getattr(app, "typeahead", None)
    if typeahead is not None:
        typeahead.discard_burst()
    return True

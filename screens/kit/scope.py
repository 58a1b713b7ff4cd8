"""Whose portfolio the screens compute over (METHOD §8): the rep's own by
default, the team's on request; a manager also picks a rep. The App holds
the owner (None: the team); every screen reads through it and says it on
its status line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cockpit.i18n import t
from cockpit.store import reps as reps_mod

if TYPE_CHECKING:
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
        return len(self.offered) > 1

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

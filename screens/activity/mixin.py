"""What the Activity screen's mixins (edits, what-if, visit log) may use of
the screen they are part of: declared once, for the type checker only."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable

    from cockpit.activity.score import Scenario
    from cockpit.activity.store import ActivityState
    from screens.kit.base import CockpitScreen
    from screens.kit.virtual_table import VirtualTable

    class ActivityMixin(CockpitScreen):
        state: ActivityState | None
        rep: str | None
        period: str | None
        scenario: Scenario | None
        today: Callable[[], dt.date]

        @property
        def kind(self) -> str: ...
        def table(self, name: str) -> VirtualTable: ...
        def refresh_all(self) -> None: ...
        def refresh_rep(self) -> None: ...
        def reload(self) -> None: ...
        def drop_scenario(self, message_key: str | None) -> None: ...
        def commit_scenario(self) -> None: ...
        def update_status(self, note: str = "") -> None: ...
        def refresh_visits(self) -> None: ...
else:
    ActivityMixin = object  # at run time the mixins are plain classes

"""How the cockpit speaks to the rep, in one place: what just happened goes
on the status line of the screen shown; a toast is for what must be seen
wherever the eyes are. A toast never covers a dialog (while one is open, the
words go to the status line under it), and a routine toast replaces the one
before it instead of piling up; an error stays its time."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.notifications import Notification
from textual.screen import ModalScreen


class Notes(App[Any]):
    _routine: Notification | None = None  # the routine toast shown, replaced by the next one

    def say(self, message: str, severity: str = "information") -> None:
        """A toast (never markup); while a dialog is open, the status line under it."""
        if isinstance(self.screen, ModalScreen) and self._on_status_line(message, severity):
            return
        previous, self._routine = self._routine, None
        if previous is not None and previous in self._notifications:
            self._unnotify(previous)
        toast = Notification(message, "", severity, self.NOTIFICATION_TIMEOUT, markup=False)  # type: ignore[arg-type]  # severity is a Literal
        if severity != "error":
            self._routine = toast
        # Added now, not through a Notify message: the next say() must find it to replace it.
        self._notifications.add(toast)
        self._refresh_notifications()

    def tell(self, message: str, severity: str = "information") -> None:
        """What just happened, on the status line of the screen shown (an
        error in a toast too, unless a dialog is open: then the line says it)."""
        if not self._on_status_line(message, severity):
            self.say(message, severity)
        elif severity == "error" and not isinstance(self.screen, ModalScreen):
            self.say(message, severity)

    def _on_status_line(self, message: str, severity: str) -> bool:
        from screens.kit.base import CockpitScreen
        from screens.kit.status import StatusLine

        under = next((s for s in reversed(self.screen_stack) if isinstance(s, CockpitScreen)), None)
        lines = list(under.query(StatusLine)) if under is not None else []
        for line in lines:
            line.show(note=message, error=severity == "error")
        return bool(lines)

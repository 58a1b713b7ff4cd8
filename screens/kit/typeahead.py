"""Keys typed after a key that moves the focus wait for what it opens.

Textual forwards each key to the focused widget at once, and runs a
widget's bindings only when the key has bubbled back up to the App. In a
burst (``e``, ctrl+u, ``777003``, Enter, as a fast typist or a laggy SSH link
delivers it) the keys after ``e`` were therefore read by the table — digits
as screen switches — before the editor existed; so were the letters after
`n` (a name dialog) and the arrows after Enter (the next table). Here, once
a key bound to the screen's or the App's own action, or Enter on a table,
is on its way, the keys behind it are held, in order, and given to what has
the focus once that key was read (an entry takes them as soon as it has
it); and keys typed into an entry are given one at a time, each once the
previous one was read, so ctrl+u and Enter keep their place among the
letters.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

from textual import events
from textual.widget import Widget
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.app import App

FALLBACK_SECONDS = 0.25  # an edit key that opened nothing: the held keys go on after this
FIRST_READ_SECONDS = 5.0  # a screen's first rows never shown (its read failed): the held keys go on after this


class TypeAhead:
    def __init__(self, app: "App[Any]") -> None:
        self.app = app
        self._held: list[events.Key] = []
        self._capturing = False
        self._draining = False
        self._released = asyncio.Event()
        self._timer: Any = None
        self._task: asyncio.Task[None] | None = None

    @property
    def idle(self) -> bool:
        """No key held or being given."""
        return not (self._held or self._capturing or self._draining)

    def hold(self, event: events.Key) -> bool:
        """True if ``event`` (a key from the terminal) is held for later."""
        if time.monotonic() < self._discarding:  # typed for an entry that was refused
            return True
        if self._capturing or self._draining:
            self._held.append(event)
            return True
        if isinstance(self.app.focused, Input):
            # In an entry, letters are typed by the Input itself but ctrl+u and Enter
            # run as bindings once they have bubbled up: given all at once, Enter would
            # submit before the digits typed ahead of it. One at a time, in order.
            self._held.append(event)
            self._start_drain()
            return True
        if self._moves_focus(event.key):
            self._capture(event)
        return False

    def _start_drain(self) -> None:
        if not self._draining:
            self._draining = True
            # A task of its own, not a callback of the App's: it waits for each key
            # to be read (by the App among others) before it gives the next.
            self._task = asyncio.create_task(self._drain())

    def read(self, event: events.Key) -> None:
        """The App has run the bindings of ``event``: if it was the edit key and
        no entry opened (a warning instead), the held keys go on once the screen
        has read what the key set off."""
        if self._capturing and event is self._capture_event:
            asyncio.create_task(self._release_when_settled(event))

    async def _release_when_settled(self, event: events.Key) -> None:
        await self._settle()
        if self._capturing and event is self._capture_event:
            self.release()

    _capture_event: events.Key | None = None

    _captured_at = 0.0

    def _capture(self, event: events.Key) -> None:
        self._capture_event = event
        self._capturing = True
        self._captured_at = time.monotonic()
        self._released.clear()
        self._timer = self.app.set_timer(FALLBACK_SECONDS, self.release)

    def _moves_focus(self, key: str) -> bool:
        from screens.kit.base import CockpitScreen

        screen = self.app.screen
        if not isinstance(screen, CockpitScreen) or isinstance(self.app.focused, Input):
            return False
        for namespace, bindings in screen._modal_binding_chain:
            for binding in bindings.key_to_bindings.get(key, ()):
                if binding.priority:
                    continue
                action = binding.action.split("(")[0]
                # Enter on a table (an entry, a card, the next table) and the
                # screen's and the App's own actions (a dialog, another screen)
                # move the focus: the keys behind are for what they open.
                return action == "activate" or namespace is screen or namespace is self.app
        return False

    _discarding = 0.0  # until when keys from the terminal are dropped

    def discard_burst(self) -> None:
        """An entry was refused (said in a sentence): the keys typed behind its
        key were its text, never commands (digits would switch screens, a `q`
        quit), so those held and those of the same burst are dropped."""
        self._held.clear()
        self._discarding = time.monotonic() + FALLBACK_SECONDS
        self.release()

    def release(self) -> None:
        """The entry has the focus (or none opened): the held keys go on, in
        order; on a screen's first visit, once its first rows are shown (it
        calls this again then): an Enter or ↓ typed behind ``4`` is for them."""
        if not self._capturing:
            return
        if getattr(self.app.screen, "awaiting_first_read", False) and time.monotonic() < self._captured_at + FIRST_READ_SECONDS:
            if self._timer is not None:
                self._timer.stop()
            self._timer = self.app.set_timer(self._captured_at + FIRST_READ_SECONDS - time.monotonic(), self.release)
            return
        self._capturing = False
        self._released.set()
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._held:
            self._start_drain()

    async def _drain(self) -> None:
        try:
            while self._held:
                if self._capturing:
                    await self._released.wait()
                    continue
                event = self._held.pop(0)
                if self._moves_focus(event.key):
                    self._capture(event)
                await self._dispatch(event)
                await self._settle()
        except Exception as exc:  # never strand the rep's keys: the rest go as Textual would send them
            from cockpit.errorlog import log_exception

            log_exception(exc)
            held, self._held = self._held, []
            for event in held:
                (self.app.focused or self.app.screen)._forward_event(event)
        finally:
            self._draining = False

    async def _dispatch(self, event: events.Key) -> None:
        # What App.on_event does with a key from the terminal.
        app = self.app
        if not await app._check_bindings(event.key, priority=True):
            target: Widget = app.focused or app.screen
            target._forward_event(event)

    async def _settle(self, rounds: int = 3, timeout: float = 0.5) -> None:
        """Until the App and the screen have read what was queued (a key bubbles
        up one widget at a time, hence a few rounds)."""
        for _ in range(rounds):
            nodes = [self.app, *self.app.screen.walk_children(with_self=True)]
            left = len(nodes)
            done = asyncio.Event()

            def one() -> None:
                nonlocal left
                left -= 1
                if left == 0:
                    done.set()

            for node in nodes:
                node.call_later(one)
            try:
                await asyncio.wait_for(done.wait(), timeout)
            except asyncio.TimeoutError:
                return


def focus_now(widget: Widget) -> None:
    """Give ``widget`` the focus now (not on the next tick) and let the held keys reach it."""
    widget.screen.set_focus(widget)
    typeahead = getattr(widget.app, "typeahead", None)
    if typeahead is not None:
        typeahead.release()

"""End to end in a browser: ``cockpit serve`` (textual-serve) driven by headless Chromium through Playwright.

``cockpit serve --rep julien`` listens on a free loopback port with a test
workspace; Chromium (Debian's, launched by Playwright's Python package with
``executable_path``: no browser download) opens the secret address it printed
(the token is exchanged for a cookie, then leaves the URL), waits for the
Portfolio screen, presses End, e, the digits of a new revenue and Enter, and
checks that the page shows the last client at rank 1 in class A; then the
workspace file has the edit, journaled as julien's. The page's text is read from xterm.js's buffer
(see ``e2e/browser.py``); a screenshot is kept in the test's tmp folder.

Skipped, naming what is missing, where Chromium or Playwright is absent; in
CI (CI=true) .ci/run installs them, so there it fails instead.
"""

from __future__ import annotations

import contextlib
import sqlite3

import pytest

from e2e.browser import CHROMIUM_FLAGS, KEEP_CLIENT, READ_SCREEN, chromium_path
from e2e.common import Target, require, stop, wait_for
from e2e.served import cockpit_serve

pytestmark = pytest.mark.slow


@pytest.fixture
def chromium() -> str:
    try:
        import playwright.sync_api  # noqa: F401
        playwright = "installed"
    except ImportError:
        playwright = None
    path = chromium_path()
    require({"chromium": path, "playwright (Python package, a dev dependency)": playwright})
    return path


@pytest.fixture
def served(db_path, tmp_path):
    """``cockpit serve --rep julien`` on a free loopback port: (the secret url it printed, log path, process)."""
    with cockpit_serve(db_path, tmp_path, "--rep", "julien") as s:
        yield s.url, s.log, s.proc


@contextlib.contextmanager
def cockpit_page(chromium: str, url: str, target: Target, screens: list[str]):
    """A tab on the served cockpit, its Portfolio shown and the keyboard on the
    terminal; yields (page, read): read() is the screen's text, kept in ``screens``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            base = url.split("?")[0]
            # The page asks Google for a font: only this machine's server is reached.
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
            page.add_init_script(KEEP_CLIENT)
            page.goto(url)  # the address with its token: exchanged for the session cookie, then redirected

            def read() -> str:
                screens.append(page.evaluate(READ_SCREEN))
                return screens[-1]

            wait_for(read, target.portfolio_shown, "the Portfolio screen in the page", timeout=30)
            page.focus("textarea.xterm-helper-textarea")  # the keyboard of xterm.js, as a click would give
            yield page, read
        finally:
            browser.close()  # the tab closes: textual-serve tells the cockpit to quit


def test_edit_a_revenue_in_a_browser(chromium, served, db_path, tmp_path):
    url, log, server = served
    target = Target(db_path, owner="julien")  # the session's rep decides the data: julien's own portfolio
    with contextlib.closing(sqlite3.connect(db_path)) as db:
        seq = db.execute("SELECT coalesce(max(seq), 0) FROM journal").fetchone()[0]
    screens: list[str] = []
    with cockpit_page(chromium, url, target, screens) as (page, read):
        # The token left the address bar; the session is an HttpOnly, SameSite=Strict cookie.
        assert page.url == url.split("?")[0] and "token" not in page.url
        (cookie,) = page.context.cookies()
        assert (cookie["httpOnly"], cookie["sameSite"], cookie["secure"]) == (True, "Strict", False)
        # julien's own portfolio, not the serving account's (the status line may paint after the table)
        wait_for(read, lambda s: "Portefeuille (Julien Lefèvre)" in s, "julien's name on the status line")
        page.keyboard.press("End")
        wait_for(read, lambda s: target.row(s, target.count) is not None, f"{target.name} at the bottom")
        page.keyboard.press("e")
        wait_for(read, target.editor_open, "the amount editor on the last row")
        page.keyboard.type(str(target.new_euros))
        page.keyboard.press("Enter")
        wait_for(read, target.asks_to_confirm, "the question before a change of more than 90 %")
        page.keyboard.press("o")
        wait_for(read, lambda s: "enregistré" in s and target.is_first_in_a(s),
                 f"'enregistré' and {target.name} at rank 1 in class A")
        page.screenshot(path=str(tmp_path / "page.png"))
    assert not [s for s in screens if "Traceback" in s], "a traceback was on the page"
    assert target.saved_cents() == target.new_euros * 100
    with contextlib.closing(sqlite3.connect(db_path)) as db:  # the session worked as the rep served, not as root
        assert db.execute("SELECT DISTINCT who, entity FROM journal WHERE seq > ?", (seq,)).fetchall() == [
            ("julien", "amounts")]
    stop(server)  # SIGTERM: textual-serve closes its sessions; what the cockpit wrote to stderr is in the log
    assert "Traceback" not in log.read_text(errors="replace")


def test_prospects_names_whole_at_the_browser_width(chromium, served, db_path, tmp_path):
    """Issue 18, item 1: the browser's window (1280 px, ~150 columns) shows the
    Prospects companies whole, as a terminal of that width does."""
    from cockpit.prospects.store import load_prospects
    from cockpit.store.workspace import Workspace

    ws = Workspace(db_path, who="claire")
    companies = sorted({p.company for p in load_prospects(ws)}, key=len, reverse=True)
    ws.close()
    url, log, server = served
    target = Target(db_path, owner="julien")
    screens: list[str] = []
    with cockpit_page(chromium, url, target, screens) as (page, read):
        page.keyboard.press("2")
        wait_for(read, lambda s: "Société" in s and "Étape" in s, "the Prospects table", timeout=30)
        lines = read().splitlines()
        header = next(i for i, line in enumerate(lines) if line.startswith("Société"))
        rows = [line for line in lines[header + 1:header + 11] if line.strip()]
        page.screenshot(path=str(tmp_path / "prospects.png"))
    assert rows, "no prospect row under the header"
    cut = [line for line in rows if not any(line.startswith(name) for name in companies)]
    assert not cut, f"company names cut at the browser's width: {cut}"
    stop(server)

"""Headless Chromium on a ``cockpit serve`` page, and reading the terminal it shows.

textual-serve 1.1.3's page (static/js/textual.js) draws with xterm.js and its
canvas/WebGL renderer, so the text is not in the DOM; nor is the terminal
object on ``window``. Its client object does ``this.websocket_url = ...`` in
its constructor: an init script puts a setter of that name on
Object.prototype, which keeps a reference to the client (and then behaves as
a plain property). ``client.terminal.buffer.active`` is then xterm.js's own
screen buffer: exactly the characters drawn on the canvas. Nothing of the
page is replaced or altered.
"""

from __future__ import annotations

from .common import find_program

CHROMIUM_FLAGS = [
    # As the machine doc says Debian's Chromium runs here, as root, without a network beyond loopback.
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]

KEEP_CLIENT = """
Object.defineProperty(Object.prototype, "websocket_url", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "websocket_url", {value, writable: true, configurable: true, enumerable: true});
    window.__textualClient = this;
  },
});
"""

READ_SCREEN = """() => {
  const client = window.__textualClient;
  if (!client || !client.terminal) return "";
  const term = client.terminal, buffer = term.buffer.active, lines = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
}"""


def chromium_path() -> str | None:
    return find_program("chromium", "/usr/bin/chromium", "/usr/lib/chromium/chromium") or find_program("chromium-browser")

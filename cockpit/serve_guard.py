"""Who may open ``cockpit serve``: the secret token, the session cookie, and
the Host and Origin a request may carry.

textual-serve has no access control of its own: whoever reaches the port got
a terminal. So every request passes ``Guard.decide`` first (the aiohttp
middleware is in ``screens/serve.py``; this module is plain logic):

- the Host must be the served host:port, a loopback alias of it, the public
  URL's, or one named with ``--allow-host``: a DNS-rebound name is refused;
- the index opened with ``?token=`` (the URL printed at start, as Jupyter
  does) sets an HttpOnly, SameSite=Strict cookie and redirects to the URL
  without the token, so it leaves the address bar, history and Referer;
- everything else needs that cookie, the WebSocket too, and a WebSocket's
  Origin must be one of the served origins (cross-site WebSocket hijacking).
"""

from __future__ import annotations

import enum
import hmac
import ipaddress
import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
WEBSOCKET_PATH = "/ws"
_NAME = re.compile(r"[a-z0-9]([a-z0-9.-]{0,252})?")  # a DNS name or an IPv4 address, lower case


class Decision(enum.Enum):
    PASS = "pass"            # hand over to textual-serve
    LOGIN = "login"          # right token: set the cookie, redirect to the URL without it
    BAD_HOST = "bad_host"    # 403: a Host this server is not
    BAD_ORIGIN = "bad_origin"  # 403: a page of another site opens the WebSocket
    NO_SESSION = "no_session"  # 403: no cookie, or a wrong token: the small login page


def _bracket(host: str) -> str:
    """A host as it appears in a Host header: an IPv6 address in brackets."""
    host = host.strip().strip("[]").lower()
    return f"[{host}]" if ":" in host else host


def _is_wildcard(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def parse_allowed_host(text: str) -> tuple[str, int | None]:
    """``NAME`` or ``NAME:PORT`` (an IPv6 address in brackets) of ``--allow-host``;
    ValueError, in words, on anything else."""
    try:
        split = urlsplit("//" + text.strip())
        name, port = split.hostname, split.port  # .port raises ValueError on a bad port
    except ValueError:
        name, port = None, None
    if not name or split.path or split.query or split.username or (
            ":" not in name and not _NAME.fullmatch(name)):
        raise ValueError(f"{text!r}: expected a host name or address, optionally with :PORT "
                         "(e.g. cockpit.example.org or 192.168.1.20:8000)")
    if ":" in name:
        ipaddress.IPv6Address(name)  # ValueError if it is not one
    return _bracket(name), port


def allowed_hosts(host: str, port: int, public_url: str, extra: list[str]) -> frozenset[str]:
    """Every Host header value this server answers to, lower case. A name
    without a port is also accepted without one (a proxy on port 80 or 443)."""
    names = {_bracket(host)} - {_bracket("0.0.0.0"), _bracket("::")}
    if _is_wildcard(host) or host.strip().lower() == "localhost" or _loopback(host):
        names |= set(LOOPBACK_NAMES)  # the same socket answers on each of them
    hosts = {f"{name}:{port}" for name in names} | (set(names) if port == 80 else set())
    split = urlsplit(public_url)
    if split.hostname:
        hosts.add(split.netloc.lower().rpartition("@")[2])
        default = {"http": 80, "https": 443}.get(split.scheme)
        if split.port is None and default:
            hosts.add(f"{_bracket(split.hostname)}:{default}")  # some clients name the default port
    for text in extra:
        name, extra_port = parse_allowed_host(text)
        hosts |= {f"{name}:{extra_port}"} if extra_port else {f"{name}:{port}", name}
    return frozenset(hosts)


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def _same(given: str | None, secret: str) -> bool:
    """Constant-time comparison, whatever bytes the request carried."""
    if not given:
        return False
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), secret.encode("ascii"))


@dataclass(frozen=True)
class Guard:
    """One served cockpit's secrets and addresses. ``token`` is printed once,
    at start; ``session`` only ever travels in the HttpOnly cookie."""

    token: str
    session: str
    hosts: frozenset[str]
    secure: bool   # served over https (behind a proxy): the cookie is Secure
    cookie: str    # its name, with the port: two cockpits on one host keep their own

    @classmethod
    def new(cls, host: str, port: int, public_url: str, extra_hosts: list[str]) -> Guard:
        return cls(token=secrets.token_urlsafe(32), session=secrets.token_urlsafe(32),
                   hosts=allowed_hosts(host, port, public_url, extra_hosts),
                   secure=public_url.lower().startswith("https:"), cookie=f"cockpit-session-{port}")

    def login_url(self, public_url: str) -> str:
        return f"{public_url.rstrip('/')}/?token={self.token}"

    def host_ok(self, header: str | None) -> bool:
        return header is not None and header.strip().lower() in self.hosts

    def origin_ok(self, header: str | None) -> bool:
        """A served origin: http(s) and one of the allowed hosts. ``null``, a
        missing Origin on a WebSocket and any other site are refused."""
        if not header:
            return False
        split = urlsplit(header.strip().lower())
        if split.scheme not in ("http", "https") or split.path or split.query or not split.netloc:
            return False
        return split.netloc in self.hosts

    def decide(self, *, path: str, host: str | None, origin: str | None, token: str | None,
               cookie: str | None, upgrade: str | None = None) -> Decision:
        """What one request gets, before textual-serve sees it (``upgrade``: its Upgrade header)."""
        if not self.host_ok(host):
            return Decision.BAD_HOST
        websocket = path == WEBSOCKET_PATH or (upgrade or "").strip().lower() == "websocket"
        if (websocket or origin is not None) and not self.origin_ok(origin):
            return Decision.BAD_ORIGIN  # a page of another site, whatever cookie its browser sends
        if token is not None and path == "/":
            return Decision.LOGIN if _same(token, self.token) else Decision.NO_SESSION
        return Decision.PASS if _same(cookie, self.session) else Decision.NO_SESSION

    def set_cookie(self) -> str:
        """The Set-Cookie value: no Max-Age, so it ends with the browser session."""
        return "; ".join([f"{self.cookie}={self.session}", "Path=/", "HttpOnly", "SameSite=Strict"]
                         + (["Secure"] if self.secure else []))

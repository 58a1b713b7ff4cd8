"""``cockpit serve``'s door, tried on a real server: a real ``cockpit serve``
process on a free loopback port, real HTTP (http.client, no redirect
followed) and a real WebSocket (aiohttp's client).

Without the token printed at start nothing gets a page, a static file or a
terminal; the right token is exchanged for an HttpOnly, SameSite=Strict cookie
and a redirect to the address without it; a foreign Host (DNS rebinding) and a
WebSocket from a foreign Origin (cross-site WebSocket hijacking) get 403,
cookie or not.
"""

from __future__ import annotations

import asyncio
import http.client
import time
from http.cookies import SimpleCookie

import aiohttp
import pytest

from e2e.served import Served, cockpit_serve


@pytest.fixture(scope="module")
def served(sample_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    with cockpit_serve(sample_copy(sample_db, folder), folder, "--rep", "sophie", lang="en") as s:
        yield s


@pytest.fixture(scope="module")
def proxied(sample_db, tmp_path_factory):
    """Behind an HTTPS proxy: --public-url https://…, and a second name allowed."""
    folder = tmp_path_factory.mktemp("proxied")
    with cockpit_serve(sample_copy(sample_db, folder), folder, "--public-url", "https://cockpit.example.org",
                       "--allow-host", "cockpit.lan:9000") as s:
        yield s


def sample_copy(sample_db, folder):
    import shutil

    target = folder / "workspace.sqlite"
    shutil.copy(sample_db, target)
    return target


def get(s: Served, path: str, host: str | None = None, cookie: str | None = None,
        origin: str | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
    headers = {"Host": host or f"127.0.0.1:{s.port}"}
    if cookie:
        headers["Cookie"] = cookie
    if origin:
        headers["Origin"] = origin
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    conn.close()
    return response


def login(s: Served, host: str | None = None) -> tuple[http.client.HTTPResponse, str]:
    """GET /?token=… : the response, and the cookie it set as a Cookie header."""
    response = get(s, f"/?token={s.token}", host=host)
    jar: SimpleCookie = SimpleCookie()
    jar.load(response.headers.get("Set-Cookie", ""))
    return response, "; ".join(f"{k}={v.value}" for k, v in jar.items())


def websocket(s: Served, cookie: str | None, origin: str | None, host: str | None = None) -> int:
    """Open the terminal's WebSocket: 101 and the app's first bytes, or the status refused with."""
    async def go() -> int:
        headers = {k: v for k, v in (("Cookie", cookie), ("Origin", origin), ("Host", host)) if v}
        async with aiohttp.ClientSession() as session:
            try:
                async with session.ws_connect(f"http://127.0.0.1:{s.port}/ws?width=80&height=24",
                                              headers=headers, timeout=aiohttp.ClientWSTimeout(ws_close=5)) as ws:
                    message = await ws.receive(timeout=30)  # the cockpit process started and wrote to its terminal
                    assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), message
                    return 101
            except aiohttp.WSServerHandshakeError as exc:
                return exc.status
    return asyncio.run(asyncio.wait_for(go(), 60))  # a cockpit that never answers fails the test, never hangs it


def test_the_address_printed_is_the_served_one_with_a_token(served):
    assert served.url == f"http://127.0.0.1:{served.port}/?token={served.token}"
    assert len(served.token) >= 43  # 32 random bytes, URL-safe base64
    assert "served for sophie" in served.log.read_text()


def test_the_token_is_printed_once_and_never_logged_again(served):
    get(served, f"/?token={served.token}&fontsize=14")
    end = time.monotonic() + 10
    while "fontsize=14" not in served.log.read_text() and time.monotonic() < end:  # logged once answered
        time.sleep(0.05)
    log = served.log.read_text()
    assert log.count(served.token) == 1 and "token=…&fontsize=14" in log


def test_no_token_gets_403_and_never_the_terminal(served):
    for path in ("/", "/static/js/textual.js", "/ws", "/download/x"):
        response = get(served, path)
        assert response.status == 403, path
        assert b"textual" not in response.body.lower() and b"ws://" not in response.body
        assert "Set-Cookie" not in response.headers
    assert b"?token=" in get(served, "/").body  # the small page says how to get in
    assert websocket(served, None, f"http://127.0.0.1:{served.port}") == 403


@pytest.mark.parametrize("token", ["wrong", "", "%C3%A9", "%FF", "x" * 43])
def test_a_wrong_token_gets_403_and_no_cookie(served, token):
    response = get(served, f"/?token={token}")
    assert response.status == 403 and "Set-Cookie" not in response.headers


def test_a_near_miss_token_gets_403(served):
    near = served.token[:-1] + ("A" if served.token[-1] != "A" else "B")
    assert get(served, f"/?token={near}").status == 403


def test_the_right_token_sets_an_httponly_cookie_and_redirects_without_it(served):
    response, cookie = login(served)
    assert response.status == 303
    assert response.headers["Location"] == "./"  # the same page, the token gone from the address bar
    set_cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in set_cookie and "SameSite=Strict" in set_cookie and "Path=/" in set_cookie
    assert "Secure" not in set_cookie  # plain http on loopback: a Secure cookie would never come back
    assert served.token not in set_cookie  # the token is not the session
    assert response.headers["Referrer-Policy"] == "no-referrer"
    page = get(served, "/", cookie=cookie)
    assert page.status == 200 and f"ws://127.0.0.1:{served.port}/ws".encode() in page.body
    assert page.headers["X-Frame-Options"] == "DENY"
    assert get(served, "/static/js/textual.js", cookie=cookie).status == 200


def test_other_query_parameters_survive_the_redirect(served):
    response = get(served, f"/?fontsize=14&token={served.token}")
    assert response.headers["Location"] == "./?fontsize=14"


def test_a_forged_cookie_gets_403(served):
    _, cookie = login(served)
    name = cookie.split("=", 1)[0]
    assert get(served, "/", cookie=f"{name}=forged").status == 403
    assert get(served, "/", cookie=f"{name}={served.token}").status == 403  # the token is no session either


def test_the_websocket_with_the_cookie_and_the_served_origin_gets_a_terminal(served):
    _, cookie = login(served)
    assert websocket(served, cookie, f"http://127.0.0.1:{served.port}") == 101
    assert websocket(served, cookie, f"http://localhost:{served.port}", host=f"localhost:{served.port}") == 101


@pytest.mark.parametrize("origin", ["http://evil.example", "http://evil.example:{port}", "null", None,
                                    "https://127.0.0.1.evil.example:{port}", "http://127.0.0.1:1"])
def test_a_forged_origin_on_the_websocket_gets_403_even_with_the_cookie(served, origin):
    _, cookie = login(served)
    assert websocket(served, cookie, origin and origin.format(port=served.port)) == 403


@pytest.mark.parametrize("host", ["evil.example:{port}", "evil.example", "127.0.0.1", "127.0.0.1:1",
                                  "127.0.0.1:{port}.evil.example", "0.0.0.0:{port}"])
def test_a_forged_host_gets_403_with_a_cookie_or_the_token(served, host):
    """DNS rebinding: a page of evil.example, rebound to 127.0.0.1, reaches this port with its own Host."""
    _, cookie = login(served)
    host = host.format(port=served.port)
    assert get(served, "/", host=host, cookie=cookie).status == 403
    response = get(served, f"/?token={served.token}", host=host)
    assert response.status == 403 and "Set-Cookie" not in response.headers
    assert websocket(served, cookie, f"http://{host}", host=host) == 403


def test_loopback_aliases_of_the_served_address_are_the_same_server(served):
    for host in (f"localhost:{served.port}", f"[::1]:{served.port}", f"LOCALHOST:{served.port}"):
        response, cookie = login(served, host=host)
        assert response.status == 303, host
        assert get(served, "/", host=host, cookie=cookie).status == 200


def test_behind_an_https_proxy_the_cookie_is_secure_and_the_public_name_allowed(proxied):
    assert proxied.url == f"https://cockpit.example.org/?token={proxied.token}"
    response, cookie = login(proxied, host="cockpit.example.org")
    assert response.status == 303 and "Secure" in response.headers["Set-Cookie"]
    assert get(proxied, "/", host="cockpit.example.org", cookie=cookie).status == 200
    assert b"wss://cockpit.example.org/ws" in get(proxied, "/", host="cockpit.example.org", cookie=cookie).body
    assert get(proxied, "/", host="cockpit.lan:9000", cookie=cookie).status == 200  # --allow-host
    assert get(proxied, "/", host="cockpit.lan", cookie=cookie).status == 403  # that port only
    assert websocket(proxied, cookie, "https://cockpit.example.org", host="cockpit.example.org") == 101
    assert websocket(proxied, cookie, "http://cockpit.example.org.evil.example", host="cockpit.example.org") == 403

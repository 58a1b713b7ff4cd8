"""A throwaway OpenSSH server on 127.0.0.1 and a tmux terminal to drive an ``ssh -t`` session.

Everything lives in a temporary folder: host and client keys, authorized_keys,
sshd_config, pid file and log. Nothing of the machine's own ssh set-up is read
or changed (the server ignores /etc/ssh/sshd_config, the client gets -F /dev/null).
"""

from __future__ import annotations

import getpass
import os
import re
import shlex
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from .common import free_port, stop, wait_port


def _keygen(ssh_keygen: str, path: Path) -> None:
    subprocess.run([ssh_keygen, "-q", "-t", "ed25519", "-N", "", "-C", "cockpit-e2e", "-f", str(path)], check=True)


class Sshd:
    def __init__(self, sshd: str, ssh_keygen: str, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.user = getpass.getuser()
        self.client_key = folder / "client_key"
        host_key = folder / "host_key"
        _keygen(ssh_keygen, host_key)
        _keygen(ssh_keygen, self.client_key)
        authorized = folder / "authorized_keys"
        authorized.write_text((folder / "client_key.pub").read_text())
        config = folder / "sshd_config"
        config.write_text("\n".join([
            f"Port {self.port}",
            "ListenAddress 127.0.0.1",
            f"HostKey {host_key}",
            f"PidFile {folder / 'sshd.pid'}",
            f"AuthorizedKeysFile {authorized}",
            "StrictModes no",  # the keys sit in a temporary folder
            "UsePAM no",
            "PermitRootLogin prohibit-password",  # CI runs as root: keys only
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "AllowTcpForwarding no",
            "X11Forwarding no",
            "PrintMotd no",
            "PrintLastLog no",
            "LogLevel VERBOSE",
            "",
        ]))
        if os.geteuid() == 0:
            os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # privilege separation directory
        self.log = folder / "sshd.log"
        # -D: stay in the foreground (this test owns it); -E: log to our file. sshd needs its absolute path.
        self.proc = subprocess.Popen([sshd, "-D", "-f", str(config), "-E", str(self.log)],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.log.touch()
        wait_port(self.port, self.proc, self.log)

    def ssh_command(self, ssh: str, remote: list[str]) -> str:
        """The shell command a rep would type: ``ssh -t`` to this server running ``remote``."""
        return shlex.join([
            ssh, "-F", "/dev/null", "-t", "-p", str(self.port), "-i", str(self.client_key),
            "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
            f"{self.user}@127.0.0.1", shlex.join(remote),
        ])

    def close(self) -> None:
        stop(self.proc)


class Tmux:
    """A detached tmux session of its own server (own socket, own config): a terminal we can read and type in."""

    SESSION = "e2e"

    def __init__(self, tmux: str, width: int, height: int, term: str = "xterm-256color") -> None:
        self.tmux = tmux
        self.dir = Path(tempfile.mkdtemp(prefix="cockpit-tmux-"))  # short: a socket path has ~100 bytes at most
        self.socket = self.dir / "s"
        self.conf = self.dir / "tmux.conf"
        # remain-on-exit: the pane stays after the program ends, so what it printed last can still be read.
        self.conf.write_text(f'set -g remain-on-exit on\nset -g default-terminal "{term}"\nset -g history-limit 5000\n')
        self.size = (width, height)
        self.term = term
        self.screens: list[str] = []  # every screen read, for the final "no traceback" check
        self.env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE")}

    def _run(self, *args: str, check: bool = True) -> str:
        out = subprocess.run([self.tmux, "-S", str(self.socket), *args], capture_output=True, text=True,
                             env=self.env, timeout=20)
        if check and out.returncode != 0:
            pytest.fail(f"tmux {' '.join(args)} failed: {out.stderr.strip()}")
        return out.stdout

    EXIT_MARK = "[e2e: exit status "

    def start(self, command: str) -> None:
        """Run ``command`` in the pane, then print its exit status there (tmux's own #{pane_dead_status}
        is sometimes still empty long after the pane died)."""
        w, h = self.size
        wrapped = f"{command}; status=$?; echo; echo '{self.EXIT_MARK}'\"$status\"']'"
        self._run("-f", str(self.conf), "new-session", "-d", "-s", self.SESSION, "-x", str(w), "-y", str(h), wrapped)

    def screen(self, history: bool = False) -> str:
        text = self._run("capture-pane", "-p", "-t", self.SESSION, *(["-S", "-"] if history else []))
        self.screens.append(text)
        return text

    def keys(self, *keys: str) -> None:
        self._run("send-keys", "-t", self.SESSION, *keys)

    def type(self, text: str) -> None:
        self._run("send-keys", "-t", self.SESSION, "-l", text)

    def pipe_to(self, path: Path | None) -> None:
        """Copy everything the program writes to the terminal into ``path`` (None: stop copying)."""
        self._run("pipe-pane", "-t", self.SESSION, *([f"cat >> {shlex.quote(str(path))}"] if path else []))

    def exit_status(self) -> int | None:
        """None while the command runs; then its exit status."""
        match = re.search(re.escape(self.EXIT_MARK) + r"(\d+)\]", self.screen(history=True))
        return int(match.group(1)) if match else None

    def close(self) -> None:
        self._run("kill-server", check=False)  # our own server only: -S names its socket
        for p in self.dir.iterdir():
            p.unlink()
        self.dir.rmdir()


def settle(path: Path, quiet: float = 0.3, timeout: float = 5) -> int:
    """Wait until ``path`` has not grown for ``quiet`` seconds; its size then."""
    end = time.monotonic() + timeout
    size, since = path.stat().st_size if path.exists() else 0, time.monotonic()
    while time.monotonic() < end:
        time.sleep(0.05)
        now = path.stat().st_size if path.exists() else 0
        if now != size:
            size, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            break
    return size

"""A real Dovecot IMAP server for the tests: ``/usr/sbin/dovecot -F`` (Debian's
``dovecot-imapd``) with a configuration of its own in a temporary directory.

It listens on 127.0.0.1 on a free port, without TLS, with one user (a plain password in a
passwd file) whose maildir lives in the directory. Run as root (CI), the login and internal
processes use Debian's ``dovenull`` and ``dovecot`` users and the mail processes ``nobody``:
Dovecot refuses uid 0 for them. Run as anyone else, every process is that user.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from textwrap import dedent
from urllib.parse import quote

from imapclient import IMAPClient

DOVECOT = Path("/usr/sbin/dovecot")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _users() -> tuple[str, str, str]:
    """(login user, internal user, mail user) for the current process."""
    if os.getuid() != 0:
        me = pwd.getpwuid(os.getuid()).pw_name
        return me, me, me
    known = {p.pw_name for p in pwd.getpwall()}
    login = "dovenull" if "dovenull" in known else "nobody"
    internal = "dovecot" if "dovecot" in known else "nobody"
    return login, internal, "nobody"


@dataclass
class Dovecot:
    """A running server: where it listens, who may log in, and where it keeps its files."""

    root: Path
    user: str = "soporte"
    password: str = "s3cret pass/word"
    host: str = "127.0.0.1"
    port: int = field(default_factory=free_port)
    extra: str = ""
    """More configuration lines (``imap_capability = ...`` for a server without MOVE)."""
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """``SOPORTE_IMAP_URL`` for this server, user and password percent-encoded."""
        user, password = quote(self.user, safe=""), quote(self.password, safe="")
        return f"imap://{user}:{password}@{self.host}:{self.port}/INBOX"

    @property
    def config(self) -> Path:
        return self.root / "dovecot.conf"

    def write_config(self) -> None:
        login, internal, mail = _users()
        mail_pw = pwd.getpwnam(mail)
        for name in ("run", "state", "mail", "home"):
            (self.root / name).mkdir(parents=True, exist_ok=True)
        for name in ("mail", "home"):
            os.chown(self.root / name, mail_pw.pw_uid, mail_pw.pw_gid)
        self.root.chmod(0o755)  # the mail processes run as ``mail``: they must reach mail/
        (self.root / "passwd").write_text(f"{self.user}:{{PLAIN}}{self.password}\n")
        self.config.write_text(
            dedent(
                f"""\
                base_dir = {self.root}/run
                state_dir = {self.root}/state
                log_path = {self.root}/dovecot.log
                protocols = imap
                listen = {self.host}
                ssl = no
                disable_plaintext_auth = no
                auth_mechanisms = plain login
                default_login_user = {login}
                default_internal_user = {internal}
                default_internal_group = {grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name}
                mail_location = maildir:{self.root}/mail/%u
                service imap-login {{
                  inet_listener imap {{
                    address = {self.host}
                    port = {self.port}
                  }}
                  inet_listener imaps {{
                    port = 0
                  }}
                }}
                passdb {{
                  driver = passwd-file
                  args = scheme=PLAIN username_format=%u {self.root}/passwd
                }}
                userdb {{
                  driver = static
                  args = uid={mail_pw.pw_uid} gid={mail_pw.pw_gid} home={self.root}/home/%u
                }}
                """
            )
            + self.extra
        )

    def start(self, timeout: float = 15.0) -> None:
        """Start the server and wait until it greets on its port."""
        self.process = subprocess.Popen(
            [str(DOVECOT), "-F", "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                error = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"dovecot exited with {self.process.returncode}: {error}")
            try:
                with socket.create_connection((self.host, self.port), timeout=1) as sock:
                    if sock.recv(100).startswith(b"* OK"):
                        return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(
            f"dovecot did not listen on {self.port} within {timeout} s: {self.log()}"
        )

    def stop(self) -> None:
        """Stop the server (its client connections drop) and wait for it."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def client(self) -> IMAPClient:
        client = IMAPClient(self.host, port=self.port, ssl=False, timeout=10)
        client.normalise_times = False
        client.login(self.user, self.password)
        return client

    def deliver(
        self, raw: bytes, internaldate: datetime | None = None, folder: str = "INBOX"
    ) -> int:
        """APPEND ``raw`` to ``folder`` (INTERNALDATE ``internaldate``, else now); its UID."""
        with self.client() as client:
            answer = client.append(folder, raw, msg_time=internaldate)
        # b"[APPENDUID <validity> <uid>] Append completed."
        return int(answer.split(b"]")[0].split()[-1])

    def messages(self, folder: str) -> list[bytes]:
        """The raw messages in ``folder`` (none if it does not exist), by UID."""
        with self.client() as client:
            if not client.folder_exists(folder):
                return []
            client.select_folder(folder, readonly=True)
            uids = sorted(client.search(["NOT", "DELETED"]))
            fetched = client.fetch(uids, ["BODY.PEEK[]"]) if uids else {}
            return [fetched[uid][b"BODY[]"] for uid in uids]

    def empty(self) -> None:
        """Remove every message from every folder (and the folders but INBOX)."""
        with self.client() as client:
            for _, _, name in client.list_folders():
                client.select_folder(name)
                uids = client.search(["ALL"])
                if uids:
                    client.delete_messages(uids)
                    client.expunge()
                client.close_folder()
                if name != "INBOX":
                    client.delete_folder(name)


@contextmanager
def running_dovecot(extra: str = "") -> Iterator[Dovecot]:
    """A started server in a fresh directory of ``/tmp`` (not pytest's, which is private to
    its owner: the mail processes run as another user when the tests run as root), stopped
    and removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="soporte-dovecot-"))
    server = Dovecot(root=root, extra=extra)
    try:
        server.write_config()
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)

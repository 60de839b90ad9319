"""A real server for the tests: `justenough serve` in its own process on a free
loopback port, stopped, or killed, at the end."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from api.storage import accounts
from api.storage.accounts import Role
from api.storage.database import Database

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def add_users(database: str, prefix: str = "live") -> dict[str, str]:
    """A user per role (the command line that does this is tested in test_service_commands.py)."""
    db = Database.open(database)
    try:
        with db.write() as session:
            return {
                role.value: accounts.add_user(session, f"{prefix}-{role.value}", role)
                for role in Role
            }
    finally:
        db.close()


@dataclass
class LiveServer:
    database: str
    extra: tuple[str, ...] = ()
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LiveServer:
        command = [sys.executable, "-m", "api.cli.main", "serve", "--database", self.database]
        command += ["--port", str(self.port), *self.extra]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own group: the rules-engine workers go with it
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/openapi.json", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("the server did not start within 90 s")

    def kill(self) -> None:
        """SIGKILL to the server's process group: no chance to finish anything."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()

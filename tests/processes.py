"""Real processes for the tests that need them: `commonground` commands, the web server and the
worker, each against a throw-away database of its own (a SQLite file, or a scratch database on
the outer run's PostgreSQL server), because the audit ledger's triggers refuse the flush a
transactional test would need.
"""

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest

REPO = Path(__file__).resolve().parents[1]
COMMAND_TIMEOUT = 120.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_command(args: list[str], env: dict[str, str], timeout: float = COMMAND_TIMEOUT) -> str:
    """Run a `commonground` management command; its output. Fails the test loudly if it fails."""
    command = [sys.executable, "-m", "commonground", *args]
    result = subprocess.run(
        command,
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"`commonground {args[0]}` failed with exit code {result.returncode}:\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}",
            pytrace=False,
        )
    return result.stdout


def start(args: list[str], env: dict[str, str], log_file: Path) -> subprocess.Popen[bytes]:
    """Start a long-running `commonground` command (serve, worker), its output to `log_file`."""
    with log_file.open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "commonground", *args],
            env=env,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    """Stop a process we started, by its pid: `sig`, then SIGKILL after ten seconds."""
    if process.poll() is not None:
        return
    os.kill(process.pid, sig)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


class ScratchPostgres:
    """A throw-away database next to the outer run's database, created and dropped by us."""

    def __init__(self, config: dict[str, object], prefix: str = "cg_scratch") -> None:
        self.host = str(config.get("HOST") or "127.0.0.1")
        self.port = str(config.get("PORT") or "5432")
        self.user = str(config.get("USER") or "postgres")
        self.password = str(config.get("PASSWORD") or "")
        self.name = f"{prefix}_{os.getpid()}"

    def _admin(self) -> psycopg.Connection:
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password or None,
            dbname="postgres",
            autocommit=True,
        )

    @property
    def url(self) -> str:
        secret = f":{quote(self.password, safe='')}" if self.password else ""
        return f"postgres://{quote(self.user, safe='')}{secret}@{self.host}:{self.port}/{self.name}"

    def create(self) -> None:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def scratch_database(tmp: Path, prefix: str) -> tuple[str, ScratchPostgres | None]:
    """A DATABASE_URL of the same kind as the outer run's: (url, the PostgreSQL one or None)."""
    from django.conf import settings

    engine = str(settings.DATABASES["default"]["ENGINE"])
    if "postgresql" in engine:
        postgres = ScratchPostgres(settings.DATABASES["default"], prefix)
        postgres.create()
        return postgres.url, postgres
    return f"sqlite:///{tmp / 'commonground.sqlite3'}", None

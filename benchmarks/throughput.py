"""Requests per second and p99 latency of the server as deployed, per route, beside /healthz.

Creates a scratch PostgreSQL database (`cg_tp_<pid>`), migrates it and loads the demo, starts
`commonground serve --workers 2` on 127.0.0.1 (DEBUG off, as in production), then drives each
route with wrk (Debian's `wrk`) for a bounded time over loopback and prints req/s, p99 and the
ratio to `/healthz` measured in the same run. The server is stopped by its process id and the
database dropped at the end, whatever happens.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/throughput.py [--seconds 10] [--connections 16]

Issue 9's goals: API reads >= 30% of /healthz, pages >= 20%, API p99 <= 50 ms at 16 clients.
wrk and the server share the machine's two cores: compare the ratios within one run.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COMMONGROUND = str(BIN / "commonground")
DEMO_PERSON = "coordinator@example.org"

# (label, kind, path template); {p} is the coordinator's first partnership.
ROUTES = [
    ("/healthz", "base", "/healthz"),
    ("API: /api/v1/me", "api", "/api/v1/me"),
    ("API: progress", "api", "/api/v1/partnerships/{p}/progress"),
    ("API: indicators list", "api", "/api/v1/partnerships/{p}/indicators"),
    ("page: results", "page", "/partnerships/{p}/results/"),
    ("page: My partnerships", "page", "/partnerships/"),
    ("page: overview", "page", "/partnerships/{p}/"),
]
GOALS = {"api": 0.30, "page": 0.20}
API_P99_GOAL_MS = 50.0


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(sql)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603
        [COMMONGROUND, *args], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return done.stdout


def _prepare(env: dict[str, str]) -> tuple[str, str, int]:
    """Migrate, load the demo, and return an API token, a session cookie and a partnership id."""
    _run(env, "migrate", "-v0", "--no-input")
    _run({**env, "DEBUG": "1"}, "seed")
    token = _run(env, "token", "create", "--email", DEMO_PERSON).strip().splitlines()[-1]
    script = (
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "from commonground.accounts.models import User\n"
        "from commonground.partnerships.models import Seat\n"
        f"u = User.objects.get(email={DEMO_PERSON!r})\n"
        "s = SessionStore()\n"
        "s[SESSION_KEY] = str(u.pk)\n"
        "s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'\n"
        "s[HASH_SESSION_KEY] = u.get_session_auth_hash()\n"
        "s.create()\n"
        "seats = Seat.objects.filter(user=u, role='coordinator')\n"
        "seat = seats.order_by('partnership_id').first()\n"
        "print(s.session_key, seat.partnership_id)\n"
    )
    out = _run(env, "shell", "-v0", "-c", script).strip().splitlines()[-1].split()
    return token, out[0], int(out[1])


def _wait(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"The server did not answer at {url} in time.")


def _ms(text: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _wrk(url: str, headers: list[str], args: argparse.Namespace) -> tuple[float, float, int]:
    command = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--latency"]
    for header in headers:
        command += ["-H", header]
    out = subprocess.run(  # noqa: S603
        [*command, url], capture_output=True, text=True, check=True, timeout=args.seconds + 30
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, p99, int(bad.group(1)) if bad else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="per route (bounded)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    server_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(server_url)
    name = f"cg_tp_{os.getpid()}"
    database_url = urlunsplit(parts._replace(path=f"/{name}"))
    var_dir = tempfile.mkdtemp(prefix="cg-tp-")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "VAR_DIR": var_dir,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EMAIL_BACKEND": "locmem",
    }
    _admin(server_url, f'CREATE DATABASE "{name}"')
    server: subprocess.Popen[bytes] | None = None
    try:
        token, session, partnership = _prepare(env)
        port = _free_port()
        workers = ["--workers", str(args.workers)]
        server = subprocess.Popen(  # noqa: S603
            [COMMONGROUND, "serve", "--host", "127.0.0.1", "--port", str(port), *workers],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        _wait(f"{base}/healthz", time.monotonic() + 60)
        rows = []
        for label, kind, template in ROUTES:
            headers = {
                "api": [f"Authorization: Bearer {token}"],
                "page": [f"Cookie: sessionid={session}"],
                "base": [],
            }[kind]
            rows.append((label, kind, *_wrk(base + template.format(p=partnership), headers, args)))
        _print(rows, args)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        _admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(var_dir, ignore_errors=True)


def _print(rows: list[tuple[str, str, float, float, int]], args: argparse.Namespace) -> None:
    healthz = rows[0][2]
    print(
        f"\n{args.connections} connections, {args.seconds} s per route, "
        f"{args.workers} server workers, PostgreSQL; load average {os.getloadavg()[0]:.2f}\n"
    )
    print(f"{'route':<24} {'req/s':>8} {'p99 ms':>8} {'/healthz':>9} {'goal':>6}  errors")
    for label, kind, rps, p99, bad in rows:
        ratio = rps / healthz if healthz else 0.0
        goal = GOALS.get(kind)
        verdict = ""
        if goal is not None:
            ok = ratio >= goal and (kind != "api" or p99 <= API_P99_GOAL_MS)
            verdict = f"{goal:.0%} {'met' if ok else 'NOT met'}"
        print(f"{label:<24} {rps:>8.0f} {p99:>8.1f} {ratio:>8.0%} {verdict:>12}  {bad}")


if __name__ == "__main__":
    main()

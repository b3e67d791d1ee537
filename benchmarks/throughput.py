"""Requests per second and p99 latency of the server as deployed, per route, beside /healthz.

Creates a scratch PostgreSQL database (`cg_tp_<pid>`), migrates it and loads the demo, starts
`commonground serve --workers 2` on 127.0.0.1 (DEBUG off, as in production), then drives each
route with wrk (Debian's `wrk`) for a bounded time over loopback and prints req/s, p99 and the
ratio to `/healthz` measured in the same run. The server is stopped by its process id and the
database dropped at the end, whatever happens.

Before the load, a child process (DEBUG off, the same settings and database) sends each route
`--in-process` requests one after another through django.test.Client and prints, per request,
the Python CPU time (time.process_time: the server's share, whatever else runs), the CPU time of
its PostgreSQL backend (from /proc, 10 ms ticks summed over all the requests), the wall time and
the number of queries. These do not depend on the machine's load the way req/s does: compare
them before and after a change.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/throughput.py [--seconds 10] [--connections 16]
        [--in-process 300] [--no-load] [--database NAME] [--profile ROUTE]

`--no-load` skips the server and wrk (the in-process figures only); `--database NAME` uses an
existing, migrated and seeded database of that server and keeps it (for quick repeats);
`--profile ROUTE` (a label's start, e.g. "API: /api/v1/me") prints cProfile's top functions
for that route instead.

Issue 9's goals: API reads >= 30% of /healthz, pages >= 20%, API p99 <= 50 ms at 16 clients.
wrk and the server share the machine's two cores: compare the ratios within one run. /healthz
is also run right before each route ("beside"), and the verdict uses that ratio: the load of
other work on the machine drifts within a run.
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
from typing import Any
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
    # No goal: the cheapest page there is for a signed-in person (the page frame around a static
    # text), the floor under every page's ratio (docs/decisions/0006).
    ("frame alone (floor)", "frame", "/accessibility/"),
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


def _prepare(env: dict[str, str], *, fresh: bool = True) -> tuple[str, str, int]:
    """Migrate, load the demo, and return an API token, a session cookie and a partnership id."""
    if fresh:
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
    # The latency distribution's line, not a "99.xx%" of the thread statistics above it.
    found = re.search(r"^\s+99%\s+([\d.]+(?:us|ms|s))\s*$", out, re.MULTILINE)
    if found is None:
        raise SystemExit(f"No 99th percentile in wrk's output for {url}:\n{out}")
    p99 = _ms(found.group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, p99, int(bad.group(1)) if bad else 0


# --- In process: CPU time and queries per request, through the real URLconf -------------------


def _backend_cpu_ticks(pid: int) -> int:
    """utime + stime of a PostgreSQL backend on this machine, in clock ticks (0 if unreadable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def _child(token: str, session: str, partnership: int, count: int, profile: str) -> None:
    """Runs in a child process with the scratch database's DATABASE_URL: one JSON line per route."""
    import cProfile
    import gc
    import json
    import pstats
    import statistics

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    tick_ms = 1000.0 / os.sysconf("SC_CLK_TCK")
    for label, kind, template in ROUTES:
        if profile and not label.startswith(profile):
            continue
        client = Client(HTTP_HOST="127.0.0.1")
        headers: dict[str, str] = {}
        if kind == "api":
            headers["Authorization"] = f"Bearer {token}"
        elif kind in ("page", "frame"):
            client.cookies["sessionid"] = session
        path = template.format(p=partnership)

        def get(
            path: str = path, client: Client = client, headers: dict[str, str] = headers
        ) -> int:
            return client.get(path, headers=headers).status_code

        for _ in range(5):  # warm-up: imports, template and URL caches, the connection
            status = get()
        if status != 200:
            raise SystemExit(f"{label}: {path} answered {status}")
        with CaptureQueriesContext(connection) as queries:
            get()
        sql = [query["sql"] for query in queries.captured_queries]  # before the log is reset
        if profile:
            profiler = cProfile.Profile(time.process_time)  # CPU, not waiting
            profiler.enable()
            for _ in range(count):
                get()
            profiler.disable()
            print(f"\n{label} {path}: cProfile over {count} requests", file=sys.stderr)
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(45)
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(30)
            continue
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = int(cursor.fetchone()[0])
        gc.collect()
        cpu: list[float] = []
        wall: list[float] = []
        ticks = _backend_cpu_ticks(backend)
        for _ in range(count):
            started, started_cpu = time.perf_counter(), time.process_time()
            get()
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
        with connection.cursor() as cursor:  # the same backend (the connection is kept)?
            cursor.execute("SELECT pg_backend_pid()")
            same = int(cursor.fetchone()[0]) == backend
        db_ms = (_backend_cpu_ticks(backend) - ticks) * tick_ms / count if same else -1.0
        # Python function calls per request: exact, whatever else runs on the machine.
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(20):
            get()
        profiler.disable()
        calls = pstats.Stats(profiler).total_calls / 20  # type: ignore[attr-defined]
        row = {
            "label": label,
            "cpu_median": statistics.median(cpu),
            "cpu_p10": statistics.quantiles(cpu, n=10)[0],
            "cpu_mean": statistics.fmean(cpu),
            "db_cpu": db_ms,
            "wall_median": statistics.median(wall),
            "queries": len(sql),
            "calls": calls,
            "sql": [text[:200] for text in sql],
        }
        print(json.dumps(row), flush=True)


def _in_process(
    env: dict[str, str], token: str, session: str, partnership: int, args: argparse.Namespace
) -> list[dict[str, Any]]:
    import json

    command = [sys.executable, __file__, "--child", token, session, str(partnership)]
    command += ["--in-process", str(args.in_process), "--profile", args.profile]
    done = subprocess.run(  # noqa: S603
        command, env=env, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True
    )
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def _print_in_process(rows: list[dict[str, Any]], args: argparse.Namespace) -> None:
    print(
        f"\nIn process, {args.in_process} requests per route one after another "
        f"(django.test.Client, DEBUG off, PostgreSQL); load average {os.getloadavg()[0]:.2f}"
    )
    print(
        "cpu: this process's CPU ms per request; db cpu: its PostgreSQL backend's (10 ms ticks);\n"
        "py calls: Python function calls per request (exact, unaffected by load)\n"
    )
    print(
        f"{'route':<24} {'cpu p10':>8} {'cpu med':>8} {'cpu mean':>9} {'db cpu':>7} "
        f"{'wall med':>9} {'queries':>8} {'py calls':>9}"
    )
    for row in rows:
        print(
            f"{row['label']:<24} {row['cpu_p10']:>8.2f} {row['cpu_median']:>8.2f} "
            f"{row['cpu_mean']:>9.2f} "
            f"{row['db_cpu']:>7.2f} {row['wall_median']:>9.2f} {row['queries']:>8} "
            f"{row['calls']:>9.0f}"
        )
    if args.show_sql:
        for row in rows:
            print(f"\n{row['label']}:")
            for sql in row["sql"]:
                print(f"  {sql}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="per route (bounded)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--in-process", type=int, default=300, help="requests per route; 0: none")
    parser.add_argument("--no-load", action="store_true", help="in-process figures only")
    parser.add_argument("--database", default="", help="an existing seeded database; kept")
    parser.add_argument("--profile", default="", help="cProfile the routes starting with this")
    parser.add_argument("--show-sql", action="store_true", help="each route's queries")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        token, session, partnership = args.child
        _child(token, session, int(partnership), args.in_process, args.profile)
        return
    if not args.no_load and shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    server_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(server_url)
    name = args.database or f"cg_tp_{os.getpid()}"
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
    if not args.database:
        _admin(server_url, f'CREATE DATABASE "{name}"')
    server: subprocess.Popen[bytes] | None = None
    try:
        token, session, partnership = _prepare(env, fresh=not args.database)
        if args.in_process:
            measured = _in_process(env, token, session, partnership, args)
            if not args.profile:
                _print_in_process(measured, args)
        if args.no_load or args.profile:
            return
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
        rows: list[tuple[str, str, float, float, int, float, float]] = []
        healthz_url = f"{base}/healthz"
        for label, kind, template in ROUTES:
            headers = {
                "api": [f"Authorization: Bearer {token}"],
                "page": [f"Cookie: sessionid={session}"],
                "frame": [f"Cookie: sessionid={session}"],
                "base": [],
            }[kind]
            # /healthz again right before each route: the load on this machine drifts within a
            # run, and the ratio should compare two figures taken under the same load.
            beside = _wrk(healthz_url, [], args)[0] if kind != "base" else 0.0
            rps, p99, bad = _wrk(base + template.format(p=partnership), headers, args)
            rows.append((label, kind, rps, p99, bad, beside, os.getloadavg()[0]))
        _print(rows, args)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        if not args.database:
            _admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(var_dir, ignore_errors=True)


def _print(
    rows: list[tuple[str, str, float, float, int, float, float]], args: argparse.Namespace
) -> None:
    healthz = rows[0][2]
    print(
        f"\n{args.connections} connections, {args.seconds} s per route, "
        f"{args.workers} server workers, PostgreSQL; load average {os.getloadavg()[0]:.2f}\n"
        "ratio: to the first /healthz; beside: to a /healthz run right before the route\n"
    )
    print(
        f"{'route':<24} {'req/s':>8} {'p99 ms':>8} {'/healthz':>9} {'beside':>7} "
        f"{'goal':>12}  errors  load"
    )
    for label, kind, rps, p99, bad, beside, load in rows:
        ratio = rps / healthz if healthz else 0.0
        near = rps / beside if beside else ratio
        goal = GOALS.get(kind)
        verdict = ""
        if goal is not None:
            ok = near >= goal and (kind != "api" or p99 <= API_P99_GOAL_MS)
            verdict = f"{goal:.0%} {'met' if ok else 'NOT met'}"
        print(
            f"{label:<24} {rps:>8.0f} {p99:>8.1f} {ratio:>8.0%} {near:>7.0%} {verdict:>12}  "
            f"{bad:>6}  {load:.1f}"
        )


if __name__ == "__main__":
    main()

"""Benchmark: the results pages at M and L scale, on SQLite and PostgreSQL, in one run.

    .venv/bin/python benchmarks/results_scale.py [--scale M|L|both] [--requests 30]

For each database (a SQLite file in a temporary directory, and a scratch PostgreSQL database
`cg_bench_<pid>` on --postgres, dropped at the end even on failure) it migrates a fresh database
with `commonground migrate`, then re-invokes itself with DATABASE_URL set (Django settings are
per process): per scale one child generates the data (results_data.py: M is 100 partnerships,
5,000 indicators and 1,000,000 result values with disaggregations; L tops it up to 1,000
partnerships, 50,000 indicators and 10,000,000 values) and computes the progress summaries
with the real code (`refresh_all`, which reads and writes each partnership in bulk); then a
fresh child, like a server worker, times over --requests (after --warmups):

- the partnership results page (/partnerships/<id>/results/) as its coordinator (who also sees
  the SMART check) and as a viewer, with its body cached as between writes, and as the
  coordinator with the cache emptied before every request (the first view after a write), and
  the progress API (GET /api/v1/partnerships/<id>/progress)
  for a typical generated partnership (the same one at M and at L);
- the fastest single raw SQL statement that computes the same figures from the reported results
  (results_measure.FIGURES_SQL, on the cursor directly), and the ratio endpoint p95 / SQL p95;
- the portfolio page (/portfolio/) for a person with a seat in every partnership.

The parent prints the figures side by side with the goals of issue 3. Server time is measured
in process around django.test.Client.get (middleware, session, view, template; no network).
Not part of the test suite: it prints figures and asserts nothing.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
PARTNERSHIPS = {"M": 100, "L": 1000}
TYPICAL_INDEX = 49  # from the 50th generated partnership on: present at M and at L
GOAL_P95_MS = 150.0
GOAL_RATIO = 3.0
GOAL_L_OVER_M = 1.5
GOAL_PORTFOLIO_MS = 100.0
GOAL_MY_WORK_MS = 100.0
MARKER = "RESULT "


# --- the parent: databases, children, the table ---------------------------------------------


def _postgres_urls(server: str) -> tuple[str, str, str]:
    parts = urlsplit(server)
    name = f"cg_bench_{os.getpid()}"
    admin = urlunsplit(parts._replace(scheme="postgresql", path=parts.path or "/postgres"))
    return admin, urlunsplit(parts._replace(path=f"/{name}")), name


def _child(label: str, env: dict[str, str], arguments: list[str]) -> dict[str, Any]:
    """Run this script as a child with `arguments`; its progress goes to stderr, its figures
    come back as the JSON on its RESULT line."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", *arguments]
    process = subprocess.Popen(  # noqa: S603
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    result: dict[str, Any] | None = None
    for line in process.stdout:
        if line.startswith(MARKER):
            result = json.loads(line[len(MARKER) :])
        else:
            print(f"[{label}] {line}", end="", file=sys.stderr, flush=True)
    if process.wait() != 0 or result is None:
        raise RuntimeError(f"The {label} benchmark failed (exit {process.returncode}).")
    return result


def _run_database(label: str, database_url: str, var_dir: str, args: argparse.Namespace) -> dict:
    """Migrate, then per scale: generate (one child), measure (a fresh child, like a server
    worker: nothing left over from generating millions of rows)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "VAR_DIR": var_dir,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
        "LOG_LEVEL": "ERROR",
        "DEBUG": "0",
    }
    env.pop("ENVIRONMENT", None)
    commonground = str(Path(sys.executable).with_name("commonground"))
    started = time.perf_counter()
    subprocess.run([commonground, "migrate", "-v0"], env=env, cwd=ROOT, check=True)  # noqa: S603
    output: dict[str, Any] = {
        "generation": {"migrate": time.perf_counter() - started},
        "scales": {},
        "load": [],
    }
    print(f"[{label}] migrated in {output['generation']['migrate']:.1f} s", file=sys.stderr)
    typical = ""
    for scale in ["M", "L"] if args.scale == "BOTH" else [args.scale]:
        made = _child(label, env, ["generate", "--scale", scale, "--typical", typical])
        typical = str(made["typical_id"])
        output["generation"].update(made["generation"])
        output["load"].append(os.getloadavg()[0])
        measured = _child(
            label,
            env,
            [
                "measure",
                "--typical",
                typical,
                "--requests",
                str(args.requests),
                "--warmups",
                str(args.warmups),
            ],
        )
        output["scales"][scale] = {**measured, "counts": made["counts"], "typical_id": typical}
        output["load"].append(os.getloadavg()[0])
    return output


def run_sqlite(args: argparse.Namespace) -> dict:
    directory = tempfile.mkdtemp(prefix="cg_results_bench_sqlite_")
    Path(directory, "static").mkdir()
    try:
        url = f"sqlite:///{directory}/bench.sqlite3"
        result = _run_database("SQLite", url, directory, args)
        result["size_mb"] = sum(
            path.stat().st_size for path in Path(directory).glob("bench.sqlite3*")
        ) / (1024 * 1024)
        return result
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def run_postgres(args: argparse.Namespace) -> dict:
    import psycopg
    from psycopg import sql

    admin_url, url, name = _postgres_urls(args.postgres)
    directory = tempfile.mkdtemp(prefix="cg_results_bench_pg_")
    Path(directory, "static").mkdir()
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        result = _run_database("PostgreSQL", url, directory, args)
        with psycopg.connect(admin_url, autocommit=True) as admin:
            size = admin.execute("SELECT pg_database_size(%s)", [name]).fetchone()
        result["size_mb"] = (size[0] if size else 0) / (1024 * 1024)
        return result
    finally:
        shutil.rmtree(directory, ignore_errors=True)
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("PASS" if ok else "MISS")


def print_table(results: dict[str, dict], args: argparse.Namespace) -> None:
    backends = [name for name in ("SQLite", "PostgreSQL") if name in results]
    scales = [s for s in ("M", "L") if all(s in results[b]["scales"] for b in backends)]
    width = 46
    col = 32
    line = "-" * (width + col * len(backends) + 30)
    print()
    print(
        f"Results benchmark, {args.requests} requests after {args.warmups} warm-ups per line; "
        "ms of server time (in process), cpu = this process's CPU time (not PostgreSQL's)"
    )
    print(line)
    head = f"{'':{width}}" + "".join(f"{b:>{col}}" for b in backends) + f"  {'goal':<16}verdict"
    print(head)
    sub = f"{'(ms)':{width}}" + "".join(
        f"{'median':>8}{'p95':>8}{'cpu':>8}{'queries':>8}" for _ in backends
    )
    print(sub)

    def timing_row(label: str, key: str, scale: str, goal: str, limit: float | None) -> None:
        cells, verdicts = "", []
        for backend in backends:
            t = results[backend]["scales"][scale][key]
            queries = "" if t.get("queries") is None else str(t["queries"])
            cells += f"{_ms(t['median']):>8}{_ms(t['p95']):>8}{_ms(t['cpu_median']):>8}{queries:>8}"
            verdicts.append(_verdict(None if limit is None else t["p95"] <= limit))
        print(f"{label:{width}}{cells}  {goal:<16}{' / '.join(verdicts)}")

    def ratio_row(
        label: str, values: list[tuple[float, ...]], goal: str, limit: float | None
    ) -> None:
        """values: per backend (p95 ratio, then ratios for information); the verdict is on p95."""
        cells = ""
        for ratios in values:
            rest = ", ".join(f"{r:.2f}" for r in ratios[1:])
            cells += f"{f'{ratios[0]:.2f}x' + (f' ({rest})' if rest else ''):>{col}}"
        verdicts = [_verdict(None if limit is None else v[0] <= limit) for v in values]
        print(f"{label:{width}}{cells}  {goal:<16}{' / '.join(verdicts)}")

    def ratio(a: dict[str, float], b: dict[str, float], *keys: str) -> tuple[float, ...]:
        return tuple(a[key] / b[key] for key in keys)

    for scale in scales:
        first = results[backends[0]]["scales"][scale]
        counts = first["counts"]
        print(line)
        print(
            f"{scale}: {counts['partnerships']:,} partnerships, {counts['indicators']:,} "
            f"indicators, {counts['values']:,} result values "
            f"({counts['results']:,} results + {counts['cells']:,} breakdown cells); "
            f"typical partnership #{first['typical_id']}, {first['typical_indicators']} indicators"
        )
        timing_row(
            "results page, coordinator",
            "page_coordinator",
            scale,
            "p95 ≤ 150 ms",
            GOAL_P95_MS,
        )
        timing_row("results page, viewer", "page_viewer", scale, "p95 ≤ 150 ms", GOAL_P95_MS)
        if all("page_uncached" in results[b]["scales"][scale] for b in backends):
            timing_row(
                "results page, coordinator, body not cached",
                "page_uncached",
                scale,
                "p95 ≤ 150 ms",
                GOAL_P95_MS,
            )
        timing_row("progress API", "api_progress", scale, "p95 ≤ 150 ms", GOAL_P95_MS)
        timing_row("raw SQL: figures from results", "sql_figures", scale, "baseline", None)
        timing_row("raw SQL: stored summaries", "sql_summaries", scale, "(information)", None)
        for key, label in (
            ("page_coordinator", "page (coordinator) / raw SQL: p95 (median)"),
            ("page_viewer", "page (viewer) / raw SQL: p95 (median)"),
            ("api_progress", "progress API / raw SQL: p95 (median)"),
        ):
            ratio_row(
                label,
                [
                    ratio(
                        results[b]["scales"][scale][key],
                        results[b]["scales"][scale]["sql_figures"],
                        "p95",
                        "median",
                    )
                    for b in backends
                ],
                "≤ 3",
                GOAL_RATIO,
            )
        if all("page_uncached" in results[b]["scales"][scale] for b in backends):
            ratio_row(
                "page, not cached / raw SQL: p95 (median)",
                [
                    ratio(
                        results[b]["scales"][scale]["page_uncached"],
                        results[b]["scales"][scale]["sql_figures"],
                        "p95",
                        "median",
                    )
                    for b in backends
                ],
                "(information)",
                None,
            )
        portfolio_goal = "p95 ≤ 100 ms" if scale == "L" else "(at L: ≤ 100)"
        timing_row(
            f"portfolio page, {counts['partnerships']:,} partnerships",
            "portfolio",
            scale,
            portfolio_goal,
            GOAL_PORTFOLIO_MS if scale == "L" else None,
        )
        timing_row("raw SQL: portfolio rows", "sql_portfolio", scale, "(information)", None)
        if all("my_work" in results[b]["scales"][scale] for b in backends):
            # Issue 11: My work of a person with seats in 50 partnerships.
            timing_row(
                "My work, seats in 50 partnerships",
                "my_work",
                scale,
                "p95 ≤ 100 ms" if scale == "L" else "(at L: ≤ 100)",
                GOAL_MY_WORK_MS if scale == "L" else None,
            )
            timing_row("raw SQL: the same results work", "sql_my_work", scale, "(baseline)", None)
            ratio_row(
                "My work / raw SQL: p95 (median)",
                [
                    ratio(
                        results[b]["scales"][scale]["my_work"],
                        results[b]["scales"][scale]["sql_my_work"],
                        "p95",
                        "median",
                    )
                    for b in backends
                ],
                "≤ 3",
                GOAL_RATIO,
            )
        agree = [results[b]["scales"][scale]["figures_agree"] for b in backends]
        print(
            f"{'raw SQL figures = stored summaries':{width}}"
            + "".join(f"{f'{a}/{n}':>{col}}" for a, n in agree)
        )
    if "M" in scales and "L" in scales:
        print(line)
        for key, label in (
            ("page_coordinator", "L / M, page (coordinator): p95 (median, cpu, calls)"),
            ("page_viewer", "L / M, page (viewer): p95 (median, cpu, calls)"),
            ("api_progress", "L / M, progress API: p95 (median, cpu, calls)"),
        ):
            ratio_row(
                label,
                [
                    ratio(
                        results[b]["scales"]["L"][key],
                        results[b]["scales"]["M"][key],
                        "p95",
                        "median",
                        "cpu_median",
                        "calls",
                    )
                    for b in backends
                ],
                "≤ 1.5",
                GOAL_L_OVER_M,
            )
    print(line)
    print("Generation (seconds):")
    steps = [
        ("migrate", "migrate (commonground migrate)"),
        ("M_layer", "M: partnership layer (bulk, seed plan)"),
        ("M_results", "M: frameworks and results (bulk)"),
        ("M_refresh", "M: progress summaries (refresh_all)"),
        ("M_analyze", "M: ANALYZE"),
        *SETTLE_STEPS["M"],
        ("L_layer", "L: +900 partnerships (bulk, seed plan)"),
        ("L_results", "L: +frameworks and results (bulk)"),
        ("L_refresh", "L: summaries of the +900 (as refresh_all)"),
        ("L_analyze", "L: ANALYZE"),
        *SETTLE_STEPS["L"],
    ]
    for key, label in steps:
        if any(key in results[b]["generation"] for b in backends):
            print(
                f"  {label:{width - 2}}"
                + "".join(_seconds(results[b]["generation"].get(key), col) for b in backends)
            )
    print(
        f"  {'database size (MB)':{width - 2}}"
        + "".join(f"{results[b]['size_mb']:>{col}.0f}" for b in backends)
    )
    print(
        f"  {'load avg, after generating / measuring':{width - 2}}"
        + "".join(f"{' / '.join(f'{x:.1f}' for x in results[b]['load']):>{col}}" for b in backends)
    )
    print(line)


# What results_data.settle did before measuring, per scale (seconds; workers: most seen at once).
SETTLE_STEPS = {
    scale: [
        (f"{scale}_settle_vacuum", f"{scale}: settle: VACUUM (ANALYZE)"),
        (f"{scale}_settle_checkpoint", f"{scale}: settle: CHECKPOINT"),
        (f"{scale}_settle_autovacuum_wait", f"{scale}: settle: wait for autovacuum to be idle"),
        (f"{scale}_settle_autovacuum_workers", f"{scale}: settle: autovacuum workers seen"),
        (f"{scale}_settle_analyze_wal", f"{scale}: settle: ANALYZE, WAL checkpoint (SQLite)"),
    ]
    for scale in ("M", "L")
}


def _seconds(value: float | None, width: int) -> str:
    return f"{value:>{width}.1f}" if value is not None else f"{'—':>{width}}"


def parent(args: argparse.Namespace) -> None:
    results: dict[str, dict] = {}
    if args.only in (None, "sqlite"):
        results["SQLite"] = run_sqlite(args)
    if args.only in (None, "postgres"):
        results["PostgreSQL"] = run_postgres(args)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))
    print_table(results, args)


# --- the child: one database ------------------------------------------------------------------


def _setup() -> None:
    sys.path[:0] = [str(ROOT), str(HERE)]
    import django

    django.setup()


def _say(message: str) -> None:
    print(message, flush=True)


def child_generate(scale: str, typical: str) -> dict[str, Any]:
    """Top the database up to `scale`, compute the summaries; the typical partnership's id."""
    _setup()
    import results_data
    from django.utils import timezone

    from commonground.partnerships.models import Partnership
    from commonground.results.models import Indicator, Result, ResultBreakdown
    from commonground.results.services.summaries import (
        refresh_all,
        refresh_partnership_indicators,
    )

    today = timezone.localdate()
    generation: dict[str, Any] = {}
    count = PARTNERSHIPS[scale]
    have = Partnership.objects.count()
    _say(f"{scale}: generating partnerships {have + 1}..{count}")
    started = time.perf_counter()
    layers = results_data.partnership_layer(have, count)
    generation[f"{scale}_layer"] = time.perf_counter() - started
    started = time.perf_counter()
    rows = results_data.results_layer(layers, today, _say)
    seconds = time.perf_counter() - started
    generation[f"{scale}_results"] = seconds
    _say(f"  rows: {rows} in {seconds:.1f} s")
    started = time.perf_counter()
    if have == 0:
        refreshed = refresh_all(today=today)
        how = "refresh_all"
    else:
        # Only the 900 new partnerships (refresh_all would redo the 100 of M as well): what
        # refresh_all does for each partnership.
        refreshed = sum(
            refresh_partnership_indicators(layer.partnership_id, today=today) for layer in layers
        )
        how = "refresh_partnership_indicators"
    seconds = time.perf_counter() - started
    generation[f"{scale}_refresh"] = seconds
    generation[f"{scale}_refresh_indicators"] = refreshed
    _say(f"  {how}: {refreshed} indicators in {seconds:.1f} s")
    started = time.perf_counter()
    results_data.analyze()
    generation[f"{scale}_analyze"] = time.perf_counter() - started
    # The same settling after M and after L (issue 9: the L figure swung between runs).
    for step, seconds in results_data.settle(_say).items():
        generation[f"{scale}_{step}"] = seconds
    if typical:
        typical_id = int(typical)
    else:
        # Most generated partnerships have an end date (which the SMART check reads).
        typical_id = next(
            layer.partnership_id
            for layer in layers
            if layer.index >= TYPICAL_INDEX and layer.end is not None
        )
    results_data.bench_people(typical_id)
    results_data.bench_worker()
    counts = {
        "partnerships": Partnership.objects.count(),
        "indicators": Indicator.objects.count(),
        "results": Result.objects.count(),
        "cells": ResultBreakdown.objects.count(),
    }
    counts["values"] = counts["results"] + counts["cells"]
    _say(f"  counts: {counts}")
    return {"generation": generation, "typical_id": typical_id, "counts": counts}


def child_measure(typical_id: int, requests: int, warmups: int) -> dict[str, Any]:
    """Time the pages, the API and the raw SQL in a fresh process."""
    _setup()
    import results_data
    import results_measure
    from django.core.cache import caches
    from django.test import Client
    from django.urls import reverse

    from commonground.accounts.models import User
    from commonground.results import fragments
    from commonground.results.models import Indicator

    coordinator = User.objects.get(email=results_data.BENCH_COORDINATOR)
    worker = User.objects.get(email=results_data.BENCH_WORKER)
    as_worker = Client()
    as_worker.force_login(worker)
    viewer = User.objects.get(email=results_data.BENCH_VIEWER)
    as_coordinator, as_viewer = Client(), Client()
    as_coordinator.force_login(coordinator)
    as_viewer.force_login(viewer)
    page = reverse("results:framework", kwargs={"partnership_id": typical_id})
    api = f"/api/v1/partnerships/{typical_id}/progress"
    n, w = requests, warmups
    # Autovacuum may have started since generating settled; and one pass over every line before
    # any is timed, so each starts from the same cache state at M and at L.
    waited = results_data.wait_for_autovacuum(_say)
    portfolio = reverse("results:portfolio")
    for client, path in ((as_coordinator, page), (as_viewer, page), (as_coordinator, api)):
        client.get(path)
    as_coordinator.get(portfolio)
    for sql, params in (
        (results_measure.FIGURES_SQL, {"pid": typical_id}),
        (results_measure.SUMMARIES_SQL, {"pid": typical_id}),
        (results_measure.PORTFOLIO_SQL, {"uid": coordinator.pk}),
    ):
        results_measure.raw_sql(sql, params, 1, 0)
    _say("  timing the results page, the progress API, raw SQL, the portfolio")
    measured: dict[str, Any] = {
        "typical_indicators": Indicator.objects.filter(partnership_id=typical_id).count()
    }
    measured["page_coordinator"] = results_measure.request(as_coordinator, page, n, w)
    measured["page_viewer"] = results_measure.request(as_viewer, page, n, w)
    # The page whose body is not in the cache (after any write to the partnership, per worker).
    measured["page_uncached"] = results_measure.request(
        as_coordinator, page, n, w, prepare=caches[fragments.CACHE].clear
    )
    measured["api_progress"] = results_measure.request(as_coordinator, api, n, w)
    params = {"pid": typical_id}
    measured["sql_figures"] = results_measure.raw_sql(results_measure.FIGURES_SQL, params, n, w)
    measured["sql_summaries"] = results_measure.raw_sql(results_measure.SUMMARIES_SQL, params, n, w)
    measured["portfolio"] = results_measure.request(as_coordinator, portfolio, n, w)
    measured["sql_portfolio"] = results_measure.raw_sql(
        results_measure.PORTFOLIO_SQL, {"uid": coordinator.pk}, n, w
    )
    my_work = reverse("work:mine")
    as_worker.get(my_work)
    measured["my_work"] = results_measure.request(as_worker, my_work, n, w)
    measured["sql_my_work"] = results_measure.raw_sql(
        results_measure.MY_WORK_SQL, {"uid": worker.pk}, n, w
    )
    measured["figures_agree"] = results_measure.figures_agree(typical_id)
    measured["settle_before_measuring"] = waited
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--scale", choices=["M", "L", "BOTH"], type=str.upper, default="M")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmups", type=int, default=3)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="The PostgreSQL server (and a database to connect to for administration).",
    )
    parser.add_argument("--only", choices=["sqlite", "postgres"], help="One database only.")
    parser.add_argument("--json", help="Also write the raw figures to this file.")
    parser.add_argument("--child", choices=["generate", "measure"], help=argparse.SUPPRESS)
    parser.add_argument("--typical", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "generate":
        print(MARKER + json.dumps(child_generate(args.scale, args.typical)), flush=True)
    elif args.child == "measure":
        measured = child_measure(int(args.typical), args.requests, args.warmups)
        print(MARKER + json.dumps(measured), flush=True)
    else:
        started = time.perf_counter()
        parent(args)
        print(f"Total {time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()

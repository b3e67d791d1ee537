"""Benchmark: a validated CSV import of 100,000 result rows into PostgreSQL, against COPY.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/import_results.py [--indicators 500] [--repeat 3]

DATABASE_URL names the server (and a database to connect to for administration); the benchmark
creates its own scratch database `cg_bench_<pid>` there, migrates it, and drops it at the end.

It seeds one partnership (2024-01-01 to 2026-06-30: ten quarters) with four partners, a
dimension "sex" with four values and N quarterly count indicators broken down by it, and writes
the CSV a coordinator would upload: per indicator, quarter and partner one total row and four
breakdown rows. With 500 indicators that is 500 x 10 x 4 x 5 = 100,000 rows, which become
20,000 results and 80,000 breakdown cells. It then times, in one run:

- parse (bytes → rows), validate (the dry run inside the import's transaction), write (COPY
  of results and breakdowns, the audit event, commit), and the total in rows per second;
- a re-import of the same file (everything unchanged: validation plus reading what exists);
- a raw PostgreSQL COPY of the same CSV into a scratch table with the file's columns (no
  indexes, no foreign keys), and the ratio of the two;
- the same results and breakdown cells written alone, without parsing or checking: by the
  import's COPY writer (split into the COPY statements and the commit, where PostgreSQL runs the
  deferred foreign-key checks) and by Django's bulk_create (the SQLite path). This is the floor
  the tables themselves set for any import;
- the results rows alone, without their breakdown cells: the ceiling of any import that keeps
  one row per result with its foreign keys, even if the cells were stored inside the result.

Each import starts from empty results tables; the figures are the median of --repeat runs.
Not part of the test suite: it prints figures, it asserts nothing.
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
QUARTERS = [f"{year}-Q{q}" for year in (2024, 2025) for q in (1, 2, 3, 4)] + ["2026-Q1", "2026-Q2"]
SEXES = ["female", "male", "non-binary", "not stated"]
PARTNER_NAMES = ["City of Benchville", "Shelter Network", "Housing Trust", "Food Bank"]
GOAL_ROWS_PER_SECOND = 120_000


def scratch_urls() -> tuple[str, str, str]:
    server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(server)
    if not parts.scheme.startswith("postgres"):
        sys.exit("This benchmark needs PostgreSQL: DATABASE_URL=postgres://user@host:port/db")
    name = f"cg_bench_{os.getpid()}"
    admin = urlunsplit(parts._replace(scheme="postgresql", path=parts.path or "/postgres"))
    return admin, urlunsplit(parts._replace(path=f"/{name}")), name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--indicators", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import psycopg
    from psycopg import sql

    admin_url, scratch_url, name = scratch_urls()
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    var_dir = tempfile.mkdtemp(prefix="cg_bench_")
    os.environ.update(
        DATABASE_URL=scratch_url, VAR_DIR=var_dir, DJANGO_SETTINGS_MODULE="config.settings"
    )
    sys.path.insert(0, str(ROOT))
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        run(args.indicators, args.repeat, name)
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        shutil.rmtree(var_dir, ignore_errors=True)


def seed(indicator_count: int):  # type: ignore[no-untyped-def]
    from commonground.accounts.models import User
    from commonground.accounts.services import organisation_create
    from commonground.partnerships.access import access_partnership
    from commonground.partnerships.models import Partner, Seat
    from commonground.partnerships.services import partner_add, partnership_create
    from commonground.results.models import Indicator, IndicatorDimension
    from commonground.results.services import framework

    user = User.objects.create_user("bench@example.test", "bench-password-1", full_name="Bench")
    organisations = [
        organisation_create(actor=user, data={"name": n, "org_type": "22"}) for n in PARTNER_NAMES
    ]
    partnership = partnership_create(
        actor=user,
        data={
            "title": "Benchmark partnership",
            "purpose": "Measure imports.",
            "start_date": "2024-01-01",
            "end_date": "2026-06-30",
        },
        lead_organisation=organisations[0],
    )
    for organisation in organisations[1:]:
        partner_add(
            actor=user,
            partnership=partnership,
            organisation=organisation,
            role="implementing",
            aims="",
        )
    sex = framework.dimension_create(
        actor=user,
        seat=access_partnership(user, partnership.pk),
        data={"name": "sex", "values": SEXES},
    )
    objective = framework.objective_create(
        actor=user,
        seat=access_partnership(user, partnership.pk),
        data={"level": "outcome", "title": "Housed"},
    )
    # Seeding is not measured: the indicators go in with bulk_create.
    indicators = Indicator.objects.bulk_create(
        Indicator(
            partnership=partnership,
            objective=objective,
            title=f"People reached {n}",
            unit="people",
            frequency="quarterly",
            position=n,
        )
        for n in range(indicator_count)
    )
    IndicatorDimension.objects.bulk_create(
        IndicatorDimension(partnership=partnership, indicator=i, dimension=sex) for i in indicators
    )
    partners = list(Partner.objects.filter(partnership=partnership).select_related("organisation"))
    seat = Seat.objects.select_related("partner").get(partnership=partnership, user=user)
    return user, seat, partnership, indicators, partners


def make_csv(indicators, partners) -> bytes:  # type: ignore[no-untyped-def]
    random.seed(3)
    lines = ["indicator_id,indicator,period,partner,value,text_value,sex,note"]
    for indicator in indicators:
        for period in QUARTERS:
            for partner in partners:
                cells = [random.randint(0, 400) for _ in SEXES]
                head = f"{indicator.pk},{indicator.title},{period},{partner.organisation.name}"
                lines.append(f"{head},{sum(cells)},,,")
                lines.extend(
                    f"{head},{value},,{sex}," for sex, value in zip(SEXES, cells, strict=True)
                )
    return ("\r\n".join(lines) + "\r\n").encode()


def empty_results() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE results_resultbreakdown, results_result CASCADE")


def raw_copy(data: bytes) -> float:
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_copy (indicator_id integer, indicator text, "
            "period text, partner text, value numeric(20, 4), text_value text, sex text, "
            "note text)"
        )
        cursor.execute("TRUNCATE bench_copy")
    started = time.perf_counter()
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.cursor.copy("COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER)") as copy,
    ):
        copy.write(data)
    return time.perf_counter() - started


def write_only(writer, user, partnership, plan) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """The planned results and breakdown cells written by `writer` alone (no parse, no checks,
    no audit event): the seconds of the inserts and of the commit, where PostgreSQL runs the
    deferred foreign-key checks."""
    from django.db import transaction
    from django.utils import timezone

    empty_results()
    started = time.perf_counter()
    with transaction.atomic():
        writer.create(plan.results, actor=user, partnership=partnership, now=timezone.now())
        written = time.perf_counter()
    return written - started, time.perf_counter() - written


def run(indicator_count: int, repeat: int, database: str) -> None:
    import django
    from django.db import connection

    from commonground.results import imports
    from commonground.results.models import Result, ResultBreakdown

    user, seat, partnership, indicators, partners = seed(indicator_count)
    data = make_csv(indicators, partners)
    timings: dict[str, list[float]] = {k: [] for k in ("parse", "validate", "write", "import")}
    again: list[float] = []
    copies: list[float] = []
    rows: list = []
    load_before = os.getloadavg()
    for _ in range(repeat):
        empty_results()
        started = time.perf_counter()
        rows = imports.parse(data, name="bench.csv")
        parsed = time.perf_counter()
        report = imports.apply(actor=user, seat=seat, partnership=partnership, rows=rows)
        done = time.perf_counter()
        assert report.created == len(rows) // 5, report
        timings["parse"].append(parsed - started)
        timings["validate"].append(report.validate_seconds)
        timings["write"].append(done - parsed - report.validate_seconds)
        timings["import"].append(done - started)
        started = time.perf_counter()
        second = imports.apply(
            actor=user, seat=seat, partnership=partnership, rows=imports.parse(data)
        )
        again.append(time.perf_counter() - started)
        assert (second.created, second.updated) == (0, 0), second
        copies.append(raw_copy(data))
    from commonground.results.imports.write import _DjangoWriter, _PostgresWriter

    plan = imports.dry_run(actor=user, seat=seat, partnership=partnership, rows=rows)
    floors = [write_only(_PostgresWriter(), user, partnership, plan) for _ in range(repeat)]
    floor = statistics.median(a + b for a, b in floors)
    floor_copy = statistics.median(a for a, _ in floors)
    floor_commit = statistics.median(b for _, b in floors)
    bulk = sum(write_only(_DjangoWriter(), user, partnership, plan))
    count = len(rows)
    results = Result.objects.count()
    cells = ResultBreakdown.objects.count()

    class _ResultsOnly(_PostgresWriter):
        def _breakdown(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            pass  # the results rows alone: what any schema keeping one row per result costs

    alone = [write_only(_ResultsOnly(), user, partnership, plan) for _ in range(repeat)]
    results_alone = statistics.median(a + b for a, b in alone)
    median = {k: statistics.median(v) for k, v in timings.items()}
    copy_time = statistics.median(copies)
    rate = count / median["import"]
    copy_rate = count / copy_time
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]

    load_after = os.getloadavg()
    print(
        f"Results import benchmark — PostgreSQL {server}, Django {django.get_version()}, "
        f"Python {sys.version.split()[0]}, database {database}, median of {repeat} runs"
    )
    print(
        f"machine: {os.cpu_count()} CPUs, load average {load_before[0]:.1f} before, "
        f"{load_after[0]:.1f} after (other work on the machine slows every figure)"
    )
    print(
        f"file: {count:,} rows, {len(data) / 1e6:.1f} MB CSV ({indicator_count} indicators x "
        f"{len(QUARTERS)} quarters x {len(partners)} partners x (1 total + {len(SEXES)} "
        f"breakdown rows)) → {results:,} results, {cells:,} breakdown cells"
    )
    print()
    print(f"{'step':<34}{'seconds':>10}{'rows/s':>14}")
    for label, key in (
        ("parse (CSV → rows)", "parse"),
        ("validate (dry run, in the txn)", "validate"),
        ("write (COPY, audit event, commit)", "write"),
    ):
        print(f"{label:<34}{median[key]:>10.3f}{count / median[key]:>14,.0f}")
    print(f"{'validated import, total':<34}{median['import']:>10.3f}{rate:>14,.0f}")
    print(
        f"{'re-import, all unchanged':<34}{statistics.median(again):>10.3f}"
        f"{count / statistics.median(again):>14,.0f}"
    )
    print(f"{'raw COPY of the same CSV':<34}{copy_time:>10.3f}{copy_rate:>14,.0f}")
    print()
    print(
        f"the same {results:,} results + {cells:,} cells written alone "
        "(no parse, checks or audit event):"
    )
    print(f"{'  COPY into the real tables':<34}{floor:>10.3f}{count / floor:>14,.0f}")
    print(f"{'    of which the COPY statements':<34}{floor_copy:>10.3f}   (rows and their indexes)")
    print(f"{'    of which the commit':<34}{floor_commit:>10.3f}   (deferred foreign-key checks)")
    print(f"{'  Django bulk_create':<34}{bulk:>10.3f}{count / bulk:>14,.0f}   (the SQLite path)")
    ceiling = count / results_alone
    print(
        f"{'  the results rows alone, COPY':<34}{results_alone:>10.3f}{ceiling:>14,.0f}"
        f"   ({results:,} rows, no breakdown cells: the ceiling even if the cells were kept"
        " inside their result)"
    )
    print()
    print(
        f"ratio: the import runs at {rate / copy_rate:.1%} of raw COPY's rows/s "
        f"({median['import'] / copy_time:.1f}x its time); writing alone into the real tables "
        f"runs at {(count / floor) / copy_rate:.1%}"
    )
    verdict = "met" if rate >= GOAL_ROWS_PER_SECOND else "NOT met"
    print(f"goal ≥ {GOAL_ROWS_PER_SECOND:,} validated rows/s: {verdict} ({rate:,.0f} rows/s)")
    print("all runs (import s): " + ", ".join(f"{t:.3f}" for t in timings["import"]))


if __name__ == "__main__":
    main()

"""Measurements for `results_scale.py`: server time of pages and API operations through
django.test.Client (in process, the real middleware, sessions and templates), and the raw SQL
baselines timed on the database cursor directly."""

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

# The figures the results page and the progress API show per indicator, computed from the
# reported results in one statement: approved values combined per period (partners added, rates
# averaged, maximum for "maximum"), then per indicator by its aggregation (sum, newest, mean,
# maximum), and the percent of the target reached from the baseline in the indicator's
# direction (bounded 0..100; "maintain" within 5 % of the target, falling to 0 at 10 %).
# Portable SQL: runs unchanged on SQLite and PostgreSQL. Both sides of the join are restricted to
# the partnership: without `i.partnership_id = ...` PostgreSQL hashes all 50,000 indicators at L.
FIGURES_SQL = """
WITH per_period AS (
    SELECT r.indicator_id, r.period_end,
           CASE WHEN i.aggregation = 'maximum' THEN MAX(r.value)
                WHEN i.measure = '2' OR i.aggregation = 'average' THEN AVG(r.value)
                ELSE SUM(r.value) END AS v
    FROM results_result r
    JOIN results_indicator i ON i.id = r.indicator_id AND i.partnership_id = %(pid)s
    WHERE r.partnership_id = %(pid)s AND r.status = 'approved' AND r.value IS NOT NULL
    GROUP BY r.indicator_id, r.period_end, i.aggregation, i.measure
), ranked AS (
    SELECT indicator_id, period_end, v,
           ROW_NUMBER() OVER (PARTITION BY indicator_id ORDER BY period_end DESC) AS newest
    FROM per_period
), per_indicator AS (
    SELECT indicator_id, SUM(v) AS total, AVG(v) AS mean, MAX(v) AS top,
           MAX(CASE WHEN newest = 1 THEN v END) AS latest,
           COUNT(*) AS periods, MAX(period_end) AS last_end
    FROM ranked GROUP BY indicator_id
), figures AS (
    SELECT i.id, i.objective_id, i.title, i.direction, i.target_value AS t,
           COALESCE(i.baseline_value, 0) AS base,
           CASE WHEN i.direction = 'decrease' THEN -1 ELSE 1 END AS sgn,
           CASE i.aggregation WHEN 'sum' THEN p.total WHEN 'average' THEN p.mean
                WHEN 'maximum' THEN p.top ELSE p.latest END AS v,
           p.periods, p.last_end, i.position
    FROM results_indicator i
    LEFT JOIN per_indicator p ON p.indicator_id = i.id
    WHERE i.partnership_id = %(pid)s
)
SELECT id, objective_id, title, v AS value_to_date,
       CASE WHEN v IS NULL OR t IS NULL THEN NULL
            WHEN direction = 'maintain' THEN
                CASE WHEN ABS(v - t) <= 0.05 * ABS(t) THEN 100
                     WHEN ABS(v - t) >= 0.1 * ABS(t) THEN 0
                     ELSE (0.1 * ABS(t) - ABS(v - t)) * 100.0 / (0.05 * ABS(t)) END
            WHEN (t - base) * sgn <= 0 THEN CASE WHEN (v - t) * sgn >= 0 THEN 100 ELSE 0 END
            WHEN (v - base) * sgn * 100.0 / ((t - base) * sgn) > 100 THEN 100
            WHEN (v - base) * sgn < 0 THEN 0
            ELSE (v - base) * sgn * 100.0 / ((t - base) * sgn) END AS percent,
       periods, last_end
FROM figures
ORDER BY position, id
"""

# The same figures read from the stored summaries (what the page and the API actually read).
SUMMARIES_SQL = """
SELECT i.id, i.objective_id, i.title, s.value_to_date, s.percent, s.periods_reported,
       s.last_period_end, s.status
FROM results_indicator i
LEFT JOIN results_indicatorprogress s ON s.indicator_id = i.id
WHERE i.partnership_id = %(pid)s
ORDER BY i.position, i.id
"""

# The portfolio's figures: every partnership the person holds a seat in, with its summary.
PORTFOLIO_SQL = """
SELECT p.id, p.title, p.geography, s.status, s.percent, s.counts, s.indicator_count
FROM partnerships_partnership p
LEFT JOIN results_partnershipprogress s ON s.partnership_id = p.id
WHERE EXISTS (SELECT 1 FROM partnerships_seat x WHERE x.partnership_id = p.id
              AND x.user_id = %(uid)s)
ORDER BY p.title, p.id
"""

# The results work of a person (issue 11's "My work" benchmark), as one statement: what waits
# for review in their partnerships and their own organisation's drafts and returned results,
# per partnership, partner, submitter and status.
MY_WORK_SQL = """
SELECT r.partnership_id, r.partner_id, r.submitted_by_id, r.status, COUNT(*),
       MIN(r.submitted_at), MIN(r.period_end)
FROM results_result r
WHERE r.partnership_id IN (SELECT partnership_id FROM partnerships_seat WHERE user_id = %(uid)s)
  AND (r.status = 'submitted'
       OR (r.status IN ('draft', 'returned')
           AND r.partner_id IN (SELECT partner_id FROM partnerships_seat
                                WHERE user_id = %(uid)s)))
GROUP BY r.partnership_id, r.partner_id, r.submitted_by_id, r.status
"""


@dataclass
class Timing:
    median: float
    p95: float
    best: float
    cpu_median: float  # this process's CPU: excludes waiting for other processes (and PostgreSQL)
    samples: int
    queries: int | None = None
    status: int | None = None
    size: int | None = None
    calls: float | None = None  # Python function calls per request (cProfile, exact)


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _time(
    call: Callable[[], object],
    requests: int,
    warmups: int,
    prepare: Callable[[], object] | None = None,
) -> tuple[list[float], list[float]]:
    """Wall-clock and this thread's CPU time of each call, in ms (`prepare`, untimed, first)."""
    for _ in range(warmups):
        if prepare:
            prepare()
        call()
    samples, cpu = [], []
    for _ in range(requests):
        if prepare:
            prepare()
        started, started_cpu = time.perf_counter(), time.thread_time()
        call()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
    return samples, cpu


def _timing(measured: tuple[list[float], list[float]], **extra: Any) -> dict[str, Any]:
    samples, cpu = measured
    return asdict(
        Timing(
            median=statistics.median(samples),
            p95=p95(samples),
            best=min(samples),
            cpu_median=statistics.median(cpu),
            samples=len(samples),
            **extra,
        )
    )


def request(
    client: Client,
    url: str,
    requests: int,
    warmups: int,
    prepare: Callable[[], object] | None = None,
) -> dict[str, Any]:
    """Median and p95 server time of GET `url` (ms), its query count and response size.
    `prepare` runs before every request, untimed (e.g. emptying a cache)."""
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    if prepare:
        prepare()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    # Now: the log is cleared at the start of every request.
    queries = len(captured.captured_queries)
    calls = python_calls(lambda: client.get(url), prepare)
    measured = _time(lambda: client.get(url), requests, warmups, prepare)
    return _timing(
        measured,
        queries=queries,
        status=response.status_code,
        size=len(response.content),
        calls=calls,
    )


def python_calls(call: Callable[[], object], prepare: Callable[[], object] | None) -> float:
    """Python function calls per request, counted by cProfile over 5 requests: exact, whatever
    else runs on the machine, so it tells whether the work of a request grows with the data
    when CPU times are too noisy to."""
    import cProfile
    import pstats

    total = 0
    for _ in range(5):
        if prepare:
            prepare()
        profiler = cProfile.Profile()
        profiler.enable()
        call()
        profiler.disable()
        total += pstats.Stats(profiler).total_calls  # type: ignore[attr-defined]
    return total / 5


def raw_sql(sql: str, params: dict[str, Any], requests: int, warmups: int) -> dict[str, Any]:
    """Median and p95 of running `sql` and fetching every row, on the cursor directly."""

    def run() -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    rows = run()
    return {**_timing(_time(run, requests, warmups)), "rows": len(rows)}


def figures_agree(partnership_id: int) -> tuple[int, int]:
    """How many indicators' value to date and percent from FIGURES_SQL equal the stored
    summaries (percent to 0.1, as displayed); and how many indicators there are."""
    with connection.cursor() as cursor:
        cursor.execute(FIGURES_SQL, {"pid": partnership_id})
        computed = {row[0]: (row[3], row[4]) for row in cursor.fetchall()}
        cursor.execute(SUMMARIES_SQL, {"pid": partnership_id})
        stored = {row[0]: (row[3], row[4]) for row in cursor.fetchall()}
    agree = 0
    for pk, (value, percent) in computed.items():
        kept_value, kept_percent = stored.get(pk, (None, None))
        if _close(value, kept_value, Decimal("0.0001")) and _close(
            percent, kept_percent, Decimal("0.06")
        ):
            agree += 1
    return agree, len(computed)


def _close(a: Any, b: Any, tolerance: Decimal) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(Decimal(str(a)) - Decimal(str(b))) <= tolerance

"""Benchmark data for `results_scale.py`: generated partnerships with results frameworks and
reported results, written straight into the tables (never through the services: millions of
rows would take hours that way, and no audit events are written for them).

The partnership layer (organisations, people, partnerships, partners, seats) is the plan of
`commonground seed --scale M|L` (`bulk_plan`), the same titles, dates, partners and seats, but
inserted in bulk. Every generated partnership then gets the same shape of framework:

- dimensions `age` (0-14, 15-24, 25+) and `sex` (female, male, other): 9 combinations;
- 13 objectives (1 impact, 3 outcomes, 9 outputs), one responsible partner each;
- 50 quarterly indicators (2 on the impact, 4 on each outcome and output), each broken down by
  both dimensions, with a baseline, an end target and a target per reported quarter; a mix of
  aggregations (sum, latest, average, maximum), measures (unit, percentage) and directions;
- 10 quarters of results from 2 partners: 1,000 results, each with its 9 breakdown cells, that is
  10,000 result values per partnership (results and cells counted alike). Results of older
  quarters are approved (98 %); the newest quarter is a mix of approved, submitted, draft and
  returned.

So 100 partnerships are 5,000 indicators and 1,000,000 result values; 1,000 are 50,000 and
10,000,000. A partnership's data depends only on its index in the plan, so partnership #n is the
same at M and at L. Inserts: PostgreSQL COPY, SQLite executemany, with explicit primary keys
(sequences are reset afterwards).
"""

import datetime as dt
import json
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from commonground.accounts.models import Organisation, User, normalise_name
from commonground.demo.management.commands.seed import bulk_plan
from commonground.demo.partnerships import COUNTRY
from commonground.partnerships.models import Partner, Partnership, Seat
from commonground.results.models import (
    Dimension,
    Indicator,
    IndicatorDimension,
    Objective,
    ObjectivePartner,
    PeriodTarget,
    Result,
    ResultBreakdown,
)

AGES = ["0-14", "15-24", "25+"]
SEXES = ["female", "male", "other"]
KEYS = [f"age={age}|sex={sex}" for age in AGES for sex in SEXES]  # canonical: names sorted
QUARTERS = 10
REPORTING_PARTNERS = 2
OUTCOMES = 3
OUTPUTS_PER_OUTCOME = 3
INDICATORS_PER_OBJECTIVE = {"impact": 2, "outcome": 4, "output": 4}
INDICATORS_PER_PARTNERSHIP = 2 + OUTCOMES * 4 + OUTCOMES * OUTPUTS_PER_OUTCOME * 4  # 50
CHUNK = 20  # partnerships per transaction
BENCH_COORDINATOR = "bench.coordinator@example.com"
BENCH_VIEWER = "bench.viewer@example.com"
BENCH_WORKER = "bench.worker@example.com"
WORKER_SEATS = 50
# Share of indicators by kind: (aggregation, measure, direction).
KINDS = [
    (("sum", "1", "increase"), 55),
    (("latest", "1", "increase"), 15),
    (("average", "2", "increase"), 10),
    (("maximum", "1", "increase"), 5),
    (("latest", "2", "decrease"), 10),
    (("latest", "2", "maintain"), 5),
]
SEED = 3_2026


def _quarter_start(year: int, quarter: int) -> dt.date:
    return dt.date(year + quarter // 4, quarter % 4 * 3 + 1, 1)


def _quarters(start: dt.date, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Ten quarters from the one the partnership starts in, moved back so the last one has ended
    by `today` (a young partnership then reports from before its start: benchmark data)."""
    first = start.year * 4 + (start.month - 1) // 3
    last_complete = today.year * 4 + (today.month - 1) // 3 - 1
    first = min(first, last_complete - QUARTERS + 1)
    periods = []
    for index in range(first, first + QUARTERS):
        begin = _quarter_start(index // 4, index % 4)
        following = _quarter_start((index + 1) // 4, (index + 1) % 4)
        periods.append((begin, following - dt.timedelta(days=1)))
    return periods


class Writer:
    """Inserts rows with explicit primary keys: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.superuser = False
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                row = cursor.fetchone()
                self.superuser = bool(row and row[0])
        self.next_id: dict[type[models.Model], int] = {}
        self.rows: dict[str, int] = {}

    def ids(self, model: type[models.Model], count: int) -> range:
        if model not in self.next_id:
            top = model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0
            self.next_id[model] = top + 1
        start = self.next_id[model]
        self.next_id[model] = start + count
        return range(start, start + count)

    def insert(
        self, model: type[models.Model], columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
    ) -> None:
        if not rows:
            return
        table = model._meta.db_table
        names = ", ".join(f'"{column}"' for column in columns)
        with connection.cursor() as cursor:
            if self.postgres:
                raw = cursor.cursor  # the psycopg cursor
                with raw.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" for _ in columns)
                raw = cursor.cursor
                raw.executemany(
                    f'INSERT INTO "{table}" ({names}) VALUES ({marks})',  # noqa: S608 (model names)
                    [tuple(_sqlite(value) for value in row) for row in rows],
                )
        self.rows[model.__name__] = self.rows.get(model.__name__, 0) + len(rows)

    def reset_sequences(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.next_id))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _sqlite(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def bench_worker() -> User:
    """The person whose "My work" is measured (issue 11): an editor in the first
    WORKER_SEATS partnerships (present at M and at L), seated with a partner that reports
    results, so their work holds results to review and their own organisation's drafts."""
    worker, _ = User.objects.get_or_create(
        email=BENCH_WORKER,
        defaults={"full_name": "Bench Worker", "password": make_password(None)},
    )
    seated = set(Seat.objects.filter(user=worker).values_list("partnership_id", flat=True))
    first = Partnership.objects.order_by("pk").values_list("pk", flat=True)[:WORKER_SEATS]
    seats = []
    for pid in first:
        if pid in seated:
            continue
        reporting = (
            Result.objects.filter(partnership_id=pid)
            .order_by("pk")
            .values_list("partner_id", flat=True)
        ).first()
        partner = reporting or Partner.objects.filter(partnership_id=pid).order_by("pk")[0].pk
        seats.append(Seat(partnership_id=pid, user=worker, partner_id=partner, role="editor"))
    Seat.objects.bulk_create(seats)
    return worker


@dataclass
class Layer:
    """What the results of one partnership need from the partnership layer."""

    index: int
    partnership_id: int
    start: dt.date
    end: dt.date | None
    partner_ids: list[int]
    reporter_id: int
    reviewer_id: int


@dataclass
class Generated:
    partnerships: list[Layer] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def partnership_layer(first: int, count: int) -> list[Layer]:
    """Organisations, people, partnerships #first..#count-1 of the seed plan, partners, seats;
    in bulk, without audit events. Returns what the results generator needs per partnership."""
    org_specs, person_specs, partnership_specs = bulk_plan(count)
    now = timezone.now()
    with transaction.atomic():
        known_orgs = set(Organisation.objects.values_list("name", flat=True))
        Organisation.objects.bulk_create(
            [
                Organisation(
                    name=spec.name,
                    normalised_name=normalise_name(spec.name),
                    org_type=spec.org_type,
                    country=COUNTRY,
                    website=spec.website,
                    identifier=spec.identifier,
                )
                for spec in org_specs
                if spec.name not in known_orgs
            ],
            batch_size=2000,
        )
        orgs = dict(Organisation.objects.values_list("name", "pk"))
        unusable = make_password(None)
        known_people = set(User.objects.values_list("email", flat=True))
        User.objects.bulk_create(
            [
                User(email=spec.email, full_name=spec.full_name, password=unusable)
                for spec in person_specs
                if spec.email not in known_people
            ],
            batch_size=2000,
        )
        people = dict(User.objects.values_list("email", "pk"))
        specs = partnership_specs[first:count]
        created = Partnership.objects.bulk_create(
            [
                Partnership(
                    title=spec.title,
                    purpose=spec.purpose,
                    vision=spec.vision,
                    problem_statement=spec.problem_statement,
                    geography=spec.geography,
                    start_date=spec.start_date,
                    end_date=spec.end_date,
                    status=spec.status,
                    sectors=list(spec.sectors),
                    sdg_goals=list(spec.sdg_goals),
                    created_at=now,
                    updated_at=now,
                )
                for spec in specs
            ],
            batch_size=1000,
        )
        partners = Partner.objects.bulk_create(
            [
                Partner(
                    partnership=partnership,
                    organisation_id=orgs[p.org],
                    role=p.role,
                    aims=p.aims,
                    joined_on=spec.start_date,
                )
                for spec, partnership in zip(specs, created, strict=True)
                for p in spec.partners
            ],
            batch_size=2000,
        )
        by_org = {(p.partnership_id, p.organisation_id): p.pk for p in partners}
        seats = []
        layers = []
        for offset, (spec, partnership) in enumerate(zip(specs, created, strict=True)):
            lead = by_org[(partnership.pk, orgs[spec.partners[0].org])]
            seats.append(
                Seat(
                    partnership=partnership,
                    user_id=people[spec.coordinator],
                    partner_id=lead,
                    role="coordinator",
                )
            )
            seats += [
                Seat(
                    partnership=partnership,
                    user_id=people[seat.email],
                    partner_id=by_org[(partnership.pk, orgs[seat.org])],
                    role=seat.role,
                )
                for seat in spec.seats
            ]
            layers.append(
                Layer(
                    index=first + offset,
                    partnership_id=partnership.pk,
                    start=spec.start_date,
                    end=spec.end_date,
                    partner_ids=[by_org[(partnership.pk, orgs[p.org])] for p in spec.partners],
                    reporter_id=people[spec.seats[0].email],
                    reviewer_id=people[spec.coordinator],
                )
            )
        Seat.objects.bulk_create(seats, batch_size=2000)
    return layers


def bench_people(typical_id: int) -> tuple[User, User]:
    """The people the benchmark signs in as: a coordinator of the typical partnership who views
    every other one (for the portfolio), and a viewer of the typical partnership only."""
    unusable = make_password(None)
    coordinator, _ = User.objects.get_or_create(
        email=BENCH_COORDINATOR, defaults={"full_name": "Bench Coordinator", "password": unusable}
    )
    viewer, _ = User.objects.get_or_create(
        email=BENCH_VIEWER, defaults={"full_name": "Bench Viewer", "password": unusable}
    )
    seated = set(Seat.objects.filter(user=coordinator).values_list("partnership_id", flat=True))
    leads = dict(
        Partner.objects.filter(role="lead")
        .exclude(partnership_id__in=seated)
        .values_list("partnership_id", "pk")
    )
    Seat.objects.bulk_create(
        [
            Seat(
                partnership_id=pid,
                user=coordinator,
                partner_id=partner,
                role="coordinator" if pid == typical_id else "viewer",
            )
            for pid, partner in leads.items()
        ],
        batch_size=2000,
    )
    if not Seat.objects.filter(user=viewer, partnership_id=typical_id).exists():
        Seat.objects.create(
            partnership_id=typical_id,
            user=viewer,
            partner=Partner.objects.get(partnership_id=typical_id, role="lead"),
            role="viewer",
        )
    return coordinator, viewer


@dataclass
class Tables:
    dimensions: list[tuple[Any, ...]] = field(default_factory=list)
    objectives: list[tuple[Any, ...]] = field(default_factory=list)
    objective_partners: list[tuple[Any, ...]] = field(default_factory=list)
    indicators: list[tuple[Any, ...]] = field(default_factory=list)
    indicator_dimensions: list[tuple[Any, ...]] = field(default_factory=list)
    period_targets: list[tuple[Any, ...]] = field(default_factory=list)
    results: list[tuple[Any, ...]] = field(default_factory=list)
    breakdowns: list[tuple[Any, ...]] = field(default_factory=list)


DIMENSION_COLUMNS = ["id", "partnership_id", "name", "values", "version"]
OBJECTIVE_COLUMNS = [
    "id",
    "partnership_id",
    "parent_id",
    "level",
    "title",
    "description",
    "sdg_targets",
    "weight",
    "position",
    "created_at",
    "version",
]
OBJECTIVE_PARTNER_COLUMNS = ["id", "partnership_id", "objective_id", "partner_id"]
INDICATOR_COLUMNS = [
    "id",
    "partnership_id",
    "objective_id",
    "title",
    "definition",
    "unit",
    "measure",
    "direction",
    "aggregation",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "frequency",
    "means_of_verification",
    "responsible_partner_id",
    "sdg_indicator",
    "weight",
    "position",
    "created_at",
    "version",
]
INDICATOR_DIMENSION_COLUMNS = ["id", "partnership_id", "indicator_id", "dimension_id"]
PERIOD_TARGET_COLUMNS = [
    "id",
    "partnership_id",
    "indicator_id",
    "period_start",
    "period_end",
    "value",
    "version",
]
RESULT_COLUMNS = [
    "id",
    "partnership_id",
    "indicator_id",
    "partner_id",
    "period_start",
    "period_end",
    "value",
    "text_value",
    "note",
    "evidence_file",
    "evidence_url",
    "status",
    "created_by_id",
    "created_at",
    "submitted_by_id",
    "submitted_at",
    "reviewed_by_id",
    "reviewed_at",
    "review_comment",
    "version",
]
BREAKDOWN_COLUMNS = ["id", "partnership_id", "indicator_id", "result_id", "key", "value"]


POOL = 4096  # random breakdowns drawn from pools: randint per cell is too slow for 10M cells


def _pool(low: int, high: int) -> list[tuple[int, ...]]:
    rng = random.Random(SEED + low * 1000 + high)
    return [tuple(rng.randint(low, high) for _ in KEYS) for _ in range(POOL)]


COUNTS = _pool(0, 20)
GROWTH = _pool(0, 6)
SPREAD = _pool(-8, 8)


def _cells(
    rng: random.Random, kind: tuple[str, str, str], period: int
) -> tuple[Sequence[int], Decimal | int]:
    """One partner's breakdown cells for one quarter, and the total they make."""
    aggregation, measure, direction = kind
    draw = rng.getrandbits(12)
    if measure == "2":  # a rate in percent: each cell a rate, the total their mean
        centre = {"increase": 40 + 3 * period, "decrease": 30 - period, "maintain": 60}[direction]
        cells = [max(0, min(100, centre + x)) for x in SPREAD[draw]]
        return cells, (Decimal(sum(cells)) / len(cells)).quantize(Decimal("0.0001"))
    if aggregation == "latest":  # a stock that grows
        cells = [20 + 4 * period + x for x in GROWTH[draw]]
        return cells, sum(cells)
    cells_ = COUNTS[draw]  # counts per quarter
    return cells_, sum(cells_)


def _targets(kind: tuple[str, str, str], rng: random.Random) -> tuple[Decimal, Decimal]:
    """Baseline and end target, spread so that statuses vary."""
    aggregation, measure, direction = kind
    factor = Decimal(rng.randint(60, 180)) / 100
    if measure == "2":
        if direction == "decrease":
            return Decimal(30), Decimal(30 - round(15 * factor))
        if direction == "maintain":
            return Decimal(60), Decimal(60 + rng.randint(-5, 5))
        return Decimal(40), min(Decimal(100), Decimal(40 + round(40 * factor)))
    if aggregation == "sum":  # 2 partners x 9 cells x ~10 a quarter, 10 quarters
        return Decimal(0), Decimal(round(1800 * factor))
    if aggregation == "latest":
        return Decimal(360), Decimal(round(360 + 720 * factor))
    return Decimal(0), Decimal(round(360 * factor))  # maximum of one quarter's counts


def _frame(writer: Writer, layer: Layer, today: dt.date, now: dt.datetime, out: Tables) -> None:
    """One partnership's framework and results, appended to `out`."""
    rng = random.Random(SEED * 100_003 + layer.index)
    pid = layer.partnership_id
    partners = layer.partner_ids
    age, sex = writer.ids(Dimension, 2)
    out.dimensions += [
        (age, pid, "age", json.dumps(AGES), 1),
        (sex, pid, "sex", json.dumps(SEXES), 1),
    ]
    objective_ids = iter(writer.ids(Objective, 1 + OUTCOMES + OUTCOMES * OUTPUTS_PER_OUTCOME))
    tree: list[tuple[int, int | None, str, str]] = []
    impact = next(objective_ids)
    tree.append((impact, None, "impact", "Lives improve across the city"))
    for o in range(OUTCOMES):
        outcome = next(objective_ids)
        tree.append((outcome, impact, "outcome", f"Outcome {o + 1}: services reach more people"))
        for p in range(OUTPUTS_PER_OUTCOME):
            tree.append(
                (next(objective_ids), outcome, "output", f"Output {o + 1}.{p + 1}: sessions held")
            )
    baseline_date = layer.start
    target_date = layer.end or layer.start + dt.timedelta(days=4 * 365)
    if target_date <= baseline_date:
        target_date = baseline_date + dt.timedelta(days=365)
    quarters = _quarters(layer.start, today)
    kinds = [kind for kind, _ in KINDS]
    weights = [weight for _, weight in KINDS]
    op_ids = iter(writer.ids(ObjectivePartner, len(tree)))
    indicator_ids = iter(writer.ids(Indicator, INDICATORS_PER_PARTNERSHIP))
    id_ids = iter(writer.ids(IndicatorDimension, 2 * INDICATORS_PER_PARTNERSHIP))
    target_ids = iter(writer.ids(PeriodTarget, QUARTERS * INDICATORS_PER_PARTNERSHIP))
    result_count = QUARTERS * REPORTING_PARTNERS * INDICATORS_PER_PARTNERSHIP
    result_ids = iter(writer.ids(Result, result_count))
    cell_ids = iter(writer.ids(ResultBreakdown, result_count * len(KEYS)))
    for position, (objective_id, parent, level, title) in enumerate(tree, start=1):
        out.objectives.append(
            (
                objective_id,
                pid,
                parent,
                level,
                title,
                "",
                json.dumps(["3.8"] if level == "impact" else []),
                Decimal(1),
                position,
                now,
                1,
            )
        )
        out.objective_partners.append(
            (next(op_ids), pid, objective_id, partners[position % len(partners)])
        )
        for n in range(INDICATORS_PER_OBJECTIVE[level]):
            indicator = next(indicator_ids)
            kind = rng.choices(kinds, weights)[0]
            aggregation, measure, direction = kind
            baseline, target = _targets(kind, rng)
            responsible = None if rng.random() < 0.1 else partners[n % len(partners)]
            out.indicators.append(
                (
                    indicator,
                    pid,
                    objective_id,
                    f"{title}: measure {n + 1}",
                    "How many, counted each quarter.",
                    "%" if measure == "2" else "people",
                    measure,
                    direction,
                    aggregation,
                    baseline,
                    baseline_date,
                    target,
                    target_date,
                    "quarterly",
                    "Attendance sheets",
                    responsible,
                    "",
                    Decimal(1),
                    n,
                    now,
                    1,
                )
            )
            out.indicator_dimensions += [
                (next(id_ids), pid, indicator, age),
                (next(id_ids), pid, indicator, sex),
            ]
            step = (target - baseline) / QUARTERS
            for q, (begin, end) in enumerate(quarters):
                planned = step if aggregation == "sum" else baseline + step * (q + 1)
                out.period_targets.append(
                    (
                        next(target_ids),
                        pid,
                        indicator,
                        begin,
                        end,
                        planned.quantize(Decimal("0.01")),
                        1,
                    )
                )
                newest = q == QUARTERS - 1
                for partner in partners[:REPORTING_PARTNERS]:
                    cells, total = _cells(rng, kind, q)
                    draw = rng.random()
                    if newest:
                        status = ("approved", "submitted", "draft", "returned")[
                            0 if draw < 0.4 else 1 if draw < 0.8 else 2 if draw < 0.9 else 3
                        ]
                    else:
                        status = "approved" if draw < 0.98 else "submitted"
                    submitted = status != "draft"
                    reviewed = status in ("approved", "returned")
                    at = dt.datetime.combine(end, dt.time(12), dt.UTC) + dt.timedelta(days=20)
                    result = next(result_ids)
                    out.results.append(
                        (
                            result,
                            pid,
                            indicator,
                            partner,
                            begin,
                            end,
                            total,
                            "",
                            "",
                            "",
                            "",
                            status,
                            layer.reporter_id,
                            at,
                            layer.reporter_id if submitted else None,
                            at if submitted else None,
                            layer.reviewer_id if reviewed else None,
                            at + dt.timedelta(days=3) if reviewed else None,
                            "Please check the age bands." if status == "returned" else "",
                            1,
                        )
                    )
                    for key, value in zip(KEYS, cells, strict=True):
                        out.breakdowns.append((next(cell_ids), pid, indicator, result, key, value))


def _flush(writer: Writer, out: Tables) -> None:
    writer.insert(Dimension, DIMENSION_COLUMNS, out.dimensions)
    writer.insert(Objective, OBJECTIVE_COLUMNS, out.objectives)
    writer.insert(ObjectivePartner, OBJECTIVE_PARTNER_COLUMNS, out.objective_partners)
    writer.insert(Indicator, INDICATOR_COLUMNS, out.indicators)
    writer.insert(IndicatorDimension, INDICATOR_DIMENSION_COLUMNS, out.indicator_dimensions)
    writer.insert(PeriodTarget, PERIOD_TARGET_COLUMNS, out.period_targets)
    writer.insert(Result, RESULT_COLUMNS, out.results)
    writer.insert(ResultBreakdown, BREAKDOWN_COLUMNS, out.breakdowns)


def results_layer(
    layers: Iterable[Layer], today: dt.date, progress: Callable[[str], None] = print
) -> dict[str, int]:
    """Frameworks and results for the partnerships, CHUNK partnerships per transaction."""
    writer = Writer()
    now = timezone.now()
    layers = list(layers)
    if not writer.postgres:
        # Generation only: no fsync, a big page cache. The connection is closed at the end, so
        # the measurements run with the settings' own PRAGMAs.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-262144")
    for start in range(0, len(layers), CHUNK):
        out = Tables()
        for layer in layers[start : start + CHUNK]:
            _frame(writer, layer, today, now, out)
        with transaction.atomic():
            if writer.superuser:
                # Generated rows are consistent: skip the per-row foreign-key triggers.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = replica")
            _flush(writer, out)
        done = min(start + CHUNK, len(layers))
        if done % (CHUNK * 10) == 0 or done == len(layers):
            progress(f"    results of {done}/{len(layers)} partnerships written")
    writer.reset_sequences()
    connection.close()
    return writer.rows


def analyze() -> None:
    """Planner statistics, as autovacuum (PostgreSQL) or PRAGMA optimize (SQLite) would keep."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def settle(say: Callable[[str], None], *, vacuum: bool = True, wait: float = 600.0) -> dict:
    """Bring the database to the state a long-running server would find it in before anything
    is measured, the same way after M and after L; the seconds of each step.

    After a bulk load of millions of rows PostgreSQL still owes work that it does later, at a
    time of its choosing: every new row's hint bits are set by the first query that reads it
    (dirtying the page again), no page is all-visible yet (so no index-only scan), autovacuum
    starts on the loaded tables once their insert counters pass its thresholds and then reads
    and writes them while the measurements run, and a checkpoint writes out the dirty buffers.
    VACUUM (ANALYZE) does the first three now, CHECKPOINT the last; then the measurement waits
    until no autovacuum worker is busy in this database. SQLite: ANALYZE, and the write-ahead
    log folded back into the database file (reads otherwise search a WAL of hundreds of MB).
    """
    steps: dict[str, float] = {}
    if connection.vendor != "postgresql":
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        steps["settle_analyze_wal"] = time.perf_counter() - started
        say(f"  settled: ANALYZE and WAL checkpoint in {steps['settle_analyze_wal']:.1f} s")
        return steps
    if vacuum:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")  # not inside a transaction: autocommit here
        steps["settle_vacuum"] = time.perf_counter() - started
        say(f"  settled: VACUUM (ANALYZE) in {steps['settle_vacuum']:.1f} s")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        try:
            cursor.execute("CHECKPOINT")  # needs superuser or pg_checkpoint
        except DatabaseError as error:  # a measurement aid, not a requirement
            say(f"  (no CHECKPOINT: {error})")
    steps["settle_checkpoint"] = time.perf_counter() - started
    say(f"  settled: CHECKPOINT in {steps['settle_checkpoint']:.1f} s")
    steps.update(wait_for_autovacuum(say, timeout=wait))
    return steps


def wait_for_autovacuum(say: Callable[[str], None], *, timeout: float = 600.0) -> dict:
    """Wait (at most `timeout` s) until no autovacuum worker has run in this database for 3 s
    in a row; the seconds waited and the most workers seen at once."""
    if connection.vendor != "postgresql":
        return {}
    started = time.perf_counter()
    quiet_since: float | None = None
    most = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity a WHERE a.backend_type = "
                "'autovacuum worker' AND a.datname = current_database()"
            )
            busy = int(cursor.fetchone()[0])
            cursor.execute(
                "SELECT count(*) FROM pg_stat_progress_vacuum p "
                "WHERE p.datname = current_database()"
            )
            busy = max(busy, int(cursor.fetchone()[0]))
        most = max(most, busy)
        now = time.perf_counter()
        if busy:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        if quiet_since is not None and now - quiet_since >= 3.0:
            break
        if now - started > timeout:
            say(f"  autovacuum still busy after {timeout:.0f} s: measuring anyway")
            break
        time.sleep(0.5)
    waited = time.perf_counter() - started
    say(f"  settled: autovacuum idle (waited {waited:.1f} s, at most {most} workers seen)")
    return {"settle_autovacuum_wait": waited, "settle_autovacuum_workers": float(most)}

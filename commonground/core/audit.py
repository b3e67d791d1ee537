"""Writing to and checking the audit ledger.

Services call `record_event` inside their own transaction, so an event exists exactly when the
change it describes was committed. Events are hash-chained per partnership.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from commonground.core.models import AuditEvent
from commonground.core.request_context import current_request_id

GENESIS = "0" * 64


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, set | frozenset | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _canonical(event: AuditEvent) -> bytes:
    payload = {
        "partnership": event.partnership_id,
        "seq": event.seq,
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_label": event.object_label,
        "changes": event.changes,
        "occurred_at": event.occurred_at.astimezone(dt.UTC).isoformat(),
        "request_id": event.request_id,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def _chain(partnership_id: int | None) -> "models.QuerySet[AuditEvent]":
    if partnership_id is None:
        return AuditEvent.objects.filter(partnership__isnull=True)
    return AuditEvent.objects.filter(partnership_id=partnership_id)


def _lock_chain(partnership_id: int | None) -> None:
    # SQLite: transactions are IMMEDIATE, so the writer already holds the database lock.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                [f"audit-chain:{partnership_id or 0}"],
            )


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """The fields that changed, as {field: [old, new]}."""
    return {
        key: [_jsonable(before.get(key)), _jsonable(after.get(key))]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def record_event(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    partnership_id: int | None = None,
    object_type: str = "",
    object_id: str | int = "",
    object_label: str = "",
    changes: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the ledger. Must run inside the service's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("record_event must be called inside the service's transaction")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_label = object_label or str(obj)[:300]
    _lock_chain(partnership_id)
    last = _chain(partnership_id).order_by("-seq").values("seq", "hash").first()
    is_authenticated = bool(actor is not None and getattr(actor, "is_authenticated", False))
    event = AuditEvent(
        partnership_id=partnership_id,
        seq=(last["seq"] + 1) if last else 1,
        actor_id=actor.pk if is_authenticated else None,
        actor_label=(actor.email if is_authenticated else "system")[:254],
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_label=object_label[:300],
        # Round-trip through JSON so the hashed form is exactly the stored form.
        changes=json.loads(json.dumps(_jsonable(dict(changes or {})))),
        occurred_at=timezone.now(),
        request_id=current_request_id.get(),
        prev_hash=last["hash"] if last else GENESIS,
    )
    event.hash = compute_hash(event)
    event.save(force_insert=True)
    return event


@dataclass(frozen=True)
class ChainReport:
    partnership_id: int | None
    events: int
    broken_event_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_event_id is None and not self.problem


def _chains(partnership_id: int | None, everything: bool) -> Iterator[int | None]:
    if not everything:
        yield partnership_id
        return
    ids = AuditEvent.objects.order_by().values_list("partnership_id", flat=True).distinct()
    yield from sorted(set(ids), key=lambda v: (v is not None, v or 0))


def verify_chain(partnership_id: int | None) -> ChainReport:
    """Recompute one chain and name the first event whose hash, link or sequence is wrong."""
    prev_hash = GENESIS
    expected_seq = 1
    count = 0
    events = _chain(partnership_id).order_by("seq")
    for event in events.iterator(chunk_size=2000):
        count += 1
        if event.seq != expected_seq:
            return ChainReport(
                partnership_id,
                count,
                event.pk,
                f"sequence jumps from {expected_seq - 1} to {event.seq}: events are missing",
            )
        if event.prev_hash != prev_hash:
            return ChainReport(
                partnership_id, count, event.pk, "link to the previous event does not match"
            )
        if compute_hash(event) != event.hash:
            return ChainReport(partnership_id, count, event.pk, "content does not match its hash")
        prev_hash = event.hash
        expected_seq += 1
    return ChainReport(partnership_id, count)


def verify(partnership_id: int | None = None, *, everything: bool = True) -> list[ChainReport]:
    with transaction.atomic():
        return [verify_chain(pid) for pid in _chains(partnership_id, everything)]

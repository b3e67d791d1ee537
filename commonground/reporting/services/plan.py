"""Writes for the communication plan: its entries, and the times they were carried out.

An entry says which audience gets what, through which channel, how often, owned by which
partner. Coordinators and editors keep the plan and mark entries done by hand; other code calls
`record_channel_done` when something it did counts as done for a channel: a digest sent
(channel digest, source digest) or a report published (channel printed_report, source report).
"""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.accounts.models import User
from commonground.core.audit import diff, record_event
from commonground.core.concurrency import bump_version
from commonground.core.errors import InvalidInput
from commonground.core.validation import Errors, choice, date, text
from commonground.partnerships.access import can
from commonground.partnerships.models import Partner, Seat
from commonground.reporting.access import ReportingPerm
from commonground.reporting.models import (
    Audience,
    Channel,
    CommunicationDone,
    CommunicationEntry,
    PlanFrequency,
)

EDITABLE = (
    "audience",
    "audience_detail",
    "content",
    "channel",
    "frequency",
    "owner_id",
    "starts_on",
)


def _require(seat: Seat, partnership_id: int) -> None:
    if seat.partnership_id != partnership_id or not can(seat, ReportingPerm.MANAGE_REPORTING):
        raise PermissionDenied(_("Your role cannot change the communication plan."))


def _clean(partnership_id: int, data: dict[str, Any]) -> dict[str, Any]:
    errors = Errors()
    audience = choice(data.get("audience"), "audience", errors, Audience)
    detail = " ".join(text(data, "audience_detail", errors, max_length=200).split())
    if audience == Audience.STAKEHOLDERS and not detail:
        errors.add("audience_detail", _("Name the stakeholder group (e.g. tenants of Old Mill)."))
    owner_id = data.get("owner_id")
    owner = None
    if owner_id in (None, ""):
        errors.add("owner_id", _("Choose the partner who owns this line of the plan."))
    else:
        try:
            owner = Partner.objects.filter(partnership_id=partnership_id, pk=int(owner_id)).first()
        except (TypeError, ValueError):
            owner = None
        if owner is None:
            errors.add("owner_id", _("Choose a partner of this partnership."))
    starts_on = date(data.get("starts_on"), "starts_on", errors) or timezone.localdate()
    clean = {
        "audience": audience,
        "audience_detail": detail,
        "content": " ".join(
            text(
                data, "content", errors, required=True, max_length=300, label=_("what they get")
            ).split()
        ),
        "channel": choice(data.get("channel"), "channel", errors, Channel),
        "frequency": choice(data.get("frequency"), "frequency", errors, PlanFrequency),
        "owner_id": owner.pk if owner else None,
        "starts_on": starts_on,
    }
    errors.raise_if_any(_("Some details of the plan entry need correcting."))
    return clean


def _snapshot(entry: CommunicationEntry) -> dict[str, Any]:
    return {field: getattr(entry, field) for field in EDITABLE}


@transaction.atomic
def plan_entry_create(*, actor: User, seat: Seat, data: dict[str, Any]) -> CommunicationEntry:
    """Add a line to the seat's partnership's communication plan."""
    _require(seat, seat.partnership_id)
    entry = CommunicationEntry.objects.create(
        partnership_id=seat.partnership_id, **_clean(seat.partnership_id, data)
    )
    record_event(
        actor=actor,
        action="plan.create",
        obj=entry,
        partnership_id=entry.partnership_id,
        changes=diff({}, _snapshot(entry)),
    )
    return entry


@transaction.atomic
def plan_entry_edit(
    *,
    actor: User,
    seat: Seat,
    entry: CommunicationEntry,
    data: dict[str, Any],
    expected_version: int | None,
) -> CommunicationEntry:
    """Change a plan entry, refusing a stale version."""
    _require(seat, entry.partnership_id)
    clean = _clean(entry.partnership_id, data)
    before = _snapshot(entry)
    bump_version(entry, expected_version, **clean)
    record_event(
        actor=actor,
        action="plan.edit",
        obj=entry,
        partnership_id=entry.partnership_id,
        changes=diff(before, _snapshot(entry)),
    )
    return entry


@transaction.atomic
def plan_entry_delete(*, actor: User, seat: Seat, entry: CommunicationEntry) -> None:
    """Take a line off the plan (with the record of when it was done)."""
    _require(seat, entry.partnership_id)
    record_event(
        actor=actor,
        action="plan.delete",
        obj=entry,
        partnership_id=entry.partnership_id,
        changes=diff(_snapshot(entry), {}),
    )
    entry.delete()


def _done(
    entry: CommunicationEntry, *, source: str, note: str, at: dt.datetime, actor: User | None
) -> CommunicationDone:
    done = CommunicationDone.objects.create(
        partnership_id=entry.partnership_id, entry=entry, done_at=at, source=source, note=note
    )
    # Not a version bump: being carried out is not an edit, and must not make an open edit
    # form stale.
    CommunicationEntry.objects.filter(pk=entry.pk).update(last_done_at=at)
    entry.last_done_at = at
    record_event(
        actor=actor,
        action="plan.done",
        obj=entry,
        partnership_id=entry.partnership_id,
        changes={"done_at": [None, at], "source": [None, source], "note": [None, note]},
    )
    return done


@transaction.atomic
def plan_entry_mark_done(
    *, actor: User, seat: Seat, entry: CommunicationEntry, note: str = ""
) -> CommunicationDone:
    """Record, by hand, that an entry was carried out now; its next due date moves on."""
    _require(seat, entry.partnership_id)
    errors = Errors()
    note = " ".join(text({"note": note}, "note", errors, max_length=300).split())
    errors.raise_if_any(_("The note needs correcting."))
    return _done(
        entry,
        source=CommunicationDone.Source.MANUAL,
        note=note,
        at=timezone.now(),
        actor=actor,
    )


@transaction.atomic
def record_channel_done(
    partnership_id: int,
    channel: str,
    source: str,
    note: str = "",
    *,
    at: dt.datetime | None = None,
) -> int:
    """Mark every plan entry of the partnership with this channel done (a digest was sent:
    channel "digest", source "digest"; a report was published: "printed_report", "report").
    Returns how many entries; 0 when the plan has none for the channel. Call it inside the
    transaction of what was done, once per partnership and occasion."""
    if channel not in Channel.values:
        raise InvalidInput(
            _("Unknown channel “%(channel)s”.") % {"channel": channel},
            fields={"channel": [_("Unknown.")]},
        )
    if source not in CommunicationDone.Source.values:
        raise InvalidInput(
            _("Unknown source “%(source)s”.") % {"source": source},
            fields={"source": [_("Unknown.")]},
        )
    at = at or timezone.now()
    entries = CommunicationEntry.objects.filter(
        partnership_id=partnership_id, channel=channel
    ).order_by("pk")
    count = 0
    for entry in entries.select_for_update():
        _done(entry, source=source, note=" ".join(note.split())[:300], at=at, actor=None)
        count += 1
    return count


def plan_report_published(*, export: Any) -> None:
    """The reaction to `reporting.report_published`: a published progress report marks the
    plan's "printed report" entries done."""
    if export.partnership_id is not None:
        record_channel_done(
            export.partnership_id,
            "printed_report",
            "report",
            # i18n: a stored record, written by the system for everyone who reads the plan
            note=f"Progress report {export.date_from} to {export.date_to} published",
        )


def plan_digest_sent(*, partnership_id: int, period_key: str, **_: Any) -> None:
    """The reaction to `notifications.digest_sent`: many people get the digest of one period, so
    the plan counts it done once per period."""
    note = f"Digest {period_key} sent"  # i18n: stored, and the key that finds it again
    if not CommunicationDone.objects.filter(
        partnership_id=partnership_id, source="digest", note=note
    ).exists():
        record_channel_done(partnership_id, "digest", "digest", note=note)

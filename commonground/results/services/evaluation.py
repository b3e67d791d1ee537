"""Writes for evaluation sessions: findings against the OECD DAC criteria, with evidence links,
and recommendations with an owner and a due date.

Who may act is decided by the caller's access declaration (creating needs EDIT_FRAMEWORK, marking
a recommendation done or open again REPORT_RESULTS) plus one finer rule kept here,
`may_complete`: a reporter marks done (or open again) only what their own organisation owns;
coordinators and editors anything.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.accounts.models import User
from commonground.core.audit import record_event
from commonground.core.errors import Conflict
from commonground.core.validation import Errors, choice, date, text
from commonground.partnerships.access import can, require
from commonground.partnerships.models import Partner, Seat
from commonground.results.access import ResultsPerm
from commonground.results.models import (
    Criterion,
    EvaluationFinding,
    EvaluationSession,
    Recommendation,
)

# EvaluationFinding.evidence_url is a URLField of Django's default length.
MAX_URL_LENGTH = 200


def _evidence_url(item: dict[str, Any], key: str, errors: Errors) -> str:
    url = str(item.get("evidence_url") or "").strip()
    if not url:
        return url
    if len(url) > MAX_URL_LENGTH:
        errors.add(key, _("Keep the link to %(count)s characters.") % {"count": MAX_URL_LENGTH})
        return url
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        errors.add(key, _("Give a full web address starting with https://."))
    return url


def _owner_id(value: Any) -> int:
    try:
        return int(str(value or 0).strip())
    except ValueError:
        return 0


@transaction.atomic
def evaluation_create(*, actor: User, seat: Seat, data: dict[str, Any]) -> EvaluationSession:
    """Record an evaluation session with its findings and recommendations in one go.

    `data`: title, held_on, participants, findings [{criterion, finding, evidence_url}],
    recommendations [{text, owner_id, due_date}]. Refusals name the row, numbered from 1:
    `findings.2.finding`, `recommendations.1.owner_id`.
    """
    require(seat, ResultsPerm.EDIT_FRAMEWORK)
    partnership = seat.partnership
    errors = Errors()
    title = text(data, "title", errors, required=True, max_length=200, label=_("a title"))
    held_on = date(data.get("held_on"), "held_on", errors)
    if held_on is None and "held_on" not in errors:
        errors.add("held_on", _("Give the date of the session."))
    participants = text(data, "participants", errors)
    findings = []
    for number, item in enumerate(data.get("findings") or [], start=1):
        key = f"findings.{number}"
        criterion = choice(item.get("criterion"), f"{key}.criterion", errors, Criterion)
        finding = text(item, "finding", errors, required=True, label=_("the finding"))
        if "finding" in errors:
            errors.setdefault(f"{key}.finding", errors.pop("finding"))
        url = _evidence_url(item, f"{key}.evidence_url", errors)
        findings.append((criterion, finding, url))
    partners = {p.pk: p for p in Partner.objects.filter(partnership=partnership)}
    recommendations = []
    for number, item in enumerate(data.get("recommendations") or [], start=1):
        key = f"recommendations.{number}"
        body = text(item, "text", errors)
        if "text" in errors:
            errors.setdefault(f"{key}.text", errors.pop("text"))
        elif not body:
            errors.add(f"{key}.text", _("Write the recommendation."))
        owner = partners.get(_owner_id(item.get("owner_id")))
        if owner is None:
            errors.add(f"{key}.owner_id", _("Choose a partner of this partnership as owner."))
        due = date(item.get("due_date"), f"{key}.due_date", errors)
        if due is None and f"{key}.due_date" not in errors:
            errors.add(f"{key}.due_date", _("Give a due date."))
        recommendations.append((body, owner, due))
    errors.raise_if_any(_("Some evaluation details need correcting."))
    assert held_on is not None
    session = EvaluationSession.objects.create(
        partnership=partnership,
        title=title,
        held_on=held_on,
        participants=participants,
        created_by=actor,
    )
    EvaluationFinding.objects.bulk_create(
        EvaluationFinding(
            partnership=partnership, session=session, criterion=c, finding=f, evidence_url=u
        )
        for c, f, u in findings
    )
    Recommendation.objects.bulk_create(
        Recommendation(partnership=partnership, session=session, text=t, owner=o, due_date=d)
        for t, o, d in recommendations
        if o is not None and d is not None
    )
    record_event(
        actor=actor,
        action="evaluation.create",
        obj=session,
        partnership_id=partnership.pk,
        changes={
            "title": [None, title],
            "held_on": [None, held_on],
            "findings": [None, len(findings)],
            "recommendations": [None, len(recommendations)],
        },
    )
    return session


def may_complete(seat: Seat, recommendation: Recommendation) -> bool:
    """The one rule: coordinators and editors mark any recommendation done; a reporter only
    those their own organisation owns; viewers none."""
    if recommendation.partnership_id != seat.partnership_id:
        return False
    if can(seat, ResultsPerm.EDIT_FRAMEWORK):
        return True
    return can(seat, ResultsPerm.REPORT_RESULTS) and recommendation.owner_id == seat.partner_id


def _require_complete(seat: Seat, recommendation: Recommendation) -> None:
    if not may_complete(seat, recommendation):
        raise PermissionDenied(
            _("You mark done or open only the recommendations your own organisation owns.")
        )


@transaction.atomic
def recommendation_complete(
    *, actor: User, seat: Seat, recommendation: Recommendation
) -> Recommendation:
    """Mark a recommendation as done (once: a second time is a conflict); who may is
    may_complete's rule (403)."""
    _require_complete(seat, recommendation)
    done_at = timezone.now()
    # One conditional UPDATE, so two people pressing "done" at once record it only once.
    updated = Recommendation.objects.filter(pk=recommendation.pk, done_at__isnull=True).update(
        done_at=done_at
    )
    if not updated:
        recommendation.refresh_from_db(fields=["done_at"])
        raise Conflict(_("This recommendation is already done."), code="already_done")
    recommendation.done_at = done_at
    record_event(
        actor=actor,
        action="recommendation.complete",
        obj=recommendation,
        partnership_id=recommendation.partnership_id,
        object_label=recommendation.text[:120],
        changes={"done_at": [None, recommendation.done_at]},
    )
    return recommendation


@transaction.atomic
def recommendation_reopen(
    *, actor: User, seat: Seat, recommendation: Recommendation
) -> Recommendation:
    """Mark a done recommendation open again: it was marked done by mistake, or the work it asked
    for came undone. The ledger keeps both steps. Who may: as recommendation_complete."""
    _require_complete(seat, recommendation)
    current = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if current.done_at is None:
        recommendation.done_at = None
        raise Conflict(_("This recommendation is not done."), code="not_done")
    Recommendation.objects.filter(pk=recommendation.pk).update(done_at=None)
    recommendation.done_at = None
    record_event(
        actor=actor,
        action="recommendation.reopen",
        obj=recommendation,
        partnership_id=recommendation.partnership_id,
        object_label=recommendation.text[:120],
        changes={"done_at": [current.done_at, None]},
    )
    return recommendation

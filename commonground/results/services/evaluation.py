"""Writes for evaluation sessions: findings against the OECD DAC criteria, with evidence links,
and recommendations with an owner and a due date."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from commonground.accounts.models import User
from commonground.core.audit import record_event
from commonground.core.errors import Conflict
from commonground.partnerships.models import Partner, Partnership
from commonground.results.models import (
    Criterion,
    EvaluationFinding,
    EvaluationSession,
    Recommendation,
)
from commonground.results.services._clean import Errors, choice, date, text


@transaction.atomic
def evaluation_create(
    *, actor: User, partnership: Partnership, data: dict[str, Any]
) -> EvaluationSession:
    """Record an evaluation session with its findings and recommendations in one go.

    `data`: title, held_on, participants, findings [{criterion, finding, evidence_url}],
    recommendations [{text, owner_id, due_date}].
    """
    errors = Errors()
    title = text(data, "title", errors, required=True, max_length=200, label="a title")
    held_on = date(data.get("held_on"), "held_on", errors)
    if held_on is None and "held_on" not in errors:
        errors.add("held_on", "Give the date of the session.")
    participants = text(data, "participants", errors)
    findings = []
    for number, item in enumerate(data.get("findings") or [], start=1):
        key = f"findings.{number}"
        criterion = choice(item.get("criterion"), f"{key}.criterion", errors, Criterion)
        finding = text(item, "finding", errors, required=True, label="the finding")
        if "finding" in errors:
            errors.setdefault(f"{key}.finding", errors.pop("finding"))
        url = str(item.get("evidence_url") or "").strip()
        if url and not url.startswith(("http://", "https://")):
            errors.add(f"{key}.evidence_url", "Give a full web address starting with https://.")
        findings.append((criterion, finding, url))
    partners = {p.pk: p for p in Partner.objects.filter(partnership=partnership)}
    recommendations = []
    for number, item in enumerate(data.get("recommendations") or [], start=1):
        key = f"recommendations.{number}"
        body = str(item.get("text") or "").strip()
        if not body:
            errors.add(f"{key}.text", "Write the recommendation.")
        owner = partners.get(int(item.get("owner_id") or 0))
        if owner is None:
            errors.add(f"{key}.owner_id", "Choose a partner of this partnership as owner.")
        due = date(item.get("due_date"), f"{key}.due_date", errors)
        if due is None and f"{key}.due_date" not in errors:
            errors.add(f"{key}.due_date", "Give a due date.")
        recommendations.append((body, owner, due))
    errors.raise_if_any("Some evaluation details need correcting.")
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


@transaction.atomic
def recommendation_complete(*, actor: User, recommendation: Recommendation) -> Recommendation:
    """Mark a recommendation as done."""
    if recommendation.done_at is not None:
        raise Conflict("This recommendation is already done.", code="already_done")
    recommendation.done_at = timezone.now()
    recommendation.save(update_fields=["done_at"])
    record_event(
        actor=actor,
        action="recommendation.complete",
        obj=recommendation,
        partnership_id=recommendation.partnership_id,
        object_label=recommendation.text[:120],
        changes={"done_at": [None, recommendation.done_at]},
    )
    return recommendation

"""Results entry and review: save a draft, submit, approve or return, reopen, comment.

A reporter reports for the partner their seat is held for; coordinators and editors may report
for any partner. Nobody approves their own submission. Approved results are locked; reopening
needs a reason. Every approval or reopening refreshes the progress summaries.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.accounts.models import User
from commonground.core.audit import diff, record_event
from commonground.core.concurrency import bump_version
from commonground.core.errors import Conflict, InvalidInput, field_error
from commonground.core.lifecycle import Lifecycle, Move
from commonground.core.validation import Errors, decimal
from commonground.partnerships.access import Perm, can, require
from commonground.partnerships.models import Partner, Seat
from commonground.results import periods
from commonground.results.access import ResultsPerm
from commonground.results.models import (
    Aggregation,
    Indicator,
    Measure,
    Result,
    ResultBreakdown,
    ResultComment,
    ResultStatus,
)
from commonground.results.services.summaries import refresh_indicator

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = {
    ".pdf": b"%PDF",
    ".png": b"\x89PNG",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".xlsx": b"PK\x03\x04",
    ".docx": b"PK\x03\x04",
    ".csv": b"",
    ".txt": b"",
}


_NOT_A_PERCENTAGE = gettext_lazy("%(value)s is not a percentage: it must lie between 0 and 100.")


def locked_message(status: str, period_label: str) -> str:
    """Why a submitted or approved result cannot be changed, in the reader's language."""
    if status == ResultStatus.APPROVED:
        return _(
            "The %(period)s result is approved: it is locked; reopen it with a reason to change it."
        ) % {"period": period_label}
    return _(
        "The %(period)s result is submitted: wait for the review, or ask a reviewer to return it."
    ) % {"period": period_label}


def breakdown_key(parts: Mapping[str, str]) -> str:
    """The canonical key of a combination of disaggregation values: "age=15-24|sex=female"."""
    return "|".join(f"{name}={parts[name]}" for name in sorted(parts))


def parse_breakdown_key(key: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in key.split("|")) if key else {}


# A breakdown key's canonical form (None: the cell is skipped) and the problems with it.
CheckedKey = tuple[str | None, list[str]]


def _check_key(key: Any, dimensions: Mapping[str, list[str]]) -> CheckedKey:
    """Check a breakdown key ("age=15-24|sex=female", or (name, value) pairs) against the
    indicator's dimensions and their allowed values."""
    pairs = [part.split("=", 1) for part in key.split("|")] if isinstance(key, str) else list(key)
    parts = dict(pairs) if all(len(pair) == 2 for pair in pairs) else {}
    if len(parts) != len(pairs):
        return None, [
            _("“%(key)s” is not a combination such as age=15-24|sex=female.") % {"key": key}
        ]
    if set(parts) != set(dimensions):
        if not dimensions:
            return None, [
                _("“%(key)s” names dimensions, but this indicator has none.") % {"key": key}
            ]
        return None, [
            _("“%(key)s” must give a value for each of: %(dimensions)s.")
            % {"key": key, "dimensions": ", ".join(sorted(dimensions))}
        ]
    messages = [
        _("“%(value)s” is not an allowed %(name)s (allowed: %(allowed)s).")
        % {"value": value, "name": name, "allowed": ", ".join(dimensions[name])}
        for name, value in parts.items()
        if value not in dimensions[name]
    ]
    return breakdown_key(parts), messages


@dataclass
class ReportedValue:
    """What a reporter enters for one indicator and period (from a form, the API or an import)."""

    value: Any = None
    text_value: str = ""
    breakdown: dict[str, Any] = field(default_factory=dict)  # canonical key -> value
    note: str = ""
    evidence_url: str = ""


def clean_value(
    indicator: Indicator,
    dimensions: Mapping[str, list[str]],
    reported: ReportedValue,
    errors: Errors,
    *,
    key_cache: dict[str, CheckedKey] | None = None,
) -> tuple[Decimal | None, str, dict[str, Decimal]]:
    """Check a reported value against its indicator: numbers for numeric indicators, at most
    100 for percentages, allowed disaggregation values, and a total that agrees with its
    breakdown. Problems go into `errors` under the field they concern.

    `key_cache`, kept by a caller that checks many values of one indicator (an import), holds
    what `_check_key` found for each breakdown key, so each distinct key is checked once.
    """
    text_value = str(reported.text_value or "").strip()
    value: Decimal | None = None
    for name, text in (("text_value", text_value), ("note", reported.note or "")):
        if "\x00" in text:  # PostgreSQL cannot store it
            errors.add(name, _("Remove the null character (U+0000)."))
    if indicator.is_numeric:
        value = decimal(reported.value, "value", errors)
        if text_value:
            errors.add("text_value", _("This indicator takes a number, not text."))
        if (
            indicator.measure == Measure.PERCENTAGE
            and value is not None
            and not (0 <= value <= 100)
        ):
            errors.add("value", _NOT_A_PERCENTAGE % {"value": value})
    else:
        if reported.value not in (None, ""):
            errors.add("value", _("This indicator is qualitative: describe the result in words."))
        if not text_value:
            errors.add("text_value", _("Describe the result."))
    breakdown: dict[str, Decimal] = {}
    for key, raw in (reported.breakdown or {}).items():
        checked = key_cache.get(key) if key_cache is not None and isinstance(key, str) else None
        if checked is None:
            checked = _check_key(key, dimensions)
            if key_cache is not None and isinstance(key, str):
                key_cache[key] = checked
        canonical, messages = checked
        for message in messages:
            errors.add("breakdown", message)
        if canonical is None:
            continue
        number = decimal(raw, "breakdown", errors)
        if number is None:
            continue
        if indicator.measure == Measure.PERCENTAGE and not (0 <= number <= 100):
            errors.add("breakdown", _NOT_A_PERCENTAGE % {"value": number})
        if canonical in breakdown:
            errors.add("breakdown", _("“%(key)s” is given twice.") % {"key": canonical})
        breakdown[canonical] = number
    if breakdown and not indicator.is_numeric:
        errors.add("breakdown", _("Only numeric indicators are broken down."))
    adds_up = indicator.measure == Measure.UNIT and indicator.aggregation in (
        Aggregation.SUM,
        Aggregation.LATEST,
    )
    if breakdown and adds_up:
        total = sum(breakdown.values(), Decimal(0))
        if value is None:
            value = total
        elif total != value:
            errors.add(
                "value",
                _("The total %(total)s does not equal the sum of the breakdown (%(sum)s).")
                % {"total": f"{value:f}", "sum": f"{total:f}"},
            )
    if indicator.is_numeric and value is None and "value" not in errors:
        errors.add("value", _("Give a value."))
    return value, text_value, breakdown


def check_evidence(upload: UploadedFile | None, url: str, errors: Errors) -> None:
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors.add("evidence_url", _("Give a full web address starting with https://."))
    if upload is None:
        return
    name = (upload.name or "").lower()
    suffix = name[name.rfind(".") :] if "." in name else ""
    if suffix not in EVIDENCE_TYPES:
        errors.add(
            "evidence_file",
            _("Attach a PDF, image, spreadsheet, document or text file (%(types)s).")
            % {"types": ", ".join(sorted(EVIDENCE_TYPES))},
        )
        return
    if upload.size and upload.size > MAX_EVIDENCE_BYTES:
        errors.add(
            "evidence_file",
            _("The file is larger than %(size)s MB.") % {"size": MAX_EVIDENCE_BYTES // 2**20},
        )
        return
    head = upload.read(8)
    upload.seek(0)
    if EVIDENCE_TYPES[suffix] and not head.startswith(EVIDENCE_TYPES[suffix]):
        errors.add(
            "evidence_file", _("The file's content is not a %(suffix)s file.") % {"suffix": suffix}
        )


def indicator_dimensions(indicator: Indicator) -> dict[str, list[str]]:
    return {d.name: list(d.values) for d in indicator.dimensions.all()}


def may_report_for(seat: Seat, partner_id: int) -> bool:
    """The one rule: reporters act for their own organisation; reviewers for any partner."""
    return partner_id == seat.partner_id or can(seat, ResultsPerm.REVIEW_RESULTS)


def require_report_for(seat: Seat, result: Result) -> None:
    """403 unless the seat may report, and report for the result's partner (may_report_for)."""
    require(seat, ResultsPerm.REPORT_RESULTS, result.partnership_id)
    if not may_report_for(seat, result.partner_id):
        raise PermissionDenied(_("You report for your own organisation only."))


def reporting_partner(seat: Seat, partner: Partner | None) -> Partner:
    """Reporters report for their own organisation; coordinators and editors for any partner."""
    if partner is None or partner.pk == seat.partner_id:
        return seat.partner
    if partner.partnership_id != seat.partnership_id:
        raise field_error("partner", _("Choose a partner of this partnership."))
    if not may_report_for(seat, partner.pk):
        raise field_error("partner", _("You report for your own organisation only."))
    return partner


def resolve_period(indicator: Indicator, period: periods.Period | str) -> periods.Period:
    if isinstance(period, str):
        try:
            period = periods.parse_period(period, periods.Frequency(indicator.frequency))
        except periods.PeriodError as error:
            raise field_error("period", str(error)) from None
    elif period.frequency != indicator.frequency:
        raise field_error(
            "period",
            _("This indicator is reported %(frequency)s.")
            % {"frequency": periods.REPORTED[periods.Frequency(indicator.frequency)]},
        )
    partnership = indicator.partnership
    if period.end < partnership.start_date or (
        partnership.end_date and period.start > partnership.end_date
    ):
        if partnership.end_date:
            message = _("%(period)s is outside the partnership's dates (%(start)s to %(end)s).") % {
                "period": period.label,
                "start": date_format(partnership.start_date, "DATE_FORMAT"),
                "end": date_format(partnership.end_date, "DATE_FORMAT"),
            }
        else:
            message = _(
                "%(period)s is outside the partnership's dates (from %(start)s, with no end)."
            ) % {
                "period": period.label,
                "start": date_format(partnership.start_date, "DATE_FORMAT"),
            }
        raise field_error("period", message)
    return period


@transaction.atomic
def result_save(
    *,
    actor: User,
    seat: Seat,
    indicator: Indicator,
    period: periods.Period | str,
    reported: ReportedValue,
    partner: Partner | None = None,
    evidence_file: UploadedFile | None = None,
    version: int | None = None,
) -> Result:
    """Create or change a draft (or returned) result for a partner, indicator and period."""
    require(seat, ResultsPerm.REPORT_RESULTS)
    if indicator.partnership_id != seat.partnership_id:
        # Callers scope the indicator to the seat's partnership; this keeps a slip (an import
        # row naming another partnership's indicator) from writing across partnerships.
        raise field_error("indicator", _("Choose an indicator of this partnership."))
    partner = reporting_partner(seat, partner)
    resolved = resolve_period(indicator, period)
    errors = Errors()
    value, text_value, breakdown = clean_value(
        indicator, indicator_dimensions(indicator), reported, errors
    )
    check_evidence(evidence_file, reported.evidence_url.strip(), errors)
    errors.raise_if_any(_("Some values need correcting."))
    result = (
        Result.objects.select_for_update()
        .filter(indicator=indicator, period_start=resolved.start, partner=partner)
        .first()
    )
    fields = {
        "value": value,
        "text_value": text_value,
        "note": reported.note.strip(),
        "evidence_url": reported.evidence_url.strip(),
    }
    if result is None:
        result = Result.objects.create(
            partnership_id=indicator.partnership_id,
            indicator=indicator,
            partner=partner,
            period_start=resolved.start,
            period_end=resolved.end,
            created_by=actor,
            **fields,
        )
        action, changes = "result.create", {k: [None, v] for k, v in fields.items() if v}
    else:
        if result.status not in (ResultStatus.DRAFT, ResultStatus.RETURNED):
            raise Conflict(locked_message(result.status, resolved.label), code="result_locked")
        before = {k: getattr(result, k) for k in fields}
        bump_version(result, version, **fields)
        action, changes = "result.update", diff(before, fields)
    old = dict(result.breakdown.values_list("key", "value"))
    if old != breakdown:
        result.breakdown.all().delete()
        ResultBreakdown.objects.bulk_create(
            ResultBreakdown(
                partnership_id=result.partnership_id,
                indicator=indicator,
                result=result,
                key=key,
                value=number,
            )
            for key, number in sorted(breakdown.items())
        )
        old_text = {k: str(v) for k, v in old.items()}
        new_text = {k: str(v) for k, v in breakdown.items()}
        changes["breakdown"] = [old_text, new_text]  # type: ignore[list-item]
    if evidence_file is not None:
        result.evidence_file.save(evidence_file.name or "evidence", evidence_file, save=True)
        changes["evidence_file"] = [None, result.evidence_file.name]
    if changes or action == "result.create":
        record_event(
            actor=actor,
            action=action,
            obj=result,
            partnership_id=result.partnership_id,
            object_label=f"{indicator.title} · {resolved.label} · {partner.organisation.name}",
            changes=changes,
        )
    return result


def result_update(
    *,
    actor: User,
    seat: Seat,
    result: Result,
    reported: ReportedValue,
    evidence_file: UploadedFile | None = None,
    version: int | None = None,
) -> Result:
    """Change an existing result: as result_save for its indicator, period and partner, and 403
    for a seat that may not report for its partner."""
    require_report_for(seat, result)
    return result_save(
        actor=actor,
        seat=seat,
        indicator=result.indicator,
        period=periods.Period(result.period_start, result.period_end),
        reported=reported,
        partner=result.partner,
        evidence_file=evidence_file,
        version=version,
    )


_OPEN = frozenset({ResultStatus.DRAFT, ResultStatus.RETURNED})
LIFECYCLE = Lifecycle(
    "result",
    [
        Move("submit", _OPEN, ResultStatus.SUBMITTED, ResultsPerm.REPORT_RESULTS, "submitted"),
        Move(
            "approve",
            frozenset({ResultStatus.SUBMITTED}),
            ResultStatus.APPROVED,
            ResultsPerm.REVIEW_RESULTS,
            "approved",
        ),
        Move(
            "return",
            frozenset({ResultStatus.SUBMITTED}),
            ResultStatus.RETURNED,
            ResultsPerm.REVIEW_RESULTS,
            "returned",
        ),
        Move(
            "reopen",
            frozenset({ResultStatus.APPROVED}),
            ResultStatus.RETURNED,
            ResultsPerm.REVIEW_RESULTS,
            "reopened",
        ),
    ],
    message="A {state} result cannot be {done}.",  # i18n: replaced by _REFUSED in _transition
)
# A move the lifecycle does not allow from the result's state, in the reader's language: one
# sentence per move (the state label is the result's current state, lower case).
_REFUSED = {
    "submit": gettext_lazy("A %(state)s result cannot be submitted."),
    "approve": gettext_lazy("A %(state)s result cannot be approved."),
    "return": gettext_lazy("A %(state)s result cannot be returned."),
    "reopen": gettext_lazy("A %(state)s result cannot be reopened."),
}


def _transition(seat: Seat, result: Result, verb: str) -> str:
    """The state `verb` leads to, after the lifecycle's permission for it (403)."""
    require(seat, LIFECYCLE.move(verb).perm, result.partnership_id)
    # Lock the row and re-read its state, so two reviewers acting at once cannot both succeed
    # (one approves, the other returns): the second waits, then sees the new state.
    current = Result.objects.select_for_update().values_list("status", "version").get(pk=result.pk)
    result.status, result.version = current
    try:
        return LIFECYCLE.target(result.status, verb)
    except Conflict as refused:
        state = str(result.get_status_display()).lower()
        raise Conflict(_REFUSED[verb] % {"state": state}, code=refused.code) from None


def _log(actor: User, action: str, result: Result, before: str, **extra: Any) -> None:
    record_event(
        actor=actor,
        action=action,
        obj=result,
        partnership_id=result.partnership_id,
        changes={"status": [before, result.status], **{k: [None, v] for k, v in extra.items()}},
    )


@transaction.atomic
def result_submit(*, actor: User, seat: Seat, result: Result) -> Result:
    """Send a draft or returned result for review (reporters: their own organisation's)."""
    require_report_for(seat, result)
    _transition(seat, result, "submit")
    before = result.status
    result.status, result.submitted_by, result.submitted_at = (
        ResultStatus.SUBMITTED,
        actor,
        timezone.now(),
    )
    result.version += 1
    result.save(update_fields=["status", "submitted_by", "submitted_at", "version"])
    _log(actor, "result.submit", result, before)
    return result


@transaction.atomic
def result_approve(*, actor: User, seat: Seat, result: Result, comment: str = "") -> Result:
    """Approve a submitted result; it is locked and counts towards progress."""
    _transition(seat, result, "approve")
    if result.submitted_by_id == actor.pk:
        raise Conflict(
            _("Nobody approves their own submission: ask another reviewer."),
            code="own_submission",
        )
    result.status, result.reviewed_by, result.reviewed_at = (
        ResultStatus.APPROVED,
        actor,
        timezone.now(),
    )
    result.review_comment = comment.strip()
    result.version += 1
    result.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment", "version"])
    _log(actor, "result.approve", result, ResultStatus.SUBMITTED, comment=result.review_comment)
    refresh_indicator(result.indicator)
    return result


@transaction.atomic
def result_return(*, actor: User, seat: Seat, result: Result, comment: str) -> Result:
    """Send a submitted result back to its reporter with a comment."""
    _transition(seat, result, "return")
    if not comment.strip():
        raise field_error("comment", _("Say what needs to change."))
    result.status, result.reviewed_by, result.reviewed_at = (
        ResultStatus.RETURNED,
        actor,
        timezone.now(),
    )
    result.review_comment = comment.strip()
    result.version += 1
    result.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment", "version"])
    _log(actor, "result.return", result, ResultStatus.SUBMITTED, comment=result.review_comment)
    return result


@transaction.atomic
def result_reopen(*, actor: User, seat: Seat, result: Result, reason: str) -> Result:
    """Unlock an approved result so it can be corrected; needs a reason, which is recorded."""
    _transition(seat, result, "reopen")
    if not reason.strip():
        raise field_error("reason", _("Say why the approved result must change."))
    result.status = ResultStatus.RETURNED
    # The English prefix is a marker the result page reads to say "reopened", not a sentence.
    result.review_comment = f"Reopened: {reason.strip()}"  # i18n: stored marker
    result.reviewed_by, result.reviewed_at = actor, timezone.now()
    result.version += 1
    result.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at", "version"])
    _log(actor, "result.reopen", result, ResultStatus.APPROVED, reason=reason.strip())
    refresh_indicator(result.indicator)
    return result


@transaction.atomic
def result_comment(*, actor: User, seat: Seat, result: Result, body: str) -> ResultComment:
    """Anyone who can see a result can comment on it."""
    require(seat, Perm.VIEW, result.partnership_id)
    body = body.strip()
    if not body:
        raise field_error("body", _("Write a comment."))
    if "\x00" in body:
        raise field_error("body", _("Remove the null character (U+0000)."))
    comment = ResultComment.objects.create(
        partnership_id=result.partnership_id, result=result, author=actor, body=body
    )
    record_event(
        actor=actor,
        action="result.comment",
        obj=result,
        partnership_id=result.partnership_id,
        changes={"comment": [None, body]},
    )
    return comment


def due_date_passed(period_end: dt.date, today: dt.date | None = None) -> bool:
    return period_end < (today or timezone.localdate())


__all__ = ["InvalidInput", "ReportedValue", "breakdown_key", "result_save"]

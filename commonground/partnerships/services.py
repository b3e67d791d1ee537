"""Writes for partnerships, partners, seats and invitations.

Each service is atomic, checks the rules before it saves and records one audit event in the
same transaction. Pages, the API, the seed and the admin all call these.
"""

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commonground.accounts.models import Organisation, User
from commonground.accounts.selectors import hash_token
from commonground.core.audit import diff, record_event
from commonground.core.codelists import activity_statuses, sdg_goals, sector_categories
from commonground.core.concurrency import bump_version
from commonground.core.errors import Conflict, InvalidInput, field_error
from commonground.partnerships.access import ROLE_PERMISSIONS, Perm
from commonground.partnerships.models import (
    Invitation,
    Partner,
    PartnerRole,
    Partnership,
    Seat,
    SeatRole,
)

PARTNERSHIP_FIELDS = (
    "title",
    "purpose",
    "vision",
    "problem_statement",
    "geography",
    "start_date",
    "end_date",
    "status",
    "sectors",
    "sdg_goals",
)


def _as_date(value: Any, field: str, errors: dict[str, list[str]]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors[field] = [_("Give a date as YYYY-MM-DD.")]
        return None


def _nul_message() -> str:
    return _("Remove the null character (U+0000).")


def _clean_aims(aims: str) -> str:
    if "\x00" in aims:
        raise field_error(field="aims", message=_nul_message())
    return aims.strip()


def _clean_partnership(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for key in ("title", "purpose", "vision", "problem_statement", "geography"):
        cleaned[key] = str(data.get(key) or "").strip()
        if "\x00" in cleaned[key]:
            # PostgreSQL refuses NUL in text: a clear 400, not a 500 from the database.
            errors[key] = [_nul_message()]
    if not cleaned["title"]:
        errors["title"] = [_("Give the partnership a title.")]
    elif len(cleaned["title"]) > 200:
        errors["title"] = [_("Keep the title to 200 characters.")]
    if not cleaned["purpose"]:
        errors["purpose"] = [_("Say what the partnership is for.")]
    if len(cleaned["geography"]) > 200:
        errors["geography"] = [_("Keep the geography to 200 characters.")]
    cleaned["start_date"] = _as_date(data.get("start_date"), "start_date", errors)
    cleaned["end_date"] = _as_date(data.get("end_date"), "end_date", errors)
    if cleaned["start_date"] is None and "start_date" not in errors:
        errors["start_date"] = [_("Give the date the partnership starts.")]
    if (
        cleaned["start_date"]
        and cleaned["end_date"]
        and cleaned["end_date"] < cleaned["start_date"]
    ):
        errors["end_date"] = [_("The end date must be on or after the start date.")]
    cleaned["status"] = str(data.get("status") or "2")
    if cleaned["status"] not in {code for code, _ in activity_statuses()}:
        errors["status"] = [_("Choose a status from the IATI activity statuses.")]
    sectors = [str(code) for code in (data.get("sectors") or [])]
    valid_sectors = {code for code, _ in sector_categories()}
    unknown = [code for code in sectors if code not in valid_sectors]
    if unknown:
        errors["sectors"] = [
            ngettext(
                "Unknown sector code: %(codes)s.", "Unknown sector codes: %(codes)s.", len(unknown)
            )
            % {"codes": ", ".join(unknown)}
        ]
    cleaned["sectors"] = sorted(set(sectors))
    goals: list[int] = []
    for goal in data.get("sdg_goals") or []:
        try:
            goals.append(int(goal))
        except (TypeError, ValueError):
            errors["sdg_goals"] = [
                _("%(value)s is not an SDG goal number.") % {"value": repr(goal)}
            ]
    valid_goals = {number for number, _ in sdg_goals()}
    if any(goal not in valid_goals for goal in goals):
        errors["sdg_goals"] = [_("SDG goals are numbered 1 to 17.")]
    cleaned["sdg_goals"] = sorted(set(goals))
    if errors:
        raise InvalidInput(_("Some partnership details need correcting."), fields=errors)
    return cleaned


@transaction.atomic
def partnership_create(
    *, actor: User, data: dict[str, Any], lead_organisation: Organisation
) -> Partnership:
    """Create a partnership led by `lead_organisation`; the creator becomes its coordinator."""
    cleaned = _clean_partnership(data)
    partnership = Partnership.objects.create(**cleaned)
    record_event(
        actor=actor,
        action="partnership.create",
        obj=partnership,
        partnership_id=partnership.pk,
        changes={key: [None, value] for key, value in cleaned.items() if value},
    )
    lead = _partner_add(
        actor=actor,
        partnership=partnership,
        organisation=lead_organisation,
        role=PartnerRole.LEAD,
        aims="",
    )
    _seat_create(
        actor=actor,
        partnership=partnership,
        user=actor,
        partner=lead,
        role=SeatRole.COORDINATOR,
    )
    return partnership


@transaction.atomic
def partnership_update(
    *, actor: User, partnership: Partnership, data: dict[str, Any], version: int | None
) -> Partnership:
    """Change a partnership's details; refuses if someone else changed it first."""
    merged = {key: data.get(key, getattr(partnership, key)) for key in PARTNERSHIP_FIELDS}
    cleaned = _clean_partnership(merged)
    before = {key: getattr(partnership, key) for key in PARTNERSHIP_FIELDS}
    changes = diff(before, cleaned)
    bump_version(partnership, version, updated_at=timezone.now(), **cleaned)
    if changes:
        record_event(
            actor=actor,
            action="partnership.update",
            obj=partnership,
            partnership_id=partnership.pk,
            changes=changes,
        )
    return partnership


def _clean_role(role: str) -> PartnerRole:
    try:
        return PartnerRole(role)
    except ValueError:
        raise field_error(
            field="role",
            message=_("Choose a role: %(roles)s.") % {"roles": ", ".join(PartnerRole.values)},
        ) from None


def _partner_add(
    *, actor: User, partnership: Partnership, organisation: Organisation, role: str, aims: str
) -> Partner:
    clean_role = _clean_role(role)
    aims = _clean_aims(aims)
    if Partner.objects.filter(partnership=partnership, organisation=organisation).exists():
        message = _("%(organisation)s is already a partner.") % {"organisation": organisation}
        raise Conflict(
            message,
            fields={"organisation": [message]},
            code="already_partner",
        )
    partner = Partner.objects.create(
        partnership=partnership, organisation=organisation, role=clean_role, aims=aims.strip()
    )
    record_event(
        actor=actor,
        action="partner.add",
        obj=partner,
        partnership_id=partnership.pk,
        changes={
            "organisation": [None, organisation.name],
            "role": [None, clean_role.value],
            "aims": [None, partner.aims],
        },
    )
    return partner


@transaction.atomic
def partner_add(
    *,
    actor: User,
    partnership: Partnership,
    organisation: Organisation,
    role: str,
    aims: str = "",
) -> Partner:
    """Add an organisation from the registry as a partner with a role."""
    return _partner_add(
        actor=actor, partnership=partnership, organisation=organisation, role=role, aims=aims
    )


@transaction.atomic
def partner_update(
    *, actor: User, partner: Partner, data: dict[str, Any], version: int | None
) -> Partner:
    """Change a partner's role or aims."""
    role = _clean_role(str(data.get("role", partner.role)))
    aims = _clean_aims(str(data.get("aims", partner.aims) or ""))
    if role != PartnerRole.LEAD and partner.role == PartnerRole.LEAD:
        others = Partner.objects.filter(
            partnership_id=partner.partnership_id, role=PartnerRole.LEAD
        ).exclude(pk=partner.pk)
        if not others.exists():
            raise field_error(
                field="role", message=_("A partnership needs a lead partner; name another first.")
            )
    changes = diff({"role": partner.role, "aims": partner.aims}, {"role": role.value, "aims": aims})
    bump_version(partner, version, role=role.value, aims=aims)
    if changes:
        record_event(
            actor=actor,
            action="partner.update",
            obj=partner,
            partnership_id=partner.partnership_id,
            changes=changes,
        )
    return partner


@transaction.atomic
def partner_remove(*, actor: User, partner: Partner) -> None:
    """Remove a partner that nobody holds a seat for and that is not the only lead."""
    if (
        partner.seats.exists()
        or partner.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).exists()
    ):
        raise Conflict(
            _("People hold seats or invitations on behalf of this partner; revoke them first."),
            code="partner_in_use",
        )
    if (
        partner.role == PartnerRole.LEAD
        and not Partner.objects.filter(partnership_id=partner.partnership_id, role=PartnerRole.LEAD)
        .exclude(pk=partner.pk)
        .exists()
    ):
        raise Conflict(_("A partnership needs a lead partner."), code="last_lead")
    record_event(
        actor=actor,
        action="partner.remove",
        obj=partner,
        partnership_id=partner.partnership_id,
        changes={"organisation": [partner.organisation.name, None], "role": [partner.role, None]},
    )
    partner.invitations.all().delete()
    partner.delete()


def _seat_create(
    *, actor: User | None, partnership: Partnership, user: User, partner: Partner, role: str
) -> Seat:
    if Seat.objects.filter(partnership=partnership, user=user).exists():
        raise Conflict(
            _("%(email)s already has a seat.") % {"email": user.email}, code="already_seated"
        )
    seat = Seat.objects.create(partnership=partnership, user=user, partner=partner, role=role)
    record_event(
        actor=actor or user,
        action="seat.create",
        obj=seat,
        partnership_id=partnership.pk,
        changes={
            "user": [None, user.email],
            "role": [None, role],
            "partner": [None, partner.organisation.name],
        },
    )
    return seat


@transaction.atomic
def seat_create(
    *, actor: User, partnership: Partnership, user: User, partner: Partner, role: str
) -> Seat:
    """Give an existing person a seat directly (the seed and the admin use this)."""
    if partner.partnership_id != partnership.pk:
        raise field_error(field="partner", message=_("That organisation is not a partner here."))
    return _seat_create(
        actor=actor,
        partnership=partnership,
        user=user,
        partner=partner,
        role=SeatRole(role).value,
    )


def _clean_seat_role(role: str) -> SeatRole:
    try:
        return SeatRole(role)
    except ValueError:
        raise field_error(
            field="role",
            message=_("Choose a role: %(roles)s.") % {"roles": ", ".join(SeatRole.values)},
        ) from None


def _coordinators_left(seat: Seat) -> int:
    return (
        Seat.objects.filter(partnership_id=seat.partnership_id, role=SeatRole.COORDINATOR)
        .exclude(pk=seat.pk)
        .count()
    )


@transaction.atomic
def seat_update(*, actor: User, seat: Seat, role: str, version: int | None) -> Seat:
    """Change a person's role; a partnership always keeps at least one coordinator."""
    new_role = _clean_seat_role(role)
    demoting = seat.role == SeatRole.COORDINATOR and new_role != SeatRole.COORDINATOR
    if demoting and _coordinators_left(seat) == 0:
        raise field_error(
            field="role", message=_("The partnership needs at least one coordinator.")
        )
    could_invite = Perm.MANAGE_SEATS in ROLE_PERMISSIONS.get(seat.role, frozenset())
    changes = diff({"role": seat.role}, {"role": new_role.value})
    bump_version(seat, version, role=new_role.value)
    if changes:
        record_event(
            actor=actor,
            action="seat.update",
            obj=seat,
            partnership_id=seat.partnership_id,
            changes=changes,
        )
    if could_invite and Perm.MANAGE_SEATS not in ROLE_PERMISSIONS[new_role]:
        _withdraw_invitations_sent_by(actor=actor, seat=seat)
    return seat


@transaction.atomic
def seat_revoke(*, actor: User, seat: Seat) -> None:
    """Take a person's seat away; their access ends with their next request."""
    if seat.role == SeatRole.COORDINATOR and _coordinators_left(seat) == 0:
        raise Conflict(
            _("The partnership needs at least one coordinator; appoint another first."),
            code="last_coordinator",
        )
    record_event(
        actor=actor,
        action="seat.revoke",
        obj=seat,
        partnership_id=seat.partnership_id,
        changes={"user": [seat.user.email, None], "role": [seat.role, None]},
    )
    _withdraw_invitations_sent_by(actor=actor, seat=seat)
    seat.delete()


def _withdraw_invitations_sent_by(*, actor: User, seat: Seat) -> None:
    """An invitation speaks for the person who sent it: when they can no longer give seats in
    the partnership (their seat revoked, or a role that cannot manage seats), the invitations
    they sent there and nobody has used yet stop working. Another coordinator can invite again."""
    pending = Invitation.objects.select_for_update().filter(
        partnership_id=seat.partnership_id,
        invited_by_id=seat.user_id,
        revoked_at__isnull=True,
        accepted_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    for invitation in pending:
        _invitation_revoke(actor=actor, invitation=invitation)


def invitation_url(raw_token: str) -> str:
    return settings.SITE_URL + reverse("partnerships:invitation", args=[raw_token])


@transaction.atomic
def invitation_create(
    *, actor: User, partnership: Partnership, partner: Partner, email: str, role: str
) -> tuple[Invitation, str]:
    """Invite a person by e-mail to a seat; the link is mailed once the invitation is saved."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise field_error(field="email", message=_("Give a valid e-mail address.")) from None
    seat_role = _clean_seat_role(role)
    if partner.partnership_id != partnership.pk:
        raise field_error(field="partner", message=_("Choose one of this partnership's partners."))
    if Seat.objects.filter(partnership=partnership, user__email=email).exists():
        message = _("%(email)s already has a seat in this partnership.") % {"email": email}
        raise Conflict(
            message,
            fields={"email": [message]},
            code="already_seated",
        )
    # A fresh invitation replaces any pending one for the same address.
    for pending in Invitation.objects.filter(
        partnership=partnership, email=email, accepted_at__isnull=True, revoked_at__isnull=True
    ):
        _invitation_revoke(actor=actor, invitation=pending)
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation.objects.create(
        partnership=partnership,
        partner=partner,
        email=email,
        role=seat_role.value,
        token_hash=hash_token(raw),
        invited_by=actor,
        created_at=now,
        expires_at=now + dt.timedelta(days=settings.INVITATION_TTL_DAYS),
    )
    record_event(
        actor=actor,
        action="invitation.create",
        obj=invitation,
        partnership_id=partnership.pk,
        changes={
            "email": [None, email],
            "role": [None, seat_role.value],
            "partner": [None, partner.organisation.name],
        },
    )
    context = {
        "invitation": invitation,
        "partnership": partnership,
        "actor": actor,
        "url": invitation_url(raw),
        "days": settings.INVITATION_TTL_DAYS,
    }
    # One line: a line break in a name or title would make send_mail refuse the header.
    # Written in the inviter's language, active now: the invitee has no account to tell us theirs.
    subject = " ".join(
        (
            _("%(name)s invites you to %(title)s on Common Ground")
            % {"name": actor.get_full_name(), "title": partnership.title}
        ).split()
    )
    body = render_to_string("partnerships/email/invitation.txt", context)
    # robust: the invitation stands even if the mail server is down; sending again replaces it.
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email]), robust=True
    )
    return invitation, raw


def _invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record_event(
        actor=actor,
        action="invitation.revoke",
        obj=invitation,
        partnership_id=invitation.partnership_id,
        changes={"revoked_at": [None, invitation.revoked_at]},
    )


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    """Withdraw a pending invitation; its link stops working."""
    if invitation.state != "pending":
        messages = {
            "revoked": _("This invitation is already withdrawn."),
            "accepted": _("This invitation is already accepted."),
            "expired": _("This invitation has already expired."),
        }
        raise Conflict(messages[invitation.state], code="not_pending")
    _invitation_revoke(actor=actor, invitation=invitation)


class InvitationUnusable(InvalidInput):
    code = "invitation_unusable"


def invitation_check(invitation: Invitation | None) -> Invitation:
    """The invitation if its link can still be used; otherwise a message saying why not."""
    if invitation is None:
        raise InvitationUnusable(_("This invitation link is not valid. Ask for a new one."))
    messages = {
        "revoked": _("This invitation was withdrawn. Ask the coordinator for a new one."),
        "accepted": _("This invitation has already been used. Sign in to reach the partnership."),
        "expired": _("This invitation has expired. Ask the coordinator for a new one."),
    }
    if invitation.state in messages:
        raise InvitationUnusable(messages[invitation.state])
    return invitation


@transaction.atomic
def invitation_accept(
    *, raw_token: str, user: User | None, full_name: str = "", password: str = ""
) -> Seat:
    """Use an invitation link: a signed-in person with the invited address, or a new person
    who sets a password, gets the seat. The link works once."""
    invitation = invitation_check(
        Invitation.objects.select_for_update()
        .select_related("partnership", "partner__organisation")
        .filter(token_hash=hash_token(raw_token))
        .first()
    )
    if user is not None and user.is_authenticated:
        if user.email.lower() != invitation.email:
            raise InvalidInput(
                _(
                    "This invitation is for %(invited)s, but you are signed in as %(email)s. "
                    "Sign out first, or ask for an invitation to your address."
                )
                % {"invited": invitation.email, "email": user.email}
            )
        person = user
    else:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise InvalidInput(
                _("%(email)s already has an account: sign in to accept.")
                % {"email": invitation.email},
                code="sign_in_required",
            )
        from django.contrib.auth.password_validation import validate_password

        candidate = User(email=invitation.email, full_name=full_name.strip())
        try:
            validate_password(password, candidate)
        except ValidationError as error:
            raise InvalidInput(
                _("Choose a stronger password."), fields={"password": error.messages}
            ) from None
        person = User.objects.create_user(
            email=invitation.email, password=password, full_name=full_name.strip()[:150]
        )
        record_event(
            actor=person, action="user.create", obj=person, changes={"email": [None, person.email]}
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = person
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record_event(
        actor=person,
        action="invitation.accept",
        obj=invitation,
        partnership_id=invitation.partnership_id,
        changes={"accepted_at": [None, invitation.accepted_at]},
    )
    return _seat_create(
        actor=person,
        partnership=invitation.partnership,
        user=person,
        partner=invitation.partner,
        role=invitation.role,
    )

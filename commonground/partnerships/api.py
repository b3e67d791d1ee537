"""JSON API for partnerships, partners, seats, invitations and activity. Thin: every write goes
through the same service the pages use."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from commonground.accounts.models import Organisation
from commonground.core.api import ERRORS, access, api_user, expected_version, set_etag
from commonground.partnerships import selectors, services
from commonground.partnerships.access import Perm, access_invitation, access_partner
from commonground.partnerships.api_common import partnership_operation
from commonground.partnerships.models import Invitation, Partner, Partnership, Seat
from commonground.partnerships.schemas import (
    ActivityOut,
    InvitationIn,
    InvitationOut,
    PartnerIn,
    PartnerOut,
    PartnerPatch,
    PartnershipIn,
    PartnershipListOut,
    PartnershipOut,
    PartnershipPatch,
    SeatOut,
    SeatPatch,
)

router = Router(tags=["partnerships"])


@router.get(
    "/partnerships",
    response=list[PartnershipListOut],
    summary="My partnerships",
    openapi_extra=access("signed_in"),
)
@paginate(LimitOffsetPagination)
def list_partnerships(request: HttpRequest) -> object:
    return selectors.my_partnerships(user=api_user(request))


@router.post(
    "/partnerships", response={201: PartnershipOut, **ERRORS}, openapi_extra=access("signed_in")
)
def create_partnership(
    request: HttpRequest, payload: PartnershipIn, response: HttpResponse
) -> Status[Partnership]:
    data = payload.dict()
    lead = get_object_or_404(Organisation, pk=data.pop("lead_organisation_id"))
    partnership = services.partnership_create(
        actor=api_user(request), data=data, lead_organisation=lead
    )
    set_etag(response, partnership.version)
    return Status(201, partnership)


@partnership_operation(
    router.get,
    "/partnerships/{partnership_id}",
    Perm.VIEW,
    response={200: PartnershipOut, **ERRORS},
)
def get_partnership(request: HttpRequest, seat: Seat, response: HttpResponse) -> Partnership:
    partnership = seat.partnership
    set_etag(response, partnership.version)
    return partnership


@partnership_operation(
    router.patch,
    "/partnerships/{partnership_id}",
    Perm.CHANGE,
    response={200: PartnershipOut, **ERRORS},
    description="Send If-Match with the ETag from GET: 412 if stale, 428 if missing.",
)
def update_partnership(
    request: HttpRequest, seat: Seat, payload: PartnershipPatch, response: HttpResponse
) -> Partnership:
    partnership = services.partnership_update(
        actor=api_user(request),
        partnership=seat.partnership,
        data=payload.dict(exclude_unset=True),
        version=expected_version(request),
    )
    set_etag(response, partnership.version)
    return partnership


@partnership_operation(
    router.get,
    "/partnerships/{partnership_id}/partners",
    Perm.VIEW,
    response={200: list[PartnerOut], **ERRORS},
)
@paginate(LimitOffsetPagination)
def list_partners(request: HttpRequest, seat: Seat) -> object:
    return selectors.partners_of(partnership=seat.partnership)


@partnership_operation(
    router.post,
    "/partnerships/{partnership_id}/partners",
    Perm.MANAGE_PARTNERS,
    response={201: PartnerOut, **ERRORS},
)
def add_partner(request: HttpRequest, seat: Seat, payload: PartnerIn) -> Status[Partner]:
    organisation = get_object_or_404(Organisation, pk=payload.organisation_id)
    partner = services.partner_add(
        actor=api_user(request),
        partnership=seat.partnership,
        organisation=organisation,
        role=payload.role,
        aims=payload.aims,
    )
    return Status(201, partner)


def _partner(partnership_id: int, partner_id: int) -> Partner:
    return get_object_or_404(
        Partner.objects.select_related("organisation"),
        pk=partner_id,
        partnership_id=partnership_id,
    )


@partnership_operation(
    router.get,
    "/partnerships/{partnership_id}/partners/{partner_id}",
    Perm.VIEW,
    response={200: PartnerOut, **ERRORS},
)
def get_partner(
    request: HttpRequest, partnership_id: int, partner_id: int, response: HttpResponse
) -> Partner:
    partner = _partner(partnership_id, partner_id)
    set_etag(response, partner.version)
    return partner


@partnership_operation(
    router.patch,
    "/partnerships/{partnership_id}/partners/{partner_id}",
    Perm.MANAGE_PARTNERS,
    response={200: PartnerOut, **ERRORS},
)
def update_partner(
    request: HttpRequest,
    partnership_id: int,
    partner_id: int,
    payload: PartnerPatch,
    response: HttpResponse,
) -> Partner:
    partner = _partner(partnership_id, partner_id)
    partner = services.partner_update(
        actor=api_user(request),
        partner=partner,
        data=payload.dict(exclude_unset=True),
        version=expected_version(request),
    )
    set_etag(response, partner.version)
    return partner


@partnership_operation(
    router.delete,
    "/partnerships/{partnership_id}/partners/{partner_id}",
    Perm.MANAGE_PARTNERS,
    response={204: None, **ERRORS},
)
def remove_partner(request: HttpRequest, partnership_id: int, partner_id: int) -> Status[None]:
    partner = _partner(partnership_id, partner_id)
    services.partner_remove(actor=api_user(request), partner=partner)
    return Status(204, None)


@partnership_operation(
    router.get,
    "/partnerships/{partnership_id}/seats",
    Perm.VIEW,
    response={200: list[SeatOut], **ERRORS},
)
@paginate(LimitOffsetPagination)
def list_seats(request: HttpRequest, seat: Seat) -> object:
    return selectors.seats_of(partnership=seat.partnership)


def _seat(partnership_id: int, seat_id: int) -> Seat:
    return get_object_or_404(
        Seat.objects.select_related("user"), pk=seat_id, partnership_id=partnership_id
    )


@partnership_operation(
    router.get,
    "/partnerships/{partnership_id}/seats/{seat_id}",
    Perm.VIEW,
    response={200: SeatOut, **ERRORS},
)
def get_seat(
    request: HttpRequest, partnership_id: int, seat_id: int, response: HttpResponse
) -> Seat:
    seat = _seat(partnership_id, seat_id)
    set_etag(response, seat.version)
    return seat


@partnership_operation(
    router.patch,
    "/partnerships/{partnership_id}/seats/{seat_id}",
    Perm.MANAGE_SEATS,
    response={200: SeatOut, **ERRORS},
)
def update_seat(
    request: HttpRequest,
    partnership_id: int,
    seat_id: int,
    payload: SeatPatch,
    response: HttpResponse,
) -> Seat:
    seat = _seat(partnership_id, seat_id)
    seat = services.seat_update(
        actor=api_user(request), seat=seat, role=payload.role, version=expected_version(request)
    )
    set_etag(response, seat.version)
    return seat


@partnership_operation(
    router.delete,
    "/partnerships/{partnership_id}/seats/{seat_id}",
    Perm.MANAGE_SEATS,
    response={204: None, **ERRORS},
)
def revoke_seat(request: HttpRequest, partnership_id: int, seat_id: int) -> Status[None]:
    seat = _seat(partnership_id, seat_id)
    services.seat_revoke(actor=api_user(request), seat=seat)
    return Status(204, None)


@partnership_operation(
    router.get,
    "/partnerships/{partnership_id}/invitations",
    Perm.MANAGE_SEATS,
    response={200: list[InvitationOut], **ERRORS},
)
@paginate(LimitOffsetPagination)
def list_invitations(request: HttpRequest, seat: Seat) -> object:
    return Invitation.objects.filter(partnership=seat.partnership).order_by("-created_at")


@partnership_operation(
    router.post,
    "/partnerships/{partnership_id}/invitations",
    Perm.MANAGE_SEATS,
    response={201: InvitationOut, **ERRORS},
    description="Mails a single-use link; the token itself is never returned.",
)
def create_invitation(
    request: HttpRequest, seat: Seat, payload: InvitationIn
) -> Status[Invitation]:
    partner = access_partner(seat, payload.partner_id)
    invitation, _ = services.invitation_create(
        actor=api_user(request),
        partnership=seat.partnership,
        partner=partner,
        email=payload.email,
        role=payload.role,
    )
    return Status(201, invitation)


@partnership_operation(
    router.delete,
    "/partnerships/{partnership_id}/invitations/{invitation_id}",
    Perm.MANAGE_SEATS,
    response={204: None, **ERRORS},
)
def revoke_invitation(request: HttpRequest, seat: Seat, invitation_id: int) -> Status[None]:
    invitation = access_invitation(seat, invitation_id)
    services.invitation_revoke(actor=api_user(request), invitation=invitation)
    return Status(204, None)


@partnership_operation(
    router.get,
    "/partnerships/{partnership_id}/activity",
    Perm.VIEW,
    response={200: list[ActivityOut], **ERRORS},
)
@paginate(LimitOffsetPagination)
def list_activity(request: HttpRequest, seat: Seat) -> object:
    return selectors.activity_of(partnership=seat.partnership)

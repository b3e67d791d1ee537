"""Partnership pages. Thin: resolve the seat (partnership_view), call a service, render."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from commonground.accounts.models import Organisation, User
from commonground.accounts.selectors import hash_token
from commonground.core.access import public, signed_in, signed_in_user
from commonground.core.codelists import label, sdg_goals, sector_categories
from commonground.core.errors import DomainError
from commonground.core.forms import add_domain_error
from commonground.partnerships import selectors, services
from commonground.partnerships.access import (
    Perm,
    access_invitation,
    access_partner,
    access_seat,
    can,
    partnership_view,
    visible_partnerships,
)
from commonground.partnerships.forms import (
    AcceptInvitationForm,
    InvitationForm,
    PartnerEditForm,
    PartnerForm,
    PartnershipCreateForm,
    PartnershipForm,
    SeatRoleForm,
)
from commonground.partnerships.models import Invitation, Partner, Seat, SeatRole
from commonground.partnerships.standing import highlights_of, standing_of


def _context(seat: Seat, **extra: object) -> dict[str, object]:
    return {
        "seat": seat,
        "partnership": seat.partnership,
        "can_change": can(seat, Perm.CHANGE),
        "can_manage_partners": can(seat, Perm.MANAGE_PARTNERS),
        "can_manage_seats": can(seat, Perm.MANAGE_SEATS),
        **extra,
    }


@signed_in
@require_http_methods(["GET"])
def my_partnerships(request: HttpRequest) -> HttpResponse:
    """The person's partnerships with where each stands: progress, next deadline, overdue
    items; sortable by any of them (?sort=status, -overdue, ...)."""
    partnerships = selectors.my_partnership_rows(user=signed_in_user(request))
    today = timezone.localdate()
    standing = standing_of([p.pk for p in partnerships], today)
    for partnership in partnerships:
        partnership.standing = standing[partnership.pk]  # type: ignore[attr-defined]
    sort = request.GET.get("sort", "title")
    key, descending = sort.removeprefix("-"), sort.startswith("-")
    if key not in selectors.MINE_SORTS:
        key, descending = "title", False
    partnerships.sort(key=selectors.MINE_SORTS[key], reverse=descending)
    columns = [
        (column, label, column == key, descending and column == key)
        for column, label in selectors.mine_columns()
    ]
    return render(
        request,
        "partnerships/mine.html",
        {"partnerships": partnerships, "columns": columns, "today": today},
    )


@signed_in
@require_http_methods(["GET", "POST"])
def partnership_create(request: HttpRequest) -> HttpResponse:
    form = PartnershipCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        lead = data.pop("lead_organisation")
        data.pop("version", None)
        try:
            partnership = services.partnership_create(
                actor=signed_in_user(request), data=data, lead_organisation=lead
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("%(title)s created. You are its coordinator.") % {"title": partnership.title},
            )
            return redirect("partnerships:detail", partnership.pk)
    return render(request, "partnerships/form.html", {"form": form, "creating": True})


@partnership_view(Perm.VIEW)
@require_http_methods(["GET"])
def partnership_detail(request: HttpRequest, seat: Seat) -> HttpResponse:
    partnership = seat.partnership
    today = timezone.localdate()
    return render(
        request,
        "partnerships/detail.html",
        _context(
            seat,
            standing=standing_of([partnership.pk], today)[partnership.pk],
            highlights=highlights_of(partnership.pk),
            today=today,
            partners=selectors.partner_list(partnership_id=partnership.pk),
            sectors=[label(sector_categories(), code) for code in partnership.sectors],
            goals=[(n, label(sdg_goals(), n)) for n in partnership.sdg_goals],
            recent=selectors.activity_lines(
                partnership_id=partnership.pk,
                events=selectors.recent_activity(partnership_id=partnership.pk),
            ),
        ),
    )


@partnership_view(Perm.CHANGE)
@require_http_methods(["GET", "POST"])
def partnership_edit(request: HttpRequest, seat: Seat) -> HttpResponse:
    partnership = seat.partnership
    initial = {
        field: getattr(partnership, field) for field in (*services.PARTNERSHIP_FIELDS, "version")
    }
    form = PartnershipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.partnership_update(
                actor=signed_in_user(request), partnership=partnership, data=data, version=version
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("partnerships:detail", partnership.pk)
    return render(request, "partnerships/form.html", _context(seat, form=form, creating=False))


@partnership_view(Perm.VIEW)
@require_http_methods(["GET"])
def partners(request: HttpRequest, seat: Seat) -> HttpResponse:
    return render(
        request,
        "partnerships/partners.html",
        _context(
            seat,
            form=PartnerForm(),
            partners=selectors.partners_of(partnership=seat.partnership),
        ),
    )


@partnership_view(Perm.MANAGE_PARTNERS)
@require_http_methods(["GET", "POST"])
def partner_add(request: HttpRequest, seat: Seat) -> HttpResponse:
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_add(
                actor=signed_in_user(request),
                partnership=seat.partnership,
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
                aims=form.cleaned_data["aims"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("%(organisation)s joined as a partner.")
                % {"organisation": partner.organisation.name},
            )
            return redirect("partnerships:partners", seat.partnership_id)
    return render(
        request,
        "partnerships/partners.html",
        _context(
            seat,
            form=form,
            partners=selectors.partners_of(partnership=seat.partnership),
        ),
    )


@partnership_view(Perm.MANAGE_PARTNERS)
@require_http_methods(["GET", "POST"])
def partner_edit(request: HttpRequest, seat: Seat, partner_id: int) -> HttpResponse:
    partner = access_partner(seat, partner_id)
    form = PartnerEditForm(
        request.POST or None,
        initial={
            "role": partner.role,
            "aims": partner.aims,
            "version": partner.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.partner_update(
                actor=signed_in_user(request), partner=partner, data=data, version=version
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("%(organisation)s updated.") % {"organisation": partner.organisation.name},
            )
            return redirect("partnerships:partners", seat.partnership_id)
    return render(
        request,
        "partnerships/partner_edit.html",
        _context(
            seat,
            form=form,
            partner=partner,
        ),
    )


@partnership_view(Perm.MANAGE_PARTNERS)
@require_POST
def partner_remove(request: HttpRequest, seat: Seat, partner_id: int) -> HttpResponse:
    partner = access_partner(seat, partner_id)
    try:
        services.partner_remove(actor=signed_in_user(request), partner=partner)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(organisation)s is no longer a partner.")
            % {"organisation": partner.organisation.name},
        )
    return redirect("partnerships:partners", seat.partnership_id)


def _people_page(request: HttpRequest, seat: Seat, form: InvitationForm) -> HttpResponse:
    partnership = seat.partnership
    return render(
        request,
        "partnerships/people.html",
        _context(
            seat,
            form=form,
            seats=selectors.seats_of(partnership=partnership),
            invitations=(
                selectors.pending_invitations(partnership=partnership)
                if can(seat, Perm.MANAGE_SEATS)
                else []
            ),
            role_choices=SeatRole.choices,
        ),
    )


@partnership_view(Perm.VIEW)
@require_http_methods(["GET"])
def people(request: HttpRequest, seat: Seat) -> HttpResponse:
    return _people_page(request, seat, InvitationForm(partnership_id=seat.partnership_id))


@partnership_view(Perm.MANAGE_SEATS)
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, seat: Seat) -> HttpResponse:
    form = InvitationForm(request.POST or None, partnership_id=seat.partnership_id)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _raw_token = services.invitation_create(
                actor=signed_in_user(request),
                partnership=seat.partnership,
                partner=form.cleaned_data["partner"],
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("partnerships:people", seat.partnership_id)
    return _people_page(request, seat, form)


@partnership_view(Perm.MANAGE_SEATS)
@require_POST
def seat_role(request: HttpRequest, seat: Seat, seat_id: int) -> HttpResponse:
    target = access_seat(seat, seat_id)
    form = SeatRoleForm(request.POST)
    if form.is_valid():
        try:
            services.seat_update(
                actor=signed_in_user(request),
                seat=target,
                role=form.cleaned_data["role"],
                version=form.cleaned_data["version"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(email)s is now %(role)s.")
                % {"email": target.user.email, "role": target.get_role_display()},
            )
    else:
        messages.error(request, _("Choose a role."))
    return redirect("partnerships:people", seat.partnership_id)


@partnership_view(Perm.MANAGE_SEATS)
@require_POST
def seat_revoke(request: HttpRequest, seat: Seat, seat_id: int) -> HttpResponse:
    target = access_seat(seat, seat_id)
    try:
        services.seat_revoke(actor=signed_in_user(request), seat=target)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(email)s no longer has access.") % {"email": target.user.email}
        )
    if target.user_id == request.user.pk:
        return redirect("partnerships:mine")
    return redirect("partnerships:people", seat.partnership_id)


@partnership_view(Perm.MANAGE_SEATS)
@require_POST
def invitation_revoke(request: HttpRequest, seat: Seat, invitation_id: int) -> HttpResponse:
    invitation = access_invitation(seat, invitation_id)
    try:
        services.invitation_revoke(actor=signed_in_user(request), invitation=invitation)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Invitation to %(email)s withdrawn.") % {"email": invitation.email}
        )
    return redirect("partnerships:people", seat.partnership_id)


@partnership_view(Perm.VIEW)
@require_http_methods(["GET"])
def activity(request: HttpRequest, seat: Seat) -> HttpResponse:
    page = Paginator(selectors.activity_of(partnership=seat.partnership), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "partnerships/activity.html", _context(seat, page=page))


@public
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = (
        Invitation.objects.select_related("partnership", "partner__organisation", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )
    try:
        services.invitation_check(invitation)
    except DomainError as error:
        return render(
            request,
            "partnerships/invitation_unusable.html",
            {"message": error.message},
            status=410 if invitation else 404,
        )
    assert invitation is not None
    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    signed_in_user = request.user if request.user.is_authenticated else None
    form = AcceptInvitationForm(request.POST or None) if not signed_in_user else None
    error_message = ""
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            seat = services.invitation_accept(
                raw_token=token,
                user=signed_in_user,
                full_name=form.cleaned_data["full_name"] if form else "",
                password=form.cleaned_data["password"] if form else "",
            )
        except DomainError as error:
            if form is not None:
                add_domain_error(form, error)
            else:
                error_message = error.message
        else:
            if signed_in_user is None:
                login(request, seat.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Welcome to %(title)s.") % {"title": seat.partnership.title}
            )
            return redirect("partnerships:detail", seat.partnership_id)
    return render(
        request,
        "partnerships/invitation_accept.html",
        {
            "invitation": invitation,
            "form": form,
            "has_account": has_account,
            "error_message": error_message,
            "login_url": reverse("accounts:login") + "?next=" + request.path,
        },
    )


@signed_in
@require_http_methods(["GET"])
def organisation_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """An organisation of the shared registry and the partnerships it is in that the viewer
    may see (the page belongs here: it is about partnerships; accounts owns the registry)."""
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    # Only partnerships the viewer can see are named: the registry is shared, partnerships are not.
    partners = Partner.objects.filter(
        organisation=organisation, partnership__in=visible_partnerships(request.user)
    ).select_related("partnership")
    return render(
        request,
        "partnerships/organisation_detail.html",
        {
            "organisation": organisation,
            "partners": partners,
        },
    )

"""JSON API for the signed-in person and the shared organisation registry."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from commonground.accounts import selectors, services
from commonground.accounts.models import Organisation, User
from commonground.accounts.schemas import MeOut, OrganisationIn, OrganisationOut
from commonground.core.api import ErrorOut, access, api_user

router = Router(tags=["accounts"])


@router.get("/me", response=MeOut, summary="Who am I", openapi_extra=access("signed_in"))
def me(request: HttpRequest) -> User:
    return api_user(request)


@router.get(
    "/organisations",
    response=list[OrganisationOut],
    summary="Search the registry",
    openapi_extra=access("signed_in"),
)
@paginate(LimitOffsetPagination)
def list_organisations(request: HttpRequest, q: str = "") -> object:
    api_user(request)
    return selectors.organisation_search(query=q)


@router.post(
    "/organisations",
    response={201: OrganisationOut, 400: ErrorOut, 401: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    description="409 with code similar_organisation when the name nearly matches an existing one;"
    " send confirm_new=true to create it anyway.",
    openapi_extra=access("signed_in"),
)
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Status[Organisation]:
    data = payload.dict()
    confirm = data.pop("confirm_new")
    organisation = services.organisation_create(
        actor=api_user(request), data=data, confirm_new=confirm
    )
    return Status(201, organisation)


@router.get(
    "/organisations/{organisation_id}",
    response={200: OrganisationOut, 404: ErrorOut},
    openapi_extra=access("signed_in"),
)
def get_organisation(request: HttpRequest, organisation_id: int) -> Organisation:
    api_user(request)
    return get_object_or_404(Organisation, pk=organisation_id)

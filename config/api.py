"""The one NinjaAPI: /api/v1/ with its OpenAPI schema and (for signed-in people) its docs."""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib.auth.decorators import login_required
from ninja import NinjaAPI
from ninja.openapi.views import openapi_json

from commonground.accounts.api import router as accounts_router
from commonground.accounts.api_auth import BearerTokenAuth
from commonground.core.api import ActiveSessionAuth, install_error_handlers
from commonground.notifications.api import router as notifications_router
from commonground.partnerships.api import router as partnerships_router
from commonground.reporting.api import router as reporting_router
from commonground.results.api import router as results_router


def docs_for_signed_in_people(view: Callable[..., Any]) -> Callable[..., Any]:
    """The schema is public (it holds no data); the interactive docs are for signed-in people."""
    if isinstance(view, partial) and view.func is openapi_json:
        return view
    return login_required(view)


api = NinjaAPI(
    title="Common Ground API",
    version="1",
    description=(
        "The partnership workspace's JSON API. Authenticate with your browser session or with a "
        "personal token (`Authorization: Bearer <token>`). Errors are "
        '`{"code", "message", "fields"}`; lists are `{"items", "count"}` with limit/offset; '
        "updates need `If-Match` with the ETag you read."
    ),
    auth=[BearerTokenAuth(), ActiveSessionAuth()],
    urls_namespace="api",
    docs_decorator=docs_for_signed_in_people,
)
install_error_handlers(api)
api.add_router("/", accounts_router)
api.add_router("/", partnerships_router)
api.add_router("/", results_router)
api.add_router("/", reporting_router)
api.add_router("/", notifications_router)


def schema_json() -> str:
    """The OpenAPI schema as committed in docs/openapi.json (stable key order)."""
    import json

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.dumps(schema, indent=2, sort_keys=True, default=str) + "\n"

"""What every API module under /partnerships/{partnership_id} shares (partnerships, results,
reporting): the path prefix, the error responses and `partnership_operation`, which declares an
operation's access policy, enforces it and hands the operation the caller's seat."""

import inspect
from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any

from django.http import HttpRequest

from commonground.core.api import ERRORS, access, api_user
from commonground.partnerships.access import access_partnership, check_access

IF_MATCH = "Send If-Match with the ETag from GET: 412 if stale, 428 if missing."
BASE = "/partnerships/{partnership_id}"

# Set on every view partnership_operation makes: the permission it enforces. A test walks the
# schema and fails on a partnership operation without it, so none checks access by hand.
PERM_ATTR = "partnership_perm"

type RouterMethod = Callable[..., Callable[[Callable[..., Any]], Any]]


def partnership_operation(
    method: RouterMethod, path: str, perm: StrEnum, **options: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register an operation under /partnerships/{partnership_id} on a router, the API's twin of
    `partnerships.access.partnership_view`:

        @partnership_operation(router.get, f"{BASE}/objectives", Perm.VIEW, response=...)
        @paginate(LimitOffsetPagination)
        def list_objectives(request: HttpRequest, seat: Seat) -> object: ...

    - declares `perm` in the schema (`x-access`, read by the access matrix), merged into any
      other `openapi_extra` of the operation;
    - enforces it before the body runs: 404 without a seat, 403 without `perm`;
    - hands the body the caller's seat as `seat` (a body without a `seat` parameter gets only the
      check, which reads the seat's role alone). ninja sees `partnership_id: int` as the path
      parameter (kept where the body declares it, else right after `request`) and never `seat`.

    Put it above `@paginate`: the access check then runs before anything is paginated.
    """
    policy = f"partnership:{perm.value}"
    openapi_extra = {**(options.pop("openapi_extra", None) or {}), **access(policy)}

    def decorator(endpoint: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(inspect.unwrap(endpoint)):
            raise TypeError(f"{endpoint.__name__}: partnership_operation is for sync views")
        signature = inspect.signature(endpoint, eval_str=True)
        names = list(signature.parameters)
        if not names or names[0] != "request":
            raise TypeError(f"{endpoint.__name__}: the first parameter must be `request`")
        wants_seat = "seat" in signature.parameters
        wants_id = "partnership_id" in signature.parameters
        parameters = [p for p in signature.parameters.values() if p.name != "seat"]
        if not wants_id:
            parameters.insert(
                1,
                inspect.Parameter(
                    "partnership_id", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=int
                ),
            )

        @wraps(endpoint)
        def operation(request: HttpRequest, partnership_id: int, **kwargs: Any) -> Any:
            user = api_user(request)
            if wants_seat:
                kwargs["seat"] = access_partnership(user, partnership_id, perm)
            else:
                check_access(user, partnership_id, perm)
            if wants_id:
                kwargs["partnership_id"] = partnership_id
            return endpoint(request, **kwargs)

        operation.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        setattr(operation, PERM_ATTR, perm)
        method(path, openapi_extra=openapi_extra, **options)(operation)
        return operation

    return decorator


def operation_perm(view: Callable[..., Any]) -> StrEnum | None:
    """The permission partnership_operation enforces for `view`, None if it did not make it."""
    return getattr(view, PERM_ATTR, None)


__all__ = [
    "BASE",
    "ERRORS",
    "IF_MATCH",
    "operation_perm",
    "partnership_operation",
]

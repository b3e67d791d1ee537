"""Every page declares who may reach it. A test walks all URL patterns and fails on any view
without a declaration, so a new page cannot ship unguarded.

- `public`: anyone, signed in or not (sign-in, password reset, invitation links).
- `signed_in`: any active, signed-in person; what they see is still scoped to them.
- partnership pages use `partnerships.access.partnership_view(perm)`.
"""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from commonground.accounts.models import User

ACCESS_ATTR = "access_policy"


def declare(view: Callable[..., Any], policy: str) -> Callable[..., Any]:
    setattr(view, ACCESS_ATTR, policy)
    return view


def public[F: Callable[..., Any]](view: F) -> F:
    declare(view, "public")
    return view


def signed_in[F: Callable[..., Any]](view: F) -> F:
    wrapped = login_required(view)
    declare(wrapped, "signed_in")
    return wraps(view)(wrapped)  # type: ignore[return-value]


def signed_in_user(request: HttpRequest) -> "User":
    """The person behind a request that a signed_in/partnership_view guard already let through."""
    # core sits below accounts: the user model is looked up, not imported.
    if not isinstance(request.user, get_user_model()):
        raise PermissionDenied(_("Sign in first."))
    return request.user


def policy_of(view: Callable[..., Any]) -> str | None:
    seen = view
    for _attempt in range(10):
        policy = getattr(seen, ACCESS_ATTR, None)
        if policy:
            return str(policy)
        cls = getattr(seen, "view_class", None)
        if cls is not None and getattr(cls, ACCESS_ATTR, None):
            return str(getattr(cls, ACCESS_ATTR))
        inner = getattr(seen, "__wrapped__", None)
        if inner is None:
            return None
        seen = inner
    return None

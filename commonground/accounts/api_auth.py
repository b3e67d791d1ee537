"""How the API knows who calls it with a personal API token (accounts owns the tokens)."""

from django.http import HttpRequest
from ninja.security import HttpBearer

from commonground.accounts.models import User
from commonground.accounts.selectors import user_for_api_token


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer cg_...`: a personal API token (no CSRF; not a browser credential)."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_api_token(token)
        if user is not None:
            request.user = user
        return user

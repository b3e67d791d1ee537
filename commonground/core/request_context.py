"""The current request's id, so that audit events written deep in a service can carry it."""

from contextvars import ContextVar

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")

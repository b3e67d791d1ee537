"""What every API module under /partnerships/{partnership_id} shares (partnerships, results,
reporting): the path prefix, the error responses, the access declarations and the seat check."""

from django.http import HttpRequest

from commonground.core.api import ERRORS, access, api_user
from commonground.partnerships.access import Perm, access_partnership
from commonground.partnerships.models import Seat

IF_MATCH = "Send If-Match with the ETag from GET: 412 if stale, 428 if missing."
BASE = "/partnerships/{partnership_id}"

VIEW = access(f"partnership:{Perm.VIEW.value}")
EDIT_FRAMEWORK = access(f"partnership:{Perm.EDIT_FRAMEWORK.value}")
REPORT = access(f"partnership:{Perm.REPORT_RESULTS.value}")
REVIEW = access(f"partnership:{Perm.REVIEW_RESULTS.value}")


def seat_for(request: HttpRequest, partnership_id: int, perm: Perm = Perm.VIEW) -> Seat:
    """The caller's seat: 404 without one, 403 without `perm`."""
    return access_partnership(api_user(request), partnership_id, perm)


__all__ = ["BASE", "EDIT_FRAMEWORK", "ERRORS", "IF_MATCH", "REPORT", "REVIEW", "VIEW", "seat_for"]

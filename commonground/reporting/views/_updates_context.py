"""The context every page of the updates area shares (feed, milestones, communication plan)."""

from typing import Any

from commonground.partnerships.access import can
from commonground.partnerships.models import Seat
from commonground.reporting.access import ReportingPerm


def section_context(seat: Seat, current: str, **extra: Any) -> dict[str, Any]:
    """What every page of the updates area needs: the seat's partnership, what the seat may do,
    and which of feed, milestones and plan is open (the sub-links between them)."""
    return {
        "seat": seat,
        "partnership": seat.partnership,
        "updates_section": current,
        "can_post": can(seat, ReportingPerm.POST_UPDATES),
        "can_manage": can(seat, ReportingPerm.MANAGE_REPORTING),
        "can_comment": can(seat, ReportingPerm.COMMENT),
        **extra,
    }

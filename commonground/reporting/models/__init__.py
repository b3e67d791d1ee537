from commonground.reporting.models.exports import ReportExport
from commonground.reporting.models.plan import (
    Audience,
    Channel,
    CommunicationDone,
    CommunicationEntry,
    PlanFrequency,
)
from commonground.reporting.models.schedules import (
    NARRATIVE_FIELDS,
    Frequency,
    PartnerReport,
    ReportAttachment,
    ReportingPeriod,
    ReportingSchedule,
    ReportState,
    ReportStatus,
    ReportStep,
    SchedulePartner,
)
from commonground.reporting.models.updates import (
    Achievement,
    AchievementKind,
    Milestone,
    ProgressUpdate,
    UpdateComment,
    Visibility,
)

__all__ = [
    "NARRATIVE_FIELDS",
    "Achievement",
    "AchievementKind",
    "Audience",
    "Channel",
    "CommunicationDone",
    "CommunicationEntry",
    "Frequency",
    "Milestone",
    "PartnerReport",
    "PlanFrequency",
    "ProgressUpdate",
    "ReportAttachment",
    "ReportExport",
    "ReportState",
    "ReportStatus",
    "ReportStep",
    "ReportingPeriod",
    "ReportingSchedule",
    "SchedulePartner",
    "UpdateComment",
    "Visibility",
]

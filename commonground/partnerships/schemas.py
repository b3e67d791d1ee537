import datetime as dt

from ninja import Field, Schema


class PartnershipOut(Schema):
    id: int
    title: str
    purpose: str
    vision: str
    problem_statement: str
    geography: str
    start_date: dt.date
    end_date: dt.date | None
    status: str = Field(description="IATI activity status code")
    sectors: list[str] = Field(description="OECD DAC sector category codes")
    sdg_goals: list[int]
    version: int


class PartnershipListOut(PartnershipOut):
    lead_name: str | None = None
    partner_count: int = 0
    my_role: str | None = None


class PartnershipIn(Schema):
    title: str
    purpose: str
    vision: str = ""
    problem_statement: str = ""
    geography: str = ""
    start_date: dt.date
    end_date: dt.date | None = None
    status: str = "2"
    sectors: list[str] = []
    sdg_goals: list[int] = []
    lead_organisation_id: int = Field(description="Registry id of the lead organisation")


class PartnershipPatch(Schema):
    title: str | None = None
    purpose: str | None = None
    vision: str | None = None
    problem_statement: str | None = None
    geography: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    status: str | None = None
    sectors: list[str] | None = None
    sdg_goals: list[int] | None = None


class OrganisationRef(Schema):
    id: int
    name: str
    org_type: str


class PartnerOut(Schema):
    id: int
    organisation: OrganisationRef
    role: str
    iati_role: str | None
    aims: str
    joined_on: dt.date
    version: int


class PartnerIn(Schema):
    organisation_id: int
    role: str
    aims: str = ""


class PartnerPatch(Schema):
    role: str | None = None
    aims: str | None = None


class SeatOut(Schema):
    id: int
    user_email: str = Field(alias="user.email")
    user_name: str = Field(alias="user.full_name")
    partner_id: int
    role: str
    created_at: dt.datetime
    version: int


class SeatPatch(Schema):
    role: str


class InvitationIn(Schema):
    email: str
    role: str
    partner_id: int


class InvitationOut(Schema):
    id: int
    email: str
    role: str
    partner_id: int
    state: str
    created_at: dt.datetime
    expires_at: dt.datetime


class ActivityOut(Schema):
    id: int
    seq: int
    occurred_at: dt.datetime
    actor: str = Field(alias="actor_label")
    action: str
    object_type: str
    object_id: str
    object_label: str
    changes: dict[str, list[object]]
    request_id: str
    hash: str

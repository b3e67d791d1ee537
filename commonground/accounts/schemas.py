import datetime as dt

from ninja import Field, Schema


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    is_site_admin: bool = Field(alias="is_superuser")


class OrganisationOut(Schema):
    id: int
    name: str
    org_type: str = Field(description="IATI organisation type code")
    country: str
    website: str
    identifier: str
    created_at: dt.datetime
    version: int


class OrganisationIn(Schema):
    name: str
    org_type: str
    country: str = ""
    website: str = ""
    identifier: str = ""
    confirm_new: bool = Field(
        False,
        description="Create even though a similar name exists (after a 409 similar_organisation).",
    )

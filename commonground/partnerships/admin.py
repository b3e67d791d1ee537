from django.contrib import admin

from commonground.core.admin import AuditedAdmin
from commonground.partnerships.models import Invitation, Partner, Partnership, Seat


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0
    fields = ("organisation", "role", "aims")
    autocomplete_fields = ("organisation",)
    can_delete = False


@admin.register(Partnership)
class PartnershipAdmin(AuditedAdmin):
    partnership_field = "pk"
    list_display = ("title", "status", "start_date", "end_date", "geography")
    search_fields = ("title", "geography")
    list_filter = ("status",)
    exclude = ("version",)
    inlines = (PartnerInline,)

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # The ledger refers to every partnership for ever; close or cancel one instead.
        return False


@admin.register(Seat)
class SeatAdmin(AuditedAdmin):
    partnership_field = "partnership_id"
    list_display = ("user", "partnership", "partner", "role")
    list_filter = ("role",)
    search_fields = ("user__email", "partnership__title")
    raw_id_fields = ("user", "partnership", "partner")
    exclude = ("version",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = (
        "email",
        "partnership",
        "role",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    )
    search_fields = ("email", "partnership__title")
    readonly_fields = [f.name for f in Invitation._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from commonground.accounts.models import ApiToken, Organisation, User, normalise_name
from commonground.core.admin import AuditedAdmin


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "full_name", "is_active", "is_staff", "date_joined")
    search_fields = ("email", "full_name")
    list_filter = ("is_active", "is_staff", "is_superuser")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name",)}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("name", "org_type", "country", "identifier")
    search_fields = ("name", "identifier", "website")
    list_filter = ("org_type", "country")
    exclude = ("normalised_name", "version")

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        obj.normalised_name = normalise_name(obj.name)
        super().save_model(request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "prefix", "token_hash", "created_at", "last_used_at")
    search_fields = ("user__email", "name", "prefix")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

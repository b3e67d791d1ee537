from typing import Any

from django.contrib import admin
from django.db import transaction
from django.forms import ModelForm
from django.http import HttpRequest

from commonground.core.audit import record_event
from commonground.core.models import AuditEvent


class AuditedAdmin(admin.ModelAdmin):
    """Admin edits are writes too: each save records an audit event in the same transaction."""

    partnership_field: str | None = None

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            changes = {
                name: [form.initial.get(name) if change else None, form.cleaned_data.get(name)]
                for name in form.changed_data
                if "password" not in name
            }
            partnership_id = None
            if self.partnership_field:
                partnership_id = getattr(obj, self.partnership_field)
            record_event(
                actor=request.user,
                action=f"{obj._meta.model_name}.{'update' if change else 'create'}.admin",
                obj=obj,
                partnership_id=partnership_id,
                changes=changes,
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            partnership_id = (
                getattr(obj, self.partnership_field) if self.partnership_field else None
            )
            record_event(
                actor=request.user,
                action=f"{obj._meta.model_name}.delete.admin",
                obj=obj,
                partnership_id=partnership_id,
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "partnership", "seq", "actor_label", "action", "object_label")
    list_filter = ("action",)
    search_fields = ("actor_label", "object_label", "request_id")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

"""Council closure days in Django admin. Every save and delete goes through the services,
so working_days_changed fires and open deadlines are recomputed (001 §7.1)."""

from django.contrib import admin
from django.db import transaction
from django.utils import dateformat

from escalation.models import ClosureDay
from escalation.services import closure_day_add, closure_day_change, closure_day_remove
from protocol_portal.kit.admin import PortalModelAdmin


@admin.register(ClosureDay)
class ClosureDayAdmin(PortalModelAdmin):
    list_display = ["date", "weekday", "reason"]
    date_hierarchy = "date"
    search_fields = ["reason"]

    @admin.display(description="Day", ordering="date")
    def weekday(self, closure: ClosureDay) -> str:
        return dateformat.format(closure.date, "l")

    def save_model(self, request, obj, form, change) -> None:
        if change:
            closure_day_change(closure=obj, day=obj.date, reason=obj.reason, actor=request.user)
        else:
            # The admin goes on to log and redirect to `obj`, so it takes the new row's id.
            obj.pk = closure_day_add(day=obj.date, reason=obj.reason, actor=request.user).pk

    def delete_model(self, request, obj) -> None:
        closure_day_remove(closure=obj, actor=request.user)

    @transaction.atomic
    def delete_queryset(self, request, queryset) -> None:
        for closure in queryset:
            closure_day_remove(closure=closure, actor=request.user)

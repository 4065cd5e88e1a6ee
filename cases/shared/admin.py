"""The read-only admin every kind of case uses: every change goes through the portal's pages
and services so it is checked and recorded on the timeline (DESIGN §8). The timeline of
enquiries is listed here; a concern's timeline is need-to-know and is not.
"""

from __future__ import annotations

from django.contrib import admin

from cases.shared.models import TimelineEvent
from protocol_portal.kit.admin import PortalModelAdmin


class ReadOnlyAdmin(PortalModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    """Rows shown under their record and never changed here."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class TimelineEventInline(ReadOnlyInline):
    model = TimelineEvent
    fields = ["at", "kind", "actor", "from_state", "to_state", "note"]


@admin.register(TimelineEvent)
class TimelineEventAdmin(ReadOnlyAdmin):
    list_display = ["enquiry", "at", "kind", "actor"]
    list_filter = ["kind"]
    search_fields = ["enquiry__reference", "note"]
    list_select_related = ["enquiry", "actor"]

    def get_queryset(self, request):
        # Enquiries' events only: a concern's timeline is need-to-know (DESIGN §4).
        return super().get_queryset(request).filter(enquiry__isnull=False)

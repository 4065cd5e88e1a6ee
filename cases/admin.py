"""Enquiries in Django admin: read-only. Every change goes through the portal's pages
and services so it is checked and recorded on the timeline (DESIGN §8)."""

from django.contrib import admin

from cases.models import Enquiry, TimelineEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class TimelineEventInline(admin.TabularInline):
    model = TimelineEvent
    fields = ["at", "kind", "actor", "from_state", "to_state", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Enquiry)
class EnquiryAdmin(ReadOnlyAdmin):
    list_display = ["reference", "subject", "state", "member", "owner", "service", "due_at"]
    list_filter = ["state", "purpose", "service__directorate", "service"]
    search_fields = ["reference", "subject"]
    list_select_related = ["member__user", "owner__user", "service"]
    inlines = [TimelineEventInline]


@admin.register(TimelineEvent)
class TimelineEventAdmin(ReadOnlyAdmin):
    list_display = ["enquiry", "at", "kind", "actor"]
    list_filter = ["kind"]
    search_fields = ["enquiry__reference", "note"]
    list_select_related = ["enquiry", "actor"]

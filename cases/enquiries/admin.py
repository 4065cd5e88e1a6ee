"""Enquiries in Django admin: read-only, with their timeline."""

from __future__ import annotations

from django.contrib import admin

from cases.enquiries.models import Enquiry
from cases.shared.admin import ReadOnlyAdmin, TimelineEventInline


@admin.register(Enquiry)
class EnquiryAdmin(ReadOnlyAdmin):
    list_display = ["reference", "subject", "state", "member", "owner", "service", "due_at"]
    list_filter = ["state", "purpose", "service__directorate", "service"]
    search_fields = ["reference", "subject"]
    list_select_related = ["member__user", "owner__user", "service"]
    inlines = [TimelineEventInline]

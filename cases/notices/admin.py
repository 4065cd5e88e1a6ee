"""Ward notices, read-only: a notice and who was told are the evidence 001 §9.4 asks for."""

from __future__ import annotations

from django.contrib import admin

from cases.notices.models import WardNotice, WardNoticeRecipient
from cases.shared.admin import ReadOnlyAdmin, ReadOnlyInline


class WardNoticeRecipientInline(ReadOnlyInline):
    model = WardNoticeRecipient
    fields = ["member", "group_name", "ward_names", "notified_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member__user")


@admin.register(WardNotice)
class WardNoticeAdmin(ReadOnlyAdmin):
    # The file is served only by the notice's page (cases.notices.views), never a media URL.
    fields = ["reference", "kind", "title", "concerns_on", "summary", "wards", "sent_by", "sent_at", "sent_late"]
    list_display = ["reference", "title", "kind", "concerns_on", "sent_by", "sent_at", "sent_late"]
    list_filter = ["kind", "sent_late", "wards"]
    search_fields = ["reference", "title"]
    list_select_related = ["sent_by"]
    inlines = [WardNoticeRecipientInline]

"""The retention runs in Django admin, read-only."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html_join

from protocol_portal.kit.admin import PortalModelAdmin
from protocol_portal.models import RetentionRun
from protocol_portal.retention.schedule import ACTION_NAMES, schedule


@admin.register(RetentionRun)
class RetentionRunAdmin(PortalModelAdmin):
    """The retention schedule and the record of its runs, read-only (docs/retention.md).

    The list page shows the schedule above the runs: each kind of record, its period, the
    date it counts from, the action and the reason. Nobody adds, changes or deletes a run:
    the runs are the record of what was disposed of."""

    change_list_template = "admin/protocol_portal/retentionrun/change_list.html"
    list_display = ["started_at", "dry_run", "trigger", "status", "total", "finished_at"]
    date_hierarchy = "started_at"
    fields = ["started_at", "finished_at", "dry_run", "trigger", "status", "what_it_did", "error"]
    readonly_fields = fields

    @admin.display(description="anonymised or deleted (or, in a dry run, due)")
    def total(self, run: RetentionRun) -> int:
        return run.total

    @admin.display(description="what it did")
    def what_it_did(self, run: RetentionRun) -> str:
        return format_html_join(
            "\n",
            "<p>{}: {} {} (dated before {}, period {} months){}</p>",
            (
                (
                    entry["name"],
                    entry["count"],
                    ("would be " if run.dry_run else "") + ACTION_NAMES[entry["action"]].lower() + "d",
                    entry["cut_at"][:10],
                    entry["months"],
                    f"; failed: {entry['error']}" if entry.get("error") else "",
                )
                for entry in run.results
            ),
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "schedule": schedule(), "action_names": ACTION_NAMES}
        return super().changelist_view(request, extra_context=extra_context)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

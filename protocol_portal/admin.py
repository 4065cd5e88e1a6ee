"""The base of the portal's ModelAdmins: Django's admin, made to refuse a crafted request
with a message rather than fail with a 500."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.utils.html import format_html_join

from protocol_portal.models import RetentionRun
from protocol_portal.retention.schedule import ACTION_NAMES, schedule


class _IdCheckedAutocomplete:
    """Django's autocomplete widget, re-showing a refused form, looks up the ids that were sent
    and raises ValueError (a 500) on one that is not a number: it looks up only those that are."""

    def optgroups(self, name, value, attr=None):
        key = self.field.remote_field.model._meta.pk
        ids = []
        for sent in value:
            try:
                key.to_python(sent)
            except ValidationError:
                continue
            ids.append(sent)
        return super().optgroups(name, ids, attr)


class IdCheckedAutocompleteSelect(_IdCheckedAutocomplete, AutocompleteSelect):
    pass


class IdCheckedAutocompleteSelectMultiple(_IdCheckedAutocomplete, AutocompleteSelectMultiple):
    pass


class PortalModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose autocomplete fields, actions and date hierarchy take only the ids
    and years they can look up."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget", IdCheckedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget", IdCheckedAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def response_action(self, request, queryset):
        key = self.model._meta.pk
        try:
            for selected in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
                key.to_python(selected)
        except ValidationError:
            # Django would look the non-number up as an id and fail (ValueError, a 500).
            self.message_user(request, "Select items from the list, then choose an action.", messages.WARNING)
            return None
        return super().response_action(request, queryset)

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except OverflowError as error:
            # The date hierarchy makes a date of any year in the address (?date__year=99999999999):
            # Django redirects to the list with "?e=1" for parameters it cannot use.
            raise IncorrectLookupParameters(error) from error


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

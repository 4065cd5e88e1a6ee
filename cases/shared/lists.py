"""Finding your work (issue 15 C10): one filter for every list of cases, shared by My
enquiries, My work, the service queue and the concern lists.

``ListFilters`` is what a selector applies; ``ListFilterForm`` is the GET form that makes
one from a query string. Each list gives the form its own choices (which states, which
services, which sorts) and its defaults: the service queue opens on the enquiries waiting
for a response, soonest due first. A sort is a key from a fixed list that the selector
turns into its own ``order_by``: what was typed never reaches the database as a column.
A filter that does not validate shows in the GOV.UK error summary and is not applied;
the others still are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.db.models import QuerySet

from escalation.calendar import council_calendar, end_of_day, local_date
from people.models import Service, Ward
from protocol_portal.kit.forms import PortalForm

REFERENCE = re.compile(r"^[A-Z]{3}-\d{4}-\d{5}$")
# The special values of ``state``: every state, or those waiting for a response (or, for a
# concern, still on the ladder). Anything else is one of the model's states.
ANY_STATE = "any"
OPEN = "open"
# The values of ``due``.
OVERDUE = "overdue"
DUE_SOON = "soon"
DUE_CHOICES = [("", "Any time"), (OVERDUE, "Overdue"), (DUE_SOON, "Due soon (by the end of the next working day)")]


def due_soon_until(now: datetime) -> datetime:
    """'Due soon': by the end of the next working day."""
    return end_of_day(council_calendar().next_working_day(local_date(now)))


@dataclass(frozen=True)
class ListFilters:
    """What a list shows: the words searched for (a reference, or words each found in the
    subject, the councillor's or a person's name or the ward), a state (or OPEN or ANY_STATE),
    a service, a ward, OVERDUE or DUE_SOON, and a sort key ("" for the list's own order)."""

    text: str = ""
    state: str = ANY_STATE
    service: int | None = None
    ward: int | None = None
    due: str = ""
    sort: str = ""

    @property
    def words(self) -> list[str]:
        return self.text.split()

    @property
    def reference(self) -> str:
        """The text as a case's reference (``ENQ-2026-00001``, in any case), or "": compared
        exactly, so the unique index finds it, and never in the same OR as an unindexed test."""
        text = self.text.strip().upper()
        return text if REFERENCE.match(text) else ""


class ListFilterForm(PortalForm):
    q = forms.CharField(
        required=False,
        max_length=200,
        label="Search",
        error_messages={"max_length": "Search for 200 characters or fewer"},
    )
    state = forms.ChoiceField(required=False, label="Status")
    service = forms.ModelChoiceField(queryset=Service.objects.none(), required=False, empty_label="All services")
    ward = forms.ModelChoiceField(queryset=Ward.objects.order_by("name"), required=False, empty_label="All wards")
    due = forms.ChoiceField(required=False, label="Due", choices=DUE_CHOICES)
    sort = forms.ChoiceField(required=False, label="Sort by")

    def __init__(
        self,
        data=None,
        *,
        states: Sequence[tuple[str, str]],
        default_state: str,
        sorts: Sequence[tuple[str, str]],
        services: QuerySet[Service] | None,
        search_label: str,
        **kwargs,
    ) -> None:
        self.default_state = default_state
        self.default_sort = sorts[0][0]
        # An empty query string is the list as it opens, with no error to show; a state or order
        # not asked for is the list's own, and its select says so.
        self.asked = bool(data) and any(data.get(name) for name in ("q", "state", "service", "ward", "due", "sort"))
        if data:
            data = data.copy()
            for name, default in (("state", default_state), ("sort", self.default_sort)):
                if not data.get(name):
                    data[name] = default
        super().__init__(data or None, **kwargs)
        self.fields["q"].label = search_label
        self.fields["state"].choices = list(states)
        self.fields["sort"].choices = list(sorts)
        if services is None:
            del self.fields["service"]
        else:
            self.fields["service"].queryset = services
        for name, field in self.fields.items():
            if name != "q":
                field.widget.attrs["class"] = "govuk-select"
        for name, what in (("state", "status"), ("service", "service"), ("ward", "ward"), ("due", "due date")):
            if name in self.fields:
                self.fields[name].error_messages["invalid_choice"] = f"Select a {what} from the list"
        self.fields["sort"].error_messages["invalid_choice"] = "Select an order from the list"
        self.initial.setdefault("state", default_state)
        self.initial.setdefault("sort", self.default_sort)

    @property
    def order(self) -> str:
        """The order the list is in, for its caption: "soonest due first"."""
        label = dict(self.fields["sort"].choices).get(self.filters().sort, "")
        return label[:1].lower() + label[1:]

    def filters(self) -> ListFilters:
        """The filters asked for that are valid; the others show as errors and are not applied."""
        if not self.is_bound:
            return ListFilters(state=self.default_state, sort=self.default_sort)
        if not self.is_valid():
            for name in self.errors:
                widget = self.fields[name].widget
                error_class = "govuk-input--error" if name == "q" else "govuk-select--error"
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {error_class}".strip()
        data = self.cleaned_data
        service, ward = data.get("service"), data.get("ward")
        return ListFilters(
            text=(data.get("q") or "").strip(),
            state=data.get("state") or self.default_state,
            service=service.pk if service else None,
            ward=ward.pk if ward else None,
            due=data.get("due") or "",
            sort=data.get("sort") or self.default_sort,
        )

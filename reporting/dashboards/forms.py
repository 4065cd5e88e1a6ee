"""The dashboard's filters (period and directorate) and the drill-down's parameters."""

from __future__ import annotations

from datetime import date

from django import forms

from cases.models import ConcernKind
from people.models import Directorate, Service
from protocol_portal.kit.forms import PortalForm
from reporting.figures import OUTCOME_NAMES
from reporting.periods import Period, municipal_year_of, parse, recent_periods

PERIOD_GROUPS = {"municipal_year": "Municipal years (May to April)", "quarter": "Quarters", "month": "Months"}


def period_choices(periods: list[Period]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The periods as <optgroup>s: municipal years, quarters, months."""
    grouped: dict[str, list[tuple[str, str]]] = {kind: [] for kind in PERIOD_GROUPS}
    for period in periods:
        grouped.setdefault(period.kind, []).append((period.key, period.label))
    return [(PERIOD_GROUPS.get(kind, "Other"), choices) for kind, choices in grouped.items() if choices]


def period_from_key(key: str, *, today: date) -> Period | None:
    """The period a URL key names exactly, or None when the key is not one (``parse``
    falls back to the current year instead)."""
    period = parse(key, today=today)
    return period if period.key == key else None


class DashboardFilterForm(PortalForm):
    period = forms.ChoiceField(
        label="Period",
        required=False,
        error_messages={"invalid_choice": "Select a period from the list"},
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    directorate = forms.ModelChoiceField(
        label="Directorate",
        queryset=Directorate.objects.order_by("name"),
        required=False,
        empty_label="All directorates",
        error_messages={"invalid_choice": "Select a directorate from the list"},
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        periods = recent_periods(today=today)
        # A period named in the address but older than the list (a bookmarked quarter) is offered too.
        asked = period_from_key(self.data.get("period", ""), today=today) if self.is_bound else None
        if asked is not None and asked.key not in {period.key for period in periods}:
            periods.append(asked)
        self.fields["period"].choices = period_choices(periods)
        self.fields["period"].initial = municipal_year_of(today).key

    def clean_period(self) -> Period:
        key = self.cleaned_data["period"]
        return period_from_key(key, today=self.today) if key else municipal_year_of(self.today)

    def filters(self) -> tuple[Period, Directorate | None]:
        """The period and directorate to show: what was asked, or the defaults (the
        current municipal year, every directorate) for anything missing or not valid."""
        period, directorate = municipal_year_of(self.today), None
        if self.is_bound:
            if not self.is_valid():
                for name in self.errors:
                    widget = self.fields[name].widget
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} govuk-select--error".strip()
            period = self.cleaned_data.get("period") or period
            directorate = self.cleaned_data.get("directorate")
        return period, directorate


METRICS = {
    "received": "Enquiries received",
    "late": "Enquiries that missed the five working days",
    "extended": "Enquiries given a later date with the councillor's agreement or a manager's approval",
    "overdue": "Enquiries overdue now",
    "escalated": "Enquiries escalated",
    "declined": "Enquiries declined as inappropriate",
    "disputed": "Enquiries referred to the Chief Executive",
    "concerns": "Concerns raised",
}


class DrilldownForm(PortalForm):
    """The query string a figure's link carries (reporting.figures ``drill``)."""

    metric = forms.ChoiceField(choices=list(METRICS.items()))
    period = forms.CharField(required=False)
    directorate = forms.ModelChoiceField(queryset=Directorate.objects.all(), required=False)
    service = forms.ModelChoiceField(queryset=Service.objects.select_related("directorate"), required=False)
    rung = forms.TypedChoiceField(
        choices=[(str(n), str(n)) for n in (1, 2, 3)], coerce=int, empty_value=None, required=False
    )
    kind = forms.ChoiceField(choices=ConcernKind.choices, required=False)
    stage = forms.TypedChoiceField(
        choices=[(str(n), str(n)) for n in (1, 2, 3, 4)], coerce=int, empty_value=None, required=False
    )
    outcome = forms.ChoiceField(choices=[(str(state), label) for state, label in OUTCOME_NAMES.items()], required=False)

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_period(self) -> Period:
        key = self.cleaned_data["period"]
        if not key:
            return municipal_year_of(self.today)
        period = period_from_key(key, today=self.today)
        if period is None:
            raise forms.ValidationError("Not a period")
        return period

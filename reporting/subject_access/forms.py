"""Finding the person a subject access request is about, and asking for their export
(UK GDPR Art. 15; reporting.subject_access)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from protocol_portal.kit.forms import PortalForm

ACCOUNT_KINDS = {
    "councillor": "Councillors",
    "officer": "Officers",
    "neither": "Neither councillor nor officer",
}
# The most people one search lists: past it, the page asks for a narrower search.
SUBJECT_SEARCH_LIMIT = 50


class SubjectSearchForm(PortalForm):
    """Find the person a subject access request is about, by name, username or e-mail address."""

    q = forms.CharField(label="Name, username or e-mail address", max_length=150, required=False)
    kind = forms.ChoiceField(
        label="Kind of account",
        choices=[("", "Any account"), *ACCOUNT_KINDS.items()],
        required=False,
        error_messages={"invalid_choice": "Select a kind of account from the list"},
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("q", "").strip() and not data.get("kind"):
            raise forms.ValidationError("Enter a name, username or e-mail address, or choose a kind of account")
        return data

    def people(self):
        """The accounts that match, by surname: at most SUBJECT_SEARCH_LIMIT + 1 (so the page
        can say there are more)."""
        people = get_user_model().objects.select_related("member", "officer")
        for term in self.cleaned_data["q"].split():
            people = people.filter(
                Q(first_name__icontains=term)
                | Q(last_name__icontains=term)
                | Q(username__icontains=term)
                | Q(email__icontains=term)
            )
        kind = self.cleaned_data["kind"]
        if kind == "councillor":
            people = people.filter(member__isnull=False)
        elif kind == "officer":
            people = people.filter(officer__isnull=False)
        elif kind == "neither":
            people = people.filter(member__isnull=True, officer__isnull=True)
        return list(people.order_by("last_name", "first_name", "username")[: SUBJECT_SEARCH_LIMIT + 1])


class SubjectAccessExportForm(PortalForm):
    """Which person the export is for, and the council's reference for the request."""

    person = forms.ModelChoiceField(
        queryset=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the person the request is about",
            "invalid_choice": "Select the person the request is about from the list",
        },
    )
    reference = forms.CharField(
        label="Request reference (optional)",
        help_text="The council's reference for the request, recorded in the audit log with the export.",
        max_length=100,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = get_user_model().objects.all()

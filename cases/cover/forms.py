"""Setting up cover while away and ending it early (issue 15 C11), in the GOV.UK Design System.

The colleague is chosen with the portal's officer picker (searchable_select: a plain select,
searched by typing where JavaScript runs, issue 15 C14). The rules live
in cases.cover.services, whose ValidationErrors the views add back onto these forms.
"""

from __future__ import annotations

from crispy_forms_gds.layout import Field
from django import forms
from django.db.models import QuerySet

from cases.shared.forms import SubmittedOnceForm, VersionedForm, date_field, form_helper
from people.models import Officer
from protocol_portal.kit.forms import searchable_select


class ColleagueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Officer) -> str:
        service = f" ({obj.service.name})" if obj.service_id else ""
        return f"{obj.name}, {obj.job_title}{service}"


class CoverForm(SubmittedOnceForm):
    covered_by = ColleagueChoiceField(
        queryset=Officer.objects.none(),
        label="Who will cover?",
        empty_label="Choose a colleague",
        widget=searchable_select(),
        error_messages={
            "required": "Choose the colleague who will cover",
            "invalid_choice": "Choose a colleague from the list",
        },
    )
    starts_on = date_field("First day", help_text="For example, 3 8 2027.")
    ends_on = date_field("Last day", help_text="The cover ends by itself after this day.")

    def __init__(self, *args, officer: Officer, colleagues: QuerySet[Officer], own: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["covered_by"].queryset = colleagues
        whose = "you" if own else officer.name
        self.fields["covered_by"].help_text = (
            f"From the first day to the last, new enquiries that would go to {whose}, enquiries that climb to "
            f"{'you' if own else 'them'} and {'your' if own else 'their'} reminders go to this colleague, who can "
            f"also see and answer {'your' if own else 'their'} open enquiries."
        )
        self.helper = form_helper(
            Field.select("covered_by"), Field("starts_on"), Field("ends_on"), submit="Set up cover"
        )


class CoverEndForm(VersionedForm):
    """A button: end the cover now, or cancel one yet to start."""

    def __init__(self, *args, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(submit=submit)

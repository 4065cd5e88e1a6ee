"""Positive example forms (000 §VI) in the GOV.UK Design System (crispy-forms-gds).

Forms check the shape of what was typed; the rules (a date not in the future, who
it goes to, who may pass it on or record it) live in the model and in
cases.concerns.services, whose ValidationErrors the views add back onto these forms.
"""

from __future__ import annotations

from crispy_forms_gds.layout import Field
from django import forms

from cases.shared.forms import YES_NO, SubmittedOnceForm, VersionedForm, date_field, form_helper
from people.models import Member, Officer, Service


class PositiveExampleForm(SubmittedOnceForm):
    title = forms.CharField(
        max_length=200,
        label="Give it a short title",
        error_messages={"required": "Enter a title", "max_length": "Title must be 200 characters or fewer"},
    )
    what_happened = forms.CharField(
        widget=forms.Textarea,
        label="What happened?",
        help_text="Say what members and officers did together and what it achieved: for example, a policy "
        "developed on a sensitive issue, a problem solved for local people, or scrutiny that improved a service "
        "(000 §VI).",
        error_messages={"required": "Enter what happened"},
    )
    happened_on = date_field("Date it happened", help_text="Today or in the past. For example, 27 3 2025.")
    service = forms.ModelChoiceField(
        queryset=Service.objects.order_by("name"),
        label="Which service was it in?",
        help_text="It goes to this service's Assistant Director.",
        empty_label="Choose a service",
        error_messages={"required": "Choose the service it was in"},
    )
    members = forms.ModelMultipleChoiceField(
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Which councillors were involved?",
        help_text="Optional. Select all that apply.",
    )
    officers = forms.ModelMultipleChoiceField(
        queryset=Officer.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "govuk-select", "size": 10}),
        label="Which officers were involved?",
        help_text="Optional. Sorted by surname. Hold Ctrl (or Cmd on a Mac) to select more than one.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only people serving today; the labels need their user rows, fetched with them.
        self.fields["members"].queryset = Member.objects.current().select_related("user")
        self.fields["officers"].queryset = Officer.objects.current().select_related("user")
        self.helper = form_helper(
            Field.text("title"),
            Field.textarea("what_happened", rows=6),
            Field("happened_on"),
            Field.select("service"),
            Field.checkboxes("members", small=True),
            Field.select("officers"),
            submit="Send to the Assistant Director",
        )


class PositiveExampleForwardForm(VersionedForm):
    comment = forms.CharField(
        widget=forms.Textarea,
        label="Your comment for the Monitoring Officer",
        help_text="What made this work well, and what others could learn from it (000 §VI).",
        error_messages={"required": "Enter your comment for the Monitoring Officer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("comment", rows=5), submit="Pass it to the Monitoring Officer")


class PositiveExampleAcknowledgeForm(VersionedForm):
    comment = forms.CharField(
        widget=forms.Textarea,
        required=False,
        label="Your comment (optional)",
        help_text="The person who recorded it and the Assistant Director will see it.",
    )
    publishable = forms.ChoiceField(
        choices=YES_NO,
        widget=forms.RadioSelect,
        label="May it be published in the annual report?",
        help_text=(
            "The protocol's annual report to the Standards Committee may describe it (000 §VI). The report"
            " names no one: it replaces the names of the people linked to it, and any titled name such as"
            " “Cllr Smith”, but check the account names no one else before you say yes."
        ),
        error_messages={"required": "Say whether it may be published in the annual report"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.textarea("comment", rows=4), Field.radios("publishable", inline=True), submit="Record it"
        )

    def clean_publishable(self) -> bool:
        return self.cleaned_data["publishable"] == "yes"

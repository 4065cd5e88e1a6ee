"""The ward notice form (DESIGN §6; 001 §9.4) in the GOV.UK Design System.

The form checks the shape of what was typed, and warns before a consultation notice
goes out after the consultation has started (001 §9.4.5); cases.notices.services
enforces the same rules."""

from __future__ import annotations

from crispy_forms_gds.layout import HTML, Field
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.notices.models import WardNoticeKind
from cases.notices.services import LATE_CONSULTATION, consultation_is_late
from cases.shared.attachments import validate_attachment
from cases.shared.forms import SubmittedOnceForm, attachments_hint, date_field, form_helper
from people.models import Ward

WARNING = (
    '<div class="govuk-warning-text">'
    '<span class="govuk-warning-text__icon" aria-hidden="true">!</span>'
    '<strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>'
    "This consultation has already started. Ward members should be consulted at the start of a consultation "
    "(001 §9.4.5). If you send it now, the notice records that it was sent late.</strong></div>"
)


class WardNoticeForm(SubmittedOnceForm):
    kind = forms.ChoiceField(
        choices=WardNoticeKind.choices,
        widget=forms.RadioSelect,
        label="What is the notice about?",
        error_messages={"required": "Select what the notice is about"},
    )
    wards = forms.ModelMultipleChoiceField(
        queryset=Ward.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        label="Which wards is it for?",
        help_text="Every councillor for these wards is told, whatever their political group (001 §9.4). "
        "Select all that apply.",
        error_messages={
            "required": "Select the wards the notice is for",
            "invalid_choice": "Select the wards from the list",
            "invalid_pk_value": "Select the wards from the list",
        },
    )
    title = forms.CharField(
        max_length=200,
        label="Title",
        help_text="For example, Resurfacing of Mill Lane, or Consultation on the Castle Hill parking scheme.",
        error_messages={"required": "Enter a title", "max_length": "Title must be 200 characters or fewer"},
    )
    concerns_on = date_field(
        "Date",
        help_text="The day it happened or will happen. For a consultation, the day the consultation starts. "
        "For example, 27 3 2027.",
    )
    summary = forms.CharField(
        widget=forms.Textarea,
        label="Summary",
        help_text="What ward members need to know, and who to contact about it.",
        error_messages={"required": "Enter a summary"},
    )
    attachment = forms.FileField(
        required=False,
        label="Attach a file",
        widget=forms.ClearableFileInput(attrs={"class": "govuk-file-upload"}),
    )
    confirm_late = forms.BooleanField(
        required=False, label="Send it now, and record that it was sent after the consultation started"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachment"].help_text = attachments_hint().replace(" files, each", " file,")
        self.fields["concerns_on"].error_messages["required"] = "Enter the date"
        self.fields["concerns_on"].error_messages["incomplete"] = "Enter the date as a day, month and year"
        # Set by clean when a consultation's start date has passed: the warning and the
        # box to confirm it are shown from then on.
        self.late = False

    @property
    def helper(self):
        fields = [
            Field.radios("kind"),
            Field.checkboxes("wards", small=True),
            Field.text("title"),
            Field("concerns_on"),
            Field.textarea("summary", rows=6),
            Field("attachment"),
        ]
        if self.late:
            fields += [HTML(WARNING), Field.checkbox("confirm_late")]
        return form_helper(*fields, submit="Send notice to ward members")

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            validate_attachment(upload)
        return upload or None

    def clean(self):
        cleaned = super().clean()
        kind, concerns_on = cleaned.get("kind"), cleaned.get("concerns_on")
        if kind and concerns_on:
            self.late = consultation_is_late(kind=kind, concerns_on=concerns_on, today=timezone.localdate())
            if self.late and not cleaned.get("confirm_late"):
                self.add_error("confirm_late", ValidationError(LATE_CONSULTATION))
        return cleaned

"""The pieces every case's forms are made of, in the GOV.UK Design System (crispy-forms-gds):
the layout helper, the date field, the attachments field, and the two bases: a form that
carries its case's version, and a form that makes a case once however often it is sent.
"""

from __future__ import annotations

from uuid import UUID, uuid4

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Size, Submit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from cases.shared.attachments import validate_attachment
from escalation.years import FIRST_YEAR, LAST_YEAR
from protocol_portal.kit.forms import PortalForm, RealDateField

YES_NO = [("yes", "Yes"), ("no", "No")]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Any number of files, each checked for size and type."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "govuk-file-upload"}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        errors = []
        for upload in files:
            try:
                validate_attachment(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files


def form_helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template's <form> has its own token: one per form (issue 15 C17)
    # The hidden version field is not in the layout, and must still reach the browser.
    helper.render_hidden_fields = True
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


def attachments_hint() -> str:
    megabytes = settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)
    return f"Optional. PDF, Word, Excel, plain text, PNG or JPEG files, each smaller than {megabytes} MB."


def date_field(label: str, *, help_text: str = "") -> RealDateField:
    field = RealDateField(label=label, help_text=help_text, first_year=FIRST_YEAR, last_year=LAST_YEAR)
    field.error_messages["required"] = f"Enter the {label.lower()}"
    field.error_messages["incomplete"] = f"Enter the {label.lower()} as a day, month and year"
    field.error_messages["invalid_date"] = f"{label} must be a real date"
    field.error_messages["year_range"] = f"{label} must be in a year from {FIRST_YEAR} to {LAST_YEAR}"
    return field


class VersionedForm(PortalForm):
    """Carries the enquiry's version, so a form from an out-of-date page is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class SubmittedOnceForm(PortalForm):
    """A form that makes a case carries a key made when its page is loaded, so the same form
    sent twice (a double click) makes the case once (cases.shared.submissions.AlreadySubmitted)."""

    submission_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", str(uuid4()))

    def clean_submission_key(self) -> UUID | None:
        try:
            return UUID(self.cleaned_data["submission_key"])
        except ValueError:
            # None, or not a key a page made: there is nothing to match it with.
            return None

"""Enquiry forms in the GOV.UK Design System (crispy-forms-gds).

Forms check the shape of what was typed; the rules about enquiries live in
the model and in cases.services, whose ValidationErrors the views add back
onto these forms so they show in the error summary.
"""

from __future__ import annotations

from uuid import UUID, uuid4

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size, Submit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.attachments import validate_attachment
from cases.models import ConsentRecord, Dispute, Marking, Purpose
from cases.selectors import QueueFilters
from escalation.calendar import FIRST_YEAR, LAST_YEAR
from people.models import Officer, Service, Ward
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


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    # The hidden version field is not in the layout, and must still reach the browser.
    helper.render_hidden_fields = True
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


def _attachments_hint() -> str:
    megabytes = settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)
    return f"Optional. PDF, Word, Excel, plain text, PNG or JPEG files, each smaller than {megabytes} MB."


def _date_field(label: str, *, help_text: str = "") -> RealDateField:
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
    sent twice (a double click) makes the case once (cases.services.AlreadySubmitted)."""

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


class EnquiryForm(SubmittedOnceForm):
    subject = forms.CharField(
        max_length=200,
        error_messages={"required": "Enter a subject", "max_length": "Subject must be 200 characters or fewer"},
    )
    details = forms.CharField(
        widget=forms.Textarea,
        label="What do you want to know?",
        help_text="Be specific: say what you need and why it is relevant to your role (001 §7.2, the need to know).",
        error_messages={"required": "Enter the details of your enquiry"},
    )
    service = forms.ModelChoiceField(
        queryset=Service.objects.select_related("directorate").order_by("name"),
        label="Which service is it about?",
        empty_label="Choose a service",
        error_messages={"required": "Choose the service your enquiry is about"},
    )
    purpose = forms.ChoiceField(
        choices=Purpose.choices,
        widget=forms.RadioSelect,
        label="What is the enquiry for?",
        error_messages={"required": "Choose what the enquiry is for"},
    )
    ward = forms.ModelChoiceField(
        queryset=Ward.objects.order_by("name"),
        required=False,
        label="Which ward is it about?",
        help_text="Needed for ward casework.",
        empty_label="Not about one ward",
    )
    constituent_lives_in_ward = forms.ChoiceField(
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        label="Does the person you are helping live in a ward you represent?",
    )
    acting_for_constituent = forms.ChoiceField(
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        label="Are you acting for them, at their request?",
    )
    information_needed_for_complaint = forms.ChoiceField(
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        label="Is the information you ask for needed to respond to their complaint?",
    )
    attachments = AttachmentsField(help_text="")

    # The 001 §8.1 questions, each with the message for a missing answer.
    CASEWORK_QUESTIONS = {
        "constituent_lives_in_ward": "Say whether the person lives in a ward you represent",
        "acting_for_constituent": "Say whether you are acting for them at their request",
        "information_needed_for_complaint": "Say whether the information is needed to respond to their complaint",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _attachments_hint()
        self.helper = _helper(
            Field.text("subject"),
            Field.textarea("details", rows=6),
            Field.select("service"),
            Field.radios("purpose"),
            Field.select("ward"),
            Fieldset(
                HTML(
                    '<p class="govuk-body">001 §8.1: officers may share a constituent\'s personal data with you '
                    "only when all three answers are yes and the ward is one you represent. Otherwise they must "
                    "first record the constituent's explicit consent.</p>"
                ),
                Field.radios("constituent_lives_in_ward", inline=True),
                Field.radios("acting_for_constituent", inline=True),
                Field.radios("information_needed_for_complaint", inline=True),
                legend="If this is ward casework",
                legend_size=Size.MEDIUM,
            ),
            Field("attachments"),
            submit="Send enquiry",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("purpose") == Purpose.CASEWORK:
            for name, message in self.CASEWORK_QUESTIONS.items():
                if not cleaned.get(name):
                    self.add_error(name, message)
            if not cleaned.get("ward"):
                self.add_error("ward", "Choose the ward for ward casework")
        for name in self.CASEWORK_QUESTIONS:
            answer = cleaned.get(name)
            cleaned[name] = {"yes": True, "no": False}.get(answer) if answer else None
        return cleaned


class HoldingReplyForm(VersionedForm):
    reason = forms.CharField(
        widget=forms.Textarea,
        label="Why can you not answer in full yet?",
        error_messages={"required": "Enter why you cannot answer in full yet"},
    )
    target_on = _date_field("New target date", help_text="A working day after today. For example, 27 3 2027.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("reason", rows=4), Field("target_on"), submit="Send holding reply")

    def clean_target_on(self):
        # Checked here too so the person sees every problem at once; the service enforces it.
        from cases.services import holding_reply_target_errors

        target_on = self.cleaned_data["target_on"]
        problem = holding_reply_target_errors(target_on, today=timezone.localdate())
        if problem:
            raise ValidationError(problem)
        return target_on


class AnswerForm(VersionedForm):
    text = forms.CharField(widget=forms.Textarea, label="Your answer", error_messages={"required": "Enter your answer"})
    marking = forms.ChoiceField(
        choices=Marking.choices,
        widget=forms.RadioSelect,
        label="How must the councillor treat this answer?",
        help_text="001 §7.3: say whether the information is confidential or can be shared with the public.",
        error_messages={"required": "Say whether the answer is confidential or may be shared with the public"},
    )
    contains_personal_data = forms.BooleanField(
        required=False, label="The answer contains a constituent's personal data"
    )
    attachments = AttachmentsField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _attachments_hint()
        self.helper = _helper(
            Field.textarea("text", rows=8),
            Field.radios("marking"),
            Field.checkbox("contains_personal_data"),
            Field("attachments"),
            submit="Send answer",
        )


class ReasonsForm(VersionedForm):
    """Decline, dispute, withdraw and reopen: one text box with its own words."""

    reasons = forms.CharField(widget=forms.Textarea)

    def __init__(self, *args, label: str, required_message: str, submit: str, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reasons"].label = label
        self.fields["reasons"].required = required
        self.fields["reasons"].error_messages["required"] = required_message
        self.helper = _helper(Field.textarea("reasons", rows=5), submit=submit)


class DisputeDecisionForm(VersionedForm):
    decision = forms.ChoiceField(
        choices=Dispute.Decision.choices,
        widget=forms.RadioSelect,
        label="Your decision",
        error_messages={"required": "Choose whether to uphold the decline or direct an answer"},
    )
    reasons = forms.CharField(
        widget=forms.Textarea,
        label="Your reasons",
        help_text="The councillor and the officers will see them.",
        error_messages={"required": "Enter the reasons for your decision"},
    )
    owner = forms.ModelChoiceField(
        queryset=Officer.objects.none(),
        required=False,
        label="Who should answer? (if you direct an answer)",
        empty_label="The current owner",
    )

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = officers
        self.helper = _helper(
            Field.radios("decision"), Field.textarea("reasons", rows=5), Field.select("owner"), submit="Record decision"
        )


class ReassignForm(VersionedForm):
    new_owner = forms.ModelChoiceField(
        queryset=Officer.objects.none(),
        label="Who should own it?",
        empty_label="Choose an officer",
        error_messages={"required": "Choose who should own the enquiry"},
    )
    reason = forms.CharField(widget=forms.Textarea, required=False, label="Why? (optional)")

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_owner"].queryset = officers
        self.helper = _helper(Field.select("new_owner"), Field.textarea("reason", rows=3), submit="Reassign")


class ConsentForm(VersionedForm):
    given_by = forms.CharField(
        max_length=150, label="Who gave consent?", error_messages={"required": "Enter who gave consent"}
    )
    given_on = _date_field("Date consent was given")
    method = forms.ChoiceField(
        choices=ConsentRecord.Method.choices,
        widget=forms.RadioSelect,
        label="How was consent given?",
        error_messages={"required": "Choose how consent was given"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("given_by"), Field("given_on"), Field.radios("method"), submit="Record consent"
        )


class ConfirmForm(VersionedForm):
    """A button with nothing to type: close an answered enquiry."""

    def __init__(self, *args, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit=submit)


class QueueFilterForm(PortalForm):
    q = forms.CharField(required=False, max_length=200, label="Search by reference or words")
    state = forms.ChoiceField(required=False, label="Status", widget=forms.Select(attrs={"class": "govuk-select"}))
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(),
        required=False,
        empty_label="All services",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    ward = forms.ModelChoiceField(
        queryset=Ward.objects.order_by("name"),
        required=False,
        empty_label="All wards",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    overdue = forms.BooleanField(required=False, label="Overdue only")

    def __init__(self, *args, services, states, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["state"].choices = [("", "Any status"), *states]
        for name, what in (("state", "status"), ("service", "service"), ("ward", "ward")):
            self.fields[name].error_messages["invalid_choice"] = f"Select a {what} from the list"

    def filters(self) -> QueueFilters:
        """The filters asked for that are valid; the others show as errors and are not applied."""
        if not self.is_bound:
            return QueueFilters()
        if not self.is_valid():
            for name in self.errors:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} govuk-select--error".strip()
        data = self.cleaned_data
        return QueueFilters(
            state=data.get("state", ""),
            service=data["service"].pk if data.get("service") else None,
            ward=data["ward"].pk if data.get("ward") else None,
            overdue=data.get("overdue", False),
            text=data.get("q", ""),
        )


HAND_OVER, CLOSE = "hand_over", "close"


class LeaveOfficeForm(VersionedForm):
    """Democratic Services records a councillor's last day in office and says, for each of
    their enquiries not yet closed, who takes it on or why it closes (003; cases.leavers)."""

    left_on = _date_field(
        "Last day in office",
        help_text="Their access to the portal ends after this day. For example, 7 5 2027.",
    )

    def __init__(self, *args, enquiries, successors: tuple[list, list], suggested=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.enquiries = list(enquiries)
        colleagues, others = successors
        choices = [("", "Choose a councillor")]
        if colleagues:
            choices.append(("Ward colleagues", [(str(m.pk), f"{m} (ward colleague)") for m in colleagues]))
        if others:
            choices.append(("Other councillors", [(str(m.pk), str(m)) for m in others]))
        self.successors = {str(m.pk): m for m in [*colleagues, *others]}
        self.rows = []
        for enquiry in self.enquiries:
            key = enquiry.pk
            self.fields[f"action_{key}"] = forms.ChoiceField(
                label=f"What happens to {enquiry.reference}?",
                choices=[(HAND_OVER, "Hand it to another councillor"), (CLOSE, "Close it")],
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose whether {enquiry.reference} is handed on or closed"},
            )
            self.fields[f"successor_{key}"] = forms.ChoiceField(
                label=f"Councillor who takes on {enquiry.reference}",
                choices=choices,
                required=False,
                widget=forms.Select(attrs={"class": "govuk-select"}),
                error_messages={"invalid_choice": "Choose a councillor in office from the list"},
            )
            self.fields[f"reason_{key}"] = forms.CharField(
                label=f"Reason or note for {enquiry.reference}",
                help_text="Needed when it is closed. The councillor who takes it on, and the officer, see it.",
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "govuk-textarea"}),
            )
            if suggested is not None and not self.is_bound:
                self.initial.setdefault(f"successor_{key}", str(suggested.pk))
            # Rendered by the template, not a crispy layout: a layout renders its legends and
            # HTML as templates, and an enquiry's subject is the member's own text.
            self.rows.append((enquiry, self[f"action_{key}"], self[f"successor_{key}"], self[f"reason_{key}"]))

    def clean(self):
        data = super().clean()
        self.dispositions = {}
        for enquiry in self.enquiries:
            key = enquiry.pk
            action, successor = data.get(f"action_{key}"), data.get(f"successor_{key}")
            reason = (data.get(f"reason_{key}") or "").strip()
            if action == HAND_OVER:
                if not successor:
                    self.add_error(f"successor_{key}", f"Choose the councillor who takes on {enquiry.reference}")
                    continue
                self.dispositions[key] = (self.successors[successor], reason)
            elif action == CLOSE:
                if not reason:
                    self.add_error(f"reason_{key}", f"Give the reason for closing {enquiry.reference}")
                    continue
                self.dispositions[key] = (None, reason)
        return data

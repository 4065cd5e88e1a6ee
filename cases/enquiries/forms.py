"""Enquiry forms in the GOV.UK Design System (crispy-forms-gds).

Forms check the shape of what was typed; the rules about enquiries live in
the model and in cases.enquiries.services, whose ValidationErrors the views add back
onto these forms so they show in the error summary.
"""

from __future__ import annotations

import re

from crispy_forms_gds.layout import HTML, Field, Fieldset, Size
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from cases.enquiries.models import OPEN_STATES, ConsentRecord, Dispute, EnquiryState, Marking, Purpose
from cases.enquiries.selectors import SORT_CHOICES
from cases.enquiries.services.responses import Agreement, holding_reply_target_errors
from cases.shared.forms import (
    YES_NO,
    AttachmentsField,
    SubmittedOnceForm,
    VersionedForm,
    attachments_hint,
    date_field,
    form_helper,
)
from cases.shared.lists import ANY_STATE, OPEN, ListFilterForm
from people.models import Officer, Service, Ward
from protocol_portal.kit.forms import PortalForm, searchable_select


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
        self.fields["attachments"].help_text = attachments_hint()
        self.helper = form_helper(
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
    target_on = date_field("New target date", help_text="A working day after today. For example, 27 3 2027.")
    agreement = forms.ChoiceField(
        choices=[
            (Agreement.RECORDED, "The councillor has agreed to it, by phone, e-mail or in person"),
            (Agreement.ASK, "Ask the councillor to agree (a manager of the service may approve it instead)"),
        ],
        widget=forms.RadioSelect,
        required=False,
        label="If it needs agreement: how? (optional)",
    )
    agreement_note = forms.CharField(
        widget=forms.Textarea,
        required=False,
        label="How and when did the councillor agree? (optional)",
        help_text="Only if they agreed outside the portal. For example: by phone on 3 December.",
    )

    def __init__(self, *args, limit=None, **kwargs):
        super().__init__(*args, **kwargs)
        original, last_day, second = limit if limit else (None, None, False)
        if second:
            hint = (
                "A holding reply is already in force: a second needs the councillor's agreement "
                "or a manager's approval."
            )
        elif last_day:
            hint = (
                f"A target up to {last_day:%A %-d %B %Y} ({settings.HOLDING_REPLY_MAX_WORKING_DAYS} working days "
                f"after the deadline of {original:%-d %B %Y}) is yours to set. A later one needs the councillor's "
                "agreement or a manager's approval (001 §7.1, §7.4)."
            )
        else:
            hint = ""
        self.fields["agreement"].help_text = hint
        self.helper = form_helper(
            Field.textarea("reason", rows=4),
            Field("target_on"),
            Field.radios("agreement"),
            Field.textarea("agreement_note", rows=2),
            submit="Send holding reply",
        )

    def clean_target_on(self):
        # Checked here too so the person sees every problem at once; the service enforces it.
        target_on = self.cleaned_data["target_on"]
        problem = holding_reply_target_errors(target_on, today=timezone.localdate())
        if problem:
            raise ValidationError(problem)
        return target_on


class ExtensionDecisionForm(VersionedForm):
    """The councillor agrees to a later date, or a manager of the service approves it (issue 15 A3)."""

    agree = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        label="Do you agree to the later date?",
        error_messages={"required": "Say whether you agree to the later date"},
    )
    note = forms.CharField(widget=forms.Textarea, required=False, label="Anything to add? (optional)")

    def __init__(self, *args, label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["agree"].label = label
        self.helper = form_helper(Field.radios("agree"), Field.textarea("note", rows=3), submit="Send")


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
        self.fields["attachments"].help_text = attachments_hint()
        self.helper = form_helper(
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
        self.helper = form_helper(Field.textarea("reasons", rows=5), submit=submit)


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
        widget=searchable_select(empty_is_a_choice=True),
    )

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = officers
        self.helper = form_helper(
            Field.radios("decision"), Field.textarea("reasons", rows=5), Field.select("owner"), submit="Record decision"
        )


class ReassignForm(VersionedForm):
    new_owner = forms.ModelChoiceField(
        queryset=Officer.objects.none(),
        label="Who should own it?",
        empty_label="Choose an officer",
        widget=searchable_select(),
        error_messages={"required": "Choose who should own the enquiry"},
    )
    reason = forms.CharField(widget=forms.Textarea, required=False, label="Why? (optional)")

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_owner"].queryset = officers
        self.helper = form_helper(Field.select("new_owner"), Field.textarea("reason", rows=3), submit="Reassign")


class MoveForm(VersionedForm):
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(),
        label="Which service should answer it?",
        empty_label="Choose a service",
        widget=searchable_select(),
        error_messages={"required": "Choose the service that should answer the enquiry"},
    )
    reason = forms.CharField(
        widget=forms.Textarea,
        max_length=2000,
        label="Why does it belong there?",
        help_text="The councillor and both services see this.",
        error_messages={"required": "Enter why the enquiry belongs to that service"},
    )

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.helper = form_helper(Field.select("service"), Field.textarea("reason", rows=3), submit="Move enquiry")


class ConsentForm(VersionedForm):
    given_by = forms.CharField(
        max_length=150, label="Who gave consent?", error_messages={"required": "Enter who gave consent"}
    )
    given_on = date_field("Date consent was given")
    method = forms.ChoiceField(
        choices=ConsentRecord.Method.choices,
        widget=forms.RadioSelect,
        label="How was consent given?",
        error_messages={"required": "Choose how consent was given"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("given_by"), Field("given_on"), Field.radios("method"), submit="Record consent"
        )


class ConfirmForm(VersionedForm):
    """A button with nothing to type: close an answered enquiry."""

    def __init__(self, *args, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(submit=submit)


# --- Finding your work (issue 15 C10): the lists' filters ---------------------------------

SEARCH_LABEL = "Search by reference, subject, councillor or ward"
WAITING = (OPEN, "Waiting for a response (awaiting answer or holding reply sent)")
EVERY_STATE = (ANY_STATE, "Any status")


def enquiry_list_form(data, *, page: str, services: QuerySet[Service] | None) -> ListFilterForm:
    """The filter form of an enquiry list: ``page`` is "queue" (the service queue: waiting for a
    response, soonest due first, as it opens), "mine" (My enquiries: every status, newest
    first) or "work" (My work: the open work, soonest due first)."""
    if page == "queue":
        states, sorts = [WAITING, EVERY_STATE, *EnquiryState.choices], ["due", "newest", "oldest", "state"]
    elif page == "mine":
        states, sorts = [EVERY_STATE, WAITING, *EnquiryState.choices], ["newest", "oldest", "due", "state"]
    else:
        open_states = [(state.value, state.label) for state in map(EnquiryState, OPEN_STATES)]
        states, sorts = [(ANY_STATE, "All your open work"), *open_states], ["due", "newest", "oldest", "state"]
    return ListFilterForm(
        data,
        states=states,
        default_state=states[0][0],
        sorts=[(key, SORT_CHOICES[key]) for key in sorts],
        services=services,
        search_label=SEARCH_LABEL,
    )


# --- Reassigning several at once from the service queue (issue 15 C12) --------------------

TICKED = re.compile(r"^(?P<reference>[A-Z]{3}-\d{4}-\d{5}):(?P<version>\d{1,9})$")


class TickedField(forms.MultipleChoiceField):
    """The enquiries ticked in the queue, each sent as ``ENQ-2026-00001:3`` (its reference and
    the version the queue showed), cleaned to (reference, version) pairs."""

    widget = forms.CheckboxSelectMultiple

    def valid_value(self, value) -> bool:
        return bool(TICKED.match(str(value)))

    def clean(self, value):
        values = super().clean(value)
        ticked = {}
        for match in map(TICKED.match, values):
            ticked[match["reference"]] = int(match["version"])
        return list(ticked.items())


class BulkReassignForm(PortalForm):
    enquiries = TickedField(
        label="Enquiries to reassign",
        error_messages={
            "required": "Tick the enquiries to reassign",
            "invalid_choice": "Tick enquiries from the queue",
        },
    )
    new_owner = forms.ModelChoiceField(
        queryset=Officer.objects.none(),
        label="Who should own them?",
        empty_label="Choose an officer",
        widget=searchable_select(),
        error_messages={
            "required": "Choose who should own the enquiries",
            "invalid_choice": "Choose an officer from the list",
        },
    )
    reason = forms.CharField(
        widget=forms.Textarea,
        max_length=2000,
        label="Why?",
        help_text="The councillors and the new owner see this.",
        error_messages={"required": "Enter why you are reassigning them"},
    )

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_owner"].queryset = officers
        self.helper = form_helper(
            Field.select("new_owner"), Field.textarea("reason", rows=3), submit="Reassign the ticked enquiries"
        )

    @property
    def ticked(self) -> set[str]:
        """The references ticked, valid or not, to tick them again when the page comes back."""
        return {value.split(":")[0] for value in self.data.getlist("enquiries")} if self.is_bound else set()

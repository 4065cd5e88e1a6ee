"""The Monitoring Officer's outcomes (000 §VIII): informal action, the formal sanctions, and
bringing a contact prohibition's end forward.
"""

from __future__ import annotations

from crispy_forms_gds.layout import HTML, Field
from django import forms
from django.utils import timezone

from cases.concerns.forms.concern import OfficerChoiceField, heading, serving_officers
from cases.concerns.models import Concern, InformalAction, Sanction
from cases.concerns.services import InformalStep, SanctionSpec
from cases.shared.forms import (
    VersionedForm,
    date_field,
    form_helper,
)
from escalation.years import FIRST_YEAR, LAST_YEAR
from people.models import Committee, ContactProhibition, Member, Service
from protocol_portal.kit.forms import PortalForm, searchable_select


class InformalActionForm(VersionedForm):
    """000 §VIII: words of advice (from the manager, the Whip or the Monitoring Officer) and training."""

    kinds = forms.MultipleChoiceField(
        choices=InformalAction.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        label="What informal action is taken?",
        help_text="Choose all that apply.",
        error_messages={"required": "Choose words of advice, training, or both"},
    )
    given_by = forms.ChoiceField(
        choices=InformalAction.GivenBy.choices,
        widget=forms.RadioSelect,
        required=False,
        label="Who gives the words of advice?",
    )
    advice_details = forms.CharField(widget=forms.Textarea, required=False, label="The words of advice")
    training_details = forms.CharField(
        widget=forms.Textarea, required=False, label="The training, learning or development"
    )
    outcome = forms.CharField(
        widget=forms.Textarea,
        label="The outcome the complainant is told",
        help_text="001 §6.1: the complainant is told the outcome of their concern.",
        error_messages={"required": "Enter the outcome the complainant is told"},
    )

    def __init__(self, *args, concern: Concern, **kwargs):
        super().__init__(*args, **kwargs)
        if concern.subject_officer_id:
            # A Whip advises councillors in their group, not officers.
            self.fields["given_by"].choices = [
                choice for choice in InformalAction.GivenBy.choices if choice[0] != InformalAction.GivenBy.WHIP
            ]
        self.helper = form_helper(
            Field.checkboxes("kinds"),
            heading("If words of advice"),
            Field.radios("given_by"),
            Field.textarea("advice_details", rows=4),
            heading("If training"),
            Field.textarea("training_details", rows=4),
            heading("The outcome"),
            Field.textarea("outcome", rows=5),
            submit="Record informal action",
        )

    def clean(self):
        cleaned = super().clean()
        kinds = cleaned.get("kinds") or []
        if InformalAction.Kind.ADVICE in kinds:
            if not cleaned.get("given_by"):
                self.add_error("given_by", "Say who gives the words of advice")
            if not cleaned.get("advice_details"):
                self.add_error("advice_details", "Enter the words of advice")
        if InformalAction.Kind.TRAINING in kinds and not cleaned.get("training_details"):
            self.add_error("training_details", "Enter the training, learning or development")
        return cleaned

    def steps(self) -> list[InformalStep]:
        data = self.cleaned_data
        steps = []
        if InformalAction.Kind.ADVICE in data["kinds"]:
            steps.append(InformalStep(InformalAction.Kind.ADVICE, data["advice_details"], data["given_by"]))
        if InformalAction.Kind.TRAINING in data["kinds"]:
            steps.append(InformalStep(InformalAction.Kind.TRAINING, data["training_details"]))
        return steps


class CommitteesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Committee) -> str:
        return obj.name


class SanctionsForm(VersionedForm):
    """000 §VIII: for a councillor, group disciplinary action, removal from named committees
    and a contact prohibition; for an officer, formal disciplinary action under the
    employment procedures (a reference, not the HR file)."""

    outcome = forms.CharField(
        widget=forms.Textarea,
        label="The outcome the complainant is told",
        help_text="001 §6.1: the complainant is told the outcome of their concern.",
        error_messages={"required": "Enter the outcome the complainant is told"},
    )

    def __init__(self, *args, concern: Concern, **kwargs):
        super().__init__(*args, **kwargs)
        self.on_member = concern.subject_member_id is not None
        if self.on_member:
            self._member_fields(concern.subject_member)
            layout = self._member_layout()
        else:
            self.fields["disciplinary_reference"] = forms.CharField(
                max_length=100,
                label="Reference of the disciplinary case",
                help_text="The HR case reference only: the HR file stays with People Services.",
                error_messages={"required": "Enter the reference of the disciplinary case"},
            )
            self.fields["officer_details"] = forms.CharField(
                widget=forms.Textarea, required=False, label="Details (optional)"
            )
            layout = [
                HTML(
                    '<p class="govuk-body">For an officer the sanction is formal disciplinary action under the '
                    "council's employment procedures (000 §VIII).</p>"
                ),
                Field.text("disciplinary_reference"),
                Field.textarea("officer_details", rows=3),
            ]
        self.helper = form_helper(*layout, Field.textarea("outcome", rows=5), submit="Record sanctions")

    def _member_fields(self, member: Member) -> None:
        self.fields["kinds"] = forms.MultipleChoiceField(
            choices=[(kind.value, kind.label) for kind in Sanction.MEMBER_KINDS],
            widget=forms.CheckboxSelectMultiple,
            label="Which sanctions?",
            help_text="Choose all that apply.",
            error_messages={"required": "Choose at least one sanction"},
        )
        self.fields["group_details"] = forms.CharField(
            widget=forms.Textarea, required=False, label="What disciplinary action will the group take?"
        )
        self.fields["committees"] = CommitteesField(
            queryset=member.committees.order_by("name"),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label="Which committees is the councillor removed from?",
        )
        self.fields["scope"] = forms.ChoiceField(
            choices=ContactProhibition.Scope.choices,
            widget=forms.RadioSelect,
            required=False,
            label="Who may the councillor not contact?",
        )
        self.fields["officer"] = OfficerChoiceField(
            queryset=serving_officers(),
            required=False,
            label="Which officer? (if a named officer)",
            empty_label="Choose an officer",
        )
        self.fields["service"] = forms.ModelChoiceField(
            queryset=Service.objects.order_by("name"),
            required=False,
            label="Which service? (if every officer in a service)",
            empty_label="Choose a service",
            widget=searchable_select(),
        )
        self.fields["starts_on"] = date_field("Start date", help_text="For example, 27 3 2026.")
        self.fields["starts_on"].required = False
        self.fields["ends_on"] = date_field(
            "Last day (optional)", help_text="Leave empty for indefinitely. For example, 27 9 2026."
        )
        self.fields["ends_on"].required = False
        self.fields["ends_on"].error_messages.update(
            incomplete="Enter the last day as a day, month and year",
            invalid_date="The last day must be a real date",
            year_range=f"The last day must be in a year from {FIRST_YEAR} to {LAST_YEAR}",
        )
        if not self.is_bound:
            self.initial.setdefault("starts_on", timezone.localdate())

    def _member_layout(self) -> list:
        committees = (
            [Field.checkboxes("committees")]
            if self.fields["committees"].queryset.exists()
            else [HTML('<p class="govuk-body">The councillor sits on no committees.</p>')]
        )
        return [
            Field.checkboxes("kinds"),
            heading(Sanction.Kind.GROUP_DISCIPLINARY.label),
            Field.textarea("group_details", rows=3),
            heading(Sanction.Kind.COMMITTEE_REMOVAL.label),
            *committees,
            heading(Sanction.Kind.CONTACT_PROHIBITION.label),
            HTML(
                '<p class="govuk-body">While it is in force the councillor\'s enquiries never go to the '
                "officers it covers: they go to the Monitoring Officer's office (DESIGN §5).</p>"
            ),
            Field.radios("scope"),
            Field.select("officer"),
            Field.select("service"),
            Field("starts_on"),
            Field("ends_on"),
            heading("The outcome"),
        ]

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("kinds") or []
        if self.on_member and Sanction.Kind.GROUP_DISCIPLINARY in chosen and not cleaned.get("group_details"):
            self.add_error("group_details", "Enter the disciplinary action the group will take")
        return cleaned

    def specs(self) -> list[SanctionSpec]:
        data = self.cleaned_data
        if not self.on_member:
            return [
                SanctionSpec(
                    kind=Sanction.Kind.OFFICER_DISCIPLINARY,
                    details=data["officer_details"],
                    disciplinary_reference=data["disciplinary_reference"],
                )
            ]
        specs = []
        for kind in data["kinds"]:
            if kind == Sanction.Kind.GROUP_DISCIPLINARY:
                specs.append(SanctionSpec(kind=kind, details=data["group_details"]))
            elif kind == Sanction.Kind.COMMITTEE_REMOVAL:
                specs.append(SanctionSpec(kind=kind, committees=list(data["committees"])))
            else:
                specs.append(
                    SanctionSpec(
                        kind=kind,
                        scope=data["scope"],
                        officer=data["officer"],
                        service=data["service"],
                        starts_on=data["starts_on"],
                        ends_on=data["ends_on"],
                    )
                )
        return specs


class ProhibitionEndForm(PortalForm):
    ends_on = date_field("New last day", help_text="The prohibition applies until the end of this day.")
    reason = forms.CharField(
        widget=forms.Textarea,
        label="Why is it ending early?",
        help_text="For example, the outcome of an appeal. The councillor is told.",
        error_messages={"required": "Enter why the prohibition is ending early"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("ends_on"), Field.textarea("reason", rows=4), submit="End the prohibition")


class ProhibitionExtendForm(PortalForm):
    """Issue 15 A6: a later last day, or indefinitely, instead of a second prohibition."""

    until = forms.ChoiceField(
        choices=[("date", "Until a later date"), ("indefinitely", "Indefinitely")],
        widget=forms.RadioSelect,
        label="How long should it apply?",
        error_messages={"required": "Choose how long the prohibition should apply"},
    )
    ends_on = date_field("New last day", help_text="If until a later date: it applies until the end of this day.")
    reason = forms.CharField(
        widget=forms.Textarea,
        label="Why is it being extended?",
        help_text="For example, a further concern about the same contact. The councillor is told.",
        error_messages={"required": "Enter why the prohibition is being extended"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].required = False
        self.helper = form_helper(
            Field.radios("until"), Field("ends_on"), Field.textarea("reason", rows=4), submit="Extend the prohibition"
        )

    def clean(self):
        data = super().clean()
        if data.get("until") == "date" and data.get("ends_on") is None and "ends_on" not in self.errors:
            self.add_error("ends_on", "Enter the new last day")
        if data.get("until") == "indefinitely":
            data["ends_on"] = None
        return data

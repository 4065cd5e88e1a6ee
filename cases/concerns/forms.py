"""Concern forms in the GOV.UK Design System (crispy-forms-gds).

As with the enquiry forms, these check the shape of what was typed; the rules
about concerns live on the model and in cases.concerns.services, whose
ValidationErrors the views put back on these forms. Field names match the
services' error keys (``kinds``, ``given_by``, ``independent_person``, …) so a
service's error lands on the field it is about.
"""

from __future__ import annotations

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import HTML, Button, Field, Layout, Size
from django import forms
from django.utils import timezone
from django.utils.html import format_html

from cases.concerns.models import Behaviour, Concern, ExternalReferral, InformalAction, Sanction
from cases.concerns.services import InformalStep, SanctionSpec
from cases.shared.forms import (
    YES_NO,
    AttachmentsField,
    SubmittedOnceForm,
    VersionedForm,
    attachments_hint,
    date_field,
    form_helper,
)
from escalation.calendar import FIRST_YEAR, LAST_YEAR
from people.models import Committee, ContactProhibition, Member, Officer, Service
from protocol_portal.kit.forms import PortalForm


def _officer_label(officer: Officer) -> str:
    service = f" ({officer.service.name})" if officer.service_id else ""
    return f"{officer.name}, {officer.job_title}{service}"


def _member_label(member: Member) -> str:
    return f"{member} ({member.group.name if member.group_id else 'Independent'})"


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Officer) -> str:
        return _officer_label(obj)


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return _member_label(obj)


def serving_officers():
    return Officer.objects.current().select_related("user", "service").order_by("user__last_name", "user__first_name")


def _heading(text: str) -> HTML:
    """A section heading inside a form: headings, not nested fieldsets, group the questions."""
    return HTML(format_html('<h2 class="govuk-heading-m">{}</h2>', text))


def _yes_no(value: str) -> bool:
    return value == "yes"


# --- Raising a concern ---------------------------------------------------------------


class ConcernForm(SubmittedOnceForm):
    """A councillor chooses the officer; an officer chooses the councillor (DESIGN §4)."""

    duties = forms.ChoiceField(
        choices=YES_NO,
        widget=forms.RadioSelect,
        label="Is it a disagreement over your respective duties?",
        help_text="For example over who decides what under the scheme of delegation, "
        "which the two of you cannot settle (000 §VII).",
        error_messages={"required": "Say whether it is a disagreement over your respective duties"},
    )
    occurred_on = date_field("Date it happened", help_text="For example, 27 3 2026.")
    what_happened = forms.CharField(
        widget=forms.Textarea,
        label="What happened?",
        help_text="Say what was said or done, where, and who else was there.",
        error_messages={"required": "Enter what happened"},
    )
    evidence = AttachmentsField(label="Evidence")
    feels_able_to_talk = forms.ChoiceField(
        choices=YES_NO,
        widget=forms.RadioSelect,
        label="Do you feel able to talk to them directly about it?",
        help_text="001 §6.1, §6.2: the first step is usually a direct conversation between the two of you. "
        "If you answer no, your concern goes straight to line management.",
        error_messages={"required": "Say whether you feel able to talk to them directly"},
    )
    safeguarding = forms.BooleanField(
        required=False,
        label="This is a safeguarding matter",
        help_text="Tick this if someone may be at risk of harm. The concern goes straight to the Monitoring Officer.",
    )

    def __init__(self, *args, complainant_is_member: bool, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.complainant_is_member = complainant_is_member
        if complainant_is_member:
            self.fields["about_officer"] = OfficerChoiceField(
                queryset=serving_officers(),
                label="Which officer is your concern about?",
                help_text="Officers are listed by name, with their job title and service.",
                empty_label="Choose an officer",
                error_messages={"required": "Choose the officer your concern is about"},
            )
            party = "about_officer"
        else:
            self.fields["about_member"] = MemberChoiceField(
                queryset=Member.objects.current()
                .select_related("user", "group")
                .order_by("user__last_name", "user__first_name"),
                label="Which councillor is your concern about?",
                empty_label="Choose a councillor",
                error_messages={"required": "Choose the councillor your concern is about"},
            )
            party = "about_member"
        self.fields["evidence"].help_text = attachments_hint()
        # 001 §6.1, §6.2: whose line management it goes to depends on who raises it.
        self.fields["feels_able_to_talk"].help_text += (
            " That is the officer's Head of Service or Director."
            if complainant_is_member
            else " That is your own Head of Service or Director."
        )
        self.behaviour_names = self._add_behaviour_fields()
        # The error summary lists problems in the order of the page.
        self.order_fields([party, "duties", "occurred_on", "what_happened", *self.behaviour_names])
        self.helper = form_helper(
            Field.select(party),
            Field.radios("duties", inline=True),
            Field("occurred_on"),
            Field.textarea("what_happened", rows=8),
            HTML(
                '<h2 class="govuk-heading-m">Which behaviours are in question?</h2>'
                '<p class="govuk-body">Choose any that apply: the seven principles of public life, the behaviours '
                "the protocol expects (000 §IV) and its specific limits (001 §3–§5).</p>"
            ),
            *[Field.checkboxes(name, legend_size=Size.SMALL, small=True) for name in self.behaviour_names],
            Field("evidence"),
            Field.radios("feels_able_to_talk", inline=True),
            Field.checkbox("safeguarding"),
            submit="Raise concern",
        )

    def _add_behaviour_fields(self) -> list[str]:
        """One group of checkboxes per source of the maintained list, active behaviours only."""
        self._behaviours = {str(b.pk): b for b in Behaviour.objects.filter(is_active=True)}
        names = []
        for source, label in Behaviour.Source.choices:
            choices = [
                Choice(pk, b.name, hint=f"{b.description} ({b.citation})".strip() if b.citation else b.description)
                for pk, b in self._behaviours.items()
                if b.source == source
            ]
            if choices:
                name = f"behaviours_{source}"
                self.fields[name] = forms.MultipleChoiceField(
                    choices=choices, widget=forms.CheckboxSelectMultiple, required=False, label=label
                )
                names.append(name)
        return names

    def clean(self):
        cleaned = super().clean()
        cleaned["behaviours"] = [self._behaviours[pk] for name in self.behaviour_names for pk in cleaned.get(name, [])]
        for name in ("duties", "feels_able_to_talk"):
            if cleaned.get(name):
                cleaned[name] = _yes_no(cleaned[name])
        return cleaned


# --- One text box: escalate, resolve, formal action, withdraw, share, note -------------


class TextForm(VersionedForm):
    """An action with one text box, named as the service's argument (outcome, reason, note)."""

    def __init__(
        self,
        *args,
        name: str,
        label: str,
        submit: str,
        required_message: str = "",
        help_text: str = "",
        warning: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields[name] = forms.CharField(
            widget=forms.Textarea,
            label=label,
            help_text=help_text,
            required=bool(required_message),
            error_messages={"required": required_message},
        )
        self.helper = form_helper(Field.textarea(name, rows=5), submit=submit)
        if warning:
            self.helper.layout = Layout(Field.textarea(name, rows=5), Button.warning("submit", submit))


# --- Stage 3: informal action ---------------------------------------------------------


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
            _heading("If words of advice"),
            Field.radios("given_by"),
            Field.textarea("advice_details", rows=4),
            _heading("If training"),
            Field.textarea("training_details", rows=4),
            _heading("The outcome"),
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


# --- Stage 4: sanctions --------------------------------------------------------------


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
            _heading(Sanction.Kind.GROUP_DISCIPLINARY.label),
            Field.textarea("group_details", rows=3),
            _heading(Sanction.Kind.COMMITTEE_REMOVAL.label),
            *committees,
            _heading(Sanction.Kind.CONTACT_PROHIBITION.label),
            HTML(
                '<p class="govuk-body">While it is in force the councillor\'s enquiries never go to the '
                "officers it covers: they go to the Monitoring Officer's office (DESIGN §5).</p>"
            ),
            Field.radios("scope"),
            Field.select("officer"),
            Field.select("service"),
            Field("starts_on"),
            Field("ends_on"),
            _heading("The outcome"),
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


# --- External referral -----------------------------------------------------------------


class ReferralForm(VersionedForm):
    kind = forms.ChoiceField(
        choices=ExternalReferral.Kind.choices,
        widget=forms.RadioSelect,
        label="Where is the concern referred?",
        error_messages={"required": "Choose where the concern is referred"},
    )
    details = forms.CharField(
        widget=forms.Textarea,
        label="Details of the referral",
        help_text="Who it was referred to, when, and any reference they gave.",
        error_messages={"required": "Enter the details of the referral"},
    )
    independent_person = forms.CharField(
        max_length=150,
        required=False,
        label="Independent Person consulted",
        help_text="Needed for a formal standards complaint: the Independent Person's views are sought under the "
        "Localism Act 2011 arrangements.",
    )
    outcome = forms.CharField(
        widget=forms.Textarea,
        label="The outcome the complainant is told",
        help_text="001 §6.1: the complainant is told the outcome of their concern.",
        error_messages={"required": "Enter the outcome the complainant is told"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("kind"),
            Field.textarea("details", rows=4),
            Field.text("independent_person"),
            Field.textarea("outcome", rows=4),
            submit="Record referral",
        )


# --- The Monitoring Officer's tools -------------------------------------------------------


class HandlerForm(VersionedForm):
    new_owner = OfficerChoiceField(
        queryset=Officer.objects.none(),
        label="Who should handle this stage?",
        empty_label="Choose an officer",
        error_messages={"required": "Choose who should handle this stage"},
    )
    reason = forms.CharField(widget=forms.Textarea, required=False, label="Why? (optional)")

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_owner"].queryset = officers.select_related("service")
        self.helper = form_helper(Field.select("new_owner"), Field.textarea("reason", rows=3), submit="Reassign")


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

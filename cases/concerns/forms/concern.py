"""Raising a concern and the steps on the ladder, in the GOV.UK Design System (crispy-forms-gds).

Forms check the shape of what was typed; the rules about concerns live on the model and in
cases.concerns.services, whose ValidationErrors the views add back onto these forms.
"""

from __future__ import annotations

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import HTML, Button, Field, Layout, Size
from django import forms
from django.utils.html import format_html

from cases.concerns.models import Behaviour, ConcernState, ExternalReferral
from cases.concerns.selectors import CONCERN_SORT_CHOICES
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
from people.models import Member, Officer, Service
from protocol_portal.kit.forms import searchable_select


def _officer_label(officer: Officer) -> str:
    service = f" ({officer.service.name})" if officer.service_id else ""
    return f"{officer.name}, {officer.job_title}{service}"


def _member_label(member: Member) -> str:
    return f"{member} ({member.group.name if member.group_id else 'Independent'})"


class OfficerChoiceField(forms.ModelChoiceField):
    widget = searchable_select()  # issue 15 C14: some 300 officers

    def label_from_instance(self, obj: Officer) -> str:
        return _officer_label(obj)


class MemberChoiceField(forms.ModelChoiceField):
    widget = searchable_select()

    def label_from_instance(self, obj: Member) -> str:
        return _member_label(obj)


def serving_officers():
    return Officer.objects.current().select_related("user", "service").order_by("user__last_name", "user__first_name")


def heading(text: str) -> HTML:
    """A section heading inside a form: headings, not nested fieldsets, group the questions."""
    return HTML(format_html('<h2 class="govuk-heading-m">{}</h2>', text))


def _yes_no(value: str) -> bool:
    return value == "yes"


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


# --- Finding a concern (issue 15 C10) ------------------------------------------------------


def concern_list_form(data) -> ListFilterForm:
    """The filter of the concerns page: one form over its three lists."""
    states = [
        (ANY_STATE, "Any stage or outcome"),
        (OPEN, "Still open (stages 1 to 4)"),
        *ConcernState.choices,
    ]
    return ListFilterForm(
        data,
        states=states,
        default_state=ANY_STATE,
        sorts=list(CONCERN_SORT_CHOICES.items()),
        services=Service.objects.order_by("name"),
        search_label="Search by reference or the name of either person",
    )

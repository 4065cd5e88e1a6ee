"""Briefing forms (DESIGN §6; 001 §9.2, §9.5) in the GOV.UK Design System (crispy-forms-gds).

Forms check the shape of what was typed; the rules (the group must exist on the day, every
other group gets the same offer, who may record a response) live in cases.briefings.services,
whose ValidationErrors the views add back onto these forms.
"""

from __future__ import annotations

from crispy_forms_gds.layout import Field
from django import forms

from cases.briefings.models import BriefingKind, BriefingResponse
from cases.shared.forms import YES_NO, SubmittedOnceForm, VersionedForm, date_field, form_helper
from people.models import Officer, PoliticalGroup
from protocol_portal.kit.forms import searchable_select


class OfficerChoiceField(forms.ModelChoiceField):
    widget = searchable_select()  # issue 15 C14: every serving officer

    def label_from_instance(self, officer: Officer) -> str:
        return f"{officer.name}, {officer.job_title}"


class BriefingForm(SubmittedOnceForm):
    subject = forms.CharField(
        max_length=200,
        label="What is the briefing about?",
        help_text="The subject only: what is said at a group's briefing stays confidential between the officers "
        "and the group (001 §9.2.3).",
        error_messages={
            "required": "Enter what the briefing is about",
            "max_length": "Subject must be 200 characters or fewer",
        },
    )
    kind = forms.ChoiceField(
        choices=BriefingKind.choices,
        widget=forms.RadioSelect,
        label="What is being offered?",
        error_messages={"required": "Choose what is being offered"},
    )
    offered_to = forms.ModelChoiceField(
        queryset=PoliticalGroup.objects.none(),
        label="Which political group was it offered to?",
        help_text="The portal offers the same to every other political group at once (001 §9.5.2).",
        empty_label="Choose a group",
        error_messages={"required": "Choose the group it was offered to"},
    )
    given_by = OfficerChoiceField(
        queryset=Officer.objects.none(),
        label="Which officer is giving it?",
        empty_label="Choose an officer",
        error_messages={"required": "Choose the officer giving it"},
    )
    takes_place_on = date_field("Date of the briefing", help_text="For example, 27 3 2027.")
    for_leadership = forms.ChoiceField(
        choices=YES_NO,
        widget=forms.RadioSelect,
        label="Is it for the group's leadership only?",
        help_text="For example the Group Leader and (shadow) Cabinet Members (001 §9.2). Every group's "
        "leadership is offered the same.",
        error_messages={"required": "Say whether it is for the group's leadership only"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offered_to"].queryset = PoliticalGroup.objects.filter(dissolved_on__isnull=True).order_by("name")
        self.fields["given_by"].queryset = Officer.objects.current().select_related("user")
        self.helper = form_helper(
            Field.text("subject"),
            Field.radios("kind"),
            Field.select("offered_to"),
            Field.select("given_by"),
            Field("takes_place_on"),
            Field.radios("for_leadership", inline=True),
            submit="Record the briefing and offer it to every group",
        )

    def clean_for_leadership(self) -> bool:
        return self.cleaned_data["for_leadership"] == "yes"


class BriefingResponseForm(VersionedForm):
    response = forms.ChoiceField(
        choices=[(BriefingResponse.ACCEPTED, "Accepted"), (BriefingResponse.DECLINED, "Declined")],
        widget=forms.RadioSelect,
        label="The group's response",
        error_messages={"required": "Choose whether the group accepted or declined"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.radios("response", inline=True), submit="Record the response")


class BriefingOfferLeftOutForm(VersionedForm):
    """Offer the briefing to the groups left out. The version is the number of offers the
    page showed, so a form sent twice (or after someone else made the offers) changes nothing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(submit="Offer it to the groups left out")

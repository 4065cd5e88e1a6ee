"""The directory's search forms and the councillor's profile forms (003)."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms
from django.conf import settings

from people.models import Committee, PoliticalGroup, Service, Ward
from protocol_portal.kit.forms import PortalForm, RealDateField

INDEPENDENT = "independent"


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template's <form> has its own token: one per form (issue 15 C17)
    helper.render_hidden_fields = True
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


class _SearchForm(PortalForm):
    """A GET form: what it could not apply shows as an error, the rest still filters."""

    def valid_data(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        for name in self.errors:
            widget = self.fields[name].widget
            if isinstance(widget, forms.Select):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} govuk-select--error".strip()
        return {name: value for name, value in self.cleaned_data.items() if name not in self.errors}


class OfficerSearchForm(_SearchForm):
    q = forms.CharField(
        required=False,
        max_length=200,
        label="Search by name, job title or service",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-!-width-two-thirds", "type": "search"}),
    )
    service = forms.ModelChoiceField(
        queryset=Service.objects.order_by("name"),
        required=False,
        empty_label="All services",
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": "Select a service from the list"},
    )


class MemberSearchForm(_SearchForm):
    q = forms.CharField(
        required=False,
        max_length=200,
        label="Search by name",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-!-width-one-half", "type": "search"}),
    )
    ward = forms.ModelChoiceField(
        queryset=Ward.objects.order_by("name"),
        required=False,
        empty_label="All wards",
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": "Select a ward from the list"},
    )
    group = forms.ChoiceField(
        required=False,
        label="Political group",
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": "Select a political group from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {str(group.pk): group for group in PoliticalGroup.objects.order_by("name")}
        self.fields["group"].choices = [
            ("", "All groups"),
            *((pk, group.name) for pk, group in self.groups.items()),
            (INDEPENDENT, "Independent"),
        ]


class VersionedForm(PortalForm):
    """Carries the record's version, so a form from an out-of-date page is refused."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": "This page is out of date. Reload it and make your changes again.",
            "invalid": "This page is out of date. Reload it and make your changes again.",
            "min_value": "This page is out of date. Reload it and make your changes again.",
        },
    )


class MemberProfileForm(VersionedForm):
    """What a councillor keeps up to date on their own profile (003: photograph, contact
    details, additional responsibilities, skills and interests)."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label="Telephone number",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    postal_address = forms.CharField(
        label="Postal address", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 4})
    )
    photo = forms.FileField(
        label="Photograph",
        required=False,
        widget=forms.FileInput(attrs={"class": "govuk-file-upload", "accept": "image/png,image/jpeg"}),
    )
    remove_photo = forms.BooleanField(label="Remove my photograph", required=False)
    other_responsibilities = forms.CharField(
        label="Additional responsibilities",
        help_text="For example Group Leader, Armed Forces Champion.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    skills_and_interests = forms.CharField(
        label="Skills, interests and expertise",
        help_text="What officers should know about your background and strengths.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, has_photo: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        megabytes = settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)
        self.fields["photo"].help_text = f"Optional. A PNG or JPEG image smaller than {megabytes} MB."
        fields = [
            Fieldset(
                Field.text("email"),
                Field.text("phone", field_width=20),
                Field.textarea("postal_address"),
                legend="Contact details",
            ),
            Field("photo"),
        ]
        if has_photo:
            fields.append(Field.checkbox("remove_photo"))
        else:
            del self.fields["remove_photo"]
        fields += [Field.textarea("other_responsibilities"), Field.textarea("skills_and_interests")]
        self.helper = _helper(*fields, submit="Save your profile")


class MemberRecordForm(VersionedForm):
    """What Democratic Services keeps for each councillor (DESIGN §1, 003)."""

    group = forms.ModelChoiceField(
        queryset=PoliticalGroup.objects.order_by("name"),
        required=False,
        label="Political group",
        empty_label="Independent (no group)",
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": "Select a political group from the list"},
    )
    wards = forms.ModelMultipleChoiceField(
        queryset=Ward.objects.order_by("name"),
        label="Wards",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select the ward or wards the councillor represents",
            "invalid_choice": "Select wards from the list",
            "invalid_pk_value": "Select wards from the list",
        },
    )
    committees = forms.ModelMultipleChoiceField(
        queryset=Committee.objects.order_by("name"),
        required=False,
        label="Committees, working parties and task and finish groups",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Select committees from the list",
            "invalid_pk_value": "Select committees from the list",
        },
    )
    elected_on = RealDateField(label="Date elected", required=False, help_text="For example, 4 5 2023.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["elected_on"].error_messages.update(
            incomplete="Enter the date elected as a day, month and year",
            invalid_date="Date elected must be a real date",
        )
        self.helper = _helper(
            Field.select("group"),
            Field.checkboxes("wards", small=True),
            Field.checkboxes("committees", small=True),
            Field("elected_on"),
            submit="Save the record",
        )

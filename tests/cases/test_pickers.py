"""Searchable pickers (issue 15 C14): every long list of officers, councillors or services in
the case forms is a plain <select> marked for static/portal/autocomplete.js, which turns it
into GOV.UK's accessible-autocomplete. Without JavaScript it stays the select, with GOV.UK's
class, hint and error markup as before (tests/browser/test_header_and_pickers.py drives both).
"""

import pytest
from crispy_forms.utils import render_crispy_form

from cases.briefings.forms import BriefingForm
from cases.concerns.forms import ConcernForm, HandlerForm, SanctionsForm
from cases.concerns.models import Concern
from cases.cover.forms import CoverForm
from cases.enquiries.forms import DisputeDecisionForm, MoveForm, ReassignForm
from people.models import Officer, Service
from protocol_portal.kit.forms import SEARCHABLE_MODULE
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def pickers():
    """Each picker: the form, and the field a person chooses someone (or a service) in."""
    officers, services = Officer.objects.all(), Service.objects.all()
    member_concern = Concern(subject_member=MemberFactory())
    return [
        (SanctionsForm(concern=member_concern), "officer"),  # "Which officer?": some 300
        (SanctionsForm(concern=member_concern), "service"),
        (ReassignForm(officers=officers), "new_owner"),
        (DisputeDecisionForm(officers=officers), "owner"),
        (MoveForm(services=services), "service"),  # moving an enquiry to another service
        (HandlerForm(officers=officers), "new_owner"),
        (ConcernForm(complainant_is_member=True), "about_officer"),
        (ConcernForm(complainant_is_member=False), "about_member"),
        (BriefingForm(), "given_by"),
        # Issue 15 C11: the colleague who covers while an officer is away.
        (CoverForm(officer=officers.first(), colleagues=officers, own=True), "covered_by"),
    ]


def test_every_long_picker_is_searchable(org):
    for form, name in pickers():
        attrs = form.fields[name].widget.attrs
        assert attrs.get("data-module") == SEARCHABLE_MODULE, f"{type(form).__name__}.{name}"


def test_the_empty_choice_is_offered_where_it_means_something(org):
    # "The current owner" is a choice when the Chief Executive directs an answer (001 §7.4);
    # "Choose an officer" is not.
    officers = Officer.objects.all()
    assert DisputeDecisionForm(officers=officers).fields["owner"].widget.attrs["data-empty-choice"] == "true"
    assert "data-empty-choice" not in ReassignForm(officers=officers).fields["new_owner"].widget.attrs


def test_without_javascript_it_is_the_govuk_select_with_its_label_hint_and_error(org):
    form = ReassignForm({"version": "1", "new_owner": ""}, officers=Officer.objects.all())
    assert not form.is_valid()

    html = render_crispy_form(form)

    assert '<label for="id_new_owner" class="govuk-label govuk-label--s">' in html
    select = html[html.index("<select") : html.index(">", html.index("<select")) + 1]
    assert 'class="govuk-select govuk-input--error"' in select
    assert f'data-module="{SEARCHABLE_MODULE}"' in select
    assert 'aria-describedby="id_new_owner_1_error"' in select
    assert 'id="id_new_owner_1_error"' in html and "Choose who should own the enquiry" in html
    assert f">{org.colleague}</option>" in html

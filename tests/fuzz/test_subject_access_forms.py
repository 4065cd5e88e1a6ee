"""Hostile input at the subject access export's page (UK GDPR Art. 15): the search (GET) and
the choice of person (POST). Never a 500: the page with the GOV.UK error summary, or the ZIP
for a real person; nothing printed raw, and an audit event exactly when a ZIP was produced."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from people.models import AuditEvent
from people.roles import Role
from reporting.subject_access.forms import ACCOUNT_KINDS, SubjectAccessExportForm, SubjectSearchForm
from tests.factories import UserFactory
from tests.fuzz.harness import assert_not_raw, rolled_back, signed_in
from tests.fuzz.profiles import fuzz
from tests.fuzz.strategies import bad_ids, choices, hostile_text

pytestmark = pytest.mark.django_db

COVERS = {SubjectSearchForm, SubjectAccessExportForm}
URL = reverse("reporting:subject_access")


@pytest.fixture
def administrator(db):
    user = UserFactory(username="dem.services")
    user.groups.add(Group.objects.get_or_create(name=Role.DEMOCRATIC_SERVICES.label)[0])
    return user


@fuzz(30)
@given(data=st.data())
def test_the_search(client, org, administrator, data):
    params = data.draw(
        st.fixed_dictionaries({}, optional={"q": hostile_text(200), "kind": choices(list(ACCOUNT_KINDS))}),
        label="query",
    )
    response = signed_in(client, administrator).get(URL, params)

    assert response.status_code == 200
    html = response.content.decode()
    form = response.context["search"]
    assert bool(form.errors) == ("govuk-error-summary" in html), form.errors
    assert_not_raw(response, params)


@fuzz(30)
@given(data=st.data())
def test_the_choice_of_person(client, org, administrator, data):
    sent = data.draw(
        st.fixed_dictionaries(
            {},
            optional={
                "person": st.one_of(st.just(str(org.councillor.user.pk)), st.just(str(org.liaison.user.pk)), bad_ids),
                "reference": hostile_text(150),
            },
        ),
        label="form",
    )
    query = data.draw(st.sampled_from(["", "?kind=councillor", "?q=%00"]), label="search")
    with rolled_back():
        response = signed_in(client, administrator).post(URL + query, sent)
        produced = AuditEvent.objects.filter(kind=AuditEvent.Kind.SUBJECT_ACCESS_EXPORT).count()

        assert response.status_code == 200
        if response["Content-Type"] == "application/zip":
            assert produced == 1
            assert b"".join(response.streaming_content).startswith(b"PK")
        else:
            assert produced == 0
            assert "govuk-error-summary" in response.content.decode()
            assert_not_raw(response, sent)

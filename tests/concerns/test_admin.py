"""The admin keeps the behaviours list (DESIGN §4) and shows nothing of any concern (need-to-know)."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cases.concerns import services as concern_services
from cases.models import Behaviour
from people.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator():
    user = UserFactory(username="democratic.services", is_staff=True)
    user.groups.add(Group.objects.get(name=Role.DEMOCRATIC_SERVICES.label))
    return user


def test_it_seeds_the_nolan_principles_the_protocol_behaviours_and_the_limits():
    by_source = {
        source: set(Behaviour.objects.filter(source=source).values_list("name", flat=True))
        for source in Behaviour.Source
    }
    assert by_source[Behaviour.Source.NOLAN] == {
        "Selflessness", "Integrity", "Objectivity", "Accountability", "Openness", "Honesty", "Leadership"
    }  # fmt: skip
    assert "Dignity and courtesy" in by_source[Behaviour.Source.PROTOCOL]  # 000 §IV
    assert {"Bullying, harassment or intimidation", "Misleading a committee", "Data protection"} <= by_source[
        Behaviour.Source.LIMIT
    ]  # 001 §3–§5, 000 §VII


def test_democratic_services_add_a_behaviour_and_retire_one_without_deleting_it(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:cases_behaviour_add"),
        {"name": "Sharing confidential papers", "source": "limit", "citation": "001 §7.3", "position": 30,
         "is_active": "on", "description": ""},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Behaviour.objects.filter(name="Sharing confidential papers", is_active=True).exists()
    honesty = Behaviour.objects.get(name="Honesty")
    assert client.get(reverse("admin:cases_behaviour_delete", args=[honesty.pk])).status_code == 403


def test_the_admin_timeline_shows_no_concern_events(client, org):
    concern = concern_services.concern_raise(
        raised_by=org.liaison.user,
        about_member=org.councillor,
        occurred_on=date(2026, 11, 2),
        what_happened="A very private matter",
        feels_able_to_talk=False,
    )
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    content = client.get(reverse("admin:cases_timelineevent_changelist")).content.decode()
    assert concern.reference not in content and "Raised by" not in content
    assert client.get("/admin/cases/concern/").status_code == 404

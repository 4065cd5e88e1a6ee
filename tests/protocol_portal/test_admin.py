"""Django admin is usable by a Democratic Services administrator."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from people.models import Committee, Member, Officer, Service
from people.roles import Role
from tests.factories import (
    CommitteeFactory,
    DirectorateFactory,
    MemberFactory,
    OfficerFactory,
    PoliticalGroupFactory,
    ServiceFactory,
    UserFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db

MODELS = ["ward", "politicalgroup", "member", "directorate", "service", "officer", "committee"]


@pytest.fixture
def administrator():
    user = UserFactory(username="democratic.services", is_staff=True)
    user.groups.add(Group.objects.get(name=Role.DEMOCRATIC_SERVICES.label))
    return user


@pytest.fixture
def organisation():
    ward = WardFactory(name="Riverside")
    member = MemberFactory(wards=[ward], user__first_name="Priya", user__last_name="Shah")
    head = OfficerFactory(user__first_name="Sam", user__last_name="Okafor", job_title="Head of Highways")
    ServiceFactory(name="Highways", head_of_service=head, directorate=DirectorateFactory(name="Place"))
    CommitteeFactory(name="Standards Committee", kind=Committee.Kind.STANDARDS, chair=member)
    return member, head


@pytest.mark.parametrize("model", MODELS)
def test_it_lists_searches_and_opens_each_model(client, administrator, organisation, model):
    client.force_login(administrator)
    assert client.get(reverse(f"admin:people_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:people_{model}_changelist"), {"q": "a"}).status_code == 200
    assert client.get(reverse(f"admin:people_{model}_add")).status_code == 200


def test_it_opens_a_member_and_an_officer(client, administrator, organisation):
    member, head = organisation
    client.force_login(administrator)
    assert client.get(reverse("admin:people_member_change", args=[member.pk])).status_code == 200
    assert client.get(reverse("admin:people_officer_change", args=[head.pk])).status_code == 200


def test_it_reads_people_by_name(client, administrator, organisation):
    client.force_login(administrator)
    html = client.get(reverse("admin:people_officer_changelist"), {"q": "Okafor"}).content.decode()
    assert "Sam Okafor, Head of Highways" in html
    html = client.get(reverse("admin:people_member_changelist"), {"q": "Shah"}).content.decode()
    assert "Cllr Priya Shah" in html


def test_making_someone_head_of_service_gives_them_the_role(
    client, administrator, organisation, django_capture_on_commit_callbacks
):
    _, head = organisation
    newcomer = OfficerFactory(user__last_name="Newcomer")
    service = Service.objects.get(name="Highways")
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:people_service_change", args=[service.pk]),
            {
                "name": "Highways",
                "directorate": service.directorate_id,
                "head_of_service": newcomer.pk,
                "assistant_director": "",
                "liaison_officers": [],
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert newcomer.user.groups.filter(name=Role.HEAD_OF_SERVICE.label).exists()
    assert not head.user.groups.filter(name=Role.HEAD_OF_SERVICE.label).exists()


def test_a_whip_must_belong_to_the_group(client, administrator):
    group, other = PoliticalGroupFactory(name="Green"), PoliticalGroupFactory(name="Red")
    outsider = MemberFactory(group=other, user__last_name="Outsider")
    client.force_login(administrator)
    response = client.post(
        reverse("admin:people_politicalgroup_change", args=[group.pk]),
        {"name": "Green", "short_name": "Grn", "leader": "", "whips": [outsider.pk]},
    )
    assert response.status_code == 200
    assert "A whip must be a member of this group" in response.content.decode()
    assert not group.whips.exists()


@pytest.mark.parametrize(
    ("model", "field"), [("committee", "members"), ("politicalgroup", "whips"), ("service", "head_of_service")]
)
def test_it_shows_a_refused_form_with_an_id_that_is_not_a_number(client, administrator, model, field):
    # Showing the form again, Django's autocomplete looked "abc" up as an id and failed (a 500).
    client.force_login(administrator)
    response = client.post(reverse(f"admin:people_{model}_add"), {"name": "", field: ["abc", "1.5"]})
    assert response.status_code == 200
    assert "errornote" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "name__exact=%00",  # PostgreSQL cannot compare text with a NUL
        "name__in=a%00b,c",
    ],
)
def test_it_lists_with_a_nul_in_the_address(client, administrator, organisation, query):
    client.force_login(administrator)
    response = client.get(reverse("admin:people_ward_changelist") + "?" + query)
    assert response.status_code == 200


def test_it_refuses_an_action_on_ids_that_are_not_numbers(client, administrator, organisation):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:people_ward_changelist"), {"action": "delete_selected", "_selected_action": ["abc"]}, follow=True
    )
    assert response.status_code == 200
    assert "Select items from the list, then choose an action." in response.content.decode()


def test_it_refuses_a_year_past_the_calendar_in_the_date_hierarchy(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:escalation_closureday_changelist")
    response = client.get(url, {"date__year": "99999999999"})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?e=1"


def test_an_outsider_cannot_use_the_admin(client, organisation):
    client.force_login(UserFactory(is_staff=False))
    response = client.get(reverse("admin:people_member_changelist"))
    assert response.status_code == 302
    assert Member.objects.count() == 1 and Officer.objects.count() == 1

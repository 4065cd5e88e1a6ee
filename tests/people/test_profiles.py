"""Who edits a councillor's profile (003): the councillor their own contact details, photo,
additional responsibilities and skills; Democratic Services the rest; nobody else, checked
on the server. Two edits at once: the second is told, not lost."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from people.models import Member
from people.roles import Role, role_group_name
from tests.factories import CommitteeFactory, UserFactory

pytestmark = pytest.mark.django_db


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "#1d70b8").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def clerk(org):
    user = UserFactory(username="democratic.services")
    user.groups.add(Group.objects.get(name=role_group_name(Role.DEMOCRATIC_SERVICES)))
    return user


def own_form(member: Member, **changes) -> dict:
    data = {
        "version": member.version,
        "email": member.user.email,
        "phone": member.phone,
        "postal_address": member.postal_address,
        "skills_and_interests": member.skills_and_interests,
        "other_responsibilities": member.other_responsibilities,
    }
    return {**data, **changes}


def record_form(member: Member, **changes) -> dict:
    data = {
        "version": member.version,
        "group": member.group_id or "",
        "wards": [ward.pk for ward in member.wards.all()],
        "committees": [],
        "elected_on_0": "4",
        "elected_on_1": "5",
        "elected_on_2": "2023",
    }
    return {**data, **changes}


def test_it_lets_a_councillor_edit_their_own_profile(client, org):
    member = org.councillor
    client.force_login(member.user)
    url = reverse("people:member_profile_edit", args=[member.pk])
    assert client.get(url).status_code == 200
    photo = SimpleUploadedFile("me.png", png(), content_type="image/png")
    response = client.post(
        url, own_form(member, phone="07700 900456", skills_and_interests="Planning law", photo=photo)
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.phone, member.skills_and_interests, member.version) == ("07700 900456", "Planning law", 2)
    assert member.photo.name
    html = client.get(reverse("people:member_profile", args=[member.pk])).content.decode()
    assert (
        "07700 900456" in html and "Planning law" in html and reverse("people:member_photo", args=[member.pk]) in html
    )


def test_it_refuses_a_photo_that_is_not_a_png_or_jpeg(client, org):
    member = org.councillor
    client.force_login(member.user)
    bad = SimpleUploadedFile("me.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    response = client.post(reverse("people:member_profile_edit", args=[member.pk]), own_form(member, photo=bad))
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert "The selected file must be a PNG or JPEG image" in html
    member.refresh_from_db()
    assert not member.photo and member.version == 1


@pytest.mark.parametrize("who", ["councillor2", "colleague", "clerk", "stranger"])
def test_nobody_else_edits_a_councillors_own_fields(client, org, clerk, who):
    """003: the profile's own fields are the councillor's; refused on the server, GET and POST."""
    user = clerk if who == "clerk" else getattr(org, who) if who == "stranger" else getattr(org, who).user
    client.force_login(user)
    url = reverse("people:member_profile_edit", args=[org.councillor.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, own_form(org.councillor, phone="0")).status_code == 403
    org.councillor.refresh_from_db()
    assert org.councillor.phone == ""


def test_a_councillor_cannot_change_their_own_group_or_wards(client, org):
    client.force_login(org.councillor.user)
    url = reverse("people:member_record_edit", args=[org.councillor.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, record_form(org.councillor, group="")).status_code == 403
    org.councillor.refresh_from_db()
    assert org.councillor.group is not None


def test_democratic_services_edits_group_wards_committees_and_election(client, org, clerk):
    member = org.councillor
    audit = CommitteeFactory(name="Audit Committee")
    client.force_login(clerk)
    url = reverse("people:member_record_edit", args=[member.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, record_form(member, group="", wards=[org.other_ward.pk], committees=[audit.pk]))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.group is None and list(member.wards.all()) == [org.other_ward]
    assert list(member.committees.all()) == [audit] and member.elected_on == date(2023, 5, 4)
    # ...but not the councillor's own fields: the page has none of them.
    html = client.get(url).content.decode()
    assert 'name="phone"' not in html and 'name="skills_and_interests"' not in html


@pytest.mark.parametrize("who", ["councillor", "head", "monitoring"])
def test_nobody_else_edits_the_democratic_services_fields(client, org, who):
    user = getattr(org, who).user
    client.force_login(user)
    url = reverse("people:member_record_edit", args=[org.councillor2.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, record_form(org.councillor2, group="")).status_code == 403


def test_two_edits_at_once_give_a_conflict_not_a_lost_update(client, org, clerk):
    member = org.councillor
    stale = own_form(member, phone="01632 960001")
    # Democratic Services saves first, from a page loaded at the same version.
    client.force_login(clerk)
    client.post(reverse("people:member_record_edit", args=[member.pk]), record_form(member))
    client.force_login(member.user)
    response = client.post(reverse("people:member_profile_edit", args=[member.pk]), stale)
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert "changed by someone else" in html
    member.refresh_from_db()
    assert member.phone == "" and member.version == 2
    # Sent again from the page now showing the latest version, it is saved.
    response = client.post(reverse("people:member_profile_edit", args=[member.pk]), own_form(member, phone="1"))
    assert response.status_code == 302


def test_an_empty_form_changes_nothing(client, org, clerk):
    client.force_login(org.councillor.user)
    response = client.post(reverse("people:member_profile_edit", args=[org.councillor.pk]), {})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    client.force_login(clerk)
    response = client.post(reverse("people:member_record_edit", args=[org.councillor.pk]), {})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    org.councillor.refresh_from_db()
    assert org.councillor.version == 1 and org.councillor.group is not None


def test_the_admin_leaves_a_serving_councillors_last_day_to_the_portals_page(client, org):
    """003: leaving office goes through cases.leavers, which hands on their enquiries."""
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:people_member_change", args=[org.councillor.pk])
    assert 'name="left_office_on"' not in client.get(url).content.decode()
    org.councillor.left_office_on = date(2026, 5, 7)
    org.councillor.save()
    assert 'name="left_office_on"' in client.get(url).content.decode()  # a recorded date can be corrected

"""A councillor's photo: a PNG or JPEG by its content, served only to someone signed in,
through a view, never from a public media URL (docs/security.md)."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from people.roles import Role
from tests.factories import MemberFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db


def image(format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "#1d70b8").save(buffer, format)
    return buffer.getvalue()


PNG, JPEG = image("PNG"), image("JPEG")


def choose_photo(member, name: str, content: bytes) -> None:
    """What the admin's form does with a chosen file: put it on the member and check it."""
    member.photo = SimpleUploadedFile(name, content, content_type="image/png")
    member.full_clean()


@pytest.mark.parametrize(("name", "content"), [("portrait.png", PNG), ("portrait.jpg", JPEG), ("p.JPEG", JPEG)])
def test_it_takes_a_png_or_jpeg_photo(name, content):
    member = MemberFactory()
    choose_photo(member, name, content)
    member.save()
    assert member.photo.read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("portrait.png", b"<html><script>alert(1)</script></html>"),  # a web page renamed
        ("portrait.png", JPEG),  # a JPEG is fine, but not under a .png name
        ("portrait.gif", image("GIF")),
        ("portrait.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
    ],
)
def test_it_refuses_anything_else_by_its_content(name, content):
    with pytest.raises(ValidationError) as error:
        choose_photo(MemberFactory(), name, content)
    assert "The selected file must be a PNG or JPEG image" in error.value.message_dict["photo"]


def test_it_refuses_a_photo_over_the_size_limit(settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError) as error:
        choose_photo(MemberFactory(), "portrait.png", PNG + b"\x00" * (1024 * 1024))
    assert error.value.message_dict["photo"] == ["The selected file must be smaller than 1 MB"]


@pytest.fixture
def member_with_photo():
    member = MemberFactory()
    choose_photo(member, "portrait.png", PNG)
    member.save()
    return member


def test_anyone_signed_in_sees_a_members_photo_inline(client, member_with_photo):
    client.force_login(OfficerFactory().user)
    response = client.get(reverse("people:member_photo", args=[member_with_photo.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline; filename=")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_a_stranger_is_sent_to_sign_in(client, member_with_photo):
    response = client.get(reverse("people:member_photo", args=[member_with_photo.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_it_is_not_found_for_a_member_without_a_photo_or_no_member(client):
    client.force_login(UserFactory())
    assert client.get(reverse("people:member_photo", args=[MemberFactory().pk])).status_code == 404
    assert client.get(reverse("people:member_photo", args=[999_999])).status_code == 404


def test_it_has_no_public_url(client, member_with_photo):
    client.force_login(UserFactory())
    assert client.get(f"/media/{member_with_photo.photo.name}").status_code == 404
    with pytest.raises(ValueError, match="no public URL"):
        member_with_photo.photo.url  # noqa: B018 – the property is the test


def test_the_admin_links_the_photo_through_the_view(client, member_with_photo):
    administrator = UserFactory(is_staff=True)
    administrator.groups.add(Group.objects.get(name=Role.DEMOCRATIC_SERVICES.label))
    client.force_login(administrator)

    html = client.get(reverse("admin:people_member_change", args=[member_with_photo.pk])).content.decode()

    assert f'href="{reverse("people:member_photo", args=[member_with_photo.pk])}"' in html
    assert "/media/" not in html

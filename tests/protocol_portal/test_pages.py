"""Sign-in, the public pages, and login required everywhere else."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from people.models import StatutoryRole
from people.roles import Role
from people.services import role_groups_sync
from tests.factories import PASSWORD, MemberFactory, OfficerFactory, ServiceFactory, UserFactory, appoint

pytestmark = pytest.mark.django_db

PUBLIC_PATHS = {"/sign-in/", "/accessibility/", "/admin/login/"}
SAMPLE_ARGUMENTS = {
    "int": "1",
    "str": "x",
    "slug": "x",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "reference": "ENQ-2026-00001",  # cases.urls.ReferenceConverter
}


def every_path(patterns=None, prefix: str = "") -> list[str]:
    """Every URL the portal serves, with sample values for its arguments."""
    paths = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            paths += every_path(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_ARGUMENTS[m.group(1) or "str"], route)
            if not any(token in route for token in "^$(\\"):  # a regex route: the admin's catch-alls
                paths.append("/" + route)
    return sorted(set(paths))


def test_it_covers_the_admin_and_the_portal():
    paths = every_path()
    assert {"/", "/sign-in/", "/password/", "/admin/", "/admin/people/officer/"} <= set(paths)


@pytest.mark.parametrize("path", [path for path in every_path() if path not in PUBLIC_PATHS])
def test_every_other_page_needs_a_login(client, path):
    response = client.get(path)
    assert response.status_code in (302, 405), f"{path} answered {response.status_code} to a stranger"
    if response.status_code == 302:
        assert re.match(r"^/(sign-in|admin/login)/\?next=", response["Location"]), response["Location"]


@pytest.mark.parametrize("path", sorted(PUBLIC_PATHS))
def test_the_public_pages_need_no_login(client, path):
    assert client.get(path).status_code == 200


class TestSignIn:
    def test_it_signs_in_and_lands_on_the_home_page(self, client):
        UserFactory(username="jo")
        response = client.post(reverse("login"), {"username": "jo", "password": PASSWORD}, follow=True)
        assert response.redirect_chain == [("/", 302)]
        assert b"Welcome" in response.content

    def test_it_shows_the_error_summary_for_a_wrong_password(self, client):
        UserFactory(username="jo")
        response = client.post(reverse("login"), {"username": "jo", "password": "wrong"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "<title>Error: Sign in –" in html
        assert 'class="govuk-error-summary"' in html
        assert "Enter a correct username and password" in html

    def test_it_names_each_empty_field_in_the_error_summary(self, client):
        html = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
        assert 'href="#id_username">Enter your username</a>' in html
        assert 'href="#id_password">Enter your password</a>' in html

    def test_it_signs_out_only_by_post(self, client):
        client.force_login(UserFactory())
        assert client.get(reverse("logout")).status_code == 405
        response = client.post(reverse("logout"))
        assert response.status_code == 302
        assert client.get(reverse("home")).status_code == 302


class TestPasswordChange:
    def test_it_changes_the_password(self, client):
        user = UserFactory()
        client.force_login(user)
        response = client.post(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password1": "a-much-longer-pass", "new_password2": "a-much-longer-pass"},
        )
        assert response["Location"] == reverse("password_change_done")
        user.refresh_from_db()
        assert user.check_password("a-much-longer-pass")

    def test_it_explains_a_weak_password_and_keeps_the_old_one(self, client):
        user = UserFactory()
        client.force_login(user)
        html = client.post(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"},
        ).content.decode()
        assert "Error: Change your password" in html
        assert "This password is too short" in html
        user.refresh_from_db()
        assert user.check_password(PASSWORD)


class TestHomePage:
    def test_it_shows_a_councillor_their_part(self, client):
        member = MemberFactory()
        role_groups_sync()
        client.force_login(member.user)
        html = client.get(reverse("home")).content.decode()
        assert "You file enquiries" in html
        assert "You answer enquiries" not in html

    def test_it_shows_a_head_of_service_both_their_roles(self, client):
        head = OfficerFactory()
        ServiceFactory(head_of_service=head)
        role_groups_sync()
        client.force_login(head.user)
        html = client.get(reverse("home")).content.decode()
        assert "You answer enquiries" in html
        assert "may decline an enquiry as inappropriate" in html
        assert "You file enquiries" not in html

    def test_it_tells_someone_with_no_role_what_to_do(self, client):
        client.force_login(UserFactory())
        assert "has no role in the portal yet" in client.get(reverse("home")).content.decode()

    def test_it_gives_democratic_services_links_to_the_organisation(self, client):
        administrator = UserFactory(is_staff=True)
        administrator.groups.add(Group.objects.get(name=Role.DEMOCRATIC_SERVICES.label))
        client.force_login(administrator)
        html = client.get(reverse("home")).content.decode()
        assert f'href="{reverse("admin:people_officer_changelist")}"' in html

    def test_the_header_names_the_council_and_the_title_names_the_page(self, client, settings):
        settings.COUNCIL_NAME = "Eastmoor District Council"
        client.force_login(UserFactory())
        html = client.get(reverse("home")).content.decode()
        assert "<title>Home – Eastmoor District Council Protocol Portal</title>" in html
        assert 'lang="en-GB"' in html
        assert 'class="govuk-skip-link"' in html
        assert "Eastmoor District Council" in html


class TestNavigation:
    def test_it_marks_the_section_the_page_is_in(self, client):
        head = OfficerFactory()
        ServiceFactory(head_of_service=head)
        role_groups_sync()
        client.force_login(head.user)
        html = client.get(reverse("cases:service_queue")).content.decode()
        assert (
            f'href="{reverse("cases:service_queue")}" aria-current="page">'
            '<strong class="govuk-service-navigation__active-fallback">Service queue</strong></a>'
        ) in html
        assert html.count("aria-current=") == 1
        # A page inside a section marks the section, not as the page itself.
        html = client.get(reverse("cases:concern_new")).content.decode()
        assert f'href="{reverse("cases:concerns")}" aria-current="true">' in html

    def test_it_keeps_the_sections_to_seven_and_lists_the_rest_on_the_home_page(self, client):
        # Issue 15 C16: the Monitoring Officer had 12 items on three lines.
        monitoring = OfficerFactory()
        ServiceFactory(head_of_service=monitoring)
        appoint(monitoring, StatutoryRole.MONITORING_OFFICER)
        role_groups_sync()
        client.force_login(monitoring.user)
        html = client.get(reverse("home")).content.decode()
        start = html.index('class="govuk-service-navigation"')
        navigation = html[start : html.index("</nav>", start)]
        assert navigation.count("govuk-service-navigation__item") == 7
        more = html[html.index('id="home-card-more"') :]
        for url_name in ("cases:briefings", "cases:positive_examples"):
            assert f'href="{reverse(url_name)}"' not in navigation
            assert f'href="{reverse(url_name)}"' in more

    def test_the_account_area_holds_the_password_two_factor_sign_in_and_sign_out(self, client):
        member = MemberFactory()
        role_groups_sync()
        client.force_login(member.user)
        html = client.get(reverse("home")).content.decode()
        header = html[html.index("<header") : html.index("</header>")]
        assert 'aria-label="Your account"' in header
        assert f'href="{reverse("account")}"' in header
        assert f'action="{reverse("logout")}"' in header
        # Not in the header itself any more: on the account page.
        assert reverse("password_change") not in html and reverse("two_factor") not in html
        account = client.get(reverse("account")).content.decode()
        profile = reverse("people:member_profile", args=[member.pk])
        for url in (reverse("password_change"), reverse("two_factor"), profile):
            assert f'href="{url}"' in account

    def test_the_code_page_offers_only_signing_out(self, client):
        # Someone who gave a password but not yet a code goes nowhere else from here.
        user = MemberFactory().user
        TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
        client.force_login(user)
        html = client.get(reverse("two_factor_verify")).content.decode()
        assert "Enter your sign-in code" in html
        assert "govuk-service-navigation" not in html
        assert f'href="{reverse("account")}"' not in html
        assert f'action="{reverse("logout")}"' in html


def test_it_explains_a_request_it_cannot_read(client):
    # A file name longer than any file system allows makes the upload's headers too long for
    # Django's multipart parser: 400, which showed Django's bare "Bad Request (400)".
    client.force_login(MemberFactory().user)
    upload = SimpleUploadedFile("\U0001f600" * 260 + ".txt", b"notes")
    response = client.post(reverse("cases:enquiry_new"), {"subject": "Potholes", "attachments": upload})

    assert response.status_code == 400
    assert "Sorry, the service could not read what your browser sent" in response.content.decode()

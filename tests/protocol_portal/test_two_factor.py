"""Two-factor sign-in (django-otp, TOTP; docs/security.md): required for the Monitoring
Officer and deputies, the Chief Executive, the Director of People Services and
administrators, available to everyone else."""

from binascii import unhexlify
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from people.audit import Origin
from people.models import AuditEvent, StatutoryRole
from people.roles import Role
from people.services import role_groups_sync, two_factor_set_up
from protocol_portal.two_factor import SETUP_KEY_SESSION_KEY, key_as_text
from tests.factories import PASSWORD, OfficerFactory, UserFactory, appoint

pytestmark = pytest.mark.django_db

WRONG_CODE = "The code is not correct. Enter the code your authenticator app shows now"


@pytest.fixture(autouse=True)
def enforced(settings):
    settings.TWO_FACTOR_ENFORCED = True


def code(key: bytes, *, steps_ahead: int = 0) -> str:
    """What the person's app shows now (or that many 30-second steps from now)."""
    return f"{totp(key, drift=steps_ahead):06d}"


def wrong_code(key: bytes) -> str:
    """A code no app shows around now."""
    near = {code(key, steps_ahead=steps) for steps in range(-2, 4)}
    return next(candidate for candidate in ("000000", "111111", "222222", "333333") if candidate not in near)


def device_for(user) -> TOTPDevice:
    """An authenticator app set up as the set-up page does; its first code is used up."""
    key = TOTPDevice(user=user).key
    return two_factor_set_up(user=user, key=key, code=code(unhexlify(key)), origin=Origin())


def sign_in(client, user, *, follow=False):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD}, follow=follow)


def enter_code(client, value: str, *, next_url: str = ""):
    return client.post(reverse("two_factor_verify"), {"code": value, "next": next_url})


def set_up_through_the_page(client) -> bytes:
    """Open the set-up page, read the key it offers and confirm it with the app's code."""
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    key = unhexlify(client.session[SETUP_KEY_SESSION_KEY])
    response = client.post(reverse("two_factor_setup"), {"code": code(key)})
    assert response.status_code == 302, response.content.decode()
    return key


@contextmanager
def seconds_later(seconds: int):
    moment = timezone.now() + timedelta(seconds=seconds)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@pytest.fixture
def people_director(org):
    officer = OfficerFactory(user__username="people.director", job_title="Director of People Services")
    appoint(officer, StatutoryRole.DIRECTOR_OF_PEOPLE_SERVICES)
    role_groups_sync()
    return officer.user


@pytest.fixture
def deputy_monitoring_officer(org):
    officer = OfficerFactory(user__username="deputy.mo", job_title="Deputy Monitoring Officer")
    appoint(officer, StatutoryRole.MONITORING_OFFICER, deputy=True)
    role_groups_sync()
    return officer.user


@pytest.fixture
def democratic_services(db):
    user = UserFactory(username="democratic.services", is_staff=True)
    user.groups.add(Group.objects.get(name=Role.DEMOCRATIC_SERVICES.label))
    return user


REQUIRED = [
    "monitoring officer",
    "deputy monitoring officer",
    "chief executive",
    "director of people services",
    "staff",
    "superuser",
    "democratic services",
]


@pytest.fixture
def required_person(request, org):
    return {
        "monitoring officer": lambda: org.monitoring.user,
        "deputy monitoring officer": lambda: request.getfixturevalue("deputy_monitoring_officer"),
        "chief executive": lambda: org.chief.user,
        "director of people services": lambda: request.getfixturevalue("people_director"),
        "staff": lambda: UserFactory(username="staff", is_staff=True),
        "superuser": lambda: UserFactory(username="root", is_staff=True, is_superuser=True),
        "democratic services": lambda: request.getfixturevalue("democratic_services"),
    }[request.param]()


class TestRequired:
    @pytest.mark.parametrize("required_person", REQUIRED, indirect=True)
    def test_it_sends_them_to_set_up_before_anything_else(self, client, org, required_person):
        response = sign_in(client, required_person, follow=True)

        assert response.redirect_chain[-1][0] == reverse("two_factor_setup")
        html = response.content.decode()
        assert "Your role means you sign in with a code from an authenticator app" in html
        for path in [reverse("cases:my_work"), reverse("admin:index"), reverse("two_factor_verify")]:
            assert client.get(path)["Location"] == f"{reverse('two_factor_setup')}?next={path.replace('/', '%2F')}"
        assert client.get(reverse("accessibility")).status_code == 200
        assert client.post(reverse("logout"))["Location"] == reverse("login")

    def test_it_asks_for_a_code_at_the_next_sign_in_once_set_up(self, client, org):
        monitoring = org.monitoring.user
        sign_in(client, monitoring)
        key = set_up_through_the_page(client)
        assert client.get(reverse("cases:triage")).status_code == 200
        assert AuditEvent.objects.filter(user=monitoring, kind=AuditEvent.Kind.TWO_FACTOR_SET_UP).exists()
        client.post(reverse("logout"))

        response = sign_in(client, monitoring, follow=True)
        assert response.redirect_chain[-1][0] == reverse("two_factor_verify")
        assert client.get(reverse("cases:triage"))["Location"] == "/sign-in/code/?next=%2Fmonitoring%2F"
        # The set-up used this step's code, and each code works once: the app's next one.
        response = enter_code(client, code(key, steps_ahead=1), next_url=reverse("cases:triage"))
        assert response["Location"] == reverse("cases:triage")
        assert client.get(reverse("cases:triage")).status_code == 200
        assert AuditEvent.objects.filter(user=monitoring, kind=AuditEvent.Kind.TWO_FACTOR_VERIFIED).exists()

    def test_it_refuses_a_wrong_code_and_makes_the_next_try_wait(self, client, org):
        chief = org.chief.user
        device = device_for(chief)
        sign_in(client, chief)

        response = enter_code(client, wrong_code(device.bin_key))
        html = response.content.decode()
        assert response.status_code == 200
        assert "<title>Error: Enter your sign-in code" in html
        assert 'class="govuk-error-summary"' in html and WRONG_CODE in html
        assert client.get(reverse("home"))["Location"] == reverse("two_factor_verify")
        device.refresh_from_db()
        assert device.throttling_failure_count == 1

        # django-otp's throttle: even the right code waits a second after a wrong one.
        right = code(device.bin_key, steps_ahead=1)
        response = enter_code(client, right)
        assert "You have entered a wrong code too many times. Wait 1 second" in response.content.decode()
        with seconds_later(2):
            assert enter_code(client, right)["Location"] == reverse("home")
        assert client.get(reverse("home")).status_code == 200
        kinds = list(AuditEvent.objects.filter(user=chief).order_by("pk").values_list("kind", flat=True))
        assert kinds[-4:] == [
            AuditEvent.Kind.SIGN_IN,
            AuditEvent.Kind.TWO_FACTOR_FAILED,
            AuditEvent.Kind.TWO_FACTOR_FAILED,
            AuditEvent.Kind.TWO_FACTOR_VERIFIED,
        ]

    def test_it_explains_a_code_that_is_not_six_digits(self, client, org):
        device_for(org.chief.user)
        sign_in(client, org.chief.user)

        assert "Enter the 6-digit code from your authenticator app" in enter_code(client, "").content.decode()
        assert "Enter the code as 6 digits, for example 123456" in enter_code(client, "12ab56").content.decode()

    def test_it_will_not_turn_off_for_a_required_role(self, client, org):
        monitoring = org.monitoring.user
        device = device_for(monitoring)
        sign_in(client, monitoring)
        enter_code(client, code(device.bin_key, steps_ahead=1))

        assert "it cannot be turned off" in client.get(reverse("two_factor")).content.decode()
        response = client.post(reverse("two_factor_turn_off"), {"code": code(device.bin_key, steps_ahead=1)})
        assert response.status_code == 403
        assert TOTPDevice.objects.filter(user=monitoring).exists()

    def test_staff_need_a_code_for_django_admin(self, client):
        staff = UserFactory(username="root", is_staff=True, is_superuser=True)
        device = device_for(staff)
        client.force_login(staff)

        assert client.get(reverse("admin:index"))["Location"] == "/sign-in/code/?next=%2Fadmin%2F"
        assert client.get(reverse("admin:people_auditevent_changelist")).status_code == 302
        response = enter_code(client, code(device.bin_key, steps_ahead=1), next_url=reverse("admin:index"))
        assert response["Location"] == reverse("admin:index")
        assert client.get(reverse("admin:index")).status_code == 200

    def test_it_needs_a_code_from_the_old_app_to_move_to_a_new_phone(self, client, org):
        monitoring = org.monitoring.user
        old = device_for(monitoring)
        sign_in(client, monitoring)

        assert client.get(reverse("two_factor_setup"))["Location"].startswith(reverse("two_factor_verify"))
        enter_code(client, code(old.bin_key, steps_ahead=1))
        assert "This replaces the app you set up before" in client.get(reverse("two_factor_setup")).content.decode()
        new_key = unhexlify(client.session[SETUP_KEY_SESSION_KEY])
        client.post(reverse("two_factor_setup"), {"code": code(new_key)})

        assert list(TOTPDevice.objects.filter(user=monitoring).values_list("key", flat=True)) == [new_key.hex()]


class TestOptional:
    def test_a_councillor_need_not_set_it_up(self, client, org):
        response = sign_in(client, org.councillor.user, follow=True)

        assert response.redirect_chain == [(reverse("home"), 302)]
        assert "Welcome" in response.content.decode()
        page = client.get(reverse("two_factor")).content.decode()
        assert "Off" in page and "Set up two-factor sign-in" in page

    def test_a_councillor_can_turn_it_on_and_off(self, client, org):
        councillor = org.councillor.user
        sign_in(client, councillor)
        key = set_up_through_the_page(client)
        assert "Two-factor sign-in is on" in client.get(reverse("two_factor")).content.decode()
        client.post(reverse("logout"))

        sign_in(client, councillor)
        assert client.get(reverse("home"))["Location"] == reverse("two_factor_verify")
        enter_code(client, code(key, steps_ahead=1))
        page = client.get(reverse("two_factor")).content.decode()
        assert "Turn off two-factor sign-in" in page

        wrong = client.post(reverse("two_factor_turn_off"), {"code": "12345x"})
        assert "Enter the code as 6 digits" in wrong.content.decode()
        # Sign-in used the next step's code (and the app's drift followed it): the one after that.
        response = client.post(reverse("two_factor_turn_off"), {"code": code(key, steps_ahead=2)})
        assert response["Location"] == reverse("two_factor")
        assert not TOTPDevice.objects.filter(user=councillor).exists()
        assert AuditEvent.objects.filter(user=councillor, kind=AuditEvent.Kind.TWO_FACTOR_REMOVED).exists()
        client.post(reverse("logout"))

        assert sign_in(client, councillor)["Location"] == reverse("home")
        assert client.get(reverse("home")).status_code == 200

    def test_it_refuses_a_wrong_code_while_setting_up(self, client, org):
        sign_in(client, org.councillor.user)
        client.get(reverse("two_factor_setup"))
        key = unhexlify(client.session[SETUP_KEY_SESSION_KEY])
        response = client.post(reverse("two_factor_setup"), {"code": wrong_code(key)})

        html = response.content.decode()
        assert response.status_code == 200
        assert "<title>Error: Set up two-factor sign-in" in html and WRONG_CODE in html
        assert not TOTPDevice.objects.exists()
        # The same key is offered again, so the app need not be set up twice.
        assert client.session[SETUP_KEY_SESSION_KEY] == key.hex()

    def test_the_set_up_page_shows_the_key_as_a_qr_code_and_as_text(self, client, org):
        sign_in(client, org.councillor.user)
        html = client.get(reverse("two_factor_setup")).content.decode()

        device = TOTPDevice(user=org.councillor.user, key=client.session[SETUP_KEY_SESSION_KEY])
        assert '<svg role="img"' in html and "<title>QR code to scan with your authenticator app</title>" in html
        assert key_as_text(device) in html
        assert len(key_as_text(device).replace(" ", "")) == 32


def test_nothing_is_asked_when_two_factor_is_not_enforced(client, org, settings):
    settings.TWO_FACTOR_ENFORCED = False
    device_for(org.councillor.user)

    assert sign_in(client, org.monitoring.user)["Location"] == reverse("home")
    assert client.get(reverse("cases:triage")).status_code == 200
    assert sign_in(client, org.councillor.user)["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_democratic_services_remove_a_lost_phone_so_the_person_sets_up_another(
    client, org, democratic_services, settings
):
    monitoring = org.monitoring.user
    lost = device_for(monitoring)
    settings.TWO_FACTOR_ENFORCED = False  # Democratic Services' own code is not the point here
    client.force_login(democratic_services)

    response = client.post(reverse("admin:otp_totp_totpdevice_delete", args=[lost.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=monitoring).exists()
    settings.TWO_FACTOR_ENFORCED = True
    assert sign_in(client, monitoring, follow=True).redirect_chain[-1][0] == reverse("two_factor_setup")

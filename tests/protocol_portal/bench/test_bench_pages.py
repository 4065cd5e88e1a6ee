"""bench_pages (issue 14): it measures the pages as production serves them, setting up only
its own requests (https, a two-factor code where the role needs one), and fails loudly when
a page answers anything but 200. Not a timed test: one request a page on the demo council."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from people.models import AuditEvent, Member
from people.selectors import two_factor_required
from protocol_portal.bench.pages import USERNAMES, pages
from protocol_portal.demo import build_demo_council, demo_totp_key
from protocol_portal.management.commands.bench_pages import Command as BenchPages

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    build_demo_council()


@pytest.fixture
def production_settings(settings):
    """The production defaults the suite's conftest turns off: DEBUG off, plain http
    redirected to https, two-factor sign-in enforced and the sign-in lockout on."""
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    settings.TWO_FACTOR_ENFORCED = True
    settings.AXES_ENABLED = True
    return settings


@pytest.mark.parametrize("proxy_header", [None, ("HTTP_X_FORWARDED_PROTO", "https")], ids=["tls", "behind-proxy"])
def test_it_answers_200_on_every_page_with_production_settings(council, production_settings, proxy_header):
    production_settings.SECURE_PROXY_SSL_HEADER = proxy_header
    allowed_hosts = list(production_settings.ALLOWED_HOSTS)
    # One demo account has lost its authenticator: the benchmark gives it the demo one back.
    TOTPDevice.objects.filter(user__username="chief.executive").delete()
    out = StringIO()

    call_command("bench_pages", repeat=1, warm_up=0, stdout=out)

    output = out.getvalue()
    assert "FAILED" not in output
    lines = output.splitlines()
    for page in pages():
        assert any(line.startswith(page.label) and " p50 " in line for line in lines), page.label
    assert "Gave chief.executive the demo authenticator" in output
    assert TOTPDevice.objects.get(user__username="chief.executive").key == demo_totp_key("chief.executive")
    # The code step went through the sign-in code page, once for each account whose role needs it.
    users = get_user_model().objects.filter(username__in=USERNAMES)
    needing_a_code = {user.username for user in users if two_factor_required(user)}
    assert "monitoring.officer" in needing_a_code
    verified = AuditEvent.objects.filter(kind=AuditEvent.Kind.TWO_FACTOR_VERIFIED).values_list("user__username")
    assert sorted(username for (username,) in verified) == sorted(needing_a_code)
    # The test client's host was allowed only while the command ran.
    assert allowed_hosts == production_settings.ALLOWED_HOSTS


def test_it_exits_non_zero_naming_the_page_and_status_when_a_page_does_not_answer_200(
    council, production_settings, monkeypatch, capsys
):
    # The Whip's term ended yesterday: their pages now sign them out (AccessEndedMiddleware).
    Member.objects.filter(user__username="whip").update(left_office_on=timezone.localdate() - timedelta(days=1))
    # A command run from the command line closes the connections when it ends; the test's
    # transaction has to outlive it.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    with pytest.raises(SystemExit) as exit_:
        BenchPages().run_from_argv(
            ["manage.py", "bench_pages", "--repeat", "1", "--warm-up", "0", "--only", "Whip", "--skip-checks"]
        )

    assert exit_.value.code == 1
    captured = capsys.readouterr()
    assert "Concerns (a Whip)" in captured.out and "FAILED: HTTP 302 to /sign-in/" in captured.out
    # The Whip's pages: their concerns, and their concerns searched (issue 15 C10).
    assert "2 of 2 pages did not answer 200: Concerns (a Whip) (as whip): HTTP 302 to /sign-in/" in captured.err


def test_it_refuses_an_authenticator_that_is_not_the_demo_one(council, production_settings):
    TOTPDevice.objects.filter(user__username="monitoring.officer").update(key="00" * 20)

    with pytest.raises(CommandError, match=r"monitoring\.officer has an authenticator that is not the demo one"):
        call_command("bench_pages", repeat=1, warm_up=0, only="Triage", stdout=StringIO())


def test_it_refuses_debug_mode(council, settings):
    settings.DEBUG = True

    with pytest.raises(CommandError, match="DEBUG=false"):
        call_command("bench_pages", repeat=1, warm_up=0, stdout=StringIO())

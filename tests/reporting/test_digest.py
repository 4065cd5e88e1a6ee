"""The monthly digest (DESIGN §7): last month's headline figures, the committee's version,
e-mailed once a month to each Standards Committee member with an address."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.core import mail

from cases.concerns import services as concern_services
from cases.enquiries.services import enquiry_answer, enquiry_file
from cases.models import Purpose
from people.models import Committee
from protocol_portal.settings import reporting_digest_beat
from reporting import summaries
from reporting.dashboards.digest import digest_month, digest_recipients, digest_send
from reporting.models import DigestSent
from reporting.periods import month_of
from reporting.tasks import monthly_digest
from tests.factories import MemberFactory, UserFactory

LONDON = ZoneInfo("Europe/London")
SENT = datetime(2025, 7, 1, 7, tzinfo=LONDON)  # the 1st of July 2025: June's digest


@pytest.fixture
def committee(org):
    """The Standards Committee: a councillor (org.standards_member), a chair, a co-opted
    independent member, and a co-opted member with no e-mail address."""
    standards = Committee.objects.get(kind=Committee.Kind.STANDARDS)
    standards.chair = MemberFactory(user__username="standards.chair", wards=[org.other_ward])
    standards.save()
    independent = UserFactory(username="independent.person", email="independent@example.org")
    no_address = UserFactory(username="no.address", email="")
    standards.co_opted_members.set([independent, no_address])
    return standards


@pytest.fixture
def june(org):
    """June 2025: six enquiries (answered on time) and two concerns."""
    for n in range(6):
        enquiry = enquiry_file(
            member=org.councillor,
            subject=f"Streetlight {n}",
            details="Out again.",
            service=org.highways,
            purpose=Purpose.INFORMATION,
            now=datetime(2025, 6, 2, 10, tzinfo=LONDON),
        )
        enquiry_answer(
            enquiry=enquiry,
            actor=org.liaison.user,
            text="Repaired.",
            marking="public",
            contains_personal_data=False,
            now=datetime(2025, 6, 2, 11, tzinfo=LONDON),
        )
    for n in range(2):
        concern_services.concern_raise(
            raised_by=org.liaison.user,
            about_member=org.councillor,
            occurred_on=date(2025, 6, 3),
            what_happened=f"Shouted in a meeting {n}.",
            feels_able_to_talk=True,
            now=datetime(2025, 6, 3 + n, 10, tzinfo=LONDON),
        )
    summaries.rebuild()


def test_it_reports_on_last_month():
    assert digest_month(date(2025, 7, 1)) == month_of(date(2025, 6, 1))
    assert digest_month(date(2026, 1, 1)) == month_of(date(2025, 12, 1))
    assert digest_month(date(2026, 3, 31)) == month_of(date(2026, 2, 1))


def test_it_sends_one_email_to_each_committee_member_with_an_address(org, committee, june):
    assert digest_send(now=SENT) == 3
    assert sorted(message.to[0] for message in mail.outbox) == [
        "independent@example.org",
        "standards.chair@example.org",
        "standards.member@example.org",
    ]
    assert all(len(message.to) == 1 for message in mail.outbox)
    assert mail.outbox[0].subject == "Member-Officer Protocol: the figures for June 2025"
    assert mail.outbox[0].from_email == django_settings.DEFAULT_FROM_EMAIL
    # Not to councillors or officers outside the committee.
    sent_to = {message.to[0] for message in mail.outbox}
    assert org.councillor.user.email not in sent_to
    assert org.monitoring.user.email not in sent_to


def test_it_gives_the_committees_figures_suppressed_and_without_names(org, committee, june):
    digest_send(now=SENT)
    body = next(message.body for message in mail.outbox if message.to == ["standards.member@example.org"])
    assert body.startswith(f"Dear {org.standards_member.user.get_full_name()},")
    assert "- Enquiries received: 6" in body
    assert "- Answered or holding reply within five working days: 100.0%" in body
    assert "- Concerns opened: fewer than 5" in body
    assert "/reports/?period=2025-06" in body
    for person in (org.councillor, org.liaison, org.head, org.monitoring):
        assert person.user.get_full_name() not in body
        assert person.user.last_name not in body


def test_it_sends_a_month_once_however_often_it_runs(org, committee, june):
    assert digest_send(now=SENT) == 3
    assert digest_send(now=SENT) == 0
    assert digest_send(now=SENT.replace(day=2)) == 0
    assert len(mail.outbox) == 3
    sent = DigestSent.objects.get()
    assert sent.month == date(2025, 6, 1)
    assert sent.recipients == 3
    # The next month is a new digest.
    assert digest_send(now=SENT.replace(month=8)) == 3
    assert len(mail.outbox) == 6


def test_it_runs_as_a_celery_task_once_a_month(org, committee):
    assert monthly_digest.delay().get() == 3
    assert monthly_digest.delay().get() == 0
    assert len(mail.outbox) == 3


def test_it_sends_nothing_when_no_one_has_an_address(org):
    user = org.standards_member.user
    user.email = ""
    user.save()
    assert digest_recipients() == []
    assert digest_send(now=SENT) == 0
    assert mail.outbox == []
    # Nothing is recorded, so the month goes out once someone has an address.
    assert not DigestSent.objects.exists()


def test_it_leaves_out_people_who_have_left(org, committee):
    chair = committee.chair
    chair.left_office_on = date(2025, 5, 31)
    chair.save()
    independent = committee.co_opted_members.get(username="independent.person")
    independent.is_active = False
    independent.save()
    assert [recipient.email for recipient in digest_recipients()] == ["standards.member@example.org"]


def test_it_records_nothing_when_the_mail_server_refuses(org, committee, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    with pytest.raises(OSError):
        digest_send(now=SENT)
    assert not DigestSent.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert digest_send(now=SENT) == 3


def test_it_is_scheduled_only_when_enabled():
    assert reporting_digest_beat(False) == {}
    entry = reporting_digest_beat(True)["reporting-monthly-digest"]
    assert entry["task"] == monthly_digest.name == "reporting.tasks.monthly_digest"
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    assert (schedule.minute, schedule.hour, schedule.day_of_month) == ({0}, {7}, {1})
    # Off by default: the embedded run, and these tests, send the committee nothing.
    assert django_settings.REPORTING_DIGEST_ENABLED is False
    assert "reporting-monthly-digest" not in django_settings.CELERY_BEAT_SCHEDULE

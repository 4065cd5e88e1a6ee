"""The retention schedule applied at its boundary day (docs/retention.md; UK GDPR
Article 5(1)(e)): for each kind, the record dated on the cut-off day is kept and the one
dated the evening before is anonymised or deleted. See conftest.py for the dates."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage

from cases.models import Attachment, Concern, Enquiry, Notification, PositiveExample, TimelineEvent
from people.models import AuditEvent, Member, Officer
from people.retention import PLACEHOLDER_MEMBER_USERNAME, PLACEHOLDER_OFFICER_USERNAME
from protocol_portal.retention.schedule import KINDS, schedule
from protocol_portal.retention.services import retention_run
from tests.retention.conftest import NOW, PDF, inside, london, past

pytestmark = pytest.mark.django_db


@pytest.fixture
def ran(boundary, django_capture_on_commit_callbacks):
    files = {
        name: list(Attachment.objects.filter(enquiry=boundary.__dict__[name]).values_list("file", flat=True))
        for name in ("enquiry_inside", "enquiry_past")
    }
    notifications_due = Notification.objects.filter(created_at__lt=boundary.notification_inside.created_at).count()
    with django_capture_on_commit_callbacks(execute=True):
        run = retention_run(dry_run=False, trigger="test", now=NOW)
    return boundary, run, files, notifications_due


def counts(run) -> dict[str, int]:
    return {entry["kind"]: entry["count"] for entry in run.results}


def test_it_lists_every_kind_with_a_period_a_start_an_action_and_a_reason():
    assert [entry.kind.slug for entry in schedule()] == [
        "enquiries",
        "attachments",
        "concerns",
        "timeline",
        "positive_examples",
        "ward_notices",
        "briefings",
        "notifications",
        "audit_log",
        "sign_in_failures",
        "lockout_counts",
        "former_members",
        "former_officers",
    ]
    for kind in KINDS:
        assert kind.months >= 1 and kind.counts_from and kind.reason and kind.action in ("anonymise", "delete")


def test_it_anonymises_an_enquiry_closed_just_past_its_six_years_and_keeps_one_just_inside(org, ran):
    boundary, run, *_ = ran
    past = Enquiry.objects.get(pk=boundary.enquiry_past.pk)
    inside = Enquiry.objects.get(pk=boundary.enquiry_inside.pk)
    assert past.anonymised_at == NOW
    assert (past.subject, past.details) == ("Anonymised enquiry", "")
    assert past.member.user.username == PLACEHOLDER_MEMBER_USERNAME
    assert past.owner.user.username == PLACEHOLDER_OFFICER_USERNAME
    assert [answer.text for answer in past.answers.all()] == [""]
    # Dates, service, ward and state stay: the dashboards count by them.
    assert (past.state, past.service, past.ward, past.closed_at, past.received_at) == (
        boundary.enquiry_past.state,
        org.highways,
        org.ward,
        boundary.enquiry_past.closed_at,
        boundary.enquiry_past.received_at,
    )
    assert inside.anonymised_at is None
    assert inside.member == org.councillor and "Mrs Jones" in inside.details
    assert "Mrs Jones" in inside.answers.get().text
    assert counts(run)["enquiries"] == 1


def test_it_deletes_the_attachments_of_a_case_just_past_and_keeps_those_just_inside(ran):
    boundary, run, files, _ = ran
    assert not Attachment.objects.filter(enquiry=boundary.enquiry_past).exists()
    assert not any(default_storage.exists(name) for name in files["enquiry_past"])
    assert Attachment.objects.filter(enquiry=boundary.enquiry_inside).count() == 1
    assert all(default_storage.exists(name) for name in files["enquiry_inside"])
    assert counts(run)["attachments"] == 1


def test_it_anonymises_a_concern_resolved_just_past_and_keeps_one_just_inside(org, ran):
    boundary, run, *_ = ran
    past = Concern.objects.get(pk=boundary.concern_past.pk)
    inside = Concern.objects.get(pk=boundary.concern_inside.pk)
    assert (past.what_happened, past.outcome) == ("", "")
    assert past.complainant_member.user.username == PLACEHOLDER_MEMBER_USERNAME
    assert past.complainant_user == past.complainant_member.user
    assert past.subject_officer.user.username == PLACEHOLDER_OFFICER_USERNAME
    assert (past.kind, past.state, past.raised_at, past.closed_at) == (
        boundary.concern_past.kind,
        boundary.concern_past.state,
        boundary.concern_past.raised_at,
        boundary.concern_past.closed_at,
    )
    assert inside.anonymised_at is None and inside.subject_officer == org.liaison and inside.what_happened
    assert counts(run)["concerns"] == 1


def test_it_anonymises_the_timeline_of_cases_just_past_and_keeps_that_of_cases_just_inside(org, ran):
    boundary, run, *_ = ran
    past = TimelineEvent.objects.filter(enquiry=boundary.enquiry_past) | TimelineEvent.objects.filter(
        concern=boundary.concern_past
    )
    inside = TimelineEvent.objects.filter(enquiry=boundary.enquiry_inside) | TimelineEvent.objects.filter(
        concern=boundary.concern_inside
    )
    assert past.exists() and not past.exclude(note="").exists()
    assert not past.filter(actor__in=[org.councillor.user, org.liaison.user]).exists()
    assert not past.filter(anonymised_at__isnull=True).exists()
    assert inside.exclude(note="").exists() and not inside.filter(anonymised_at__isnull=False).exists()
    # Kinds and states stay: the dashboards count how far each concern climbed from them.
    assert {event.kind for event in past.filter(enquiry=boundary.enquiry_past)} == {
        event.kind for event in inside.filter(enquiry=boundary.enquiry_inside)
    }
    assert counts(run)["timeline"] == past.count()


def test_it_anonymises_a_positive_example_recorded_just_past_three_years_and_keeps_one_just_inside(org, ran):
    boundary, run, *_ = ran
    past = PositiveExample.objects.get(pk=boundary.example_past.pk)
    inside = PositiveExample.objects.get(pk=boundary.example_inside.pk)
    assert (past.title, past.what_happened) == ("Anonymised positive example", "")
    assert not past.members.exists() and not past.officers.exists()
    assert (past.service, past.recorded_at) == (org.highways, boundary.example_past.recorded_at)
    assert "Smith" in inside.title and list(inside.members.all()) == [org.councillor]
    assert counts(run)["positive_examples"] == 1


def test_it_deletes_a_notification_just_past_a_year_and_keeps_one_just_inside(ran):
    boundary, run, _, notifications_due = ran
    assert not Notification.objects.filter(pk=boundary.notification_past.pk).exists()
    assert Notification.objects.filter(pk=boundary.notification_inside.pk).exists()
    # The notifications of 2026 (filing, answering, closing) were past too: none older is left.
    assert not Notification.objects.filter(created_at__lt=boundary.notification_inside.created_at).exists()
    assert counts(run)["notifications"] == notifications_due


def test_it_deletes_an_audit_event_just_past_a_year_and_keeps_one_just_inside(ran):
    boundary, run, *_ = ran
    assert not AuditEvent.objects.filter(pk=boundary.audit_past.pk).exists()
    assert AuditEvent.objects.filter(pk=boundary.audit_inside.pk).exists()
    assert counts(run)["audit_log"] == 1


def test_it_anonymises_a_councillor_who_left_just_past_six_years_ago_and_keeps_one_just_inside(ran):
    boundary, run, *_ = ran
    past = Member.objects.select_related("user").get(pk=boundary.member_past.pk)
    inside = Member.objects.select_related("user").get(pk=boundary.member_inside.pk)
    assert (past.user.first_name, past.user.last_name, past.user.email, past.phone) == (
        "Former",
        "councillor",
        "",
        "",
    )
    assert not past.user.is_active and not past.user.has_usable_password()
    assert past.user.username == f"former-councillor-{past.user.pk}"
    assert inside.anonymised_at is None and inside.phone == "01632 960001" and inside.user.email
    assert counts(run)["former_members"] == 1


def test_it_anonymises_an_officer_who_left_just_past_six_years_ago_and_keeps_one_just_inside(ran):
    boundary, run, *_ = ran
    past = Officer.objects.select_related("user").get(pk=boundary.officer_past.pk)
    inside = Officer.objects.select_related("user").get(pk=boundary.officer_inside.pk)
    assert (past.name, past.phone, past.job_title) == ("Former officer", "", "Engineer")
    assert not past.user.is_active
    assert inside.anonymised_at is None and inside.phone == "01632 960003"
    assert counts(run)["former_officers"] == 1


def test_it_never_anonymises_its_own_placeholders_as_people_who_left(ran):
    assert ran
    run = retention_run(dry_run=False, trigger="test", now=NOW)
    assert counts(run) == dict.fromkeys(counts(run), 0)
    placeholders = get_user_model().objects.filter(username__startswith="anonymised")
    assert {user.username for user in placeholders} == {"anonymised", "anonymised-councillor", "anonymised-officer"}
    assert not placeholders.filter(is_active=True).exists()


def test_it_deletes_failed_sign_ins_just_past_a_year_and_keeps_those_just_inside(org):
    fields = {"ip_address": "192.0.2.7", "user_agent": "Firefox", "path_info": "/sign-in/"}
    failures, attempts = [], []
    for n, at in enumerate((past(2031), inside(2031))):
        failure = AccessFailureLog.objects.create(**fields, username="councillor", locked_out=False)
        attempt = AccessAttempt.objects.create(**fields, username=f"user{n}", failures_since_start=3)
        # attempt_time is set to now on creation: dated by hand.
        AccessFailureLog.objects.filter(pk=failure.pk).update(attempt_time=at)
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=at)
        failures.append(failure)
        attempts.append(attempt)
    run = retention_run(dry_run=False, trigger="test", now=NOW)
    assert list(AccessFailureLog.objects.all()) == failures[1:]
    assert list(AccessAttempt.objects.all()) == attempts[1:]
    assert (counts(run)["sign_in_failures"], counts(run)["lockout_counts"]) == (1, 1)


def test_it_deletes_a_ward_notice_sent_just_past_six_years_ago_and_keeps_one_just_inside(
    org, media_root, django_capture_on_commit_callbacks
):
    """001 §9.4: the notice and who was told are kept six years, then go with their file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases.models import WardNotice, WardNoticeKind, WardNoticeRecipient
    from cases.notices.services import ward_notice_send

    def send(at, title):
        return ward_notice_send(
            sent_by=org.colleague.user,
            kind=WardNoticeKind.PUBLIC_MEETING,
            title=title,
            concerns_on=at.date(),
            summary="A public meeting about the bypass.",
            wards=[org.ward],
            attachment=SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf"),
            now=at,
        )

    old, kept = send(past(2026), "Just past"), send(inside(2026), "Just inside")
    old_file = old.attachment.name
    assert WardNoticeRecipient.objects.filter(notice=old).exists()
    assert Notification.objects.filter(ward_notice=old).exists()
    with django_capture_on_commit_callbacks(execute=True):
        run = retention_run(dry_run=False, trigger="test", now=NOW)
    assert list(WardNotice.objects.values_list("title", flat=True)) == ["Just inside"]
    assert not WardNoticeRecipient.objects.filter(notice_id=old.pk).exists()
    assert not Notification.objects.filter(ward_notice_id=old.pk).exists()
    assert not default_storage.exists(old_file)
    assert default_storage.exists(kept.attachment.name)
    assert WardNoticeRecipient.objects.filter(notice=kept).exists()
    assert counts(run)["ward_notices"] == 1


def test_it_anonymises_a_briefing_held_just_past_six_years_ago_and_keeps_one_just_inside(org):
    """001 §9.5.2: the groups offered and their responses stay (the dashboard counts briefings
    not offered to every group); the subject and the people go."""
    from cases.briefings.services import briefing_record, briefing_response_record
    from cases.models import Briefing
    from tests.factories import PoliticalGroupFactory

    PoliticalGroupFactory(name="Harbour Party")  # offered the same, with no reply

    def record(day, subject):
        briefing = briefing_record(
            recorded_by=org.head.user,
            subject=subject,
            given_by=org.head,
            takes_place_on=day,
            offered_to=org.councillor.group,
            now=london(day.year, day.month, day.day, 9),
        )
        briefing_response_record(
            offer=briefing.offers.get(group=org.councillor.group),
            actor=org.head.user,
            response="accepted",
            now=london(day.year, day.month, day.day, 10),
        )
        return briefing

    old = record(past(2026).date(), "Budget options for Riverside")
    kept = record(inside(2026).date(), "Bypass options")
    run = retention_run(dry_run=False, trigger="test", now=NOW)
    old.refresh_from_db()
    assert (old.subject, old.anonymised_at) == ("Anonymised briefing", NOW)
    assert old.given_by.user.username == PLACEHOLDER_OFFICER_USERNAME
    assert old.recorded_by != org.head.user
    offers = dict(old.offers.values_list("group__name", "response"))
    assert offers.pop("Civic Party") == "accepted" and offers.pop("Harbour Party") == "no_reply"
    assert set(offers.values()) <= {"no_reply"}
    assert old.offers.get(group=org.councillor.group).responded_by != org.head.user
    assert not old.offers.filter(changes__actor=org.head.user).exists()
    assert kept.offers.filter(changes__actor=org.head.user).exists()
    kept = Briefing.objects.get(pk=kept.pk)
    assert (kept.subject, kept.given_by, kept.anonymised_at) == ("Bypass options", org.head, None)
    assert counts(run)["briefings"] == 1

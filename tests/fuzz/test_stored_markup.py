"""Markup anywhere people type it, including the names an administrator types, is shown
escaped on every page each role reaches: the lists, the case pages, the dashboards with
their charts and drill-downs, and the annual report."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from cases.concerns import services as cs
from cases.concerns.services import InformalStep, SanctionSpec
from cases.cover.services import cover_set
from cases.enquiries import services
from cases.models import Behaviour, InformalAction, Marking, Purpose, Sanction, WardNoticeKind
from cases.notices.services import ward_notice_send
from cases.positive import services as positive_services
from escalation.calendar import council_calendar
from people.models import Committee, Directorate, PoliticalGroup, Service, Ward
from reporting.summaries import rebuild
from tests.fuzz.harness import assert_not_raw, signed_in
from tests.fuzz.strategies import HTML_PAYLOADS, markup

pytestmark = pytest.mark.django_db

SCRIPT, IMG = HTML_PAYLOADS[0], HTML_PAYLOADS[1]
MARKUP = markup()
# A spreadsheet formula as well: the CSV downloads must not let a name run as one.
FORMULA = '=HYPERLINK("https://evil.example","x")'


@pytest.fixture
def marked_up(org, enquiries, concerns, positive_examples):
    """The council with markup in its names and in everything typed about its cases."""
    User = get_user_model()
    Directorate.objects.filter(pk=org.highways.directorate_id).update(name=f"{FORMULA} Place {SCRIPT}")
    Service.objects.filter(pk=org.highways.pk).update(name=f"Highways {IMG}")
    Ward.objects.filter(pk=org.ward.pk).update(name=f"Riverside {SCRIPT}")
    PoliticalGroup.objects.filter(pk=org.councillor.group_id).update(name=f"Civic {IMG}")
    User.objects.filter(pk=org.liaison.user_id).update(last_name=f"Smith {SCRIPT}")
    User.objects.filter(pk=org.councillor.user_id).update(first_name=f"Jo {IMG}")
    Behaviour.objects.filter(pk=Behaviour.objects.order_by("pk")[0].pk).update(name=f"{FORMULA} {SCRIPT}")
    Committee.objects.filter(kind=Committee.Kind.STANDARDS).update(name=f"Standards {IMG}")
    org.highways.refresh_from_db()

    def filed(**kwargs):
        return services.enquiry_file(
            member=org.councillor,
            subject=markup(200),
            details=MARKUP,
            service=org.highways,
            purpose=Purpose.INFORMATION,
            ward=org.ward,
            **kwargs,
        )

    # The councillor may not contact the liaison officer (concerns.prohibition): the owner is someone else.
    enquiry = filed()
    answered = services.enquiry_answer(
        enquiry=enquiry, actor=enquiry.owner.user, text=MARKUP, marking=Marking.PUBLIC, contains_personal_data=False
    )
    services.enquiry_reopen(enquiry=answered, actor=org.councillor.user, follow_up=MARKUP)
    target = council_calendar().add_working_days(timezone.localdate(), 10)
    enquiry = filed()
    services.enquiry_hold(enquiry=enquiry, actor=enquiry.owner.user, reason=MARKUP, target_on=target)
    declined = services.enquiry_decline(enquiry=filed(), actor=org.head.user, reasons=MARKUP)
    services.enquiry_dispute(enquiry=declined, actor=org.councillor.user, reasons=MARKUP)
    services.enquiry_consent_record(
        enquiry=enquiries.needs_consent,
        actor=org.head.user,
        given_by=markup(150),
        given_on=timezone.localdate(),
        method="written",
    )

    concern = cs.concern_raise(
        raised_by=org.liaison.user,
        about_member=org.councillor,
        occurred_on=timezone.localdate() - timedelta(days=1),
        what_happened=MARKUP,
        behaviours=Behaviour.objects.all()[:2],
        feels_able_to_talk=False,
    )
    cs.concern_note_add(concern=concern, actor=org.head.user, note=MARKUP)
    concern = cs.concern_escalate(concern=concern, actor=org.head.user, reason=MARKUP)
    cs.concern_share_with_subject(concern=concern, actor=org.monitoring.user, note=MARKUP)
    cs.concern_informal_action(
        concern=cs.concern_escalate(
            concern=cs.concern_raise(
                raised_by=org.councillor.user,
                about_officer=org.liaison,
                occurred_on=timezone.localdate(),
                what_happened=MARKUP,
                feels_able_to_talk=False,
            ),
            actor=org.head.user,
            reason=MARKUP,
        ),
        actor=org.monitoring.user,
        steps=[InformalStep(InformalAction.Kind.ADVICE, MARKUP, InformalAction.GivenBy.MONITORING_OFFICER)],
        outcome=MARKUP,
    )
    cs.concern_sanctions_record(
        concern=concerns.sanction,
        actor=org.monitoring.user,
        sanctions=[SanctionSpec(kind=Sanction.Kind.GROUP_DISCIPLINARY, details=MARKUP)],
        outcome=MARKUP,
    )
    # The Whip's note on the review they joined (000 §VIII), read on the page that names them.
    cs.concern_note_add(concern=concerns.review, actor=concerns.whip.user, note=MARKUP)
    cs.concern_refer(
        concern=concerns.review,
        actor=org.monitoring.user,
        kind="police",
        details=MARKUP,
        independent_person=markup(150),
        outcome=MARKUP,
    )
    cs.prohibition_end_early(
        prohibition=concerns.prohibition,
        actor=org.monitoring.user,
        ends_on=timezone.localdate() + timedelta(days=5),
        reason=MARKUP,
    )

    example = positive_services.positive_example_record(
        recorded_by=org.councillor.user,
        title=markup(200),
        what_happened=MARKUP,
        happened_on=timezone.localdate() - timedelta(days=1),
        service=org.highways,
        members=[org.councillor],
        officers=[org.liaison],
    )
    example = positive_services.positive_example_forward(example=example, actor=org.assistant.user, comment=MARKUP)
    positive_services.positive_example_acknowledge(
        example=example, actor=org.monitoring.user, comment=MARKUP, publishable=True
    )
    # 001 §9.4: a ward notice to the marked-up ward, its councillor and group.
    ward_notice_send(
        sent_by=org.liaison.user,
        kind=WardNoticeKind.CONTROVERSIAL,
        title=markup(200),
        concerns_on=timezone.localdate(),
        summary=MARKUP,
        wards=[Ward.objects.get(pk=org.ward.pk)],
        attachment=SimpleUploadedFile(f"{SCRIPT}.txt", b"Notes.\n", content_type="text/plain"),
    )
    # Issue 15 C11: the colleague covers for the marked-up liaison officer, who is named on the
    # cover pages, My work and the notifications of both.
    cover_set(
        officer=org.liaison,
        covered_by=org.colleague,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=3),
        actor=org.head.user,
    )
    rebuild()


START = [
    "/",
    reverse("cases:my_enquiries"),
    reverse("cases:my_work"),
    reverse("cases:cover"),
    reverse("cases:service_queue") + f"?q={SCRIPT}",
    reverse("cases:concerns"),
    reverse("cases:triage"),
    reverse("cases:sanctions"),
    reverse("cases:positive_examples"),
    reverse("cases:ward_notices"),
    reverse("cases:ward_notices_sent"),
    reverse("cases:notifications"),
    reverse("reporting:dashboard"),
    reverse("reporting:annual_reports"),
]
# Pages not to follow: signing out, the admin, the PDF (WeasyPrint takes seconds), and a
# ward notice's file (a download, not a page; the notice's page shows its name).
SKIPPED = {"logout", "admin", "annual_report_pdf", "ward_notice_attachment"}
PEOPLE = ["councillor", "liaison", "colleague", "head", "assistant", "monitoring", "chief", "standards_member"]


def _kind(url: str) -> tuple | None:
    """Pages of one kind are visited once each: the URL name and its query's parameter names."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.url_name in SKIPPED or match.namespace == "admin" or parts.path.startswith("/admin/"):
        return None
    keys = tuple(sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair}))
    return (match.view_name, keys, tuple(sorted(match.kwargs)))


def test_it_never_prints_stored_markup_raw(client, org, marked_up):
    for person in PEOPLE:
        visited = crawl(signed_in(client, getattr(org, person)))
        assert visited > len(START) // 2, f"{person} reached {visited} pages"


def crawl(client, *, limit: int = 60) -> int:
    """Visit the pages reachable from START, one of each kind, checking each; how many."""
    queue, seen, visited = list(START), set(), 0
    sent = {"markup": MARKUP}
    while queue and visited < limit:
        url = queue.pop(0)
        kind = _kind(url)
        if kind is None or kind in seen:
            continue
        seen.add(kind)
        response = client.get(url)
        visited += 1
        assert response.status_code in (200, 302, 403, 404), f"{response.status_code} from {url}"
        if response.status_code != 200:
            continue
        if response.get("Content-Type", "").startswith("text/csv"):
            text = response.content.decode()
            assert "\n=" not in text and ",=" not in text, f"a formula in {url}"
            continue
        assert_not_raw(response, sent)
        queue.extend(href.replace("&amp;", "&") for href in re.findall(r'href="(/[^"#]*)"', response.content.decode()))
    return visited

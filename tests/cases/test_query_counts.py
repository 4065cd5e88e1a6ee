"""A list page costs the same number of queries for 5 rows as for 55 (STYLE §5, §10).

Each page is measured with 5 enquiries, then with 50 more that vary in everything a
row shows (ward, owner, state, attachments, history); the two counts must match, and
the count is pinned so a new query per page shows up here. A mismatch prints the
queries that repeat, which is where the N+1 is.
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.enquiries import services
from cases.models import Decline, Dispute, Marking, Purpose
from escalation.calendar import council_calendar

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def file_enquiries(org, count: int, *, start: int = 0) -> list:
    """``count`` enquiries from org.councillor to Highways, each a little different."""
    target = council_calendar().next_working_day(timezone.localdate() + timedelta(days=1))
    enquiries = []
    for n in range(start, start + count):
        attachments = [SimpleUploadedFile(f"plan-{n}.pdf", PDF, content_type="application/pdf")] if n % 3 == 0 else []
        enquiry = services.enquiry_file(
            member=org.councillor,
            subject=f"Enquiry {n}",
            details="Details.",
            service=org.highways,
            purpose=Purpose.CASEWORK if n % 2 else Purpose.INFORMATION,
            ward=org.ward if n % 2 else None,
            constituent_lives_in_ward=True if n % 2 else None,
            acting_for_constituent=True if n % 2 else None,
            information_needed_for_complaint=True if n % 2 else None,
            attachments=attachments,
        )
        actor = org.liaison.user
        if n % 5 == 1:
            enquiry = services.enquiry_hold(enquiry=enquiry, actor=actor, reason="Survey.", target_on=target)
        elif n % 5 == 2:
            enquiry = services.enquiry_answer(
                enquiry=enquiry, actor=actor, text="Done.", marking=Marking.CONFIDENTIAL, contains_personal_data=False
            )
        elif n % 5 == 3:
            enquiry = services.enquiry_decline(enquiry=enquiry, actor=org.head.user, reasons="Not ours.")
            if n % 2:
                enquiry = services.enquiry_dispute(enquiry=enquiry, actor=org.councillor.user, reasons="It is.")
        elif n % 5 == 4 and n % 2 == 0:
            enquiry = services.enquiry_reassign(enquiry=enquiry, actor=actor, new_owner=org.colleague, reason="")
        enquiries.append(enquiry)
    return enquiries


def get_counted(client, url: str) -> CaptureQueriesContext:
    client.get(url)  # warm the process-wide caches (content types) so the count is the page's own
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return queries


def repeated(queries: CaptureQueriesContext) -> str:
    counts = Counter(query["sql"] for query in queries.captured_queries)
    return "\n".join(f"{times}× {sql}" for sql, times in counts.most_common() if times > 1) or "(none repeat)"


def assert_same_cost(few: CaptureQueriesContext, many: CaptureQueriesContext) -> None:
    assert len(many) == len(few), (
        f"{len(few)} queries for 5 rows but {len(many)} for 55.\nRepeated with 55 rows:\n{repeated(many)}"
    )


# (who looks, which page, how many queries it may cost)
# Each list comes 50 a page (cases/views/pages.py): one query counts the rows, one reads the
# page's keys in order, one reads those rows with everything they show. My work reads too who
# covers for the officer and for whom they cover (issue 15 C11). Each list's filter reads the
# services and wards it offers (issue 15 C10). The service queue's form to reassign the ticked
# enquiries asks whether the person may, and reads the colleagues it offers (issue 15 C12).
LIST_PAGES = [
    pytest.param("councillor", "cases:my_enquiries", 12, id="my-enquiries"),
    pytest.param("liaison", "cases:my_work", 16, id="my-work"),
    pytest.param("chief", "cases:my_work", 15, id="my-work-chief-executive"),
    pytest.param("head", "cases:service_queue", 18, id="service-queue-head"),
    pytest.param("chief", "cases:service_queue", 15, id="service-queue-chief-executive"),
]


@pytest.mark.parametrize(("viewer", "url_name", "pinned"), LIST_PAGES)
def test_it_costs_a_list_page_the_same_for_5_or_55_enquiries(
    client, org, django_assert_max_num_queries, viewer, url_name, pinned
):
    client.force_login(getattr(org, viewer).user)
    url = reverse(url_name)
    file_enquiries(org, 5)
    few = get_counted(client, url)

    file_enquiries(org, 50, start=5)
    many = get_counted(client, url)

    assert_same_cost(few, many)
    with django_assert_max_num_queries(pinned):
        client.get(url)


# Issue 15 C10: searched, filtered and sorted, a list costs what it costs unfiltered, and one more
# query for a ward or a service asked for (the form checks it exists): the words find
# councillors and wards by subqueries, not a query each.
FILTERED_PAGES = [
    pytest.param("councillor", "cases:my_enquiries", "q=Enquiry+Riverside&sort=due&state=open", 12, id="my-enquiries"),
    pytest.param("liaison", "cases:my_work", "q=Enquiry&ward={ward}&sort=state", 17, id="my-work"),
    pytest.param("head", "cases:service_queue", "state=any&q=Enquiry&ward={ward}&sort=newest", 19, id="queue"),
    pytest.param("chief", "cases:service_queue", "state=open&service={service}&sort=oldest", 16, id="queue-chief"),
]


@pytest.mark.parametrize(("viewer", "url_name", "query", "pinned"), FILTERED_PAGES)
def test_it_costs_a_filtered_list_page_the_same_for_5_or_55_enquiries(
    client, org, django_assert_max_num_queries, viewer, url_name, query, pinned
):
    client.force_login(getattr(org, viewer).user)
    url = reverse(url_name) + "?" + query.format(ward=org.ward.pk, service=org.highways.pk)
    file_enquiries(org, 5)
    few = get_counted(client, url)

    file_enquiries(org, 50, start=5)
    many = get_counted(client, url)

    assert_same_cost(few, many)
    with django_assert_max_num_queries(pinned):
        client.get(url)


# An officer who does not own the enquiry is asked once whether they cover for its owner
# (issue 15 C11), to show the owner's buttons.
ENQUIRY_PAGE_VIEWERS = [
    pytest.param("councillor", 16, id="councillor"),
    pytest.param("liaison", 17, id="owner"),
    pytest.param("head", 19, id="head-of-service"),
]


@pytest.mark.parametrize(("viewer", "pinned"), ENQUIRY_PAGE_VIEWERS)
def test_it_costs_the_enquiry_page_the_same_however_long_its_history(
    client, org, django_assert_max_num_queries, viewer, pinned
):
    """A short history against a long one: holding replies, reassignments, attachments."""
    client.force_login(getattr(org, viewer).user)
    target = council_calendar().next_working_day(timezone.localdate() + timedelta(days=1))
    liaison = org.liaison.user

    def filed(subject: str, files: int):
        uploads = [SimpleUploadedFile(f"plan-{n}.pdf", PDF, content_type="application/pdf") for n in range(files)]
        return services.enquiry_file(
            member=org.councillor,
            subject=subject,
            details="Details.",
            service=org.highways,
            purpose=Purpose.INFORMATION,
            attachments=uploads,
        )

    short = filed("Short history", 1)
    short = services.enquiry_hold(enquiry=short, actor=liaison, reason="Survey.", target_on=target)
    few = get_counted(client, short.get_absolute_url())

    long = filed("Long history", 6)
    for _ in range(10):
        long = services.enquiry_reassign(enquiry=long, actor=liaison, new_owner=org.colleague, reason="Away.")
        long = services.enquiry_reassign(enquiry=long, actor=org.colleague.user, new_owner=org.liaison, reason="Back.")
        # A second holding reply needs agreement (issue 15 A3): recorded, so each takes effect.
        long = services.enquiry_hold(
            enquiry=long,
            actor=liaison,
            reason="Survey.",
            target_on=target,
            agreement=services.Agreement.RECORDED,
            agreement_note="By phone.",
        )
    many = get_counted(client, long.get_absolute_url())

    assert_same_cost(few, many)
    with django_assert_max_num_queries(pinned):
        client.get(long.get_absolute_url())


@pytest.mark.parametrize(
    ("viewer", "pinned"),
    [pytest.param("councillor", 24, id="councillor"), pytest.param("chief", 24, id="chief-executive")],
)
def test_it_costs_the_enquiry_page_the_same_with_more_answers_declines_and_disputes(
    client, org, django_assert_max_num_queries, viewer, pinned
):
    """Each round: declined, disputed, an answer directed, answered (with files), followed up.

    Since the Chief Executive's direction is final (001 §7.4), only the first round's decline
    and dispute can happen through the portal; the later rounds' are written as records kept
    from before that rule, which the page lists all the same."""
    client.force_login(getattr(org, viewer).user)

    def history(rounds: int, files: int):
        enquiry = services.enquiry_file(
            member=org.councillor, subject="S", details="D", service=org.highways, purpose=Purpose.INFORMATION
        )
        for n in range(rounds):
            if n:
                enquiry = services.enquiry_reopen(enquiry=enquiry, actor=org.councillor.user, follow_up="And?")
                Decline.objects.create(enquiry=enquiry, declined_by=org.head, reasons="Not ours.")
                Dispute.objects.create(
                    enquiry=enquiry,
                    reasons="It is.",
                    decision=Dispute.Decision.DIRECTED,
                    decision_reasons="Answer it.",
                    decided_by=org.chief,
                    decided_at=timezone.now(),
                )
            else:
                enquiry = services.enquiry_decline(enquiry=enquiry, actor=org.head.user, reasons="Not ours.")
                enquiry = services.enquiry_dispute(enquiry=enquiry, actor=org.councillor.user, reasons="It is.")
                enquiry = services.enquiry_dispute_decide(
                    enquiry=enquiry, actor=org.chief.user, decision=Dispute.Decision.DIRECTED, reasons="Answer it."
                )
            uploads = [SimpleUploadedFile(f"answer-{i}.pdf", PDF, content_type="application/pdf") for i in range(files)]
            enquiry = services.enquiry_answer(
                enquiry=enquiry,
                actor=org.liaison.user,
                text="Answer.",
                marking=Marking.PUBLIC,
                contains_personal_data=False,
                attachments=uploads,
            )
        return enquiry

    few = get_counted(client, history(1, 1).get_absolute_url())
    long = history(4, 3)
    many = get_counted(client, long.get_absolute_url())

    assert_same_cost(few, many)
    with django_assert_max_num_queries(pinned):
        client.get(long.get_absolute_url())


def test_it_costs_the_notifications_page_the_same_for_few_or_many(client, org, django_assert_max_num_queries):
    client.force_login(org.councillor.user)
    url = reverse("cases:notifications")
    file_enquiries(org, 5)
    few = get_counted(client, url)
    file_enquiries(org, 50, start=5)
    many = get_counted(client, url)
    assert_same_cost(few, many)
    with django_assert_max_num_queries(7):
        client.get(url)


# Every page of a list costs the same, the first or a later one (issue 6 "fast at scale").
PAGED_LISTS = [
    pytest.param("councillor", "cases:my_enquiries", "", 12, id="my-enquiries"),
    pytest.param("liaison", "cases:my_work", "", 16, id="my-work"),
    pytest.param("head", "cases:service_queue", "", 18, id="service-queue"),
    pytest.param("head", "cases:service_queue", "state=submitted&", 18, id="service-queue-filtered"),
]


@pytest.mark.parametrize(("viewer", "url_name", "query", "pinned"), PAGED_LISTS)
def test_it_costs_each_page_of_a_long_list_the_same(
    client, org, django_assert_max_num_queries, viewer, url_name, query, pinned
):
    """5 enquiries on one page, then 105 on three: the first, a middle and the last page."""
    client.force_login(getattr(org, viewer).user)
    url = reverse(url_name)
    file_enquiries(org, 5)
    few = get_counted(client, f"{url}?{query}")
    file_enquiries(org, 100, start=5)
    for page in (1, 2, 3):
        many = get_counted(client, f"{url}?{query}page={page}")
        assert_same_cost(few, many)
    with django_assert_max_num_queries(pinned):
        client.get(f"{url}?{query}page=3")

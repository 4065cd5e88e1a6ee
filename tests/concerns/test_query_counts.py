"""The concern list, the triage queue and the sanctions register cost the same number of
queries for 3 rows as for 33 (the concern list: 10 and 40) (STYLE §5, §10).

Each page is measured with 3 rows, then with 30 more that vary in what a row shows
(stage, handler, safeguarding, kind of complainant, overdue, kind of sanction); the
two counts must match, and the count is pinned so a new query per page shows up here.
A mismatch prints the queries that repeat, which is where the N+1 is.
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.concerns import services as cs
from cases.enquiries import services
from cases.models import Behaviour, InformalAction, Purpose, Sanction
from cases.positive import services as positive_services
from people.services import role_groups_sync
from tests.factories import CommitteeFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def whip(org):
    whip = MemberFactory(user__username="whip", wards=[org.ward], group=org.councillor.group)
    org.councillor.group.whips.add(whip)
    role_groups_sync()
    return whip


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
        f"{len(few)} queries for 3 rows but {len(many)} for 33.\nRepeated with 33 rows:\n{repeated(many)}"
    )


def raise_concerns(org, count: int, *, start: int = 0) -> None:
    """``count`` concerns, each a little different: every stage, both directions, some
    closed, some with a safeguarding flag, some overdue."""
    behaviours = list(Behaviour.objects.all()[:3])
    long_ago = timezone.now() - timedelta(days=40)
    for n in range(start, start + count):
        by_member = n % 3 == 2
        now = long_ago if n % 7 == 3 else None
        concern = cs.concern_raise(
            raised_by=org.councillor.user if by_member else org.liaison.user,
            about_officer=org.colleague if by_member else None,
            about_member=None if by_member else org.councillor,
            duties=n % 4 == 1,
            occurred_on=(now or timezone.now()).date() - timedelta(days=1),
            what_happened=f"Concern {n}",
            behaviours=behaviours[: n % 4],
            feels_able_to_talk=n % 2 == 0,
            safeguarding=n % 11 == 5,
            now=now,
        )
        if n % 5 == 1 and concern.state == "line_management":
            concern = cs.concern_escalate(concern=concern, actor=org.head.user, reason="Carries on.")
        elif n % 5 == 2 and concern.state == "direct":
            concern = cs.concern_resolve(concern=concern, actor=concern.complainant_user, outcome="Talked.")
        elif n % 5 == 4 and concern.state == "mo_review":
            cs.concern_propose_formal_action(concern=concern, actor=org.monitoring.user, reason="Serious.")


# (who looks, how many queries the page may cost)
# The three lists come 50 a page (cases/views/pages.py): a list with rows costs its count, its
# page's keys and those rows; an empty one its count only. The filter above them reads the
# services and wards it offers (issue 15 C10).
LIST_VIEWERS = [
    pytest.param("liaison", 15, id="complainant"),
    pytest.param("head", 17, id="line-manager"),
    pytest.param("whip", 13, id="whip"),
    pytest.param("monitoring", 15, id="monitoring-officer"),
]


@pytest.mark.parametrize(("viewer", "pinned"), LIST_VIEWERS)
def test_it_costs_the_concern_list_the_same_for_10_or_40_concerns(
    client, org, whip, django_assert_max_num_queries, viewer, pinned
):
    """Ten to start with, not three: each of the page's lists that has rows at 40 has rows at
    10 too, since an empty list costs one query (its count) and a list with rows three (its
    count, its page's keys, and those rows: cases/views/pages.py)."""
    person = whip if viewer == "whip" else getattr(org, viewer)
    client.force_login(person.user)
    url = reverse("cases:concerns")
    raise_concerns(org, 10)
    few = get_counted(client, url)

    raise_concerns(org, 30, start=10)
    many = get_counted(client, url)

    assert_same_cost(few, many)
    with django_assert_max_num_queries(pinned):
        client.get(url)


# Issue 15 C10: searched, filtered and sorted, the three lists cost what they cost unfiltered, one
# more query for the ward asked for (the form checks it exists), and for each list two a word
# searched for (the councillors' and officers' ids it names: cases/concerns/selectors.py).
FILTERED_VIEWERS = [
    pytest.param("liaison", "q={surname}&state=open&sort=stage", 21, id="complainant"),
    pytest.param("head", "ward={ward}&sort=due", 18, id="line-manager"),
    pytest.param("whip", "q={surname}&sort=newest", 19, id="whip"),
]


@pytest.mark.parametrize(("viewer", "query", "pinned"), FILTERED_VIEWERS)
def test_it_costs_the_filtered_concern_list_the_same_for_10_or_40_concerns(
    client, org, whip, django_assert_max_num_queries, viewer, query, pinned
):
    person = whip if viewer == "whip" else getattr(org, viewer)
    client.force_login(person.user)
    url = reverse("cases:concerns") + "?" + query.format(surname=org.councillor.user.last_name, ward=org.ward.pk)
    raise_concerns(org, 10)
    few = get_counted(client, url)

    raise_concerns(org, 30, start=10)
    many = get_counted(client, url)

    assert_same_cost(few, many)
    with django_assert_max_num_queries(pinned):
        client.get(url)


def waiting_for_the_monitoring_officer(org, count: int, *, start: int = 0) -> None:
    """Concerns at stages 3 and 4 and overdue, a pattern, disputed enquiries past the Chief
    Executive's target and positive examples to record."""
    raise_concerns(org, count, start=start)
    long_ago = timezone.now() - timedelta(days=40)
    for n in range(start, start + count, 5):
        enquiry = services.enquiry_file(
            member=org.councillor,
            subject=f"Enquiry {n}",
            details="Details.",
            service=org.highways,
            purpose=Purpose.INFORMATION,
            now=long_ago,
        )
        enquiry = services.enquiry_decline(enquiry=enquiry, actor=org.head.user, reasons="No.", now=long_ago)
        services.enquiry_dispute(enquiry=enquiry, actor=org.councillor.user, reasons="Yes.", now=long_ago)
        example = positive_services.positive_example_record(
            recorded_by=org.liaison.user,
            title=f"Example {n}",
            what_happened="A helpful briefing.",
            happened_on=timezone.localdate(),
            service=org.highways,
        )
        positive_services.positive_example_forward(example=example, actor=org.assistant.user, comment="Well done.")


def make_pattern(org, member) -> None:
    """Three concerns about ``member`` ended in informal action (000 §VIII)."""
    for _ in range(3):
        concern = cs.concern_raise(
            raised_by=org.liaison.user,
            about_member=member,
            occurred_on=timezone.localdate(),
            what_happened="Again.",
            feels_able_to_talk=False,
            safeguarding=True,
        )
        cs.concern_informal_action(
            concern=concern,
            actor=org.monitoring.user,
            steps=[cs.InformalStep(InformalAction.Kind.TRAINING, "Course.")],
            outcome="Training.",
        )


def test_it_costs_the_triage_queue_the_same_for_few_or_many(client, org, django_assert_max_num_queries):
    client.force_login(org.monitoring.user)
    url = reverse("cases:triage")
    waiting_for_the_monitoring_officer(org, 3)
    make_pattern(org, org.councillor2)
    few = get_counted(client, url)

    waiting_for_the_monitoring_officer(org, 30, start=3)
    make_pattern(org, org.standards_member)
    many = get_counted(client, url)

    assert_same_cost(few, many)
    # One query more than the whole queue in one read: its concerns' keys, then those rows.
    with django_assert_max_num_queries(15):
        client.get(url + "?sort=kind")


def record_sanctions(org, count: int, *, start: int = 0) -> None:
    """``count`` sanctions of every kind, on councillors and on an officer."""
    committees = [CommitteeFactory(name=f"Committee {start}-{i}") for i in range(2)]
    today = timezone.localdate()
    kinds = ["group", "committees", "officer", "service", "all", "disciplinary"]
    for n in range(start, start + count):
        kind = kinds[n % len(kinds)]
        on_officer = kind == "disciplinary"
        if kind == "committees":
            # Each removal takes the councillor off the committees; they are appointed again.
            for committee in committees:
                committee.members.add(org.councillor)
        concern = cs.concern_raise(
            raised_by=org.councillor.user if on_officer else org.liaison.user,
            about_officer=org.colleague if on_officer else None,
            about_member=None if on_officer else org.councillor,
            occurred_on=today,
            what_happened=f"Concern {n}",
            feels_able_to_talk=False,
            safeguarding=True,
        )
        concern = cs.concern_propose_formal_action(concern=concern, actor=org.monitoring.user, reason="Serious.")
        # One day each, a different day for each: one prohibition at a time on the same contact.
        day = today + timedelta(days=n)
        prohibition = {"kind": Sanction.Kind.CONTACT_PROHIBITION, "starts_on": day, "ends_on": day}
        spec = {
            "group": cs.SanctionSpec(kind=Sanction.Kind.GROUP_DISCIPLINARY, details="Suspended."),
            "committees": cs.SanctionSpec(kind=Sanction.Kind.COMMITTEE_REMOVAL, committees=committees),
            "officer": cs.SanctionSpec(**prohibition, scope="officer", officer=org.outsider),
            "service": cs.SanctionSpec(**prohibition, scope="service", service=org.libraries),
            "all": cs.SanctionSpec(**prohibition, scope="all"),
            "disciplinary": cs.SanctionSpec(kind=Sanction.Kind.OFFICER_DISCIPLINARY, disciplinary_reference=f"HR-{n}"),
        }[kind]
        cs.concern_sanctions_record(concern=concern, actor=org.monitoring.user, sanctions=[spec], outcome="Done.")


def test_it_costs_the_sanctions_register_the_same_for_3_or_33_sanctions(client, org, django_assert_max_num_queries):
    client.force_login(org.monitoring.user)
    url = reverse("cases:sanctions")
    record_sanctions(org, 3)
    few = get_counted(client, url)

    record_sanctions(org, 30, start=3)
    many = get_counted(client, url)

    assert_same_cost(few, many)
    # 50 a page: the count, the page's keys, then those sanctions with their committees.
    with django_assert_max_num_queries(12):
        client.get(url)

"""The ward notice lists cost the same for 5 notices as for 55, and a notice's page the same
for 2 recipients as for 40 (STYLE §5, §10; cases/views/pages.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import WardNoticeKind
from cases.notices.services import ward_notice_send
from tests.cases.test_query_counts import assert_same_cost, get_counted
from tests.factories import MemberFactory, WardFactory

pytestmark = pytest.mark.django_db


def send(org, count: int, wards) -> list:
    notices = []
    for n in range(count):
        notices.append(
            ward_notice_send(
                sent_by=org.liaison.user,
                kind=WardNoticeKind.values[n % len(WardNoticeKind.values)],
                title=f"Notice {n}",
                concerns_on=timezone.localdate() + timedelta(days=n),
                summary="Summary.",
                wards=wards[: 1 + n % len(wards)],
            )
        )
    return notices


@pytest.mark.parametrize(
    ("viewer", "url_name", "pinned"),
    [
        pytest.param("liaison", "cases:ward_notices_sent", 12, id="notices-i-have-sent"),
        pytest.param("councillor", "cases:ward_notices", 11, id="notices-for-my-wards"),
    ],
)
def test_it_costs_a_notice_list_the_same_for_5_or_55_notices(
    client, org, wards, django_assert_max_num_queries, viewer, url_name, pinned
):
    client.force_login(getattr(org, viewer).user)
    url = reverse(url_name)
    every = [wards.riverside, wards.hilltop, wards.quayside]
    send(org, 5, every)
    few = get_counted(client, url)

    send(org, 50, every)
    many = get_counted(client, url)

    assert_same_cost(few, many)
    with django_assert_max_num_queries(pinned):
        client.get(url)


def test_it_costs_a_notice_page_the_same_for_2_or_40_recipients(client, org, django_assert_max_num_queries):
    small, large = WardFactory(name="Small"), WardFactory(name="Large")
    MemberFactory.create_batch(2, wards=[small])
    MemberFactory.create_batch(40, wards=[large])
    client.force_login(org.liaison.user)
    few = get_counted(client, send(org, 1, [small])[0].get_absolute_url())
    many = get_counted(client, send(org, 1, [large])[0].get_absolute_url())

    assert_same_cost(few, many)

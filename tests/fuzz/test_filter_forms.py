"""Hostile query strings at the pages that filter with GET: the lists of cases (My
enquiries, My work, the service queue, the concerns: issue 15 C10), the dashboard and its
CSV downloads, the drill-down, the triage queue and every list's page numbers. Never a 500:
the page with what it could apply and a GOV.UK error summary for the rest, or 404 for a
figure or table that does not exist; nothing printed raw. And hostile forms at reassigning
several enquiries from the service queue (issue 15 C12): an error summary or a redirect."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from cases.enquiries.forms import BulkReassignForm
from cases.models import ConcernKind, ConcernState, Enquiry, EnquiryState
from cases.shared.lists import ListFilterForm
from reporting.dashboards.forms import METRICS, DashboardFilterForm, DrilldownForm
from reporting.dashboards.views import ROW_HEADINGS
from reporting.figures import OUTCOME_NAMES
from reporting.periods import municipal_year_of, recent_periods
from tests.fuzz.harness import assert_handled, assert_not_raw, rolled_back, signed_in
from tests.fuzz.profiles import fuzz
from tests.fuzz.strategies import bad_ids, choices, hostile_text

pytestmark = pytest.mark.django_db

COVERS = {ListFilterForm, BulkReassignForm, DashboardFilterForm, DrilldownForm}

# Period keys past the ends of the calendar, impossible months and quarters, other digits.
ODD_PERIODS = ["9999-00", "9998-99", "9998-q4", "9999-q1", "0001-q1", "0000-01", "1-02", "2026-q5", "2026-13"]
ODD_PERIODS += ["2026-00", "٢٠٢٦-٢٧", "2026-27-q1", "20260101-20261231", "-", "--q1", "2026-q"]


def period_keys() -> st.SearchStrategy[str]:
    keys = [period.key for period in recent_periods(today=timezone.localdate())]
    return st.one_of(st.sampled_from(keys), st.sampled_from(ODD_PERIODS), hostile_text(50))


def query(valid: dict[str, st.SearchStrategy]) -> st.SearchStrategy[dict]:
    """A query string with some of the parameters, each perhaps hostile."""
    return st.fixed_dictionaries({}, optional=valid)


def page_numbers() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(["1", "2", "last", "0", "-1", "99999999999999999999"]), bad_ids)


def assert_filtered(response, params: dict) -> None:
    """200, with the error summary exactly when a filter was refused."""
    assert response.status_code == 200, f"{response.status_code} from {response.request['QUERY_STRING']}"
    html = response.content.decode()
    form = response.context["form"]
    assert bool(form.errors) == ("govuk-error-summary" in html), form.errors
    assert_not_raw(response, params)


# Who looks at each list, and the states it offers besides "any" and "open".
FILTERED_LISTS = [
    ("councillor", "cases:my_enquiries", EnquiryState.values),
    ("liaison", "cases:my_work", EnquiryState.values),
    ("head", "cases:service_queue", EnquiryState.values),
    ("chief", "cases:service_queue", EnquiryState.values),
    ("liaison", "cases:concerns", ConcernState.values),
]


@fuzz(40)
@given(data=st.data())
def test_the_lists_of_cases(client, org, enquiries, concerns, data):
    person, url_name, states = data.draw(st.sampled_from(FILTERED_LISTS), label="list")
    params = data.draw(
        query(
            {
                "q": st.one_of(hostile_text(200), st.just(enquiries.submitted.reference)),
                "state": choices(["any", "open", *states]),
                "service": st.one_of(st.sampled_from([str(org.highways.pk), str(org.libraries.pk)]), bad_ids),
                "ward": st.one_of(st.just(str(org.ward.pk)), bad_ids),
                "due": choices(["overdue", "soon"]),
                "sort": st.one_of(choices(["due", "newest", "oldest", "state", "stage"]), st.just("-received_at")),
                "page": page_numbers(),
            }
        ),
        label="query",
    )
    response = signed_in(client, getattr(org, person)).get(reverse(url_name), params)
    assert_filtered(response, params)


def ticks() -> st.SearchStrategy[list[str]]:
    """What the queue's boxes may send: real references with old, new or absurd versions, and junk."""
    references = [enquiry.reference for enquiry in Enquiry.objects.order_by("pk")]
    tick = st.one_of(
        st.builds(lambda ref, v: f"{ref}:{v}", st.sampled_from(references), st.sampled_from(["1", "2", "0", "9" * 12])),
        hostile_text(40),
        bad_ids,
    )
    return st.lists(tick, max_size=4)


@fuzz(30)
@given(data=st.data())
def test_reassigning_from_the_service_queue(client, org, enquiries, data):
    person = data.draw(st.sampled_from(["head", "chief"]), label="person")
    sent = data.draw(
        st.fixed_dictionaries(
            {},
            optional={
                "enquiries": ticks(),
                "new_owner": st.one_of(st.sampled_from([str(org.colleague.pk), str(org.outsider.pk)]), bad_ids),
                "reason": hostile_text(2100),
            },
        ),
        label="form",
    )
    with rolled_back():
        response = signed_in(client, getattr(org, person)).post(reverse("cases:service_queue_reassign"), sent)
        assert_handled(response, sent)


@fuzz(25)
@given(data=st.data())
def test_the_dashboard(client, org, data):
    person = data.draw(st.sampled_from(["monitoring", "standards_member"]), label="person")
    params = data.draw(
        query({"period": period_keys(), "directorate": st.one_of(st.just(str(org.highways.directorate_id)), bad_ids)}),
        label="query",
    )
    response = signed_in(client, getattr(org, person)).get(reverse("reporting:dashboard"), params)
    assert_filtered(response, params)


@fuzz(25)
@given(data=st.data())
def test_the_drill_down(client, org, enquiries, data):
    params = data.draw(
        query(
            {
                "metric": choices(list(METRICS)),
                "period": period_keys(),
                "directorate": st.one_of(st.just(str(org.highways.directorate_id)), bad_ids),
                "service": st.one_of(st.just(str(org.highways.pk)), bad_ids),
                "rung": choices(["1", "2", "3"]),
                "kind": choices(list(ConcernKind.values)),
                "stage": choices(["1", "2", "3", "4"]),
                "outcome": choices([str(state) for state in OUTCOME_NAMES]),
                "page": page_numbers(),
            }
        ),
        label="query",
    )
    params.setdefault("metric", "received")
    response = signed_in(client, org.monitoring).get(reverse("reporting:drilldown"), params)
    assert response.status_code in (200, 404), response.status_code
    assert_not_raw(response, params)


@fuzz(15)
@given(data=st.data())
def test_the_csv_downloads(client, org, data):
    table = data.draw(st.sampled_from(sorted(ROW_HEADINGS)), label="table")
    params = data.draw(
        query({"period": period_keys(), "directorate": st.one_of(st.just(str(org.highways.directorate_id)), bad_ids)}),
        label="query",
    )
    response = signed_in(client, org.monitoring).get(reverse("reporting:table_csv", args=[table]), params)
    assert response.status_code in (200, 404), response.status_code


LISTS = [
    ("councillor", "cases:my_enquiries", ["page"]),
    ("liaison", "cases:my_work", ["page"]),
    ("liaison", "cases:concerns", ["raised", "handled", "joined"]),
    ("monitoring", "cases:triage", ["page", "sort"]),
    ("monitoring", "cases:sanctions", ["page"]),
    ("councillor", "cases:positive_examples", ["page"]),
    ("councillor", "cases:notifications", ["page"]),
]


@fuzz(30)
@given(data=st.data())
def test_the_lists_page_numbers_and_sorting(client, org, data):
    person, url_name, names = data.draw(st.sampled_from(LISTS), label="list")
    params = data.draw(
        st.fixed_dictionaries({name: st.one_of(page_numbers(), hostile_text(50)) for name in names}), label="query"
    )
    response = signed_in(client, getattr(org, person)).get(reverse(url_name), params)
    assert response.status_code == 200
    assert_not_raw(response, params)


def test_the_dashboard_period_defaults_to_this_year(client, org):
    response = signed_in(client, org.monitoring).get(reverse("reporting:dashboard"), {"period": "9999-00"})
    assert response.context["period"] == municipal_year_of(timezone.localdate())

"""Anonymising keeps every figure the Standards Committee reads (DESIGN §7;
docs/retention.md): the reporting tests' history (tests/reporting/conftest.py), eight enquiries
and six concerns of 2026, counted before and after the retention run of a night in 2033,
when all but the open ones are past their six years."""

import pytest

from cases.enquiries.services import enquiry_consent_record
from cases.models import Concern, ConsentRecord, Enquiry, PositiveExample, Sanction, TimelineEvent
from protocol_portal.retention.services import retention_run
from reporting import summaries
from reporting.figures import COMMITTEE, OPERATIONAL, dashboard
from reporting.periods import municipal_year
from tests.reporting.conftest import SETTLED, london

pytestmark = pytest.mark.django_db

YEAR = municipal_year(2026)
NIGHT = london(2033, 8, 1, 3)


def figures(audience: str) -> dict:
    """Every number and text on the dashboard, table by table."""
    board = dashboard(YEAR, audience=audience, now=SETTLED)
    return {
        "headline": [(label, cell.value, cell.text) for label, cell, _ in [*board.headline, *board.concern_headline]],
        "tables": {
            slug: [(label, [(cell.value, cell.text) for cell in cells]) for label, cells in table.rows]
            for slug, table in board.tables.items()
        },
        "trend": board.trend,
    }


def test_it_leaves_every_dashboard_figure_unchanged(org, history):
    enquiry_consent_record(
        enquiry=Enquiry.objects.get(pk=history.enquiries.on_time.pk),
        actor=org.liaison.user,
        given_by="Mrs Jones of 4 Mill Lane",
        given_on=london(2026, 5, 20).date(),
        method=ConsentRecord.Method.PHONE,
        now=london(2026, 5, 20, 11),
    )
    summaries.rebuild(now=SETTLED)
    recounted = summaries.recounted_for_check(now=SETTLED)
    before = {audience: figures(audience) for audience in (COMMITTEE, OPERATIONAL)}

    run = retention_run(dry_run=False, trigger="test", now=NIGHT)

    done = {entry["kind"]: entry["count"] for entry in run.results}
    # Everything finished in 2026 was anonymised; the open enquiry, the disputed one (still with
    # the Chief Executive) and the open concern were not.
    assert done["enquiries"] == Enquiry.objects.count() - 2 == 6
    assert done["concerns"] == Concern.objects.count() - 1 == 5
    assert set(Enquiry.objects.filter(anonymised_at__isnull=True)) == {
        history.enquiries.open,
        history.enquiries.declined,
    }
    assert Concern.objects.get(pk=history.concerns.duties.pk).anonymised_at is None
    assert not Enquiry.objects.filter(details="Details.", anonymised_at__isnull=False).exists()
    assert Enquiry.objects.filter(details="Details.").count() == 2
    assert list(ConsentRecord.objects.values_list("given_by", flat=True)) == [""]
    assert not Sanction.objects.exclude(details="").exists()
    assert PositiveExample.objects.get().what_happened == ""
    assert TimelineEvent.objects.filter(anonymised_at__isnull=False, note="").count() == done["timeline"] > 0

    # The summary tables are untouched, and a recount from the anonymised cases gives the same.
    assert summaries.recounted_for_check(now=SETTLED) == recounted
    assert summaries.summarised() == recounted
    summaries.rebuild(now=SETTLED)
    after = {audience: figures(audience) for audience in (COMMITTEE, OPERATIONAL)}
    assert after == before

"""bench_sweep's data and checks (issue 14): every enquiry built due climbs once and is
told, and a sweep that does less (or more) stops the benchmark instead of printing a
figure for work it did not do. Not a timed test: a few hundred enquiries."""

import pytest
from django.utils import timezone

from cases.models import Enquiry, EnquiryEscalation
from protocol_portal.bench.sweep import NotAsBuilt, build, measure

pytestmark = pytest.mark.django_db

ENQUIRIES, DUE = 300, 30


@pytest.fixture
def now():
    now = timezone.now()
    build(enquiries=ENQUIRIES, due=DUE, now=now)
    return now


def test_it_climbs_and_tells_every_enquiry_built_due_and_nothing_else(now):
    lines = []

    measure(due=DUE, now=now, log=lines.append)

    assert lines[0].startswith("Sweep (due): ") and f"{DUE} climbs, 0 reminders" in lines[0]
    assert f"for {DUE} climbs, {2 * DUE} notifications" in lines[1]
    assert lines[2].startswith("Sweep (idle): ") and "0 climbs, 0 reminders" in lines[2]
    assert EnquiryEscalation.objects.count() == DUE
    assert Enquiry.objects.count() == ENQUIRIES


def test_it_stops_when_the_sweep_climbs_fewer_than_were_built_due(now):
    # Five of the due enquiries are no longer due: the sweep climbs only 25.
    five = list(Enquiry.objects.filter(escalate_at__lte=now).values_list("pk", flat=True)[:5])
    Enquiry.objects.filter(pk__in=five).update(escalate_at=None)

    with pytest.raises(NotAsBuilt, match=r"the due sweep climbed 25 enquiries.*should have climbed 30"):
        measure(due=DUE, now=now, log=lambda line: None)

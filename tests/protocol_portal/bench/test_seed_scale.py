"""seed_scale (issue 6 "fast at scale"): a small run of the decade builder, checked for what
the benchmarks and the dashboards rely on."""

from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from cases.concerns.selectors import concerns_visible_to
from cases.enquiries import services
from cases.enquiries.selectors import enquiries_visible_to
from cases.models import (
    OPEN_STATES,
    Concern,
    ConcernKind,
    ConcernState,
    Decline,
    Dispute,
    Enquiry,
    EnquiryEscalation,
    EnquiryState,
    Purpose,
    ReferenceSequence,
    TimelineEvent,
)
from people.models import Member
from reporting import summaries
from reporting.figures import OPERATIONAL, dashboard
from reporting.models import DailyCount
from reporting.periods import municipal_year_of

pytestmark = pytest.mark.django_db

ENQUIRIES, CONCERNS = 2000, 200


@pytest.fixture
def seeded():
    before = timezone.now()
    out = StringIO()
    call_command("seed_scale", enquiries=ENQUIRIES, concerns=CONCERNS, seed=7, stdout=out)
    return before, out.getvalue()


def totals(metric: str) -> Counter:
    counts: Counter = Counter()
    for key, value in DailyCount.objects.filter(metric=metric).values_list("key", "value"):
        counts[key] += value
    return counts


def test_it_builds_a_decade_of_cases_in_a_realistic_mix(seeded):
    _, output = seeded
    assert Enquiry.objects.count() == ENQUIRIES
    assert Concern.objects.count() == CONCERNS
    assert "seed_scale done" in output and "Rebuilding the dashboards' summaries" in output

    today = timezone.localdate()
    years = Counter(Enquiry.objects.values_list("received_at__year", flat=True))
    assert min(years) <= today.year - 9 and max(years) == today.year
    # More recent years are busier.
    assert years[today.year - 1] > years[today.year - 9]

    states = Counter(Enquiry.objects.values_list("state", flat=True))
    settled = states[EnquiryState.ANSWERED] + states[EnquiryState.CLOSED]
    assert settled >= 0.85 * ENQUIRIES
    assert states[EnquiryState.DECLINED] + states[EnquiryState.DISPUTED] > 0
    assert states[EnquiryState.WITHDRAWN] > 0
    assert sum(states[s] for s in OPEN_STATES) <= 0.02 * ENQUIRIES
    # Every decline has its Decline row, every dispute its Dispute row.
    declined = Enquiry.objects.filter(state=EnquiryState.DECLINED)
    assert not declined.exclude(pk__in=Decline.objects.values("enquiry_id")).exists()
    disputed = Enquiry.objects.filter(state=EnquiryState.DISPUTED)
    assert not disputed.exclude(pk__in=Dispute.objects.filter(decision="").values("enquiry_id")).exists()

    kinds = Counter(Concern.objects.values_list("kind", flat=True))
    assert set(kinds) == set(ConcernKind.values)
    concern_states = Counter(Concern.objects.values_list("state", flat=True))
    for closed in (ConcernState.RESOLVED, ConcernState.INFORMAL_ACTION, ConcernState.REFERRED):
        assert concern_states[closed] > 0
    assert Concern.behaviours.through.objects.count() >= CONCERNS
    # Each closed concern has exactly one closing event, from the stage it was at.
    closing = TimelineEvent.objects.filter(concern__isnull=False, kind__in=list(summaries.CLOSING_KINDS))
    assert closing.count() == Concern.objects.exclude(state__in=summaries.CONCERN_STAGE_NUMBERS).count()
    assert not closing.exclude(from_state__in=list(summaries.CONCERN_STAGE_NUMBERS)).exists()


def test_it_keeps_the_timings_of_each_enquiry_consistent(seeded):
    before, _ = seeded
    answered = Enquiry.objects.exclude(responded_at=None)
    assert not answered.filter(responded_at__lt=F("received_at")).exists()
    # Late responses, and only those, climbed; each climb from the owner up the ladder.
    climbed = Enquiry.objects.filter(rung__gt=0)
    assert climbed.exists()
    assert EnquiryEscalation.objects.count() == sum(climbed.values_list("rung", flat=True))
    assert not EnquiryEscalation.objects.filter(notified_at=None).exists()
    assert not EnquiryEscalation.objects.filter(escalated_at__gte=F("enquiry__responded_at")).exists()
    # Nothing is left for the deadline sweep to do that it would have done already.
    assert not Enquiry.objects.filter(escalate_at__lte=before).exists()
    assert not Concern.objects.filter(escalate_at__lte=before).exists()
    # Every member sees all their enquiries; every owner those they own.
    member = Member.objects.annotate(filed=Count("enquiries")).order_by("-filed").first()
    assert enquiries_visible_to(member.user).filter(member=member).count() == member.filed
    enquiry = Enquiry.objects.filter(rung=2).select_related("owner__user").first()
    if enquiry is not None:
        assert enquiries_visible_to(enquiry.owner.user).filter(pk=enquiry.pk).exists()
    joined = Concern.objects.filter(Q(state=ConcernState.MO_REVIEW) | Q(state=ConcernState.INFORMAL_ACTION)).first()
    assert concerns_visible_to(joined.complainant_user).filter(pk=joined.pk).exists()


def test_it_numbers_references_uniquely_and_later_filings_follow_on(seeded):
    references = list(Enquiry.objects.values_list("reference", flat=True))
    assert len(set(references)) == len(references)
    year = timezone.localdate().year
    last = ReferenceSequence.objects.get(prefix="ENQ", year=year).last_number
    member = Member.objects.current().first()
    service = Enquiry.objects.filter(member=member).first().service
    filed = services.enquiry_file(member=member, subject="S", details="D", service=service, purpose=Purpose.INFORMATION)
    assert filed.reference == f"ENQ-{year}-{last + 1:05d}"


def test_it_leaves_summaries_that_agree_with_a_recount_and_sane_figures(seeded):
    assert summaries.recounted_for_check() == summaries.summarised()
    out = StringIO()
    call_command("refresh_dashboards", check=True, stdout=out)
    assert "agree" in out.getvalue()

    assert sum(totals("enq.received").values()) == ENQUIRIES
    assert sum(totals("con.opened").values()) == CONCERNS
    on_time, late = sum(totals("enq.on_time").values()), sum(totals("enq.late").values())
    assert 0.75 < on_time / (on_time + late) < 0.92
    rungs = totals("enq.escalations")
    assert rungs["1"] >= rungs["2"] >= rungs["3"]
    reached = totals("con.reached")
    assert reached["1"] >= reached["2"] >= reached["3"] >= reached["4"]

    this_year = municipal_year_of(timezone.localdate())
    for period in (this_year, municipal_year_of(this_year.start - timedelta(days=1000))):
        figures = dashboard(period, audience=OPERATIONAL)
        headline = {label: cell for label, cell, _ in figures.headline}
        assert 0 < headline["Enquiries received"].value < ENQUIRIES / 5
        share = headline["Answered or holding reply within five working days"].value
        assert 70 <= share <= 95

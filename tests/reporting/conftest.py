"""Fixtures for the reporting tests; the `org` council is in tests/conftest.py."""

from types import SimpleNamespace

import pytest

# --- A hand-built history for the reporting tests (tests/reporting/test_summaries.py, test_figures.py) ---
#
# England, 2026. Tuesday 19 May: seven enquiries are filed, each due by the end of Wednesday 27 May
# (the fifth working day: Monday 25 May is the Spring bank holiday). Monday 1 June: one more.
# Monday 8 June: six concerns are raised. Everything has settled by Monday 6 July.


def london(year: int, month: int, day: int, hour: int = 10, minute: int = 0):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Europe/London"))


FILED = london(2026, 5, 19, 10)
SETTLED = london(2026, 7, 6, 9)


@pytest.fixture
def history(org):
    """Enquiries and concerns through the real services, with explicit times (see above).

    Tuesday 19 May, Highways (six) and Libraries (one):
    - ``on_time``: answered Wednesday 27 May 17:30, the fifth working day's evening: on time, 5 working days;
    - ``late``: climbs to the Head of Service at 08:00 on Thursday 28 May, answered at 09:00: late, 6 days;
    - ``held``: holding reply Friday 22 May (target Friday 5 June), answered Wednesday 3 June: on time, 10 days;
    - ``open``: never answered: missed; climbs to rungs 1, 2 and 3 (28 May, 4 June, 11 June);
    - ``declined``: declined by the Head of Service on 20 May (a response, on time), disputed on 21 May;
    - ``withdrawn``: withdrawn by the councillor on 21 May, unanswered, before its deadline: in neither;
    - ``libraries``: answered Tuesday 26 May: on time, 4 working days.
    Monday 1 June, Highways: ``next_day``, answered Tuesday 2 June: on time, 1 working day.

    Monday 8 June, all about Highways officers:
    - ``resolved``: councillor about the liaison officer, stage 1, resolved 10 June (2 working days);
    - ``informal``: liaison officer about the councillor, not able to talk (stage 2), sent to the Monitoring
      Officer 12 June (stage 3), informal action 22 June (10 working days);
    - ``formal``: engineer about councillor2 with a safeguarding flag (stage 3), formal action proposed 15 June
      (stage 4), sanctions recorded 1 July (17 working days): group discipline and a contact prohibition;
    - ``duties``: councillor about the engineer over duties, stage 1, escalated to stage 2 on 12 June, open;
    - ``withdrawn``: councillor2 about the liaison officer, stage 1, withdrawn 9 June;
    - ``referred``: councillor about the engineer, not able to talk (stage 2), referred to the police 16 June
      (6 working days).
    Behaviours: the first is cited by ``resolved`` and ``informal``, the second by ``informal``.
    A positive example is recorded in Highways on 10 June.
    """
    from datetime import date

    from cases.concerns import services as cs
    from cases.enquiries.deadlines import enquiry_deadline_sweep
    from cases.enquiries.services import (
        enquiry_answer,
        enquiry_decline,
        enquiry_dispute,
        enquiry_file,
        enquiry_hold,
        enquiry_withdraw,
    )
    from cases.models import Behaviour, Enquiry, ExternalReferral, InformalAction, Marking, Purpose, Sanction
    from cases.positive import services as positive_services
    from people.models import ContactProhibition

    def file(subject, *, service=None, now=FILED):
        return enquiry_file(
            member=org.councillor,
            subject=subject,
            details="Details.",
            service=service or org.highways,
            purpose=Purpose.INFORMATION,
            now=now,
        )

    def answer(enquiry, now):
        enquiry = Enquiry.objects.get(pk=enquiry.pk)
        return enquiry_answer(
            enquiry=enquiry,
            actor=enquiry.owner.user,
            text="The answer.",
            marking=Marking.PUBLIC,
            contains_personal_data=False,
            now=now,
        )

    e = SimpleNamespace()
    e.on_time = file("On time")
    e.late = file("Late")
    e.held = file("Held")
    e.open = file("Open")
    e.declined = file("Declined")
    e.withdrawn = file("Withdrawn")
    e.libraries = file("Libraries", service=org.libraries)

    enquiry_decline(enquiry=e.declined, actor=org.head.user, reasons="Not for us.", now=london(2026, 5, 20))
    enquiry_dispute(enquiry=e.declined, actor=org.councillor.user, reasons="It is.", now=london(2026, 5, 21))
    enquiry_withdraw(enquiry=e.withdrawn, actor=org.councillor.user, now=london(2026, 5, 21))
    enquiry_hold(
        enquiry=e.held, actor=org.liaison.user, reason="Checking.", target_on=date(2026, 6, 5), now=london(2026, 5, 22)
    )
    answer(e.libraries, london(2026, 5, 26))
    answer(e.on_time, london(2026, 5, 27, 17, 30))
    enquiry_deadline_sweep(now=london(2026, 5, 28, 8))
    answer(e.late, london(2026, 5, 28, 9))
    e.next_day = file("Next day", now=london(2026, 6, 1))
    answer(e.next_day, london(2026, 6, 2))
    answer(e.held, london(2026, 6, 3, 11))
    for climb in (london(2026, 6, 4, 8), london(2026, 6, 11, 8), london(2026, 6, 18, 8)):
        enquiry_deadline_sweep(now=climb)

    first, second = Behaviour.objects.order_by("pk")[:2]
    raised = london(2026, 6, 8)

    def raise_(by, *, about_member=None, about_officer=None, able=True, safeguarding=False, duties=False, cites=()):
        return cs.concern_raise(
            raised_by=by,
            about_member=about_member,
            about_officer=about_officer,
            duties=duties,
            occurred_on=date(2026, 6, 5),
            what_happened="What happened.",
            behaviours=cites,
            feels_able_to_talk=able,
            safeguarding=safeguarding,
            now=raised,
        )

    c = SimpleNamespace()
    c.resolved = raise_(org.councillor.user, about_officer=org.liaison, cites=[first])
    c.informal = raise_(org.liaison.user, about_member=org.councillor, able=False, cites=[first, second])
    c.formal = raise_(org.colleague.user, about_member=org.councillor2, safeguarding=True)
    c.duties = raise_(org.councillor.user, about_officer=org.colleague, duties=True)
    c.withdrawn = raise_(org.councillor2.user, about_officer=org.liaison)
    c.referred = raise_(org.councillor.user, about_officer=org.colleague, able=False)

    mo = org.monitoring.user
    cs.concern_withdraw(concern=c.withdrawn, actor=org.councillor2.user, now=london(2026, 6, 9))
    cs.concern_resolve(concern=c.resolved, actor=org.councillor.user, outcome="Talked.", now=london(2026, 6, 10))
    cs.concern_escalate(concern=c.informal, actor=org.head.user, reason="Needs the MO.", now=london(2026, 6, 12))
    cs.concern_escalate(concern=c.duties, actor=org.councillor.user, reason="No luck.", now=london(2026, 6, 12))
    cs.concern_propose_formal_action(concern=c.formal, actor=mo, reason="Serious.", now=london(2026, 6, 15))
    cs.concern_refer(
        concern=c.referred,
        actor=org.head.user,
        kind=ExternalReferral.Kind.POLICE,
        details="Threats.",
        outcome="Referred to the police.",
        now=london(2026, 6, 16),
    )
    cs.concern_informal_action(
        concern=c.informal,
        actor=mo,
        steps=[cs.InformalStep(InformalAction.Kind.ADVICE, "Be courteous.", InformalAction.GivenBy.MONITORING_OFFICER)],
        outcome="Words of advice.",
        now=london(2026, 6, 22),
    )
    cs.concern_sanctions_record(
        concern=c.formal,
        actor=mo,
        sanctions=[
            cs.SanctionSpec(kind=Sanction.Kind.GROUP_DISCIPLINARY, details="Suspended from the group."),
            cs.SanctionSpec(
                kind=Sanction.Kind.CONTACT_PROHIBITION,
                scope=ContactProhibition.Scope.OFFICER,
                officer=org.colleague,
                starts_on=date(2026, 7, 1),
                ends_on=date(2027, 6, 30),
            ),
        ],
        outcome="Formal action.",
        now=london(2026, 7, 1),
    )
    example = positive_services.positive_example_record(
        recorded_by=org.liaison.user,
        title="A helpful briefing",
        what_happened="The officer briefed the councillor well.",
        happened_on=date(2026, 6, 9),
        service=org.highways,
        now=london(2026, 6, 10),
    )
    return SimpleNamespace(enquiries=e, concerns=c, behaviours=(first, second), example=example)

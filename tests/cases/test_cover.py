"""Cover while away (issue 15 C11): who may set it, the rules a council expects of it, ending
it early, and the officer and the colleague told each time.

The clock is moved by passing ``now=`` to the services: Monday 1 March 2027 throughout. In
``org`` the liaison officer and their colleague report to the Head of Service; the outsider
works in Libraries.
"""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections

from cases.cover.services import CoverAlreadySet, CoverConflict, cover_end, cover_set
from cases.models import Notification
from people.models import COVER_MOST_DAYS, Cover
from tests.factories import OfficerFactory

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2027, 3, 1, 10, tzinfo=LONDON)  # a Monday
TODAY = date(2027, 3, 1)


def day(n: int) -> date:
    """``n`` days after TODAY."""
    return TODAY + timedelta(days=n)


@pytest.fixture
def committed(django_capture_on_commit_callbacks, mailoutbox):
    """Run a service and what it queues after commit; mailoutbox then holds what it sent."""

    def run(action, **kwargs):
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            return action(**kwargs)

    return run


@pytest.fixture
def set_cover(committed):
    def run(officer, covered_by, *, actor=None, starts_on=TODAY, ends_on=None, now=NOW, **kwargs):
        return committed(
            cover_set,
            officer=officer,
            covered_by=covered_by,
            starts_on=starts_on,
            ends_on=ends_on or day(4),
            actor=actor or officer.user,
            now=now,
            **kwargs,
        )

    return run


def errors_of(raised: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return raised.value.message_dict


def sent(mailoutbox) -> list[tuple[str, str]]:
    return sorted((message.to[0], message.subject) for message in mailoutbox)


# --- Who may set it ----------------------------------------------------------------------------


def test_it_lets_an_officer_set_up_cover_for_themselves_and_tells_both(org, set_cover, mailoutbox):
    cover = set_cover(org.liaison, org.colleague, starts_on=day(2), ends_on=day(4))

    assert (cover.officer, cover.covered_by, cover.starts_on, cover.ends_on) == (
        org.liaison, org.colleague, day(2), day(4)
    )  # fmt: skip
    assert cover.created_by == org.liaison.user
    period = "from Wednesday 3 March 2027 to Friday 5 March 2027"
    assert sent(mailoutbox) == sorted(
        [
            (org.liaison.user.email, f"{org.colleague.name} will cover for you {period}"),
            (org.colleague.user.email, f"You will cover for {org.liaison.name} {period}"),
        ]
    )
    to_colleague = next(message for message in mailoutbox if message.to == [org.colleague.user.email])
    assert "new enquiries that would go to" in to_colleague.body
    assert "/work/cover/" in to_colleague.body
    assert Notification.objects.filter(template="cover").count() == 2


def test_it_lets_the_line_manager_set_up_cover_for_their_report(org, set_cover, mailoutbox):
    cover = set_cover(org.liaison, org.colleague, actor=org.head.user)

    assert cover.created_by == org.head.user
    to_officer = next(message for message in mailoutbox if message.to == [org.liaison.user.email])
    assert f"{org.head.name} set it up." in to_officer.body


@pytest.mark.parametrize(
    "who",
    [
        "colleague",  # a colleague in the same service
        "outsider",  # an officer in another service
        "assistant",  # their manager's manager: the line manager sets it, not the whole chain
        "monitoring",
    ],
)
def test_it_refuses_anyone_but_the_officer_and_their_line_manager(org, set_cover, who):
    with pytest.raises(PermissionDenied):
        set_cover(org.liaison, org.outsider if who != "outsider" else org.colleague, actor=getattr(org, who).user)
    assert not Cover.objects.exists()


def test_it_refuses_a_councillor_and_someone_who_has_left(org, set_cover):
    with pytest.raises(PermissionDenied):
        set_cover(org.liaison, org.colleague, actor=org.councillor.user)
    org.liaison.left_on = TODAY - timedelta(days=1)
    org.liaison.save()
    with pytest.raises(PermissionDenied):
        set_cover(org.liaison, org.colleague)
    assert not Cover.objects.exists()


# --- The colleague ------------------------------------------------------------------------------


def test_it_refuses_the_officer_as_their_own_cover(org, set_cover):
    with pytest.raises(ValidationError) as raised:
        set_cover(org.liaison, org.liaison)
    assert errors_of(raised) == {
        "covered_by": [f"Choose a colleague to cover for {org.liaison.name}, not {org.liaison.name} themselves"]
    }


def test_it_refuses_a_colleague_who_leaves_before_the_cover_ends(org, set_cover):
    org.colleague.left_on = day(3)
    org.colleague.save()
    with pytest.raises(ValidationError) as raised:
        set_cover(org.liaison, org.colleague, ends_on=day(4))
    assert errors_of(raised)["covered_by"] == [
        f"{org.colleague.name} leaves the council on Thursday 4 March 2027, before the cover ends: "
        "choose a colleague who is here for all of it"
    ]
    # Leaving on the last day of the cover is fine.
    assert set_cover(org.liaison, org.colleague, ends_on=day(3)).ends_on == day(3)


@pytest.mark.parametrize("how", ["left", "inactive", "anonymised"])
def test_it_refuses_a_colleague_who_no_longer_works_there(org, set_cover, how):
    if how == "left":
        org.colleague.left_on = TODAY - timedelta(days=1)
        org.colleague.save()
    elif how == "inactive":
        org.colleague.user.is_active = False
        org.colleague.user.save()
    else:
        org.colleague.anonymised_at = NOW
        org.colleague.save()
    with pytest.raises(ValidationError) as raised:
        set_cover(org.liaison, org.colleague)
    assert errors_of(raised) == {
        "covered_by": [f"{org.colleague.name} no longer works for the council: choose a serving colleague"]
    }


# --- The days -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "field", "message"),
    [
        (TODAY - timedelta(days=1), day(3), "starts_on", "The first day must be today or later"),
        (day(3), day(2), "ends_on", "The last day must be the same as or after the first day"),
        (
            TODAY,
            day(COVER_MOST_DAYS),
            "ends_on",
            f"Cover can last at most {COVER_MOST_DAYS} days: choose an earlier last day",
        ),
    ],
    ids=["first-day-past", "last-before-first", "too-long"],
)
def test_it_refuses_days_that_make_no_sense(org, set_cover, starts_on, ends_on, field, message):
    with pytest.raises(ValidationError) as raised:
        set_cover(org.liaison, org.colleague, starts_on=starts_on, ends_on=ends_on)
    assert errors_of(raised) == {field: [message]}


def test_it_takes_a_single_day_and_the_longest_cover(org, set_cover):
    assert set_cover(org.liaison, org.colleague, starts_on=TODAY, ends_on=TODAY).period == "on Monday 1 March 2027"
    longest = set_cover(org.head, org.other_head, starts_on=day(1), ends_on=day(COVER_MOST_DAYS))
    assert (longest.ends_on - longest.starts_on).days + 1 == COVER_MOST_DAYS


# (first day, last day) of a second cover for the liaison officer, who has cover from day 2 to day 6.
OVERLAPS = [
    pytest.param(day(2), day(6), id="the-same-days"),
    pytest.param(day(0), day(2), id="ending-on-its-first-day"),
    pytest.param(day(6), day(9), id="starting-on-its-last-day"),
    pytest.param(day(3), day(4), id="inside-it"),
    pytest.param(day(0), day(9), id="around-it"),
]


@pytest.mark.parametrize(("starts_on", "ends_on"), OVERLAPS)
def test_it_refuses_a_second_cover_for_days_the_first_covers(org, set_cover, starts_on, ends_on):
    set_cover(org.liaison, org.colleague, starts_on=day(2), ends_on=day(6))
    with pytest.raises(ValidationError) as raised:
        set_cover(org.liaison, org.outsider, starts_on=starts_on, ends_on=ends_on, actor=org.head.user)
    assert errors_of(raised) == {
        "starts_on": [
            f"{org.liaison.name} already has cover from Wednesday 3 March 2027 to Sunday 7 March 2027, by "
            f"{org.colleague.name}. Choose days that do not overlap it, or end that cover first"
        ]
    }
    assert Cover.objects.count() == 1


def test_it_takes_covers_one_after_another(org, set_cover):
    set_cover(org.liaison, org.colleague, starts_on=day(2), ends_on=day(6))
    set_cover(org.liaison, org.outsider, starts_on=day(7), ends_on=day(9))
    set_cover(org.liaison, org.outsider, starts_on=day(0), ends_on=day(1))
    assert Cover.objects.filter(officer=org.liaison).count() == 3


def test_it_takes_new_days_once_a_cover_was_cancelled(org, set_cover, committed):
    first = set_cover(org.liaison, org.colleague, starts_on=day(2), ends_on=day(6))
    committed(cover_end, cover=first, actor=org.liaison.user, now=NOW)
    assert set_cover(org.liaison, org.outsider, starts_on=day(2), ends_on=day(6)).covered_by == org.outsider


# --- No chains: cover is followed one step, and never set up to need more -------------------------


def test_it_refuses_a_colleague_who_is_away_themselves_then(org, set_cover):
    set_cover(org.colleague, org.outsider, starts_on=day(3), ends_on=day(5))
    with pytest.raises(ValidationError) as raised:
        set_cover(org.liaison, org.colleague, starts_on=day(1), ends_on=day(3))
    assert errors_of(raised) == {
        "covered_by": [
            f"{org.colleague.name} is away themselves from Thursday 4 March 2027 to Saturday 6 March 2027 "
            f"({org.outsider.name} covers for them). Choose a colleague who is not away on those days"
        ]
    }
    # Before they go, they can.
    assert set_cover(org.liaison, org.colleague, starts_on=day(1), ends_on=day(2)).covered_by == org.colleague


def test_it_refuses_a_loop_a_covering_for_b_while_b_covers_for_a(org, set_cover):
    set_cover(org.liaison, org.colleague, starts_on=day(1), ends_on=day(5))
    with pytest.raises(ValidationError) as raised:
        set_cover(org.colleague, org.liaison, starts_on=day(4), ends_on=day(8))
    messages = errors_of(raised)
    assert messages["covered_by"] == [
        f"{org.liaison.name} is away themselves from Tuesday 2 March 2027 to Saturday 6 March 2027 "
        f"({org.colleague.name} covers for them). Choose a colleague who is not away on those days"
    ]
    assert messages["starts_on"] == [
        f"{org.colleague.name} is covering for {org.liaison.name} from Tuesday 2 March 2027 to Saturday 6 March "
        f"2027. End or change that cover first, so that {org.liaison.name}'s work does not go to someone who is away"
    ]
    assert Cover.objects.count() == 1


def test_it_refuses_to_let_a_colleague_covering_for_someone_be_away_then(org, set_cover):
    set_cover(org.liaison, org.colleague, starts_on=day(1), ends_on=day(5))
    with pytest.raises(ValidationError) as raised:
        set_cover(org.colleague, org.outsider, starts_on=day(5), ends_on=day(8))
    assert list(errors_of(raised)) == ["starts_on"]
    assert set_cover(org.colleague, org.outsider, starts_on=day(6), ends_on=day(8)).covered_by == org.outsider


def _set_in_thread(kwargs: dict, start: threading.Barrier, made: list, refused: list) -> None:
    try:
        start.wait(timeout=10)
        made.append(cover_set(**kwargs))
    except ValidationError as error:
        refused.append(error)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("race", ["the-same-officer", "a-loop"])
def test_two_people_setting_covers_at_once_cannot_slip_an_overlap_or_a_loop_past_the_rules(org, race):
    """The liaison officer and their manager at the same moment: one is set up, the other is
    told why not, whichever commits first."""
    first = {"officer": org.liaison, "covered_by": org.colleague, "actor": org.liaison.user}
    if race == "the-same-officer":
        second = {"officer": org.liaison, "covered_by": org.outsider, "actor": org.head.user}
    else:
        second = {"officer": org.colleague, "covered_by": org.liaison, "actor": org.head.user}
    days = {"starts_on": day(1), "ends_on": day(5), "now": NOW}
    start, made, refused = threading.Barrier(2), [], []
    threads = [
        threading.Thread(target=_set_in_thread, args=({**kwargs, **days}, start, made, refused))
        for kwargs in (first, second)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert (len(made), len(refused)) == (1, 1)
    assert Cover.objects.count() == 1


# --- A form sent twice ------------------------------------------------------------------------------


def test_it_sets_up_a_cover_sent_twice_once(org, set_cover):
    key = "6f1c1f0e-8f7e-4d5c-9a4b-0b8e5a2f1d11"
    first = set_cover(org.liaison, org.colleague, submission_key=key)
    with pytest.raises(CoverAlreadySet) as raised:
        set_cover(org.liaison, org.colleague, submission_key=key)
    assert raised.value.cover == first
    assert Cover.objects.count() == 1


# --- Ending it early ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["liaison", "head", "colleague"])
def test_the_officer_their_manager_or_the_colleague_ends_a_cover_in_force_now(
    org, set_cover, committed, mailoutbox, who
):
    cover = set_cover(org.liaison, org.colleague, starts_on=day(0), ends_on=day(4))
    later = NOW + timedelta(days=2)  # Wednesday 3 March

    ended = committed(cover_end, cover=cover, actor=getattr(org, who).user, expected_version=1, now=later)

    # Its last day is now yesterday: from now on the officer's work comes to them again.
    assert (ended.ends_on, ended.ended_early_by, ended.version) == (day(1), getattr(org, who).user, 2)
    assert not ended.is_in_force(on=day(2))
    assert not Cover.objects.in_force(on=day(2)).exists()
    assert Cover.objects.in_force(on=day(1)).get() == cover  # the days it was in force stay on record
    assert sent(mailoutbox) == sorted(
        [
            (org.liaison.user.email, f"{org.colleague.name} no longer covers for you"),
            (org.colleague.user.email, f"You no longer cover for {org.liaison.name}"),
        ]
    )
    assert f"{getattr(org, who).name} has ended" in mailoutbox[0].body


def test_ending_a_cover_yet_to_start_cancels_it(org, set_cover, committed):
    cover = set_cover(org.liaison, org.colleague, starts_on=day(3), ends_on=day(4))
    ended = committed(cover_end, cover=cover, actor=org.liaison.user, now=NOW)
    assert ended.ends_on == day(2)
    assert ended.period == "cancelled before it began on Thursday 4 March 2027"
    assert not Cover.objects.not_over(on=TODAY).exists()
    assert not any(Cover.objects.in_force(on=day(n)).exists() for n in range(6))


def test_it_refuses_to_end_a_cover_twice(org, set_cover, committed):
    cover = set_cover(org.liaison, org.colleague)
    committed(cover_end, cover=cover, actor=org.liaison.user, now=NOW + timedelta(days=1))
    with pytest.raises(ValidationError):
        committed(cover_end, cover=cover, actor=org.liaison.user, now=NOW + timedelta(days=1))


def test_it_refuses_to_end_a_cover_changed_since_the_page_was_loaded(org, set_cover, committed):
    cover = set_cover(org.liaison, org.colleague)
    committed(cover_end, cover=cover, actor=org.head.user, expected_version=1, now=NOW + timedelta(days=1))
    with pytest.raises(CoverConflict, match="was changed by someone else"):
        committed(cover_end, cover=cover, actor=org.liaison.user, expected_version=1, now=NOW + timedelta(days=1))


@pytest.mark.parametrize("who", ["outsider", "assistant", "councillor", "stranger"])
def test_it_refuses_anyone_else_ending_a_cover(org, set_cover, committed, who):
    cover = set_cover(org.liaison, org.colleague)
    actor = getattr(org, who)
    with pytest.raises(PermissionDenied):
        committed(cover_end, cover=cover, actor=getattr(actor, "user", actor), now=NOW)
    cover.refresh_from_db()
    assert cover.ends_on == day(4)


# --- In force by the dates alone ---------------------------------------------------------------------


def test_a_cover_is_in_force_on_its_days_and_ends_by_itself(org, set_cover):
    cover = set_cover(org.liaison, org.colleague, starts_on=day(2), ends_on=day(4))
    in_force = [n for n in range(-1, 8) if Cover.objects.in_force(on=day(n)).filter(pk=cover.pk).exists()]
    assert in_force == [2, 3, 4]
    assert [n for n in range(-1, 8) if cover.is_in_force(on=day(n))] == [2, 3, 4]


def test_a_cover_is_not_in_force_once_the_colleague_has_left(org, set_cover):
    cover = set_cover(org.liaison, org.colleague, starts_on=day(0), ends_on=day(4))
    org.colleague.left_on = day(1)
    org.colleague.save()
    assert [n for n in range(6) if Cover.objects.in_force(on=day(n)).filter(pk=cover.pk).exists()] == [0, 1]


def test_the_database_refuses_a_cover_by_the_officer_themselves(org):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Cover.objects.create(
            officer=org.liaison, covered_by=org.liaison, starts_on=TODAY, ends_on=TODAY, created_by=org.liaison.user
        )


def test_an_extra_officer_can_cover(org, set_cover):
    """Anyone serving in the council may cover, not only the officer's own service."""
    planner = OfficerFactory(user__username="planner", job_title="Planner")
    assert set_cover(org.liaison, planner).covered_by == planner

"""Briefings offered to every political group (DESIGN §6; 001 §9.2, §9.5.2, 002 "Support to
Political Groups"): the services, the compliance rule, the pages and who may use them."""

from datetime import date, timedelta
from uuid import uuid4

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.briefings import services as briefing_services
from cases.briefings.selectors import briefings_not_offered_to_every_group, briefings_visible_to, groups_left_out
from cases.models import Briefing, BriefingOffer, BriefingResponse, Notification
from cases.shared.submissions import AlreadySubmitted
from people.models import StatutoryRole
from people.roles import Role, role_group_name
from people.services import role_groups_sync
from tests.factories import MemberFactory, OfficerFactory, PoliticalGroupFactory, UserFactory, appoint

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)


@pytest.fixture
def groups(org):
    """Three party groups, each with a leader and a whip, and an independent councillor."""
    found = {}
    for short, name in (("Civ", "Civic Party"), ("Grn", "Green Group"), ("Ind", "Independent Alliance")):
        group = PoliticalGroupFactory(name=name, short_name=short) if name != "Civic Party" else org.councillor.group
        group.short_name = short
        group.save()
        leader = (
            org.councillor
            if name == "Civic Party"
            else MemberFactory(user__username=f"leader.{short.lower()}", group=None)
        )
        leader.group = group
        leader.save()
        whip = MemberFactory(user__username=f"whip.{short.lower()}", group=group)
        group.leader = leader
        group.save()
        group.whips.set([whip])
        found[short] = group
    # The org's other councillors were given groups of their own by the factory: independents here.
    for member in (org.councillor2, org.standards_member):
        old = member.group
        member.group = None
        member.save()
        old.delete()
    MemberFactory(user__username="independent", group=None)
    role_groups_sync()
    return found


def record(org, groups, **overrides):
    values = {
        "recorded_by": org.head.user,
        "subject": "Highways capital programme",
        "given_by": org.head,
        "takes_place_on": TODAY + timedelta(days=10),
        "offered_to": groups["Civ"],
    }
    return briefing_services.briefing_record(**(values | overrides))


def name(user, first: str, last: str) -> None:
    user.first_name, user.last_name = first, last
    user.save()


def offer_of(briefing, group):
    return BriefingOffer.objects.get(briefing=briefing, group=group)


def democratic_services():
    user = UserFactory(username="democratic.services")
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get_or_create(name=role_group_name(Role.DEMOCRATIC_SERVICES))[0])
    return user


# === Services ================================================================================


class TestRecording:
    def test_it_offers_a_briefing_offered_to_one_group_to_every_group(self, org, groups):
        """001 §9.5.2: any briefing offered to a party group is offered to the other party groups."""
        briefing = record(org, groups)

        offered = set(briefing.offers.values_list("group__short_name", flat=True))
        assert offered == {"Civ", "Grn", "Ind"}
        assert briefing.first_offered_to == groups["Civ"]
        assert set(briefing.offers.values_list("response", flat=True)) == {BriefingResponse.NO_REPLY}
        assert briefing.reference.startswith(f"BRF-{timezone.localdate().year}-")

    def test_it_makes_no_offer_to_independent_councillors(self, org, groups):
        """Independents are in no party group (001 §9.5.2 speaks of party groups)."""
        briefing = record(org, groups)

        assert briefing.offers.count() == 3
        assert not Notification.objects.filter(recipient__username="independent").exists()

    def test_it_tells_every_groups_leader_and_whips_in_the_portal_and_by_email(
        self, org, groups, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            briefing = record(org, groups)

        told = set(Notification.objects.filter(briefing=briefing).values_list("recipient__username", flat=True))
        assert told == {"councillor", "whip.civ", "leader.grn", "whip.grn", "leader.ind", "whip.ind"}
        assert len(mail.outbox) == 6
        green = next(m for m in mail.outbox if m.to == ["leader.grn@example.org"])
        assert "Green Group" in green.subject
        assert briefing.get_absolute_url() in green.body

    def test_it_makes_every_offer_or_none_in_one_transaction(self, org, groups, monkeypatch):
        calls = []
        real = briefing_services._offer

        def failing(**kwargs):
            calls.append(kwargs["group"])
            if len(calls) == 2:
                raise RuntimeError("the database went away")
            return real(**kwargs)

        monkeypatch.setattr(briefing_services, "_offer", failing)
        with pytest.raises(RuntimeError):
            record(org, groups)

        assert not Briefing.objects.exists()
        assert not BriefingOffer.objects.exists()

    def test_it_offers_only_the_groups_that_exist_on_the_day(self, org, groups):
        later = PoliticalGroupFactory(name="New Group", formed_on=TODAY + timedelta(days=30))
        gone = PoliticalGroupFactory(name="Old Group", dissolved_on=TODAY)

        briefing = record(org, groups)

        offered = set(briefing.offers.values_list("group__name", flat=True))
        assert later.name not in offered and gone.name not in offered

    def test_it_refuses_a_group_that_does_not_exist_on_the_day(self, org, groups):
        later = PoliticalGroupFactory(name="New Group", formed_on=TODAY + timedelta(days=30))

        with pytest.raises(ValidationError) as error:
            record(org, groups, offered_to=later)

        assert "does not exist on the day" in str(error.value)

    def test_it_records_one_briefing_for_a_form_sent_twice(self, org, groups):
        key = uuid4()
        first = record(org, groups, submission_key=key)

        with pytest.raises(AlreadySubmitted) as already:
            record(org, groups, submission_key=key)

        assert already.value.case == first
        assert Briefing.objects.count() == 1
        assert BriefingOffer.objects.count() == 3


class TestResponses:
    def test_it_records_a_groups_response_with_who_and_when(self, org, groups):
        briefing = record(org, groups)
        offer = offer_of(briefing, groups["Grn"])
        leader = groups["Grn"].leader.user

        briefing_services.briefing_response_record(
            offer=offer, actor=leader, response=BriefingResponse.ACCEPTED, expected_version=offer.version
        )

        offer.refresh_from_db()
        assert offer.response == BriefingResponse.ACCEPTED
        assert offer.responded_by == leader
        assert offer.responded_at is not None

    def test_it_lets_a_whip_or_the_recording_officer_record_it_but_no_one_else(self, org, groups):
        briefing = record(org, groups)
        offer = offer_of(briefing, groups["Grn"])

        briefing_services.briefing_response_record(
            offer=offer, actor=groups["Grn"].whips.get().user, response=BriefingResponse.DECLINED
        )
        briefing_services.briefing_response_record(offer=offer, actor=org.head.user, response=BriefingResponse.ACCEPTED)
        for outsider in (groups["Civ"].leader.user, org.outsider.user, org.monitoring.user):
            with pytest.raises(PermissionDenied):
                briefing_services.briefing_response_record(
                    offer=offer, actor=outsider, response=BriefingResponse.DECLINED
                )

        offer.refresh_from_db()
        assert offer.response == BriefingResponse.ACCEPTED

    def test_it_keeps_an_earlier_response_when_a_later_one_replaces_it(self, client, org, groups):
        """001 §9.5.2: the record shows who said what for each group, and when, not only the last word."""
        briefing = record(org, groups)
        offer = offer_of(briefing, groups["Grn"])
        whip, leader = groups["Grn"].whips.get().user, groups["Grn"].leader.user
        name(whip, "Wendy", "Whitlock")
        name(leader, "Leo", "Lamb")
        briefing_services.briefing_response_record(offer=offer, actor=whip, response=BriefingResponse.DECLINED)
        briefing_services.briefing_response_record(offer=offer, actor=leader, response=BriefingResponse.ACCEPTED)

        assert list(offer.changes.values_list("actor__username", "from_response", "to_response")) == [
            (whip.username, "no_reply", "declined"),
            (leader.username, "declined", "accepted"),
        ]
        with pytest.raises(ValueError):
            offer.changes.first().save()
        client.force_login(org.head.user)
        page = client.get(briefing.get_absolute_url()).content.decode()
        assert "Recorded by Leo Lamb" in page
        assert "Earlier: Declined (recorded by Wendy Whitlock" in page

    def test_it_refuses_a_response_from_an_out_of_date_page(self, org, groups):
        """Two people at once: the second is told, and the first response stands."""
        briefing = record(org, groups)
        offer = offer_of(briefing, groups["Grn"])
        loaded = offer.version
        briefing_services.briefing_response_record(
            offer=offer, actor=groups["Grn"].leader.user, response=BriefingResponse.ACCEPTED, expected_version=loaded
        )

        with pytest.raises(briefing_services.BriefingOfferConflict) as conflict:
            briefing_services.briefing_response_record(
                offer=offer,
                actor=groups["Grn"].whips.get().user,
                response=BriefingResponse.DECLINED,
                expected_version=loaded,
            )

        assert "changed by someone else" in str(conflict.value)
        offer.refresh_from_db()
        assert offer.response == BriefingResponse.ACCEPTED


# === The compliance rule =====================================================================


class TestComplianceRule:
    def test_it_counts_nothing_when_every_group_was_offered_it(self, org, groups):
        record(org, groups)

        assert not briefings_not_offered_to_every_group().exists()

    def test_it_finds_a_briefing_a_group_that_existed_on_its_day_was_left_out_of(self, org, groups):
        """A group formed after the briefing was recorded but by its day."""
        briefing = record(org, groups)
        formed = PoliticalGroupFactory(name="Breakaway Group", formed_on=TODAY + timedelta(days=5))

        assert list(briefings_not_offered_to_every_group()) == [briefing]
        assert groups_left_out(briefing) == [formed]

    def test_it_does_not_count_a_group_formed_after_the_briefing_or_dissolved_before_it(self, org, groups):
        briefing = record(org, groups)
        PoliticalGroupFactory(name="Later Group", formed_on=briefing.takes_place_on + timedelta(days=1))
        PoliticalGroupFactory(name="Former Group", dissolved_on=briefing.takes_place_on - timedelta(days=1))

        assert not briefings_not_offered_to_every_group().exists()

    def test_it_finds_a_briefing_entered_without_an_offer_to_every_group(self, org, groups):
        briefing = record(org, groups)
        BriefingOffer.objects.filter(briefing=briefing, group=groups["Ind"]).delete()

        assert list(briefings_not_offered_to_every_group()) == [briefing]

    def test_it_counts_a_declined_offer_as_offered(self, org, groups):
        briefing = record(org, groups)
        briefing_services.briefing_response_record(
            offer=offer_of(briefing, groups["Ind"]), actor=org.head.user, response=BriefingResponse.DECLINED
        )

        assert not briefings_not_offered_to_every_group().exists()

    def test_it_offers_the_groups_left_out_once(self, org, groups):
        briefing = record(org, groups)
        formed = PoliticalGroupFactory(name="Breakaway Group", formed_on=TODAY)

        made = briefing_services.briefing_offer_to_groups_left_out(
            briefing=briefing, actor=org.monitoring.user, expected_offers=3
        )
        with pytest.raises(ValidationError):
            briefing_services.briefing_offer_to_groups_left_out(
                briefing=briefing, actor=org.monitoring.user, expected_offers=3
            )

        assert [offer.group for offer in made] == [formed]
        assert not briefings_not_offered_to_every_group().exists()

    def test_it_lets_only_the_recorder_and_those_overseeing_offer_the_groups_left_out(self, org, groups):
        briefing = record(org, groups)
        with pytest.raises(PermissionDenied):
            briefing_services.briefing_offer_to_groups_left_out(briefing=briefing, actor=org.outsider.user)


# === Who sees what ===========================================================================


class TestVisibility:
    def test_it_shows_officers_what_they_recorded_or_give_and_leaders_their_groups_offers(self, org, groups):
        briefing = record(org, groups, recorded_by=org.liaison.user)

        for user in (org.liaison.user, org.head.user, groups["Grn"].leader.user, groups["Ind"].whips.get().user):
            assert list(briefings_visible_to(user)) == [briefing], user
        for user in (org.outsider.user, org.councillor2.user, org.chief.user):
            assert not briefings_visible_to(user).exists(), user

    def test_it_shows_every_briefing_to_the_monitoring_officer_deputies_and_democratic_services(self, org, groups):
        briefing = record(org, groups)
        deputy = OfficerFactory(user__username="deputy")
        appoint(deputy, StatutoryRole.MONITORING_OFFICER, deputy=True)
        role_groups_sync()

        for user in (org.monitoring.user, deputy.user, democratic_services()):
            assert list(briefings_visible_to(user)) == [briefing]


# === Pages ===================================================================================


def post_briefing(client, groups, **overrides):
    day = TODAY + timedelta(days=14)
    data = {
        "subject": "Road safety around schools",
        "kind": "group_briefing",
        "offered_to": groups["Grn"].pk,
        "given_by": "",
        "takes_place_on_0": day.day,
        "takes_place_on_1": day.month,
        "takes_place_on_2": day.year,
        "for_leadership": "no",
        "submission_key": str(uuid4()),
    }
    return client.post(reverse("cases:briefing_new"), data | overrides)


class TestPages:
    def test_it_records_a_briefing_and_shows_it_offered_to_every_group(self, client, org, groups):
        client.force_login(org.liaison.user)

        response = post_briefing(client, groups, given_by=org.head.pk)

        briefing = Briefing.objects.get()
        assert response.status_code == 302 and response["Location"] == briefing.get_absolute_url()
        page = client.get(briefing.get_absolute_url()).content.decode()
        for group in groups.values():
            assert group.name in page
        assert "Offered to every group" in page
        assert "offered to every political group (3)" in page

    def test_it_shows_the_errors_of_an_empty_form(self, client, org, groups):
        client.force_login(org.liaison.user)

        response = client.post(reverse("cases:briefing_new"), {})

        assert "There is a problem" in response.content.decode()
        assert "Enter what the briefing is about" in response.content.decode()
        assert not Briefing.objects.exists()

    def test_it_records_one_briefing_for_a_double_click(self, client, org, groups):
        client.force_login(org.liaison.user)
        key = str(uuid4())

        post_briefing(client, groups, given_by=org.head.pk, submission_key=key)
        second = post_briefing(client, groups, given_by=org.head.pk, submission_key=key)

        assert Briefing.objects.count() == 1
        assert second["Location"] == Briefing.objects.get().get_absolute_url()

    def test_it_refuses_the_form_to_councillors(self, client, org, groups):
        client.force_login(groups["Grn"].leader.user)

        assert client.get(reverse("cases:briefing_new")).status_code == 403

    def test_it_lets_a_leader_record_their_groups_response_and_see_only_theirs(self, client, org, groups):
        briefing = record(org, groups)
        briefing_services.briefing_response_record(
            offer=offer_of(briefing, groups["Civ"]), actor=org.councillor.user, response=BriefingResponse.DECLINED
        )
        offer = offer_of(briefing, groups["Grn"])
        client.force_login(groups["Grn"].leader.user)
        url = reverse("cases:briefing_response", args=[briefing.reference, offer.pk])

        page = client.get(briefing.get_absolute_url()).content.decode()
        response = client.post(url, {"response": "accepted", "version": offer.version})

        assert "Offered the same" in page and "Declined" not in page
        assert response.status_code == 302
        offer.refresh_from_db()
        assert offer.response == BriefingResponse.ACCEPTED
        other = offer_of(briefing, groups["Civ"])
        other_url = reverse("cases:briefing_response", args=[briefing.reference, other.pk])
        assert client.get(other_url).status_code == 403

    def test_it_tells_the_second_of_two_people_responding_at_once(self, client, org, groups):
        briefing = record(org, groups)
        offer = offer_of(briefing, groups["Grn"])
        url = reverse("cases:briefing_response", args=[briefing.reference, offer.pk])
        briefing_services.briefing_response_record(
            offer=offer, actor=groups["Grn"].leader.user, response=BriefingResponse.ACCEPTED
        )
        client.force_login(groups["Grn"].whips.get().user)

        response = client.post(url, {"response": "declined", "version": offer.version}, follow=True)

        assert "changed by someone else" in response.content.decode()
        offer.refresh_from_db()
        assert offer.response == BriefingResponse.ACCEPTED

    def test_it_hides_a_briefing_from_those_it_was_not_offered_to(self, client, org, groups):
        briefing = record(org, groups)
        client.force_login(org.outsider.user)

        assert client.get(briefing.get_absolute_url()).status_code == 404

    def test_it_lists_briefings_by_who_is_asking(self, client, org, groups):
        mine = record(org, groups, recorded_by=org.liaison.user, subject="Street lighting")
        other = record(org, groups, recorded_by=org.outsider.user, given_by=org.outsider, subject="Library hours")

        client.force_login(org.liaison.user)
        liaison = client.get(reverse("cases:briefings")).content.decode()
        client.force_login(groups["Ind"].whips.get().user)
        whip = client.get(reverse("cases:briefings")).content.decode()
        client.force_login(org.monitoring.user)
        monitoring = client.get(reverse("cases:briefings")).content.decode()

        assert mine.reference in liaison and other.reference not in liaison
        assert mine.reference in whip and other.reference in whip and "Your group’s response" in whip
        assert mine.reference in monitoring and other.reference in monitoring

    def test_it_refuses_the_list_to_a_councillor_who_speaks_for_no_group(self, client, org, groups):
        client.force_login(org.councillor2.user)

        assert client.get(reverse("cases:briefings")).status_code == 403

    def test_it_shows_the_compliance_view_to_those_overseeing_only(self, client, org, groups):
        left = record(org, groups, subject="Waste collection changes")
        kept = record(org, groups, subject="Pothole repairs", takes_place_on=TODAY - timedelta(days=30))
        PoliticalGroupFactory(name="Breakaway Group", formed_on=TODAY)
        url = reverse("cases:briefings_compliance")

        client.force_login(org.monitoring.user)
        page = client.get(url).content.decode()
        client.force_login(democratic_services())
        assert client.get(url).status_code == 200
        for refused in (org.head.user, groups["Civ"].leader.user, org.standards_member.user):
            client.force_login(refused)
            assert client.get(url).status_code == 403

        assert left.reference in page and "Breakaway Group" in page
        assert kept.reference not in page

    def test_it_offers_the_groups_left_out_from_the_briefings_page(self, client, org, groups):
        briefing = record(org, groups)
        PoliticalGroupFactory(name="Breakaway Group", formed_on=TODAY)
        client.force_login(org.monitoring.user)
        url = reverse("cases:briefing_offer_left_out", args=[briefing.reference])

        assert "Offer it to the groups left out" in client.get(briefing.get_absolute_url()).content.decode()
        client.post(url, {"version": 3})
        again = client.post(url, {"version": 3}, follow=True)

        assert briefing.offers.count() == 4
        assert "offered to more groups since you opened that page" in again.content.decode()

    def test_it_links_briefings_from_the_officers_header_and_the_leaders_home_page(self, client, org, groups):
        client.force_login(org.liaison.user)
        assert 'href="/briefings/"' in client.get("/").content.decode()
        client.force_login(groups["Grn"].leader.user)
        assert 'href="/briefings/"' in client.get("/").content.decode()


# === Query counts ============================================================================


@pytest.mark.parametrize("viewer", ["monitoring", "whip", "officer"])
def test_it_costs_the_briefing_lists_the_same_for_2_or_20_briefings(client, org, groups, viewer):
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            for url in (reverse("cases:briefings"), reverse("cases:briefings_compliance")):
                client.get(url)
        return len(queries)

    user = {"monitoring": org.monitoring.user, "whip": groups["Grn"].whips.get().user, "officer": org.head.user}
    client.force_login(user[viewer])
    for _ in range(2):
        record(org, groups)
    PoliticalGroupFactory(name="Breakaway Group", formed_on=TODAY)
    few = count()
    for _ in range(18):
        record(org, groups)

    assert count() == few

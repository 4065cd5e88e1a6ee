"""The questions later features ask of the organisation (DESIGN §2, §8)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from people import selectors
from people.models import Committee, Member, Officer, StatutoryRole
from tests.factories import (
    CommitteeFactory,
    MemberFactory,
    OfficerFactory,
    PoliticalGroupFactory,
    UserFactory,
    WardFactory,
    appoint,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain():
    """Chief Executive → Director → Head of Service → team manager → officer."""
    chief = OfficerFactory(job_title="Chief Executive", service=None)
    appoint(chief, StatutoryRole.HEAD_OF_PAID_SERVICE)
    director = OfficerFactory(job_title="Director", line_manager=chief)
    head = OfficerFactory(job_title="Head of Service", line_manager=director)
    manager = OfficerFactory(job_title="Team Manager", line_manager=head)
    officer = OfficerFactory(job_title="Officer", line_manager=manager)
    return chief, director, head, manager, officer


class TestManagementChain:
    def test_it_climbs_to_the_head_of_paid_service_nearest_first(self, chain):
        chief, director, head, manager, officer = chain
        assert selectors.officer_management_chain(officer=officer) == [manager, head, director, chief]

    def test_it_ends_with_the_head_of_paid_service_when_the_recorded_chain_stops_short(self, chain):
        chief, director, head, manager, officer = chain
        director.line_manager = None
        director.save()
        assert selectors.officer_management_chain(officer=officer) == [manager, head, director, chief]

    def test_it_is_empty_for_the_head_of_paid_service(self, chain):
        assert selectors.officer_management_chain(officer=chain[0]) == []

    def test_it_stops_at_a_loop_in_bad_data(self, chain):
        chief, director, head, manager, officer = chain
        Officer.objects.filter(pk=director.pk).update(line_manager=manager)
        officer.refresh_from_db()
        assert selectors.officer_management_chain(officer=officer) == [manager, head, director, chief]

    def test_it_refuses_a_line_manager_that_makes_a_loop(self, chain):
        _, director, _, _, officer = chain
        director.line_manager = officer
        with pytest.raises(ValidationError, match="their own line manager"):
            director.full_clean()


class TestWardMembers:
    def test_it_lists_serving_members_of_every_group(self):
        ward, other_ward = WardFactory(), WardFactory()
        red = MemberFactory(wards=[ward])
        blue = MemberFactory(wards=[ward])
        independent = MemberFactory(wards=[ward], group=None)
        MemberFactory(wards=[other_ward])
        MemberFactory(wards=[ward], left_office_on=datetime.date(2020, 5, 6))
        assert set(selectors.ward_members(ward=ward)) == {red, blue, independent}


class TestWhipsAndIndependents:
    def test_it_finds_the_whips_of_a_members_group(self):
        group = PoliticalGroupFactory()
        member = MemberFactory(group=group)
        whip, second_whip = MemberFactory(group=group), MemberFactory(group=group)
        group.whips.set([whip, second_whip])
        other_group = PoliticalGroupFactory()
        other_group.whips.set([MemberFactory(group=other_group)])
        assert set(selectors.member_whips(member=member)) == {whip, second_whip}
        assert member.is_independent is False

    def test_an_independent_has_no_whip(self):
        independent = MemberFactory(group=None)
        assert independent.is_independent is True
        assert list(selectors.member_whips(member=independent)) == []


class TestStatutoryRoles:
    def test_it_finds_the_monitoring_officer_not_the_deputy(self):
        deputy, monitoring_officer = OfficerFactory(), OfficerFactory()
        appoint(deputy, StatutoryRole.MONITORING_OFFICER, deputy=True)
        appoint(monitoring_officer, StatutoryRole.MONITORING_OFFICER)
        assert selectors.monitoring_officer() == monitoring_officer
        assert set(selectors.monitoring_officer_team()) == {deputy, monitoring_officer}

    def test_it_finds_the_director_of_people_services(self):
        director = OfficerFactory()
        appoint(director, StatutoryRole.DIRECTOR_OF_PEOPLE_SERVICES)
        assert selectors.director_of_people_services() == director

    def test_it_ignores_a_holder_who_has_left(self):
        leaver = OfficerFactory(left_on=datetime.date(2021, 3, 31))
        appoint(leaver, StatutoryRole.MONITORING_OFFICER)
        assert selectors.monitoring_officer() is None

    def test_it_allows_only_one_holder_of_a_statutory_role(self):
        appoint(OfficerFactory(), StatutoryRole.MONITORING_OFFICER)
        with pytest.raises(ValidationError, match="already holds this statutory role"):
            from people.models import StatutoryAppointment

            StatutoryAppointment(officer=OfficerFactory(), role=StatutoryRole.MONITORING_OFFICER).full_clean()

    def test_it_finds_the_chair_of_standards(self):
        chair = MemberFactory()
        CommitteeFactory(name="Audit", kind=Committee.Kind.AUDIT, chair=MemberFactory())
        CommitteeFactory(name="Standards", kind=Committee.Kind.STANDARDS, chair=chair)
        assert selectors.chair_of_standards() == chair

    def test_there_is_no_chair_of_standards_without_a_committee(self):
        assert selectors.chair_of_standards() is None


class TestMemberOrOfficer:
    def test_an_officer_cannot_also_be_a_member(self):
        officer = OfficerFactory()
        with pytest.raises(ValidationError, match="never both"):
            Member(user=officer.user).full_clean()

    def test_a_member_cannot_also_be_an_officer(self):
        member = MemberFactory()
        with pytest.raises(ValidationError, match="never both"):
            Officer(user=member.user, job_title="Clerk").full_clean()

    def test_a_new_user_can_be_either(self):
        Member(user=UserFactory()).full_clean()
        Officer(user=UserFactory(), job_title="Clerk").full_clean()


class TestOfficesHeld:
    def test_it_lists_council_offices_chairs_and_group_roles(self):
        group = PoliticalGroupFactory(name="Labour")
        member = MemberFactory(group=group)
        group.leader = member
        group.save()
        group.whips.set([member])
        member.officeheld_set.create(office="cabinet_member", portfolio="Housing")
        CommitteeFactory(name="Planning Committee", chair=member)
        assert member.offices_held() == [
            "Cabinet Member for Housing",
            "Chair of Planning Committee",
            "Group Leader, Labour",
            "Whip, Labour",
        ]

    def test_a_cabinet_member_needs_a_portfolio(self):
        from people.models import OfficeHeld

        with pytest.raises(ValidationError, match="needs a portfolio"):
            OfficeHeld(member=MemberFactory(), office="cabinet_member").full_clean()

    def test_there_is_one_leader_of_the_council(self):
        from people.models import OfficeHeld

        OfficeHeld.objects.create(member=MemberFactory(), office="leader")
        with pytest.raises(ValidationError, match="already holds this office"):
            OfficeHeld(member=MemberFactory(), office="leader").full_clean()

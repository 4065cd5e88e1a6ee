from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from people.roles import Role
from people.services import role_groups_sync
from tests.factories import MemberFactory, PoliticalGroupFactory, UserFactory, WardFactory


@pytest.fixture
def wards(org):
    """Two wards with members of three groups and none (001 §9.4), a member for both, a
    member who has left office, and a third ward whose member is not told."""
    red, blue = PoliticalGroupFactory(name="Red Party"), PoliticalGroupFactory(name="Blue Party")
    riverside, hilltop, quayside = org.ward, org.other_ward, WardFactory(name="Quayside")
    # org: councillor (Civic Party) in Riverside; councillor2 and standards.member in Hilltop.
    red_member = MemberFactory(user__username="red.member", wards=[riverside], group=red)
    independent = MemberFactory(user__username="independent", wards=[riverside], group=None)
    both = MemberFactory(user__username="both.wards", wards=[riverside, hilltop], group=blue)
    left = MemberFactory(
        user__username="left.office",
        wards=[hilltop],
        group=red,
        left_office_on=timezone.localdate() - timedelta(days=1),
    )
    elsewhere = MemberFactory(user__username="elsewhere", wards=[quayside], group=red)
    democratic_services = UserFactory(username="democratic.services")
    role_groups_sync()
    democratic_services.groups.add(Group.objects.get(name=Role.DEMOCRATIC_SERVICES.label))
    return SimpleNamespace(
        riverside=riverside,
        hilltop=hilltop,
        quayside=quayside,
        red_member=red_member,
        independent=independent,
        both=both,
        left=left,
        elsewhere=elsewhere,
        democratic_services=democratic_services,
        # Every member in office for Riverside or Hilltop.
        told={
            org.councillor,
            org.councillor2,
            org.standards_member,
            red_member,
            independent,
            both,
        },
    )

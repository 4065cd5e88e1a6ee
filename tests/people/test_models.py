"""Rules about one record of the organisation (people.models)."""

import pytest
from django.core.exceptions import ValidationError

from people.models import Member, Officer
from tests.factories import MemberFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_it_refuses_to_make_an_officer_a_councillor_too():
    officer = OfficerFactory()

    with pytest.raises(ValidationError, match="This user is an officer") as refused:
        Member(user=officer.user).clean()

    assert set(refused.value.message_dict) == {"user"}


def test_it_refuses_to_make_a_councillor_an_officer_too():
    member = MemberFactory()

    with pytest.raises(ValidationError, match="This user is a councillor") as refused:
        Officer(user=member.user, job_title="Planning Officer").clean()

    assert set(refused.value.message_dict) == {"user"}


def test_it_lets_a_user_be_one_or_the_other():
    user = UserFactory()

    Member(user=user).clean()
    Officer(user=user, job_title="Planning Officer").clean()
    MemberFactory().clean()
    OfficerFactory().clean()

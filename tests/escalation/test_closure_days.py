"""Council closure days: the services, the signal they send and the admin pages."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from escalation.models import ClosureDay
from escalation.services import closure_day_add, closure_day_change, closure_day_remove
from escalation.signals import working_days_changed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def changes():
    """Every working_days_changed sent during the test, as (days, actor)."""
    sent = []

    def receiver(sender, *, days, actor, **kwargs):
        sent.append((days, actor))

    working_days_changed.connect(receiver)
    yield sent
    working_days_changed.disconnect(receiver)


@pytest.fixture
def superuser():
    return get_user_model().objects.create_superuser("admin", "admin@example.org", "correct-horse-battery-staple")


def test_it_tells_the_deadline_keepers_when_a_closure_day_is_added(changes):
    actor = UserFactory()
    closure = closure_day_add(day=date(2026, 12, 29), reason="Christmas shutdown", actor=actor)
    assert str(closure) == "Tuesday 29 December 2026: Christmas shutdown"
    assert changes == [([date(2026, 12, 29)], actor)]


def test_it_tells_the_deadline_keepers_when_a_closure_day_is_removed(changes):
    actor = UserFactory()
    closure = ClosureDay.objects.create(date=date(2026, 12, 29), reason="Christmas shutdown")
    closure_day_remove(closure=closure, actor=actor)
    assert not ClosureDay.objects.exists()
    assert changes == [([date(2026, 12, 29)], actor)]


def test_it_sends_both_dates_when_a_closure_day_moves(changes):
    actor = UserFactory()
    closure = ClosureDay.objects.create(date=date(2026, 12, 29), reason="Christmas shutdown")
    closure_day_change(closure=closure, day=date(2026, 12, 30), reason="Christmas shutdown", actor=actor)
    assert changes == [([date(2026, 12, 29), date(2026, 12, 30)], actor)]
    # A new reason alone changes no working day.
    closure_day_change(closure=closure, day=date(2026, 12, 30), reason="Shutdown", actor=actor)
    assert len(changes) == 1
    assert ClosureDay.objects.get().reason == "Shutdown"


def test_it_refuses_a_second_closure_on_the_same_day(changes):
    actor = UserFactory()
    closure_day_add(day=date(2026, 12, 29), reason="Christmas shutdown", actor=actor)
    with pytest.raises(ValidationError, match="Tuesday 29 December 2026 is already a closure day"):
        closure_day_add(day=date(2026, 12, 29), reason="Again", actor=actor)
    assert ClosureDay.objects.count() == 1
    assert len(changes) == 1


def test_it_adds_a_closure_day_in_the_admin(client, superuser, changes):
    client.force_login(superuser)
    assert client.get(reverse("admin:escalation_closureday_add")).status_code == 200
    response = client.post(
        reverse("admin:escalation_closureday_add"), {"date": "29/12/2026", "reason": "Christmas shutdown"}
    )
    assert response.status_code == 302, response.content.decode()
    assert ClosureDay.objects.get().reason == "Christmas shutdown"
    assert changes == [([date(2026, 12, 29)], superuser)]
    html = client.get(reverse("admin:escalation_closureday_changelist"), {"q": "shutdown"}).content.decode()
    assert "Tuesday" in html


def test_it_refuses_a_closure_day_the_calendar_cannot_reach(client, superuser, changes):
    # 31 December 9999 went through, and recomputing the deadlines stepped past it: a 500.
    client.force_login(superuser)
    response = client.post(reverse("admin:escalation_closureday_add"), {"date": "31/12/9999", "reason": "Shutdown"})
    assert response.status_code == 200
    assert "Choose a date in a year from 1900 to 2100." in response.content.decode()
    assert not ClosureDay.objects.exists()
    assert changes == []


def test_it_moves_a_closure_day_in_the_admin(client, superuser, changes):
    closure = ClosureDay.objects.create(date=date(2026, 12, 29), reason="Christmas shutdown")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:escalation_closureday_change", args=[closure.pk]),
        {"date": "30/12/2026", "reason": "Christmas shutdown"},
    )
    assert response.status_code == 302, response.content.decode()
    assert ClosureDay.objects.get().date == date(2026, 12, 30)
    assert changes == [([date(2026, 12, 29), date(2026, 12, 30)], superuser)]


def test_it_deletes_a_closure_day_in_the_admin(client, superuser, changes):
    closure = ClosureDay.objects.create(date=date(2026, 12, 29), reason="Christmas shutdown")
    client.force_login(superuser)
    response = client.post(reverse("admin:escalation_closureday_delete", args=[closure.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not ClosureDay.objects.exists()
    assert changes == [([date(2026, 12, 29)], superuser)]


def test_it_deletes_selected_closure_days_in_the_admin(client, superuser, changes):
    closures = [
        ClosureDay.objects.create(date=date(2026, 12, day), reason="Christmas shutdown") for day in (29, 30, 31)
    ]
    client.force_login(superuser)
    response = client.post(
        reverse("admin:escalation_closureday_changelist"),
        {"action": "delete_selected", "_selected_action": [closure.pk for closure in closures[:2]], "post": "yes"},
    )
    assert response.status_code == 302
    assert list(ClosureDay.objects.values_list("date", flat=True)) == [date(2026, 12, 31)]
    assert changes == [([date(2026, 12, 29)], superuser), ([date(2026, 12, 30)], superuser)]

"""Administrators see the retention schedule and what each run did (docs/retention.md):
Democratic Services and superusers, read-only; nobody else."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from people.roles import Role
from protocol_portal.models import RetentionRun
from protocol_portal.retention.schedule import KINDS
from protocol_portal.retention.services import retention_run
from tests.factories import UserFactory
from tests.retention.conftest import NOW, london, notification

pytestmark = pytest.mark.django_db

LIST = reverse("admin:protocol_portal_retentionrun_changelist")


@pytest.fixture
def democratic_services(db):
    user = UserFactory(username="democratic.services", is_staff=True)
    user.groups.add(Group.objects.get(name=Role.DEMOCRATIC_SERVICES.label))
    return user


def test_it_shows_democratic_services_the_schedule_and_the_last_runs(client, org, democratic_services, settings):
    settings.RETENTION_MONTHS = {"audit_log": 24}
    notification(org, at=london(2030, 1, 1))
    dry = retention_run(dry_run=True, trigger="command", now=NOW)
    client.force_login(democratic_services)
    page = client.get(LIST).content.decode()
    for kind in KINDS:
        assert kind.name.replace("'", "&#x27;") in page
        assert kind.counts_from.replace("'", "&#x27;") in page
        assert kind.reason.replace("'", "&#x27;")[:60] in page
    assert "6 years" in page and "1 year" in page and "3 years" in page
    assert "2 years (set for this council; default 12 months)" in page
    assert "Anonymise" in page and "Delete" in page
    assert reverse("admin:protocol_portal_retentionrun_change", args=[dry.pk]) in page
    run = client.get(reverse("admin:protocol_portal_retentionrun_change", args=[dry.pk])).content.decode()
    assert "In-app notifications (and the e-mail outbox): 1 would be deleted (dated before 2031-11-22" in run


def test_nobody_adds_changes_or_deletes_a_run(client, democratic_services):
    run = retention_run(dry_run=True, trigger="command", now=NOW)
    superuser = UserFactory(username="superuser", is_staff=True, is_superuser=True)
    for user in (democratic_services, superuser):
        client.force_login(user)
        assert client.get(reverse("admin:protocol_portal_retentionrun_add")).status_code == 403
        assert client.get(reverse("admin:protocol_portal_retentionrun_delete", args=[run.pk])).status_code == 403
        change = reverse("admin:protocol_portal_retentionrun_change", args=[run.pk])
        assert client.post(change, {"trigger": "forged"}).status_code == 403
    assert RetentionRun.objects.get().trigger == "command"


def test_a_councillor_is_not_shown_it(client, org):
    client.force_login(org.councillor.user)
    assert client.get(LIST).status_code == 302

"""manage.py seed_demo builds the same council, row for row and state for state, as the
command recorded in expected_counts.json (issue 14: the demo's content moved from Python
constants to data files without changing what it builds), and a second run changes no count.

The demo is built relative to today: which steps of a story have happened yet, the working
days its moments fall on and the deadline sweep of its history all follow the clock. So the
build here runs with the clock pinned to the moment the counts were recorded (PINNED_NOW, a
Monday), and the counts do not depend on the day the suite runs.

To record the counts again, after a deliberate change to the demo:

    RECORD_DEMO_COUNTS=1 bin/test tests/demo/test_seed_demo_counts.py

then read the diff of expected_counts.json before committing it.
"""

import io
import json
import os
from collections import Counter
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models, transaction
from django.test import TestCase

pytestmark = pytest.mark.django_db

EXPECTED = Path(__file__).with_name("expected_counts.json")
# The moment the counts were first recorded, on the council's clock.
PINNED_NOW = datetime(2026, 12, 7, 12, 0, tzinfo=ZoneInfo("Europe/London"))
# Every table the demo could write: the organisation, the cases, the deadlines, the reports and
# the wiring's own, the accounts and role groups, object permissions and authenticator apps.
APPS = ["people", "escalation", "cases", "reporting", "protocol_portal", "auth", "guardian", "otp_totp"]


def counted_models() -> list[type[models.Model]]:
    """The models of APPS and the tables behind their many-to-many fields."""
    found: dict[str, type[models.Model]] = {}
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            found[model._meta.label] = model
            for m2m in model._meta.local_many_to_many:
                through = m2m.remote_field.through
                found[through._meta.label] = through
    return [found[label] for label in sorted(found)]


def state_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields that say what a row shows: its state and other choices, and its yes/no flags."""
    return [
        field
        for field in model._meta.concrete_fields
        if not field.is_relation
        and (field.choices or isinstance(field, models.BooleanField))
        and not (model._meta.auto_created or field.primary_key)
    ]


def demo_counts() -> dict[str, dict]:
    """Rows per table, and rows per value of each state, choice and yes/no field."""
    tables, states = {}, {}
    for model in counted_models():
        label = model._meta.label
        tables[label] = model.objects.count()
        for field in state_fields(model):
            by_value = Counter(model.objects.values_list(field.attname, flat=True))
            states[f"{label}.{field.name}"] = {str(value): n for value, n in sorted(by_value.items(), key=str)}
    return {"tables": tables, "states": states}


def seed_demo() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """The demo built twice with the clock at PINNED_NOW, in a transaction rolled back at the
    end; the counts after each run."""
    with (
        django_db_blocker.unblock(),
        mock.patch("django.utils.timezone.now", return_value=PINNED_NOW),
        transaction.atomic(),
    ):
        with TestCase.captureOnCommitCallbacks():
            seed_demo()
            first = demo_counts()
            output = seed_demo()
            second = demo_counts()
        if os.environ.get("RECORD_DEMO_COUNTS"):
            recorded = {
                "recorded_with": "RECORD_DEMO_COUNTS=1 bin/test tests/demo/test_seed_demo_counts.py",
                "pinned_now": PINNED_NOW.isoformat(),
                **first,
            }
            EXPECTED.write_text(json.dumps(recorded, indent=2, ensure_ascii=False) + "\n")
        yield SimpleNamespace(first=first, second=second, output=output)
        transaction.set_rollback(True)


def differences(expected: dict, found: dict) -> dict:
    """Each name whose count differs (or that only one side has): (expected, found)."""
    return {
        name: (expected.get(name), found.get(name))
        for name in sorted(expected.keys() | found.keys())
        if expected.get(name) != found.get(name)
    }


def test_it_builds_as_many_rows_in_each_table_as_recorded(built):
    expected = json.loads(EXPECTED.read_text())

    assert expected["pinned_now"] == PINNED_NOW.isoformat()
    assert differences(expected["tables"], built.first["tables"]) == {}
    # The demo is not empty: a count of nought everywhere would compare equal to nothing.
    assert built.first["tables"]["cases.Enquiry"] > 0 and built.first["tables"]["cases.Concern"] > 0


def test_it_builds_as_many_rows_in_each_state_as_recorded(built):
    expected = json.loads(EXPECTED.read_text())

    assert differences(expected["states"], built.first["states"]) == {}
    assert {"cases.Enquiry.state", "cases.Concern.state", "cases.PositiveExample.state"} <= set(expected["states"])


def test_a_second_run_changes_no_count(built):
    assert differences(built.first["tables"], built.second["tables"]) == {}
    assert differences(built.first["states"], built.second["states"]) == {}
    assert "Demo enquiries already present" in built.output

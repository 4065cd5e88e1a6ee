import os
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import models, transaction
from django.test import override_settings

from people.models import Committee, StatutoryRole
from people.services import role_groups_sync
from tests.factories import (
    CommitteeFactory,
    DirectorateFactory,
    MemberFactory,
    OfficerFactory,
    PoliticalGroupFactory,
    ServiceFactory,
    UserFactory,
    WardFactory,
    appoint,
)
from tests.snapshots import RowSnapshot, built_once_per_process


def pytest_configure(config: pytest.Config) -> None:
    # Unit tests run queued tasks in-process when their transaction commits; the
    # integration tests start a real worker in a subprocess, which this does not touch.
    from protocol_portal.celery import app

    app.conf.task_always_eager = True

    # Pages are rendered from static/ directly; test_static_files builds the
    # hashed manifest separately to prove collectstatic works.
    # Factories hash a password per user; the production hasher makes that seconds per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The test client and the browser tests' live server speak plain http; with DEBUG off
    # the portal would redirect them to https. tests/protocol_portal/test_security.py
    # proves the redirect (and `check --deploy` the production settings).
    settings.SECURE_SSL_REDIRECT = False
    # A test database is thrown away: its commits need not wait for the disk.
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        settings.DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """pytest-django runs the tests that commit (a live server, a real worker) after the others,
    whose rolled-back data they would flush. Of those, a test marked ``starts_early`` goes
    first, so that a run on several workers does not end waiting for it alone."""

    def commits(item: pytest.Item) -> bool:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        return bool(marker and marker.kwargs.get("transaction")) or "live_server" in fixtures

    early = [item for item in items if item.get_closest_marker("starts_early")]
    rest = [item for item in items if not item.get_closest_marker("starts_early")]
    at = next((index for index, item in enumerate(rest) if commits(item)), len(rest))
    items[:] = rest[:at] + early + rest[at:]


# Modules that build their data once for the module (``built_once`` or their own module-scoped
# fixture): the whole module runs on one worker, which builds it once, not once per worker.
# tests/test_suite_scheduling.py keeps this list in step with the modules' fixtures, and
# checks that none of them commits.
BUILT_ONCE_MODULES = frozenset(
    {
        "tests/protocol_portal/test_authorization_matrix.py",
        "tests/protocol_portal/test_navigation.py",
        "tests/cases/test_authorization_matrix.py",
        "tests/concerns/test_authorization_matrix.py",
        "tests/cases/test_seed_demo.py",
        "tests/demo/test_seed_demo_counts.py",
    }
)


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """``--dist=loadscope`` (bin/test), with our own scopes: each module of BUILT_ONCE_MODULES is
    one unit of work, and every other test is a unit of its own. xdist hands out the largest
    units first, so those modules start the run (none of them commits; a long one finishing
    late would hold up the end of the run beside the accessibility crawl), and the one-test
    units after them keep pytest-django's order (the sort is stable): the tests that commit last."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class BuiltOnceScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module in BUILT_ONCE_MODULES else nodeid

    return BuiltOnceScheduling(config, log)


def pytest_sessionstart(session: pytest.Session) -> None:
    # CI must prove the portal on the production database, never quietly on SQLite.
    engine = settings.DATABASES["default"]["ENGINE"]
    if os.environ.get("CI") == "true" and not engine.endswith("postgresql"):
        pytest.exit(f"CI=true but the tests would run on {engine}: set DATABASE_URL to PostgreSQL.", returncode=1)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded attachments go to the test's own folder, never var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def sign_in_defences_off(settings):
    """The suite signs people in with client.force_login and knows no codes: the sign-in
    lockout (django-axes) and two-factor sign-in are off except in the tests of them
    (tests/protocol_portal/test_sign_in_lockout.py, test_two_factor.py), which turn them on."""
    settings.AXES_ENABLED = False
    settings.TWO_FACTOR_ENFORCED = False


# A small council shared by the enquiry, concern, reporting and browser tests: one service
# with its chain, two councillors, the Standards Committee and outsiders.
@pytest.fixture
def org(request, db):
    # A test that commits (a live server, a real worker) builds it for real: its flush and
    # its own transactions are not the rolled-back test the snapshot replays into.
    marker = request.node.get_closest_marker("django_db")
    if (marker and marker.kwargs.get("transaction")) or {"live_server", "transactional_db"} & set(request.fixturenames):
        return build_org()
    return built_once_per_process(ORG_SNAPSHOT, build_org)


ORG_SNAPSHOT = RowSnapshot()


def build_org() -> SimpleNamespace:
    """The ``org`` fixture's council, for a module that builds it once (tests/concerns/test_authorization_matrix.py)."""
    chief = OfficerFactory(user__username="chief.executive", job_title="Chief Executive", service=None)
    appoint(chief, StatutoryRole.HEAD_OF_PAID_SERVICE)
    director = OfficerFactory(user__username="director", job_title="Director of Place", line_manager=chief)
    directorate = DirectorateFactory(name="Place", director=director)
    assistant = OfficerFactory(
        user__username="assistant.director", job_title="Assistant Director", line_manager=director
    )
    head = OfficerFactory(user__username="head", job_title="Head of Highways", line_manager=assistant)
    highways = ServiceFactory(
        name="Highways", directorate=directorate, head_of_service=head, assistant_director=assistant
    )
    head.service = highways
    head.save()
    liaison = OfficerFactory(user__username="liaison", job_title="Liaison Officer", service=highways, line_manager=head)
    colleague = OfficerFactory(user__username="colleague", job_title="Engineer", service=highways, line_manager=head)
    highways.liaison_officers.set([liaison])

    other_head = OfficerFactory(user__username="other.head", job_title="Head of Libraries", line_manager=director)
    libraries = ServiceFactory(name="Libraries", directorate=directorate, head_of_service=other_head)
    outsider = OfficerFactory(
        user__username="outsider", job_title="Librarian", service=libraries, line_manager=other_head
    )
    monitoring = OfficerFactory(user__username="monitoring.officer", job_title="Monitoring Officer", line_manager=chief)
    appoint(monitoring, StatutoryRole.MONITORING_OFFICER)

    ward, other_ward = WardFactory(name="Riverside"), WardFactory(name="Hilltop")
    group = PoliticalGroupFactory(name="Civic Party")
    councillor = MemberFactory(user__username="councillor", wards=[ward], group=group)
    councillor2 = MemberFactory(user__username="councillor2", wards=[other_ward])
    standards_member = MemberFactory(user__username="standards.member", wards=[other_ward])
    CommitteeFactory(name="Standards", kind=Committee.Kind.STANDARDS).members.set([standards_member])
    role_groups_sync()
    return SimpleNamespace(
        chief=chief,
        director=director,
        assistant=assistant,
        head=head,
        liaison=liaison,
        colleague=colleague,
        other_head=other_head,
        outsider=outsider,
        monitoring=monitoring,
        highways=highways,
        libraries=libraries,
        ward=ward,
        other_ward=other_ward,
        councillor=councillor,
        councillor2=councillor2,
        standards_member=standards_member,
        stranger=UserFactory(username="stranger"),
    )


# --- Data built once for a module ----------------------------------------------------------


@contextmanager
def built_once(django_db_blocker, **overrides) -> Iterator[None]:
    """For a module-scoped fixture: what it builds inside this is built once for the module,
    in a transaction rolled back at the module's end (as TestCase.setUpTestData), under
    ``overrides`` of the settings for the whole module; each test runs in a savepoint inside
    it. Hand each test ``fresh()`` copies of what was built."""
    with django_db_blocker.unblock(), override_settings(**overrides), transaction.atomic():
        yield
        transaction.set_rollback(True)


def fresh(built):
    """A copy of ``built`` (a SimpleNamespace or a dict) whose model instances are read again:
    what one test changes in memory, the next does not see (as TestCase.setUpTestData's copies)."""
    items = vars(built) if isinstance(built, SimpleNamespace) else built
    copy = {
        name: type(value)._default_manager.get(pk=value.pk) if isinstance(value, models.Model) else value
        for name, value in items.items()
    }
    return SimpleNamespace(**copy) if isinstance(built, SimpleNamespace) else copy

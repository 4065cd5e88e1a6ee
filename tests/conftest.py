import os
from types import SimpleNamespace

import pytest
from django.conf import settings

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
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


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
def org(db):
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

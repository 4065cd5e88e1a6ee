import os

import pytest
from django.conf import settings


def pytest_configure(config: pytest.Config) -> None:
    # Unit tests run queued tasks in-process when their transaction commits; the
    # integration tests start a real worker in a subprocess, which this does not touch.
    from protocol_portal.celery import app

    app.conf.task_always_eager = True

    # Pages are rendered from static/ directly; test_static_files builds the
    # hashed manifest separately to prove collectstatic works.
    # Factories hash a password per user; the production hasher makes that seconds per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
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

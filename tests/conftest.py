import os

import pytest
from django.conf import settings


def pytest_configure(config: pytest.Config) -> None:
    # Pages are rendered from static/ directly; test_static_files builds the
    # hashed manifest separately to prove collectstatic works.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def pytest_sessionstart(session: pytest.Session) -> None:
    # CI must prove the portal on the production database, never quietly on SQLite.
    engine = settings.DATABASES["default"]["ENGINE"]
    if os.environ.get("CI") == "true" and not engine.endswith("postgresql"):
        pytest.exit(f"CI=true but the tests would run on {engine}: set DATABASE_URL to PostgreSQL.", returncode=1)

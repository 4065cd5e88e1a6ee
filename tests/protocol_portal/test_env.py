"""The settings readers fail loudly, naming the variable (docs/settings.md)."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from protocol_portal.kit.env import env_bool, env_choice, env_database, env_int, env_list, env_str

BASE = Path("/srv/portal")


class TestEnvStr:
    def test_it_reads_a_value(self):
        assert env_str("COUNCIL_NAME", "x", environ={"COUNCIL_NAME": "Northbridge"}) == "Northbridge"

    def test_it_falls_back_to_the_default(self):
        assert env_str("COUNCIL_NAME", "Default", environ={}) == "Default"

    def test_it_names_a_missing_required_variable(self):
        with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
            env_str("SECRET_KEY", environ={})

    def test_it_reads_a_secret_from_a_file(self, tmp_path):
        secret = tmp_path / "secret"
        secret.write_text("s3cret\n")
        assert env_str("SECRET_KEY", environ={"SECRET_KEY_FILE": str(secret)}) == "s3cret"

    def test_it_names_an_unreadable_secret_file(self, tmp_path):
        with pytest.raises(ImproperlyConfigured, match=r"SECRET_KEY_FILE=.* cannot be read"):
            env_str("SECRET_KEY", environ={"SECRET_KEY_FILE": str(tmp_path / "missing")})


class TestEnvBool:
    @pytest.mark.parametrize("raw", ["true", "True", "1", "yes", "on"])
    def test_it_reads_true(self, raw):
        assert env_bool("DEBUG", False, environ={"DEBUG": raw}) is True

    @pytest.mark.parametrize("raw", ["false", "FALSE", "0", "no", "off", ""])
    def test_it_reads_false(self, raw):
        assert env_bool("DEBUG", True, environ={"DEBUG": raw}) is False

    def test_it_falls_back_to_the_default(self):
        assert env_bool("DEBUG", True, environ={}) is True

    def test_it_names_a_bad_value(self):
        with pytest.raises(ImproperlyConfigured, match=r"DEBUG='maybe' is not a boolean"):
            env_bool("DEBUG", False, environ={"DEBUG": "maybe"})


class TestEnvInt:
    def test_it_reads_a_number(self):
        assert env_int("EMAIL_PORT", 25, environ={"EMAIL_PORT": " 587 "}) == 587

    def test_it_falls_back_to_the_default(self):
        assert env_int("EMAIL_PORT", 25, environ={}) == 25

    def test_it_names_a_value_that_is_not_a_number(self):
        with pytest.raises(ImproperlyConfigured, match=r"EMAIL_PORT='twenty' is not a whole number"):
            env_int("EMAIL_PORT", 25, environ={"EMAIL_PORT": "twenty"})

    def test_it_names_a_value_below_the_minimum(self):
        with pytest.raises(ImproperlyConfigured, match=r"EMAIL_PORT='0' must be at least 1"):
            env_int("EMAIL_PORT", 25, minimum=1, environ={"EMAIL_PORT": "0"})


class TestEnvList:
    def test_it_splits_on_commas(self):
        assert env_list("ALLOWED_HOSTS", environ={"ALLOWED_HOSTS": "a.example, b.example"}) == [
            "a.example",
            "b.example",
        ]

    def test_it_falls_back_to_the_default(self):
        assert env_list("ALLOWED_HOSTS", ["localhost"], environ={}) == ["localhost"]

    def test_it_names_an_empty_item(self):
        with pytest.raises(ImproperlyConfigured, match=r"ALLOWED_HOSTS='a,,b' has an empty item"):
            env_list("ALLOWED_HOSTS", environ={"ALLOWED_HOSTS": "a,,b"})


class TestEnvChoice:
    def test_it_accepts_a_listed_value(self):
        nations = ["england-and-wales", "scotland"]
        assert (
            env_choice("COUNCIL_NATION", "england-and-wales", choices=nations, environ={"COUNCIL_NATION": "scotland"})
            == "scotland"
        )

    def test_it_names_an_unlisted_value(self):
        with pytest.raises(
            ImproperlyConfigured, match=r"COUNCIL_NATION='wales' is not one of: england-and-wales, scotland"
        ):
            env_choice(
                "COUNCIL_NATION",
                "england-and-wales",
                choices=["england-and-wales", "scotland"],
                environ={"COUNCIL_NATION": "wales"},
            )


class TestEnvDatabase:
    def test_it_defaults_to_sqlite_under_the_project(self):
        database = env_database("DATABASE_URL", "sqlite:///var/portal.sqlite3", base_dir=BASE, environ={})
        assert database["ENGINE"] == "django.db.backends.sqlite3"
        assert database["NAME"] == "/srv/portal/var/portal.sqlite3"

    def test_it_reads_an_absolute_sqlite_path(self):
        database = env_database("DATABASE_URL", "", base_dir=BASE, environ={"DATABASE_URL": "sqlite:////tmp/p.db"})
        assert database["NAME"] == "/tmp/p.db"

    def test_it_reads_a_postgres_url(self):
        url = "postgres://portal:p%40ss@db.internal:6543/portal?sslmode=require"
        database = env_database("DATABASE_URL", "", base_dir=BASE, environ={"DATABASE_URL": url})
        assert database["ENGINE"] == "django.db.backends.postgresql"
        assert (database["NAME"], database["USER"], database["PASSWORD"]) == ("portal", "portal", "p@ss")
        assert (database["HOST"], database["PORT"]) == ("db.internal", "6543")
        assert database["OPTIONS"] == {"sslmode": "require"}

    def test_it_names_an_unsupported_scheme(self):
        with pytest.raises(ImproperlyConfigured, match=r"DATABASE_URL='mysql://x/y' has an unsupported scheme 'mysql'"):
            env_database("DATABASE_URL", "", base_dir=BASE, environ={"DATABASE_URL": "mysql://x/y"})

    def test_it_names_a_postgres_url_without_a_database(self):
        with pytest.raises(ImproperlyConfigured, match="names no database"):
            env_database("DATABASE_URL", "", base_dir=BASE, environ={"DATABASE_URL": "postgres://db.internal"})

    def test_it_names_a_bad_port(self):
        with pytest.raises(ImproperlyConfigured, match="port that is not a number"):
            env_database("DATABASE_URL", "", base_dir=BASE, environ={"DATABASE_URL": "postgres://h:abc/portal"})

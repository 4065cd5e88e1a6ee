"""Typed readers for settings that come from the environment.

Each reader fails with an ``ImproperlyConfigured`` that names the variable and
the value it could not use, so a mistyped deployment stops at start-up instead
of misbehaving later. A secret may instead be given as ``<NAME>_FILE``: the
path of a file holding it (Docker and Kubernetes secrets).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}

_DATABASE_ENGINES = {
    "postgres": "django.db.backends.postgresql",
    "postgresql": "django.db.backends.postgresql",
    "pgsql": "django.db.backends.postgresql",
    "sqlite": "django.db.backends.sqlite3",
}


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    environ = os.environ if environ is None else environ
    if name in environ:
        return environ[name]
    file_name = environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} cannot be read: {exc.strerror}.") from exc
    return None


def env_str(name: str, default: str | None = None, *, environ: Mapping[str, str] | None = None) -> str:
    """A string; required when no default is given."""
    value = _raw(name, environ)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"{name} must be set.")
        return default
    return value


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    """true/false, yes/no, on/off or 1/0, in any case."""
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean: use true or false.")


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """A whole number, optionally no smaller than ``minimum``."""
    value = _raw(name, environ)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={value!r} must be at least {minimum}.")
    return number


def env_list(name: str, default: Sequence[str] = (), *, environ: Mapping[str, str] | None = None) -> list[str]:
    """A comma-separated list; blanks around items are dropped."""
    value = _raw(name, environ)
    if value is None:
        return list(default)
    items = [item.strip() for item in value.split(",")]
    if any(item == "" for item in items) and value.strip() != "":
        raise ImproperlyConfigured(f"{name}={value!r} has an empty item: separate values with single commas.")
    return [item for item in items if item]


def env_choice(
    name: str,
    default: str,
    *,
    choices: Sequence[str],
    environ: Mapping[str, str] | None = None,
) -> str:
    """One of a fixed set of values."""
    value = env_str(name, default, environ=environ)
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of: {', '.join(choices)}.")
    return value


def env_database(
    name: str,
    default: str,
    *,
    base_dir: Path,
    environ: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A Django ``DATABASES`` entry from a URL.

    ``sqlite:///var/portal.sqlite3`` is relative to ``base_dir``;
    ``sqlite:////abs/path`` is absolute. ``postgres://user:password@host:port/name``
    takes query options (``?sslmode=require``) as connection options; with no
    host it uses the local socket.
    """
    url = env_str(name, default, environ=environ)
    parts = urlsplit(url)
    engine = _DATABASE_ENGINES.get(parts.scheme)
    if engine is None:
        raise ImproperlyConfigured(
            f"{name}={url!r} has an unsupported scheme {parts.scheme!r}: use postgres:// or sqlite:///."
        )
    if engine.endswith("sqlite3"):
        path = unquote(parts.path)
        if parts.netloc or not path.startswith("/") or path == "/":
            raise ImproperlyConfigured(f"{name}={url!r} must look like sqlite:///relative/path or sqlite:////abs/path.")
        file_path = Path(path[1:])
        file_path = file_path if file_path.is_absolute() else base_dir / file_path
        return {
            "ENGINE": engine,
            "NAME": str(file_path),
            # Wait rather than fail when the web server and the Celery worker write at once.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    database = unquote(parts.path.lstrip("/"))
    if not database:
        raise ImproperlyConfigured(f"{name}={url!r} names no database: add /<name> after the host.")
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"{name}={url!r} has a port that is not a number.") from None
    return {
        "ENGINE": engine,
        "NAME": database,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": unquote(parts.hostname or ""),
        "PORT": str(port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": dict(parse_qsl(parts.query)),
    }

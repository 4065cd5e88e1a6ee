"""Every URL the portal serves refuses a POST without a CSRF token (docs/security.md).

The URLs come from the resolver, so a new page is covered the day it is added: its POST
must be refused by CsrfViewMiddleware (403) before the view runs, which is why sample
arguments do not need to name real objects. The admin is walked too. Static files are
not URL patterns here (WhiteNoise serves them, and DEBUG's static route is off in tests
and production); uploads have no media URL at all (protocol_portal.kit.storage).
"""

from __future__ import annotations

import itertools
import re

import pytest
from django import urls
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.regex_helper import normalize
from django.views.decorators.csrf import csrf_exempt

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Tried in turn for each argument until the URL resolves to the pattern's own view: a
# number, a word, and the admin's app labels (its app index is a regex of them).
# A number, a word, an app label (the admin's routes) and a case reference (cases.urls).
SAMPLES = ["1", "x", "ENQ-2026-00001", *sorted(config.label for config in apps.get_app_configs())]


def _pieces(pattern: RoutePattern | RegexPattern) -> list[str]:
    """Strings this level of a URL can be, with sample values for its arguments."""
    if isinstance(pattern, RoutePattern):
        route = str(pattern)
        names = re.findall(r"<(?:\w+:)?(\w+)>", route)
        template = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "%(" + m.group(1) + ")s", route.replace("%", "%%"))
        regexes = {name: re.compile(pattern.converters[name].regex) for name in names}
        candidates = []
        for values in itertools.product(SAMPLES, repeat=len(names)):
            arguments = dict(zip(names, values, strict=True))
            if all(regexes[name].fullmatch(value) for name, value in arguments.items()):
                candidates.append(template % arguments)
        return candidates
    candidates = []
    for template, names in normalize(pattern.regex.pattern):
        for values in itertools.product(SAMPLES, repeat=len(names)):
            piece = template % dict(zip(names, values, strict=True))
            if pattern.regex.fullmatch(piece):
                candidates.append(piece)
    return candidates


def _walk(patterns, prefixes: list[str], names: list[str]):
    for pattern in patterns:
        pieces = _pieces(pattern.pattern)
        paths = [prefix + piece for prefix in prefixes for piece in pieces]
        if isinstance(pattern, URLResolver):
            namespace = [*names, pattern.namespace] if pattern.namespace else names
            yield from _walk(pattern.url_patterns, paths, namespace)
        elif isinstance(pattern, URLPattern):
            name = ":".join([*names, pattern.name]) if pattern.name else None
            yield name, pattern.callback, ["/" + path for path in paths]


def every_url() -> list[tuple[str, str]]:
    """(pattern, URL) for every pattern: the first sample URL that resolves to its own view."""
    urls = []
    for name, view, paths in _walk(get_resolver().url_patterns, [""], []):
        path = next((path for path in paths if resolve(path).func == view), None)
        assert path is not None, f"No sample URL resolves to {name or paths}: add a sample value to SAMPLES"
        urls.append((name or f"unnamed {path}", path))
    return urls


URLS = every_url()


def test_it_walks_the_portal_and_the_admin():
    names = {name for name, _ in URLS}
    assert {"home", "login", "cases:enquiry_new", "cases:attachment", "reporting:annual_report_pdf"} <= names
    assert {"admin:index", "admin:app_list", "admin:people_member_change", "admin:login"} <= names
    assert len(URLS) > 100


def problem_with(name: str, path: str) -> str | None:
    """Why POSTing to ``path`` without a token was not refused for want of one, if it was not."""
    if getattr(resolve(path).func, "csrf_exempt", False):
        return f"{name} is csrf_exempt"
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(path, {"anything": "at all"})
    if response.status_code != 403:
        return f"POST {path} ({name}) answered {response.status_code}"
    if b"CSRF verification failed" not in response.content:
        return f"POST {path} ({name}) was refused, but not for want of a CSRF token"
    return None


@pytest.mark.parametrize(("name", "path"), URLS, ids=[name for name, _ in URLS])
def test_a_post_without_a_csrf_token_is_refused(name, path):
    assert problem_with(name, path) is None


@csrf_exempt
def _exempt(request):
    raise PermissionDenied  # a 403 that has nothing to do with CSRF


urlpatterns = [
    urls.path("exempt/<int:pk>/", _exempt, name="exempt"),
    urls.path("open/", lambda request: HttpResponse()),
]


@pytest.mark.urls(__name__)
def test_it_would_catch_an_exempt_or_unprotected_view():
    assert dict(every_url()) == {"exempt": "/exempt/1/", "unnamed /open/": "/open/"}
    assert problem_with("exempt", "/exempt/1/") == "exempt is csrf_exempt"
    assert problem_with("open", "/open/") is None  # protected by the middleware like every view


def test_signing_in_without_a_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/sign-in/", {"username": "someone", "password": "anything"})
    assert response.status_code == 403
    assert b"CSRF verification failed" in response.content


def test_the_same_post_with_a_token_gets_through():
    # The 403s above are the missing token's doing, not something else refusing every POST.
    client = Client(enforce_csrf_checks=True)
    client.get("/sign-in/")
    token = client.cookies["csrftoken"].value
    response = client.post("/sign-in/", {"username": "someone", "password": "anything", "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()

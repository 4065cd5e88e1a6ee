"""Hostile values in the URL itself: a reference, a number or a slug that is no one's,
someone else's, or not one at all, for every URL pattern that takes one (found from the
resolver, so a new pattern is fuzzed too). 404, or 403 and so on, never a 500."""

from __future__ import annotations

import re
from functools import partial
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.harness import rolled_back, signed_in
from tests.fuzz.profiles import fuzz
from tests.fuzz.strategies import PAYLOADS, bad_ids, random_text

pytestmark = pytest.mark.django_db

PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def patterns(resolver: URLResolver = None, prefix: str = "") -> list[str]:
    """Every route of the portal with a parameter in it, as written (``enquiries/<reference:reference>/``)."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("admin/"):
                continue  # Django's own admin: covered by tests/fuzz/test_admin_forms.py
            found += patterns(entry, route)
        elif isinstance(entry, URLPattern) and PARAMETER.search(route):
            found.append(route)
    return found


ROUTES = patterns()
references = st.one_of(
    st.sampled_from(["ENQ-2026-00001", "CON-2026-00001", "POS-2026-00001", "ENQ-1999-99999", "ENQ-2026-1"]),
    st.sampled_from(PAYLOADS),
    st.sampled_from(["%00", "\x00", "..", "%2e%2e", "a" * 5000, "ENQ-2026-00001\x00", " ", "%"]),
    random_text.filter(bool),
)


def value_for(converter: str | None) -> st.SearchStrategy[str]:
    if converter == "int":
        return st.one_of(
            st.sampled_from(["0", "1", "9" * 30, "2147483648", "9223372036854775808"]), st.integers(0, 2**80).map(str)
        )
    if converter == "slug":
        return st.one_of(
            st.sampled_from(["by_directorate", "nope", "-", "a" * 300]), st.from_regex(r"\A[-a-zA-Z0-9_]{1,40}\Z")
        )
    return st.one_of(references, bad_ids.filter(bool))


# Values every route gets, by its converter (a reference is a str to the resolver's eye).
FIXED = {
    "int": ["0", "9" * 30, "9223372036854775808"],
    "slug": ["nope", "a" * 300],
    None: ["%00", "ENQ-2026-00001%00", quote(PAYLOADS[0], safe=""), "ENQ-1999-99999", "ENQ-2026-" + "9" * 30],
}


def fixed_value(n: int, match: re.Match) -> str:
    values = FIXED.get(match[1], FIXED[None])
    return values[n % len(values)]


def fill(route: str, value_of) -> str:
    return "/" + PARAMETER.sub(lambda match: quote(value_of(match), safe="%"), route)


def assert_nothing_found(client, path: str) -> None:
    with rolled_back():
        for method in ("get", "post"):
            response = getattr(client, method)(path, {})
            assert response.status_code in (200, 302, 400, 403, 404, 405), f"{response.status_code} from {path}"


@pytest.mark.parametrize("person", ["councillor", "monitoring"])
def test_it_finds_nothing_at_a_hostile_address_on_every_route(client, org, enquiries, concerns, person):
    signed_in(client, getattr(org, person))
    for route in ROUTES:
        for n in range(3):
            assert_nothing_found(client, fill(route, partial(fixed_value, n)))


@fuzz(40)
@given(data=st.data())
def test_it_finds_nothing_at_an_address_that_names_nothing(client, org, enquiries, concerns, data):
    route = data.draw(st.sampled_from(ROUTES), label="route")
    path = fill(route, lambda match: quote(data.draw(value_for(match[1]), label=match[2]), safe=""))
    assert_nothing_found(signed_in(client, org.monitoring), path)

"""The checks every fuzzed request must pass, and the savepoint each example runs in."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.html import escape
from hypothesis import event

from tests.fuzz.strategies import HTML_PAYLOADS


class _Rollback(Exception):
    pass


@contextmanager
def rolled_back() -> Iterator[None]:
    """Undo everything an example did, so the next starts from the same objects."""
    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass


def texts_in(data: dict) -> list[str]:
    values = []
    for value in data.values():
        values.extend(value if isinstance(value, list | tuple) else [value])
    return [value for value in values if isinstance(value, str)]


def payloads_in(data: dict) -> set[str]:
    """The markup payloads somewhere in what was sent."""
    return {payload for payload in HTML_PAYLOADS for text in texts_in(data) if payload in text}


def assert_not_raw(response, data: dict) -> None:
    """No markup that was sent comes back unescaped."""
    if response.get("Content-Type", "").startswith("text/html"):
        html = response.content.decode()
        for payload in payloads_in(data):
            assert payload not in html, f"{payload!r} printed raw on {response.request['PATH_INFO']}"


def assert_handled(response, data: dict, *, allowed: Iterable[int] = (200, 302)) -> None:
    """A validation message (200 with the GOV.UK error summary) or a redirect: never a
    500 (the test client raises the exception instead) and nothing printed raw. A request
    Django cannot read (a file name longer than a file system allows makes its part's
    headers too long) is 400, with the portal's page saying so."""
    status = response.status_code
    if status == 400:
        assert "could not read what your browser sent" in response.content.decode()
        return
    assert status in set(allowed), f"{status} from {response.request['PATH_INFO']}"
    if status == 200 and response.request["REQUEST_METHOD"] == "POST":
        assert "govuk-error-summary" in response.content.decode(), "a refused form shows the error summary"
    assert_not_raw(response, data)


def assert_shown_escaped(client, url: str, data: dict, *, fields: Iterable[str] = ()) -> str:
    """GET the page that shows what was stored: no payload raw, and each payload sent in
    one of ``fields`` (those the page shows) there, escaped."""
    response = client.get(url)
    assert response.status_code == 200, f"{response.status_code} from {url}"
    html = response.content.decode()
    assert_not_raw(response, data)
    for name in fields:
        for payload in payloads_in({name: data.get(name, "")}):
            assert escape(payload) in html, f"{name}: {payload!r} is not shown escaped on {url}"
    return html


def fuzz_post(client, url: str, sent: dict, *, accepted, shown: Iterable[str] = (), shown_to=None) -> None:
    """POST ``sent`` in a savepoint that is rolled back afterwards. A refusal is a page with
    the error summary, or a redirect with a message; when ``accepted()`` says the data was
    stored, the page the redirect goes to shows the fields in ``shown`` escaped (to
    ``shown_to``, when the sender no longer sees it)."""
    with rolled_back():
        response = client.post(url, sent)
        assert_handled(response, sent)
        stored = response.status_code == 302 and accepted()
        # --hypothesis-show-statistics shows how many examples got through to the service.
        event("stored" if stored else f"refused ({response.status_code})")
        if stored and shown_to is not None:
            sender = response.wsgi_request.user
            signed_in(client, shown_to)
            assert_shown_escaped(client, shown_to_url(response, url), sent, fields=shown)
        elif stored:
            assert_shown_escaped(client, response["Location"], sent, fields=shown)
        elif response.status_code == 302:
            assert_not_raw(client.get(response["Location"]), sent)
    if stored and shown_to is not None:
        # The viewer's session went with the savepoint: sign the sender in again, outside it.
        client.force_login(sender)


def shown_to_url(response, url: str) -> str:
    """The case's page: the action's URL without its last part."""
    return url.rstrip("/").rsplit("/", 1)[0] + "/"


@dataclass
class Page:
    """A form page: who uses it, where, valid data for it, and how to tell it was stored."""

    person: object
    url: str
    base: dict
    stored: Callable[[], bool]
    # The fields the page after a successful submission shows.
    shown: tuple[str, ...] = ()
    # What must not grow on a second submission of the same form.
    records: Callable[[], int] = field(default=lambda: 0)
    # Who sees what was stored, when the sender no longer does.
    shown_to: object = None


def signed_in(client, person):
    client.force_login(person.user if hasattr(person, "user") else person)
    return client


def fuzz_page(client, page: Page, sent: dict) -> None:
    fuzz_post(client, page.url, sent, accepted=page.stored, shown=page.shown, shown_to=page.shown_to)


def assert_second_submission_refused(client, page: Page, data: dict | None = None) -> str:
    """Post the valid form, then the same again (a double click): the first is stored, the
    second adds nothing and redirects with a message. Returns the page the second lands on."""
    signed_in(client, page.person)
    data = page.base if data is None else data
    first = client.post(page.url, data)
    assert first.status_code == 302, f"the valid form was refused: {first.content.decode()[:3000]}"
    assert page.stored(), "the valid form was not stored"
    client.get(first["Location"])  # shows, and so clears, the first's success message
    records = page.records()
    second = client.post(page.url, data)
    assert page.records() == records, "the second submission added a record"
    if second.status_code == 302:
        html = client.get(second["Location"]).content.decode()
        assert "govuk-notification-banner" in html, "no message about it"
    else:
        html = second.content.decode()
        assert second.status_code == 200 and "govuk-error-summary" in html, f"{second.status_code}, no message"
    return html


def submission_key(client, url: str) -> str:
    """The key a creating form's page puts in the form (cases.shared.forms.SubmittedOnceForm)."""
    html = client.get(url).content.decode()
    match = re.search(r'name="submission_key" value="([^"]+)"', html)
    assert match, f"no submission key in the form on {url}"
    return match[1]


def each_rolled_back(builds, check) -> None:
    """``check(build)`` for each page builder, each in its own savepoint (so each finds the
    objects as the fixtures made them), naming the page in a failure."""
    for build in builds:
        try:
            with rolled_back():
                check(build)
        except AssertionError as error:
            raise AssertionError(f"{build.__name__}: {error}") from error

"""Hostile input at the administration pages of the portal's own models (Democratic
Services keeps the organisation and the behaviours there): each add and change form,
read from the page itself so a new field is fuzzed too, and each list's search box.
A validation message or a redirect, never a 500; nothing printed raw."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from people.admin import PoliticalGroupForm
from tests.factories import UserFactory
from tests.fuzz.harness import assert_not_raw, payloads_in, rolled_back, signed_in
from tests.fuzz.profiles import fuzz
from tests.fuzz.strategies import bad_ids, hostile_date, hostile_text

pytestmark = pytest.mark.django_db

COVERS = {PoliticalGroupForm}
# The project's models, and the accounts and groups (Django's own pages, given the portal's
# refusal of crafted ids in people.admin).
PROJECT_APPS = {"cases", "people", "escalation", "reporting", "protocol_portal", "auth"}
MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in PROJECT_APPS),
    key=lambda model: model._meta.label,
)


class FormFields(HTMLParser):
    """The fields of the admin's change form: {name: (kind, value, options)}."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, tuple[str, object, list[str]]] = {}
        self.in_form = False
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):
            self.in_form = True
        if not self.in_form or not attrs.get("name"):
            if tag == "option" and self._select:
                name = self._select
                kind, _, options = self.fields[name]
                options.append(attrs.get("value", ""))
                if "selected" in attrs:
                    self.fields[name] = (kind, attrs.get("value", ""), options)
            return
        name = attrs["name"]
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file") or name == "csrfmiddlewaretoken":
                return
            if kind == "checkbox":
                self.fields[name] = ("checkbox", "on" if "checked" in attrs else None, [])
            else:
                self.fields[name] = (kind, attrs.get("value", ""), [])
        elif tag == "textarea":
            self.fields[name] = ("textarea", "", [])
            self._textarea = name
        elif tag == "select":
            self.fields[name] = ("select", "", [])
            self._select = name

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] = ("textarea", data.strip(), [])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.in_form = False


def hostile_for(name: str, kind: str, options: list[str]) -> st.SearchStrategy:
    if kind == "hidden":
        return st.one_of(bad_ids, hostile_text(50))
    if kind == "select":
        return st.one_of(st.sampled_from([o for o in options if o] or [""]), bad_ids)
    if kind == "checkbox":
        return st.sampled_from(["on", "", "\x00"])
    if kind == "date" or name.endswith(("date", "_on")):
        return st.one_of(
            st.sampled_from(["2026-02-31", "0000-01-01", "9999-12-31", "31/12/9999", "tomorrow", "\x00"]),
            hostile_date(name, (1, 1, 2026)).map(lambda parts: "-".join(reversed(list(parts.values())))),
        )
    return hostile_text(255 if kind != "textarea" else None)


@pytest.fixture
def administrator(db):
    return UserFactory(username="administrator", is_staff=True, is_superuser=True)


def page_fields(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, f"{response.status_code} from {url}"
    parser = FormFields()
    parser.feed(response.content.decode())
    return parser.fields


def fuzz_admin_form(client, url: str, fields: dict, data) -> None:
    base = {name: value for name, (kind, value, _) in fields.items() if value is not None}
    names = data.draw(st.lists(st.sampled_from(sorted(fields)), min_size=1, max_size=4, unique=True), label="fields")
    sent = dict(base)
    for name in names:
        kind, _, options = fields[name]
        sent[name] = data.draw(hostile_for(name, kind, options), label=name)
    with rolled_back():
        response = client.post(url, sent)
        assert response.status_code in (200, 302, 403), f"{response.status_code} from {url}"
        if response.status_code == 200:
            html = response.content.decode()
            assert "errornote" in html or "errorlist" in html, "a refused form says why"
        assert_not_raw(response, sent)
        if response.status_code == 302 and payloads_in(sent):
            assert_not_raw(client.get(response["Location"]), sent)


@fuzz(45)
@given(data=st.data())
def test_adding_and_changing(client, org, administrator, data):
    model = data.draw(st.sampled_from(MODELS), label="model")
    signed_in(client, administrator)
    opts = model._meta
    existing = model.objects.order_by("pk").first()
    urls = [reverse(f"admin:{opts.app_label}_{opts.model_name}_add")]
    if existing is not None:
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[existing.pk]))
    url = data.draw(st.sampled_from(urls), label="page")
    response = client.get(url)
    if response.status_code == 403:  # read-only in the admin (enquiries and their timelines)
        return
    fields = page_fields(client, url)
    if not fields:  # shown read-only (the audit log, two-factor apps): a post changes nothing
        with rolled_back():
            assert client.post(url, {}).status_code == 403
        return
    fuzz_admin_form(client, url, fields, data)


@fuzz(30)
@given(data=st.data())
def test_the_lists_and_their_actions(client, org, administrator, data):
    model = data.draw(st.sampled_from(MODELS), label="model")
    signed_in(client, administrator)
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    names = [field.name for field in opts.concrete_fields][:6]
    lookups = [f"{name}__{lookup}" for name in names for lookup in ("exact", "gte", "in", "isnull", "year", "month")]
    params = data.draw(
        st.dictionaries(
            st.one_of(st.sampled_from(["q", "o", "p", *lookups]), hostile_text(20)),
            st.one_of(hostile_text(50), bad_ids, st.sampled_from(["99999999999", "2026", "13", "True", "1"])),
            max_size=3,
        ),
        label="query",
    )
    with rolled_back():
        response = client.get(url, params)
        assert response.status_code in (200, 302, 400), f"{response.status_code} from {url}"
        assert_not_raw(response, params)
        action = {
            "action": data.draw(st.sampled_from(["delete_selected", "nope", ""]), label="action"),
            "_selected_action": data.draw(st.lists(bad_ids, min_size=1, max_size=3), label="selected"),
        }
        response = client.post(url, action)
        assert response.status_code in (200, 302, 403), f"{response.status_code} from an action on {url}"

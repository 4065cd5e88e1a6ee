"""A header that fits, on the demo council (issue 15 C16).

For every demo account (protocol_portal/demo/accounts.py): the GOV.UK service navigation has at
most seven sections and each answers 200 for that person; the sections that did not fit are on
their home page; every card of their home page has a link, and each answers 200; the account
area (notifications, your account, sign out) is in the header, and the account page's links
(password, two-factor sign-in, their own councillor profile) work.

The demo is built once for the module (about 15 s), in a transaction rolled back at the end;
each test runs in a savepoint inside it.
"""

from __future__ import annotations

import io
from collections import defaultdict
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from protocol_portal.demo import DEMO_ACCOUNTS
from tests.conftest import built_once

pytestmark = pytest.mark.django_db

# Issue 15 C16: "at most seven items for any role".
NAVIGATION_MAX_ITEMS = 7

# Where the header's links are, by the class of the element around them.
SERVICE_NAVIGATION = "govuk-service-navigation"
ACCOUNT_AREA = "app-account-nav"
HOME_CARD = "app-home-card"


class Links(HTMLParser):
    """Every link of a page, with the classes and ids of the elements around it, and the forms."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, html: str) -> None:
        super().__init__()
        self.open: list[tuple[str, set[str], str]] = []  # tag, classes, aria-labelledby or id
        self.links: list[SimpleNamespace] = []
        self.forms: list[SimpleNamespace] = []
        self._link: SimpleNamespace | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self._link = SimpleNamespace(
                href=attributes["href"],
                text="",
                classes=set().union(*(classes for _, classes, _ in self.open)),
                card=next((name for _, classes, name in reversed(self.open) if HOME_CARD in classes), None),
                current=attributes.get("aria-current"),
            )
        if tag == "form":
            self.forms.append(
                SimpleNamespace(
                    action=attributes.get("action"),
                    method=(attributes.get("method") or "get").lower(),
                    classes=set().union(*(classes for _, classes, _ in self.open)),
                )
            )
        if tag not in self.VOID:
            classes = set((attributes.get("class") or "").split())
            self.open.append((tag, classes, attributes.get("aria-labelledby") or attributes.get("id") or ""))

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            self._link.text = " ".join(self._link.text.split())
            self.links.append(self._link)
            self._link = None
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self._link is not None:
            self._link.text += data

    def within(self, region: str) -> list[SimpleNamespace]:
        return [link for link in self.links if region in link.classes]

    def cards(self) -> dict[str, list[SimpleNamespace]]:
        found = defaultdict(list)
        for link in self.links:
            if link.card is not None:
                found[link.card].append(link)
        return found


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker, TWO_FACTOR_ENFORCED=False):
        call_command("seed_demo", stdout=io.StringIO())
        yield


@pytest.fixture(autouse=True)
def _two_factor_off(settings):
    settings.TWO_FACTOR_ENFORCED = False


class Visitor:
    """One demo account's browser: each page is asked for once, however often it is linked."""

    def __init__(self, username: str) -> None:
        self.username = username
        self.client = Client()
        self.client.force_login(get_user_model().objects.get(username=username))
        self.seen: dict[str, tuple[int, str]] = {}

    def status(self, url: str) -> int:
        if url not in self.seen:
            response = self.client.get(url)
            self.seen[url] = (response.status_code, response.content.decode() if response.status_code == 200 else "")
        return self.seen[url][0]

    def page(self, url: str) -> Links:
        assert self.status(url) == 200, f"{self.username}: {url} answered {self.status(url)}"
        return Links(self.seen[url][1])


ACCOUNTS = sorted(DEMO_ACCOUNTS)


@pytest.mark.parametrize("username", ACCOUNTS)
def test_the_navigation_has_at_most_seven_sections_and_each_opens(demo, username):
    visitor = Visitor(username)
    home = visitor.page(reverse("home"))

    sections = home.within(SERVICE_NAVIGATION)
    assert 1 <= len(sections) <= NAVIGATION_MAX_ITEMS, [link.text for link in sections]
    for link in sections:
        assert visitor.status(link.href) == 200, f"{username}: {link.text} ({link.href})"
        if link.href == reverse("admin:index"):
            continue  # Django admin's own pages, with their own header
        # The section's own page marks it as the current page, and no other.
        current = [item.text for item in visitor.page(link.href).within(SERVICE_NAVIGATION) if item.current]
        assert current == [link.text], (username, link.href, current)
    # Nothing of the account area is in the navigation any more.
    labels = {link.text for link in sections}
    assert not labels & {"Home", "Change password", "Two-factor sign-in", "Sign out", "Your account"}
    assert not any(label.startswith("Notifications") for label in labels)


@pytest.mark.parametrize("username", ["monitoring.officer", "chief.executive"])
def test_the_sections_that_do_not_fit_are_on_the_home_page(demo, username):
    visitor = Visitor(username)
    home = visitor.page(reverse("home"))

    in_navigation = {link.href for link in home.within(SERVICE_NAVIGATION)}
    more = home.cards()["home-card-more"]
    assert more, "a person with more than seven sections finds the rest on the home page"
    assert not {link.href for link in more} & in_navigation
    for link in more:
        assert visitor.status(link.href) == 200, f"{username}: {link.text} ({link.href})"
    # What the Monitoring Officer had in the header before: all of it is still one click from home.
    if username == "monitoring.officer":
        everything = in_navigation | {link.href for link in more}
        assert {reverse("cases:briefings"), reverse("cases:positive_examples"), reverse("cases:triage")} <= everything


@pytest.mark.parametrize("username", ACCOUNTS)
def test_every_card_on_the_home_page_links_somewhere_that_opens(demo, username):
    visitor = Visitor(username)
    cards = visitor.page(reverse("home")).cards()

    assert cards, f"{username} has no card on the home page"
    for card, links in cards.items():
        assert links, f"{username}: the card {card} links nowhere"
        for link in links:
            assert visitor.status(link.href) == 200, f"{username}: {card}: {link.text} ({link.href})"


@pytest.mark.parametrize("username", ["councillor", "whip", "standards.chair"])
def test_keep_your_profile_up_to_date_opens_the_councillors_own_profile(demo, username):
    visitor = Visitor(username)
    member = get_user_model().objects.get(username=username).member
    links = [link for link in visitor.page(reverse("home")).links if link.text == "Keep your profile up to date"]

    assert [link.href for link in links] == [reverse("people:member_profile", args=[member.pk])]
    profile = visitor.page(links[0].href)
    # Their own profile: it offers to change it.
    assert reverse("people:member_profile_edit", args=[member.pk]) in {link.href for link in profile.links}


@pytest.mark.parametrize("username", ACCOUNTS)
def test_the_account_area_is_in_the_header_and_its_links_work(demo, username):
    visitor = Visitor(username)
    home = visitor.page(reverse("home"))

    area = {link.text.split(" (")[0]: link.href for link in home.within(ACCOUNT_AREA)}
    assert area == {"Notifications": reverse("cases:notifications"), "Your account": reverse("account")}
    assert [form.action for form in home.forms if ACCOUNT_AREA in form.classes] == [reverse("logout")]

    account = visitor.page(reverse("account"))
    links = {link.text: link.href for link in account.links}
    for text in ("Change your password", "Two-factor sign-in", "Your notifications"):
        assert visitor.status(links[text]) == 200, f"{username}: {text}"
    user = get_user_model().objects.get(username=username)
    member = getattr(user, "member", None)
    if member is not None:
        assert links["Your councillor profile"] == reverse("people:member_profile", args=[member.pk])
        assert visitor.status(links["Your councillor profile"]) == 200
    else:
        assert "Your councillor profile" not in links
    # The account pages are marked as being in the account area.
    password = visitor.page(reverse("password_change"))
    assert [link.current for link in password.within(ACCOUNT_AREA) if link.href == reverse("account")] == ["true"]

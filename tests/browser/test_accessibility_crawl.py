"""axe-core on every page each demo account can reach, with its forms empty and showing errors (issue 7).

The demo council (``seed_demo``) is built once. Each demo account then signs in and walks the
portal breadth-first from its home page over same-origin links, as a person could, and axe-core
checks each page against the WCAG 2.0, 2.1 and 2.2 A and AA rules (tests/browser/accessibility.py);
then, with the window 320 px wide, each page must reflow (WCAG 2.2 1.4.10, tests/browser/reflow.py):
no sideways scrolling of the page, nothing sticking out or cut off, and whatever scrolls sideways
(a wide table) a named region that takes the focus.

- Pages are grouped by URL pattern: at most two pages of a pattern per account, plus one page
  of each kind of variant not yet seen (pagination, sort, filter), including the filter a GET
  form applies with its first real choice in each list.
- Every POST form met (except signing out) is sent once per account, empty, and the page
  showing its errors is checked too. A form with nothing required to leave empty (close,
  withdraw, share) is sent with its hidden ``version`` spoiled instead, so that it shows an
  error and changes nothing. Marking notifications read has neither, and simply succeeds.
- Downloads (CSV, PDF, attachments), told apart by their Content-Type, are not pages: they are
  recorded, not checked. Signing out and links off the portal are not followed.
- Action pages no account happened to reach (the walk sees two cases of each kind) are then
  reached from a case where the action is open to a demo account, chosen from the database.
- Signed out: the sign-in page, empty and with errors, the accessibility statement and the 404
  page; signed in: the 404, 403 and "password changed" pages.
- Django admin (for ``admin``): one page of each kind (index, list, add with errors, change,
  delete, history), with the Django markup listed in ADMIN_EXCLUDED (and ADMIN_REFLOW_EXCLUDED
  at 320 px) left out.

It fails on any violation; on a page that does not reflow at 320 px (naming the account, the page
and what sticks out); on a link in a role's header navigation that was never checked for that
role; on a URL pattern that no account reached and UNREACHED does not explain; on a link to an
error page; and on an error page whose title does not start "Error:" or whose error summary does
not take the focus. It prints pages × accounts, and the time the 320 px checks took.
"""

from __future__ import annotations

import io
import queue
import time
from collections import defaultdict, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import import_module
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect, sync_playwright

from cases.concerns.views import concern as concern_views
from cases.cover.services import cover_set
from cases.enquiries.views import enquiry as enquiry_views
from cases.models import Attachment, Concern, Enquiry, EnquiryState, HoldingReply, WardNotice
from people.models import Officer
from protocol_portal.demo import DEMO_ACCOUNTS
from tests.browser.accessibility import Accessibility, preload_axe
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.reflow import reflow_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.starts_early]

PAGES_PER_PATTERN = 2
# Accounts walk two at a time, each in its own browser: axe-core's work is done in the
# browsers' renderer processes, so two of them keep two cores busy.
BROWSERS = 2
NOT_FOLLOWED = {
    "logout": "signing out would end the walk",
    "admin:logout": "signing out would end the walk",
    "admin:view_on_site": "redirects to a portal page, which is checked as that page",
}
# URL patterns no demo account reaches by a link or a form, and why.
UNREACHED = {
    "two_factor_verify": "asks for a code only when TWO_FACTOR_ENFORCED, which the suite turns off; "
    "tests/browser/test_two_factor_journey.py checks it with axe",
    "two_factor_turn_off": "only for someone with an app whose role does not require one, and no such demo account "
    "has an app; tests/protocol_portal/test_two_factor.py covers the page",
    "people:member_photo": "an image, not a page (and no demo councillor has a photo)",
}
# One of each of these of Django admin's pages is checked (as the accessibility statement says).
ADMIN_KINDS = {
    "admin:index", "admin:app_list", "admin:changelist", "admin:add", "admin:change", "admin:delete", "admin:history"
}  # fmt: skip
# Django admin is Django's markup, not ours (CSS selector: what axe-core 4.12 finds wrong in it).
# templates/admin/base_site.html fixes what a stylesheet can fix (the breadcrumbs' links).
ADMIN_EXCLUDED = {
    ".selector .search-label-icon": (
        "aria-prohibited-attr: the filter_horizontal widget's JavaScript (SelectFilter2.js) names its "
        "decorative search icon with aria-label on a <span> that has no role; the input beside it has "
        "its own label, so screen readers lose nothing"
    ),
}
# What the 320 px check leaves out of Django admin (CSS selector: why).
ADMIN_REFLOW_EXCLUDED = {
    "#changelist .results": (
        "a change list's table scrolls in Django's own box, not a named region that takes the focus; "
        "the links and checkboxes in it take the focus, so a keyboard still scrolls it (axe-core's "
        "scrollable-region-focusable passes)"
    ),
}

# Empties a form as someone pressing its button straight away would, or spoils its version
# when nothing required is left empty; then presses the button.
SEND_EMPTY = """form => {
  const fields = [...form.elements].filter(e =>
    e.tagName !== 'BUTTON' && e.tagName !== 'FIELDSET' && !['hidden', 'submit', 'button', 'reset'].includes(e.type));
  // GOV.UK marks the optional questions, not the required ones.
  const optional = e => [...(e.labels || []), e.closest('fieldset')?.querySelector('legend')]
    .some(label => label && label.textContent.includes('(optional)'));
  const required = fields.some(e => !optional(e));
  for (const e of fields) {
    if (e.type === 'checkbox' || e.type === 'radio') e.checked = false;
    else if (e.tagName === 'SELECT') [...e.options].forEach((o, i) => { o.selected = !e.multiple && i === 0; });
    else if (e.type !== 'file') e.value = '';
  }
  const version = form.querySelector('input[type=hidden][name=version]');
  if (!required && version) version.value = 'spoiled';
  const button = form.querySelector('button:not([type=button]), input[type=submit]');
  if (button) button.click(); else form.requestSubmit();
  return !required && !!version;
}"""

# The links on a page, the header's links (the service navigation and the account area), the URL
# each GET form makes when its lists are set to their first real choice (blank fields left out),
# and the POST forms.
OUTLINE = """() => {
  // getAttribute, not form.method or form.action: a field named "method" hides those.
  const forms = [...document.querySelectorAll('form')].map((form, index) => ({
    form, index, method: (form.getAttribute('method') || 'get').toLowerCase(),
    action: new URL(form.getAttribute('action') || location.href, location.href).href,
  }));
  return {
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    nav: [...document.querySelectorAll('.govuk-service-navigation a[href], .app-account-nav a[href]')].map(a => a.href),
    filters: forms.filter(f => f.method === 'get').map(({form, action}) => {
      const data = new FormData(form);
      for (const select of form.querySelectorAll('select[name]:not([multiple])')) {
        const choice = [...select.options].find(o => o.value !== '');
        if (choice && !select.value) data.set(select.name, choice.value);
      }
      const url = new URL(action);
      url.search = new URLSearchParams([...data].filter(([, value]) => value !== '')).toString();
      return url.href;
    }),
    posts: forms.filter(f => f.method === 'post').map(({index, action}) => ({index, action})),
  };
}"""


def view_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def every_view_name(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            names |= every_view_name(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
        elif isinstance(entry, URLPattern):
            names.add(f"{namespace}{entry.name or entry.lookup_str}")
    return names


def admin_kind(name: str) -> str:
    """admin:people_ward_changelist -> admin:changelist; admin:index stays admin:index."""
    _app, _, rest = name.removeprefix("admin:").partition("_")
    _model, _, kind = rest.partition("_")
    return f"admin:{kind}" if kind and name != "admin:password_change_done" else name


def variant(query: str) -> frozenset[str]:
    """What a query string does to a page: paginate it, sort it, filter it."""
    return frozenset(
        "pagination" if param.endswith("page") else "sort" if param in ("sort", "o") else "filter"
        for param, _ in parse_qsl(query, keep_blank_values=True)
    )


def walk_name(account: str, only: str | None) -> str:
    return account if only is None else f"{account} (for {only})"


@dataclass
class Walk:
    """One account's walk: what it checked, and where its header navigation goes."""

    account: str
    pages: int = 0
    error_pages: int = 0
    patterns: set[str] = field(default_factory=set)
    forms: set[str] = field(default_factory=set)
    nav: set[str] = field(default_factory=set)
    succeeded_empty: list[str] = field(default_factory=list)  # pages whose form did its job when sent empty


class Crawler:
    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.audit = Accessibility(None)
        self.content_types: dict[str, str] = {}  # view name -> the Content-Type of its first page
        self.problems: list[str] = []
        self.walks: list[Walk] = []
        self.checked: set[str] = set()  # view names checked outside the walks
        self.reflow_seconds = 0.0  # spent checking pages at 320 px, in all browsers together

    def absorb(self, other: Crawler) -> None:
        self.content_types |= other.content_types
        self.problems += other.problems
        self.walks += other.walks
        self.audit.checked += other.audit.checked
        self.audit.violations += other.audit.violations
        self.reflow_seconds += other.reflow_seconds

    def walk_in_parallel(self, jobs: list[tuple[str, str, str | None]]) -> None:
        """Walk (account, start, only) for each job, in BROWSERS browsers at once. Playwright's
        sync API wants one Playwright per thread, so each thread starts its own."""
        todo: queue.SimpleQueue = queue.SimpleQueue()
        for job in jobs:
            todo.put(job)

        def work() -> Crawler:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                helper = Crawler(browser, self.base_url)
                try:
                    while True:
                        try:
                            helper.walk(*todo.get_nowait())
                        except queue.Empty:
                            return helper
                finally:
                    browser.close()

        with ThreadPoolExecutor(BROWSERS) as pool:
            helpers = [future.result() for future in [pool.submit(work) for _ in range(BROWSERS)]]
        order = [walk_name(account, only) for account, _, only in jobs]
        for helper in helpers:
            self.absorb(helper)
        self.walks.sort(key=lambda walk: order.index(walk.account) if walk.account in order else -1)

    def new_page(self) -> Page:
        context = self.browser.new_context(base_url=self.base_url)
        context.set_default_timeout(15_000)
        preload_axe(context)
        page = context.new_page()
        self.audit.page = page
        return page

    def check(self, name: str, *, admin: bool = False) -> None:
        """axe-core on the page as it is, then reflow with the window 320 px wide."""
        self.audit.check(name, exclude=list(ADMIN_EXCLUDED) if admin else None)
        started = time.monotonic()
        problems = reflow_problems(self.audit.page, exclude=list(ADMIN_REFLOW_EXCLUDED) if admin else None)
        self.reflow_seconds += time.monotonic() - started
        if problems:
            self.problems.append(f"{name} ({self.audit.page.url}) at 320 px: " + "; ".join(problems))

    def sign_in(self, page: Page, username: str) -> None:
        page.goto("/sign-in/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(settings.DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    def local(self, url: str) -> str | None:
        """The path and query of a link to a page of the portal; None for anything else."""
        if not url.startswith(self.base_url + "/"):
            return None
        parts = urlsplit(url)
        if parts.path.startswith(settings.STATIC_URL):
            return None
        # The first page of a list is the list itself.
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        query = urlencode([pair for pair in pairs if pair != ("page", "1")])
        return parts.path + (f"?{query}" if query else "")

    def is_download(self, page: Page, name: str, path: str) -> bool:
        if name not in self.content_types:
            self.content_types[name] = page.request.get(path, max_redirects=0).headers.get("content-type", "")
        return not self.content_types[name].startswith("text/html")

    def walk(self, account: str, start: str = "/", only: str | None = None) -> Walk:
        """Walk from ``start``; with ``only``, check the start page and its links to that pattern."""
        walk = Walk(walk_name(account, only))
        self.walks.append(walk)
        page = self.new_page()
        try:
            self.sign_in(page, account)
            self._walk(page, walk, start, only)
        finally:
            page.context.close()
        return walk

    def _walk(self, page: Page, walk: Walk, start: str, only: str | None) -> None:
        budget: dict[str, int] = defaultdict(int)
        variants: dict[str, set[frozenset[str]]] = defaultdict(set)
        queue: deque[tuple[str, str]] = deque([(start, "the start")])
        seen = {start}
        while queue:
            path, linked_from = queue.popleft()
            parts = urlsplit(path)
            name = view_name(parts.path)
            if name is None or name in NOT_FOLLOWED:
                continue
            admin = name.startswith("admin:")
            kinds = variant(parts.query)
            if admin:  # Django's pages: one of each kind, whatever the model or query.
                name_key, kinds = admin_kind(name), frozenset()
                if budget[name_key]:
                    continue
            elif kinds:
                name_key = name
                if kinds <= set().union(*variants[name]):
                    continue
            else:
                name_key = name
                if budget[name] >= PAGES_PER_PATTERN:
                    continue
            if self.is_download(page, name, path):
                continue
            response = page.goto(path)
            if response.status != 200:
                self.problems.append(f"{walk.account}: {path}, linked from {linked_from}, answered {response.status}")
                continue
            budget[name_key] += 1
            variants[name].add(kinds)
            walk.pages += 1
            walk.patterns.add(name)
            self.check(f"{walk.account} {path}", admin=admin)
            outline = page.evaluate(OUTLINE)
            if path == "/":
                walk.nav = {view_name(urlsplit(url).path) for url in outline["nav"]}
            for url in outline["links"] + outline["filters"]:
                target = self.local(url)
                if target is not None and target not in seen:
                    seen.add(target)
                    if only is None or view_name(urlsplit(target).path) == only:
                        queue.append((target, path))
            if only is not None and name != only:
                continue
            for form in outline["posts"]:
                action = self.local(form["action"])
                action_name = action and view_name(urlsplit(action).path)
                if action_name is None or action_name in NOT_FOLLOWED or action_name in walk.forms:
                    continue
                # In Django admin only an add form is safe to send empty: an empty change form
                # may save, and a delete confirmation deletes.
                if admin and not action_name.endswith("_add"):
                    continue
                walk.forms.add(action_name)
                self._send_empty(page, walk, path, form["index"], admin)

    def _send_empty(self, page: Page, walk: Walk, path: str, index: int, admin: bool) -> None:
        if page.url.removeprefix(self.base_url) != path:
            page.goto(path)
        with page.expect_navigation():
            spoiled = page.locator("form").nth(index).evaluate(SEND_EMPTY)
        page.wait_for_load_state("load")
        after = page.url.removeprefix(self.base_url)
        if not page.locator(".govuk-error-summary, .errornote").count():
            walk.succeeded_empty.append(path)
            self.check(f"{walk.account} {after} after sending the form on {path} empty")
            return
        walk.error_pages += 1
        if not admin:
            if not page.title().startswith("Error: "):
                self.problems.append(f"{walk.account}: {path} with errors is titled {page.title()!r}")
            focused = "document.activeElement.classList.contains('govuk-error-summary')"
            if not page.evaluate(focused):
                self.problems.append(f"{walk.account}: {path} with errors did not move the focus to the summary")
        how = "with its version spoiled" if spoiled else "empty"
        self.check(f"{walk.account} {path} sent {how}", admin=admin)


def start_for(name: str) -> tuple[str, str] | None:
    """A demo account and a case page from which it can reach ``name``, from the database."""
    users = list(get_user_model().objects.filter(username__in=DEMO_ACCOUNTS).order_by("pk"))
    url_name = name.removeprefix("cases:")
    for model, actions in ((Enquiry, enquiry_views.ACTIONS_BY_URL), (Concern, concern_views.ACTIONS_BY_URL)):
        if url_name in actions:
            for case in model.objects.order_by("pk").iterator():
                for user in users:
                    if actions[url_name].allowed(case, user):
                        return user.username, case.get_absolute_url()
    if name == "cases:attachment":
        file = Attachment.objects.filter(enquiry__member__user__username__in=DEMO_ACCOUNTS).first()
        return file and (file.enquiry.member.user.username, file.enquiry.get_absolute_url())
    if name == "cases:concern_evidence":
        file = Attachment.objects.filter(concern__complainant_user__username__in=DEMO_ACCOUNTS).first()
        return file and (file.concern.complainant_user.username, file.concern.get_absolute_url())
    if name == "cases:ward_notice_attachment":
        notice = WardNotice.objects.exclude(attachment="").filter(sent_by__username__in=DEMO_ACCOUNTS).first()
        return notice and (notice.sent_by.username, notice.get_absolute_url())
    return None


@pytest.fixture
def demo_council():
    # A transactional test's flush empties the behaviours list its data migration seeded.
    import_module("cases.migrations.0004_behaviours").add_behaviours(apps, None)
    call_command("seed_demo", stdout=io.StringIO())
    # The demo has no files; one on a councillor's enquiry and one on a concern makes their links.
    enquiry = Enquiry.objects.filter(member__user__username="councillor").order_by("pk").first()
    concern = Concern.objects.filter(complainant_user__username__in=DEMO_ACCOUNTS).order_by("pk").first()
    for case, uploader in ((enquiry, enquiry.member.user), (concern, concern.complainant_user)):
        Attachment.objects.create(
            **{case._meta.model_name: case}, file=ContentFile(b"Survey notes.\n", name="survey.txt"),
            name="survey.txt", size=14, content_type="text/plain", uploaded_by=uploader,
        )  # fmt: skip
    # A holding reply waiting for the councillor to agree to a later date (issue 15 A3), so
    # the page that asks them is reached too.
    waiting = (
        Enquiry.objects.filter(member__user__username="councillor", state=EnquiryState.SUBMITTED).order_by("pk").first()
    )
    HoldingReply.objects.create(
        enquiry=waiting,
        author=waiting.owner,
        reason="Waiting for the contractor's survey.",
        target_on=timezone.localdate() + timedelta(days=40),
        status=HoldingReply.Status.AWAITING,
        original_due_on=timezone.localdate(waiting.due_at),
    )
    # Cover while away (issue 15 C11): the liaison officer covers for the demo officer this week,
    # so both reach the page that ends a cover early, and the liaison officer's My work lists the
    # officer's enquiries.
    officer, liaison = (Officer.objects.get(user__username=name) for name in ("officer", "liaison"))
    cover_set(
        officer=officer,
        covered_by=liaison,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=6),
        actor=officer.user,
    )
    # And one on a ward notice the demo officer sent (001 §9.4).
    notice = WardNotice.objects.filter(sent_by__username="officer").order_by("pk").first()
    notice.attachment = ContentFile(b"Diversion map.\n", name="diversion.txt")
    notice.attachment_name, notice.attachment_size = "diversion.txt", 15
    notice.save()


def test_it_finds_no_wcag_violations_on_any_page_any_demo_account_reaches(chromium, live_server, demo_council, capsys):
    started = time.monotonic()
    crawler = Crawler(chromium, live_server.url)
    audit = crawler.audit

    # --- Signed out -------------------------------------------------------------------------
    page = crawler.new_page()
    page.goto("/sign-in/")
    crawler.check("signed out: sign-in")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    crawler.check("signed out: sign-in sent empty")
    page.get_by_label("Username").fill("councillor")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a correct username and password")
    crawler.check("signed out: sign-in with a wrong password")
    page.goto("/accessibility/")
    crawler.check("signed out: accessibility statement")
    assert page.goto("/no-such-page/").status == 404
    crawler.check("signed out: page not found")
    page.context.close()

    # --- Signed in: the pages no link leads to ----------------------------------------------
    page = crawler.new_page()
    crawler.sign_in(page, "councillor")
    assert page.goto("/no-such-page/").status == 404
    crawler.check("councillor: page not found")
    assert page.goto("/monitoring/").status == 403
    crawler.check("councillor: you cannot do this (403)")
    page.goto("/password/changed/")
    crawler.check("councillor: password changed")
    page.context.close()
    crawler.checked |= {"login", "accessibility", "password_change_done"}

    # --- Every demo account walks the portal ------------------------------------------------
    crawler.walk_in_parallel([(account, "/", None) for account in DEMO_ACCOUNTS])

    def reached() -> set[str]:
        return crawler.checked.union(*(walk.patterns | walk.forms for walk in crawler.walks))

    # ... then reaches, from a case chosen for it, each action page the walks missed.
    missed = sorted(name for name in every_view_name() - reached() if name.startswith("cases:"))
    crawler.walk_in_parallel([(*start, name) for name in missed if (start := start_for(name)) is not None])

    downloads = {name for name, kind in crawler.content_types.items() if not kind.startswith("text/html")}
    unexplained = sorted(
        name
        for name in every_view_name() - reached() - downloads - set(NOT_FOLLOWED) - set(UNREACHED)
        if not name.startswith("admin:")
    )
    if unexplained:
        crawler.problems.append(f"URL patterns no account reached (link them, or say why in UNREACHED): {unexplained}")
    # The accessibility statement says which of Django's pages are checked.
    admin_kinds = {admin_kind(name) for walk in crawler.walks for name in walk.patterns | walk.forms}
    if missing := sorted(ADMIN_KINDS - admin_kinds):
        crawler.problems.append(f"Django admin pages never checked: {missing}")
    for walk in crawler.walks:
        if walk.nav - walk.patterns:
            crawler.problems.append(f"{walk.account}: header links never checked: {sorted(walk.nav - walk.patterns)}")

    lines = [f"{'account':<44} pages  error pages  URL patterns  forms sent"]
    lines += [
        f"{walk.account:<44} {walk.pages:>5}  {walk.error_pages:>11}  {len(walk.patterns):>12}  {len(walk.forms):>10}"
        for walk in crawler.walks
    ]
    lines.append(
        f"axe-core checked {len(audit.checked)} pages ({len(reached())} URL patterns) "
        f"in {time.monotonic() - started:.0f} s, each also at 320 px wide ({crawler.reflow_seconds:.0f} s of "
        f"the browsers' time, {BROWSERS} at once). Downloads, not checked: {', '.join(sorted(downloads))}."
    )
    lines.append(f"URL patterns checked: {', '.join(sorted(reached()))}.")
    succeeded = defaultdict(list)
    for walk in crawler.walks:
        for path in walk.succeeded_empty:
            succeeded[path].append(walk.account)
    lines += [
        f"Succeeded when sent empty: the form on {path}, for {', '.join(who)}." for path, who in succeeded.items()
    ]
    with capsys.disabled():
        print("\n" + "\n".join(lines))

    assert not crawler.problems, "\n".join(crawler.problems)
    audit.assert_no_violations()

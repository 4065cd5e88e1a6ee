"""What ``manage.py bench_pages`` requests, as whom, and how it signs in and times a page
(issue 6 "fast at scale", issue 14; docs/performance.md).

The benchmark measures the pages as production serves them: DEBUG off, every request
over https (SECURE_SSL_REDIRECT would otherwise answer 301), or with the TLS proxy's
header where the settings expect one, and the accounts whose roles need two-factor
sign-in giving a code first (TwoFactorMiddleware would otherwise answer 302). It changes
none of those settings. Its test client speaks https and signs in as a person would: the
password step by ``force_login`` (no password hashing in the measurement), the code step
through the sign-in code page, with the code of the demo authenticator seed_demo gave the
account (as ``manage.py demo_totp`` prints it). A page that answers anything but 200 is a
failure, never a row of dashes.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.http import HttpResponseBase
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from people.models import Directorate, Ward
from people.selectors import two_factor_device, two_factor_required
from people.services import TWO_FACTOR_DEVICE_NAME
from protocol_portal.demo import DEMO_ACCOUNTS, demo_totp_key
from reporting.periods import municipal_year_of

DASHBOARD_TARGET_MS = 200
LIST_TARGET_MS = 50
USERNAMES = ("standards.member", "monitoring.officer", "councillor", "liaison", "head", "whip", "chief.executive")


class SignInFailed(Exception):
    """The benchmark could not sign in as a demo account the way production requires."""


@dataclass
class Page:
    label: str
    username: str
    url: str
    target_ms: int | None


@dataclass
class Result:
    page: Page
    p50: float = 0.0
    p95: float = 0.0
    queries: int = 0
    status: int = 0
    location: str = ""  # where a redirect pointed

    @property
    def failed(self) -> bool:
        return self.status != 200

    @property
    def failure(self) -> str:
        """``HTTP 302 to /sign-in/code/?next=…``, or "" for a 200."""
        if not self.failed:
            return ""
        return f"HTTP {self.status}" + (f" to {self.location}" if self.location else "")

    @property
    def verdict(self) -> str:
        if self.failed:
            return "FAILED"
        if self.page.target_ms is None:
            return "–"
        return "ok" if self.p95 <= self.page.target_ms else "MISSED"


def pages() -> list[Page]:
    today = timezone.localdate()
    this_year = municipal_year_of(today)
    past_year = municipal_year_of(this_year.start - timedelta(days=3 * 365))
    directorate = (
        Directorate.objects.filter(services__name="Highways and Transport").first()
        or Directorate.objects.order_by("pk").first()
    )
    dashboard = reverse("reporting:dashboard")
    found = []
    for audience, username in (("committee", "standards.member"), ("operational", "monitoring.officer")):
        for period in (this_year, past_year):
            for scope, query in (("all directorates", ""), (directorate.name if directorate else "", "directorate")):
                if query and directorate is None:
                    continue
                url = f"{dashboard}?period={period.key}" + (f"&directorate={directorate.pk}" if query else "")
                label = f"Dashboard, {audience}, {period.key}, {scope}"
                found.append(Page(label, username, url, DASHBOARD_TARGET_MS))
    csv = reverse("reporting:table_csv", args=["by_service"])
    found += [
        Page(f"CSV by service, committee, {this_year.key}", "standards.member", f"{csv}?period={this_year.key}", None),
        Page(
            f"CSV by service, operational, {past_year.key}",
            "monitoring.officer",
            f"{csv}?period={past_year.key}",
            None,
        ),
        Page(
            f"Drill-down: missed, {this_year.key}",
            "monitoring.officer",
            f"{reverse('reporting:drilldown')}?period={this_year.key}&metric=late",
            LIST_TARGET_MS,
        ),
        Page(
            f"Drill-down: received, {past_year.key}",
            "monitoring.officer",
            f"{reverse('reporting:drilldown')}?period={past_year.key}&metric=received",
            LIST_TARGET_MS,
        ),
        Page("My enquiries", "councillor", reverse("cases:my_enquiries"), LIST_TARGET_MS),
        Page("My enquiries, page 100", "councillor", reverse("cases:my_enquiries") + "?page=100", LIST_TARGET_MS),
        Page("My work", "liaison", reverse("cases:my_work"), LIST_TARGET_MS),
        Page("Service queue", "head", reverse("cases:service_queue"), LIST_TARGET_MS),
        Page("Service queue, overdue only", "head", reverse("cases:service_queue") + "?due=overdue", LIST_TARGET_MS),
        Page("Service queue, every service", "chief.executive", reverse("cases:service_queue"), LIST_TARGET_MS),
        Page("Concerns (Monitoring Officer)", "monitoring.officer", reverse("cases:concerns"), LIST_TARGET_MS),
        Page("Concerns (a Whip)", "whip", reverse("cases:concerns"), LIST_TARGET_MS),
    ]
    found += list_variants()
    found += [
        Page("Triage queue", "monitoring.officer", reverse("cases:triage"), LIST_TARGET_MS),
        Page("Sanctions register", "monitoring.officer", reverse("cases:sanctions"), LIST_TARGET_MS),
    ]
    return found


def list_variants() -> list[Page]:
    """Issue 15 C10: the lists searched, filtered and sorted."""
    ward = Ward.objects.order_by("name").first()
    surname = User.objects.filter(username="councillor").values_list("last_name", flat=True).first() or "Smith"
    mine, work = reverse("cases:my_enquiries"), reverse("cases:my_work")
    queue, concerns = reverse("cases:service_queue"), reverse("cases:concerns")
    return [
        Page("My enquiries, search", "councillor", f"{mine}?q=pothole", LIST_TARGET_MS),
        Page("My enquiries, soonest due first", "councillor", f"{mine}?sort=due", LIST_TARGET_MS),
        Page("My enquiries, overdue", "councillor", f"{mine}?due=overdue", LIST_TARGET_MS),
        Page("My work, search", "liaison", f"{work}?q=pothole", LIST_TARGET_MS),
        Page("Service queue, search", "head", f"{queue}?q=pothole", LIST_TARGET_MS),
        Page("Service queue, by ward", "head", f"{queue}?ward={ward.pk if ward else ''}", LIST_TARGET_MS),
        Page("Service queue, newest received first", "head", f"{queue}?sort=newest", LIST_TARGET_MS),
        Page("Service queue, due soon", "head", f"{queue}?due=soon", LIST_TARGET_MS),
        Page("Service queue, any status, newest first", "head", f"{queue}?state=any&sort=newest", LIST_TARGET_MS),
        Page("Service queue, any status, by status", "head", f"{queue}?state=any&sort=state", LIST_TARGET_MS),
        Page("Concerns, search (Monitoring Officer)", "monitoring.officer", f"{concerns}?q={surname}", LIST_TARGET_MS),
        Page("Concerns, search (a Whip)", "whip", f"{concerns}?q={surname}", LIST_TARGET_MS),
    ]


# --- Signing in as production requires ------------------------------------------------------


class HttpsClient(Client):
    """Django's test client, every request made as production receives it: over https,
    where SECURE_SSL_REDIRECT sends plain http; or, behind a TLS proxy
    (SECURE_PROXY_SSL_HEADER, set by BEHIND_TLS_PROXY), over http with the proxy's header
    saying the browser used https."""

    def __init__(self) -> None:
        proxy_header = {}
        if settings.SECURE_PROXY_SSL_HEADER:
            header, value = settings.SECURE_PROXY_SSL_HEADER
            proxy_header[header] = value
        super().__init__(**proxy_header)
        self.over_https = not proxy_header

    def get(self, path, *args, **kwargs) -> HttpResponseBase:
        return super().get(path, *args, secure=self.over_https, **kwargs)

    def post(self, path, *args, **kwargs) -> HttpResponseBase:
        return super().post(path, *args, secure=self.over_https, **kwargs)


def signed_in_client(user, *, log: Callable[[str], None] = lambda line: None) -> HttpsClient:
    """A client signed in as ``user``: the password step by ``force_login``, then, where
    TWO_FACTOR_ENFORCED asks this account for a code, the code step through the sign-in
    code page (two_factor_verify: the code checked and the session verified as a person's
    would be), with the code of the account's demo authenticator."""
    client = HttpsClient()
    client.force_login(user)
    if not settings.TWO_FACTOR_ENFORCED:
        return client
    device = two_factor_device(user)
    if device is None and not two_factor_required(user):
        return client  # the portal asks this account for no code
    username = user.get_username()
    if username not in DEMO_ACCOUNTS:
        raise SignInFailed(f"{username} is not a demo account: the benchmark signs in only as those.")
    if device is None:
        # The authenticator seed_demo gives every demo account whose role needs a code (protocol_portal.demo).
        device = TOTPDevice.objects.create(
            user=user, name=TWO_FACTOR_DEVICE_NAME, key=demo_totp_key(username), confirmed=True
        )
        log(f"Gave {username} the demo authenticator seed_demo gives it (its role needs two-factor sign-in).")
    elif device.key != demo_totp_key(username):
        # Never a real person's app: only the keys derived from DEMO_TOTP_SECRET.
        raise SignInFailed(
            f"{username} has an authenticator that is not the demo one (DEMO_TOTP_SECRET changed since seed_demo?): "
            "the benchmark cannot give its code."
        )
    response = client.post(reverse("two_factor_verify"), {"code": _fresh_code(device, log=log)})
    if response.status_code != 302 or client.session.get(DEVICE_ID_SESSION_KEY) != device.persistent_id:
        raise SignInFailed(
            f"{username}'s two-factor code was not accepted at {reverse('two_factor_verify')}: "
            f"HTTP {response.status_code}."
        )
    return client


def _fresh_code(device: TOTPDevice, *, log: Callable[[str], None]) -> str:
    """The code the authenticator shows now. Each code works once: when the last run used
    this time step's, wait for the next step's (at most ``device.step`` seconds)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        wait = device.step - (totp.time - device.t0) % device.step + 0.1
        log(f"Waiting {wait:.0f} s for a fresh two-factor code for {device.user.get_username()}…")
        time.sleep(wait)
        totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


# --- Timing a page ---------------------------------------------------------------------------


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def estimate(model) -> int:
    """The planner's row estimate (exact counts of a million rows would be a benchmark of their own)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [model._meta.db_table])
        row = cursor.fetchone()
    return max(row[0], 0) if row else model.objects.count()


def _request(client: Client, page: Page, result: Result) -> bool:
    """Request the page whole (a CSV streams); False, with the status noted, unless it answered 200."""
    response = client.get(page.url)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    result.status = response.status_code
    result.location = response.get("Location", "")
    return response.status_code == 200


def measure(client: Client, page: Page, *, repeat: int, warm_up: int) -> Result:
    """``warm_up`` untimed requests, ``repeat`` timed ones, then one more counting its SQL
    queries. Every one must answer 200: the first that does not ends the page's measurement."""
    result = Result(page)
    for _ in range(warm_up):
        if not _request(client, page, result):
            return result
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        answered = _request(client, page, result)
        samples.append((time.perf_counter() - started) * 1000)
        if not answered:
            return result
    with CaptureQueriesContext(connection) as queries:
        if not _request(client, page, result):
            return result
    result.p50, result.p95 = statistics.median(samples), percentile(samples, 0.95)
    result.queries = len(queries.captured_queries)
    return result

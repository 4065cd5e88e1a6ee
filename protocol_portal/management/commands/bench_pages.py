"""``manage.py bench_pages``: server time and SQL queries of the dashboards and list pages
(issue 6 "fast at scale"; docs/performance.md). A benchmark to read, not a timed test.

It runs against the current database, which should hold ``seed_scale``'s decade of cases
on top of the demo council, signs in as the demo accounts through Django's test client
(``force_login``: no password hashing in the measurement) and requests each page
``--repeat`` times after ``--warm-up`` untimed requests. The time is the whole request
inside the process: middleware, session, views, queries and templates, not the network.
"""

from __future__ import annotations

import math
import statistics
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Concern, Enquiry
from people.models import Directorate
from reporting.periods import municipal_year_of

DASHBOARD_TARGET_MS = 200
LIST_TARGET_MS = 50


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
    error: str = ""

    @property
    def verdict(self) -> str:
        if self.error:
            return "not run"
        if self.page.target_ms is None:
            return "–"
        return "ok" if self.p95 <= self.page.target_ms else "MISSED"


def _pages() -> list[Page]:
    today = timezone.localdate()
    this_year = municipal_year_of(today)
    past_year = municipal_year_of(this_year.start - timedelta(days=3 * 365))
    directorate = (
        Directorate.objects.filter(services__name="Highways and Transport").first()
        or Directorate.objects.order_by("pk").first()
    )
    dashboard = reverse("reporting:dashboard")
    pages = []
    for audience, username in (("committee", "standards.member"), ("operational", "monitoring.officer")):
        for period in (this_year, past_year):
            for scope, query in (("all directorates", ""), (directorate.name if directorate else "", "directorate")):
                if query and directorate is None:
                    continue
                url = f"{dashboard}?period={period.key}" + (f"&directorate={directorate.pk}" if query else "")
                label = f"Dashboard, {audience}, {period.key}, {scope}"
                pages.append(Page(label, username, url, DASHBOARD_TARGET_MS))
    csv = reverse("reporting:table_csv", args=["by_service"])
    pages += [
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
        Page("Service queue, overdue only", "head", reverse("cases:service_queue") + "?overdue=on", LIST_TARGET_MS),
        Page("Service queue, every service", "chief.executive", reverse("cases:service_queue"), LIST_TARGET_MS),
        Page("Concerns (Monitoring Officer)", "monitoring.officer", reverse("cases:concerns"), LIST_TARGET_MS),
        Page("Concerns (a Whip)", "whip", reverse("cases:concerns"), LIST_TARGET_MS),
        Page("Triage queue", "monitoring.officer", reverse("cases:triage"), LIST_TARGET_MS),
        Page("Sanctions register", "monitoring.officer", reverse("cases:sanctions"), LIST_TARGET_MS),
    ]
    return pages


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


class Command(BaseCommand):
    help = (
        "Request each dashboard and list page N times as the demo accounts and print p50 and p95 server time "
        "(ms) and SQL queries per page. Run it against seed_scale's data (PostgreSQL)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--repeat", type=int, default=30, help="Timed requests per page (default 30).")
        parser.add_argument("--warm-up", type=int, default=3, help="Untimed requests first (default 3).")
        parser.add_argument("--only", default="", help="Only pages whose label contains this text.")
        parser.add_argument("--markdown", action="store_true", help="Print the results as a Markdown table.")

    def handle(self, *args, repeat: int, warm_up: int, only: str, markdown: bool, **options) -> None:
        if repeat < 1:
            raise CommandError("--repeat must be 1 or more.")
        if settings.DEBUG:
            raise CommandError("Run the benchmark with DEBUG=false: debug mode records every query and slows pages.")
        # The test client's host; and static URLs from static/ as in the tests, so no collectstatic is needed.
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        users = {user.username: user for user in get_user_model().objects.filter(username__in=_USERNAMES)}
        missing = sorted(set(_USERNAMES) - set(users))
        if missing:
            raise CommandError(f"No demo account {', '.join(missing)}: run seed_demo (or seed_scale) first.")
        enquiries = _estimate(Enquiry)
        concerns = _estimate(Concern)
        self.stdout.write(
            f"About {enquiries:,} enquiries and {concerns:,} concerns; {repeat} timed requests per page "
            f"after {warm_up} to warm up."
        )
        clients: dict[str, Client] = {}
        results = []
        for page in _pages():
            if only and only.lower() not in page.label.lower():
                continue
            client = clients.get(page.username)
            if client is None:
                client = clients[page.username] = Client()
                client.force_login(users[page.username])
            result = _measure(client, page, repeat=repeat, warm_up=warm_up)
            results.append(result)
            if not markdown:
                self._line(result)
        if markdown:
            self._markdown(results)

    def _line(self, result: Result) -> None:
        page = result.page
        if result.error:
            self.stdout.write(f"{page.label:<58} {page.username:<19} {result.error}")
            return
        target = f"≤ {page.target_ms} ms" if page.target_ms else "–"
        line = (
            f"{page.label:<58} {page.username:<19} p50 {result.p50:7.1f} ms  p95 {result.p95:7.1f} ms  "
            f"{result.queries:3d} queries  target {target:<9} {result.verdict}"
        )
        self.stdout.write(self.style.ERROR(line) if result.verdict == "MISSED" else line)

    def _markdown(self, results: list[Result]) -> None:
        self.stdout.write("| page | signed in as | p50 | p95 | queries | target (p95) |")
        self.stdout.write("|---|---|---|---|---|---|")
        for result in results:
            page = result.page
            target = f"≤ {page.target_ms} ms" if page.target_ms else "–"
            if result.error:
                self.stdout.write(f"| {page.label} | `{page.username}` | – | – | – | {target} ({result.error}) |")
                continue
            self.stdout.write(
                f"| {page.label} | `{page.username}` | {result.p50:.0f} ms | {result.p95:.0f} ms | "
                f"{result.queries} | {target} |"
            )


_USERNAMES = ("standards.member", "monitoring.officer", "councillor", "liaison", "head", "whip", "chief.executive")


def _estimate(model) -> int:
    """The planner's row estimate (exact counts of a million rows would be a benchmark of their own)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [model._meta.db_table])
        row = cursor.fetchone()
    return max(row[0], 0) if row else model.objects.count()


def _measure(client: Client, page: Page, *, repeat: int, warm_up: int) -> Result:
    result = Result(page)
    for _ in range(warm_up):
        response = client.get(page.url)
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(page.url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        samples.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    result.status = response.status_code
    if response.status_code != 200:
        result.error = f"HTTP {response.status_code}"
        return result
    result.p50, result.p95 = statistics.median(samples), _percentile(samples, 0.95)
    result.queries = len(queries.captured_queries)
    return result

"""``manage.py bench_pages``: server time and SQL queries of the dashboards and list pages
(issue 6 "fast at scale"; docs/performance.md). A benchmark to read, not a timed test.

It runs against the current database, which should hold ``seed_scale``'s decade of cases
on top of the demo council, signs in as the demo accounts as production requires (over
https, with a two-factor code where the role needs one: protocol_portal.bench.pages) and
requests each page ``--repeat`` times after ``--warm-up`` untimed requests. The time is
the whole request inside the process: middleware, session, views, queries and templates,
not the network. Any page that answers anything but 200 makes it exit non-zero, naming
the page and the status.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.test import override_settings

from cases.models import Concern, Enquiry
from protocol_portal.bench.pages import (
    USERNAMES,
    HttpsClient,
    Result,
    SignInFailed,
    estimate,
    measure,
    pages,
    signed_in_client,
)


class Command(BaseCommand):
    help = (
        "Request each dashboard and list page N times as the demo accounts and print p50 and p95 server time "
        "(ms) and SQL queries per page. Run it against seed_scale's data (PostgreSQL). Exits non-zero when a "
        "page answers anything but 200."
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
        # Only within this command: the test client's host, and static URLs from static/ as in
        # the tests, so no collectstatic is needed. Every other setting is production's.
        with override_settings(
            ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
            STORAGES={
                **settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
        ):
            results = self._run(repeat=repeat, warm_up=warm_up, only=only, markdown=markdown)
        failed = [result for result in results if result.failed]
        if not results:
            raise CommandError(f"No page's label contains {only!r}.")
        if failed:
            raise CommandError(
                f"{len(failed)} of {len(results)} pages did not answer 200: "
                + "; ".join(f"{r.page.label} (as {r.page.username}): {r.failure}" for r in failed)
            )

    def _run(self, *, repeat: int, warm_up: int, only: str, markdown: bool) -> list[Result]:
        users = {user.username: user for user in get_user_model().objects.filter(username__in=USERNAMES)}
        missing = sorted(set(USERNAMES) - set(users))
        if missing:
            raise CommandError(f"No demo account {', '.join(missing)}: run seed_demo (or seed_scale) first.")
        self.stdout.write(
            f"About {estimate(Enquiry):,} enquiries and {estimate(Concern):,} concerns; {repeat} timed requests per "
            f"page after {warm_up} to warm up; over https, two-factor sign-in "
            f"{'enforced' if settings.TWO_FACTOR_ENFORCED else 'off (TWO_FACTOR_ENFORCED=false)'}."
        )
        clients: dict[str, HttpsClient] = {}
        results = []
        for page in pages():
            if only and only.lower() not in page.label.lower():
                continue
            client = clients.get(page.username)
            if client is None:
                try:
                    client = clients[page.username] = signed_in_client(users[page.username], log=self.stdout.write)
                except SignInFailed as error:
                    raise CommandError(f"Signing in as {page.username} for {page.label!r}: {error}") from None
            result = measure(client, page, repeat=repeat, warm_up=warm_up)
            results.append(result)
            if not markdown:
                self._line(result)
        if markdown:
            self._markdown(results)
        return results

    def _line(self, result: Result) -> None:
        page = result.page
        if result.failed:
            self.stdout.write(self.style.ERROR(f"{page.label:<58} {page.username:<19} FAILED: {result.failure}"))
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
            if result.failed:
                self.stdout.write(f"| {page.label} | `{page.username}` | FAILED: {result.failure} | | | {target} |")
                continue
            self.stdout.write(
                f"| {page.label} | `{page.username}` | {result.p50:.0f} ms | {result.p95:.0f} ms | "
                f"{result.queries} | {target} |"
            )

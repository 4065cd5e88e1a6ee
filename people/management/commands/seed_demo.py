"""``manage.py seed_demo``: build the fictional demo council (people.demo)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from people.demo import build_demo_council


class Command(BaseCommand):
    help = "Build a fictional council with demo accounts for every role. Running it again changes nothing."

    def handle(self, *args, **options) -> None:
        summary = build_demo_council()
        counts = ", ".join(f"{number} {what}" for what, number in summary.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo council ready: {summary.council}: {counts}."))
        self.stdout.write("Demo accounts (password from DEMO_PASSWORD):")
        width = max(len(username) for username, _ in summary.accounts)
        for username, purpose in summary.accounts:
            self.stdout.write(f"  {username:<{width}}  {purpose}")

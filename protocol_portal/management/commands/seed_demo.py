"""``manage.py seed_demo``: build the fictional demo council and a year of its members'
enquiries, concerns, positive examples, briefings and ward notices (protocol_portal.demo).

It lives in the wiring, the one layer that may import every app (docs/architecture.md).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from protocol_portal.demo import (
    build_demo_briefings,
    build_demo_concerns,
    build_demo_council,
    build_demo_enquiries,
    build_demo_ward_notices,
)


class Command(BaseCommand):
    help = (
        "Build a fictional council with demo accounts for every role, a year of members' enquiries "
        "in every state, concerns, sanctions and positive examples at every stage, ward notices, and briefings "
        "offered to the political groups. Running it again "
        "changes nothing."
    )

    def handle(self, *args, **options) -> None:
        # One transaction: the e-mail tasks the enquiry services queue run only after commit,
        # by which time the demo builders have marked every notification as already e-mailed.
        with transaction.atomic():
            summary = build_demo_council()
            enquiries = build_demo_enquiries()
            concerns = build_demo_concerns()
            briefings = build_demo_briefings()
            notices = build_demo_ward_notices()
        counts = ", ".join(f"{number} {what}" for what, number in summary.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo council ready: {summary.council}: {counts}."))
        total = sum(enquiries.counts.values())
        by_state = ", ".join(f"{state.lower()} {number}" for state, number in enquiries.counts.items())
        if enquiries.created:
            self.stdout.write(self.style.SUCCESS(f"Demo enquiries ready: {total} ({by_state})."))
        else:
            self.stdout.write(f"Demo enquiries already present: {total} ({by_state}).")
        self._concerns(concerns)
        line = f"{briefings.count}, of which {briefings.left_out} not offered to every political group."
        if briefings.created:
            self.stdout.write(self.style.SUCCESS(f"Demo briefings ready: {line}"))
        else:
            self.stdout.write(f"Demo briefings already present: {line}")
        self.stdout.write(f"Demo ward notices: {notices}.")
        self.stdout.write("Demo accounts (password from DEMO_PASSWORD):")
        width = max(len(username) for username, _ in summary.accounts)
        for username, purpose in summary.accounts:
            self.stdout.write(f"  {username:<{width}}  {purpose}")
        self.stdout.write(
            f"{', '.join(summary.two_factor_accounts)} also give a two-factor code: "
            "python manage.py demo_totp <username> prints it."
        )

    def _concerns(self, concerns) -> None:
        total = sum(concerns.counts.values())
        by_state = ", ".join(f"{state.lower()} {number}" for state, number in concerns.counts.items())
        examples = sum(concerns.examples.values())
        by_example_state = ", ".join(f"{state.lower()} {number}" for state, number in concerns.examples.items())
        line = (
            f"{total} ({by_state}), {concerns.sanctions} sanctions, {examples} positive examples ({by_example_state})."
        )
        if concerns.created:
            self.stdout.write(self.style.SUCCESS(f"Demo concerns ready: {line}"))
        else:
            self.stdout.write(f"Demo concerns already present: {line}")

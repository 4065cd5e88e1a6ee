"""``manage.py demo_totp <username>``: the current two-factor code of a demo account
(README: "Demo accounts"), for signing in to the demo without a phone."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from people.selectors import two_factor_device
from protocol_portal.demo import DEMO_ACCOUNTS, demo_totp_key


class Command(BaseCommand):
    help = "Print the current two-factor sign-in code of a demo account that seed_demo set one up for."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username", help="A demo account, such as monitoring.officer or admin.")

    def handle(self, *args, username: str, **options) -> None:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(username=username).first()
        device = two_factor_device(user) if user is not None else None
        # Only the keys seed_demo derived from DEMO_TOTP_SECRET: never a real person's app.
        if username not in DEMO_ACCOUNTS or device is None or device.key != demo_totp_key(username):
            raise CommandError(f"{username} is not a demo account with a demo authenticator (run seed_demo).")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        code = f"{totp.token():0{device.digits}d}"
        seconds_left = device.step - int(totp.time - device.t0) % device.step
        # The code alone on its line, out before the note: a terminal showing both streams once
        # read "480677Code for …" (issue 15 C17); a script reading stdout gets just the code.
        self.stdout.write(code, ending="\n")
        self.stdout.flush()
        self.stderr.write(f"Code for {username}: valid for {seconds_left} more seconds; each code works once.")

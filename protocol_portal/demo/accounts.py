"""The demo accounts (data/accounts.toml): one for each role, each with the demo password;
those whose roles need two-factor sign-in also get an authenticator app, whose codes
``manage.py demo_totp`` prints."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

from people.roles import Role
from protocol_portal.demo.content import content

_ACCOUNTS = content("accounts")["account"]

# username -> (first name, last name, what the account is for), in the order seed_demo lists them.
DEMO_ACCOUNTS: dict[str, tuple[str, str, str]] = {
    account["username"]: (account["first_name"], account["last_name"], account["purpose"]) for account in _ACCOUNTS
}
# Roles given by hand (people.roles ASSIGNED_ROLES), which role_groups_sync never derives.
DEMO_ASSIGNED_ROLES: dict[str, Role] = {
    account["username"]: Role(account["assigned_role"]) for account in _ACCOUNTS if "assigned_role" in account
}
# Those who keep the organisation in Django admin: staff accounts.
DEMO_STAFF = frozenset(DEMO_ASSIGNED_ROLES)
DEMO_SUPERUSERS = frozenset(account["username"] for account in _ACCOUNTS if account.get("superuser"))


def demo_totp_key(username: str) -> str:
    """The demo authenticator key of a demo account: derived from DEMO_TOTP_SECRET, so
    `manage.py demo_totp` can print its codes (README: "Demo accounts")."""
    return hmac.new(settings.DEMO_TOTP_SECRET.encode(), username.encode(), hashlib.sha1).hexdigest()

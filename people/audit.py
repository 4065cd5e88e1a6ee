"""The audit log's writer (people.AuditEvent), where a request came from, and the sign-in
events written to the log.

``audit_event_record`` is the log's one writer. It lives here, beside ``Origin``, so the
sign-in receivers below and the services that audit what they do (people.services: two-factor
sign-in; reporting: subject access exports) all call it, and this module needs none of them.

Sign-in, failure, lockout and sign-out arrive as signals from django.contrib.auth and
django-axes (connected in PeopleConfig.ready); two-factor events, expired sessions and
refused cases are written by the code that sees them (people.services, protocol_portal).
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import ip_address

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest

from people.models import AuditEvent

# The request attribute saying why a session ended, so the sign-out it causes is logged as that.
SESSION_ENDED_BECAUSE = "_portal_session_ended_because"


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from; also django-axes' (AXES_CLIENT_IP_CALLABLE).

    Behind the TLS proxy (BEHIND_TLS_PROXY) REMOTE_ADDR is the proxy, so take the last
    X-Forwarded-For entry: the one our proxy appended, which the client cannot forge.
    """
    address = request.META.get("REMOTE_ADDR")
    if settings.BEHIND_TLS_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            address = forwarded[-1]
    try:
        return str(ip_address(address)) if address else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Origin:
    """Where an audited action came from: the address and the path asked for."""

    ip_address: str | None = None
    path: str = ""

    @classmethod
    def of(cls, request: HttpRequest | None) -> Origin:
        if request is None:
            return cls()
        return cls(ip_address=client_ip(request), path=request.get_full_path()[:500])


def audit_event_record(
    *,
    kind: AuditEvent.Kind,
    origin: Origin,
    user=None,
    username: str = "",
    detail: str = "",
) -> AuditEvent:
    """Append one event to the audit log (docs/security.md); nothing ever changes it."""
    user = user if user is not None and user.is_authenticated else None
    return AuditEvent.objects.create(
        kind=kind,
        user=user,
        username=username or (user.get_username() if user else ""),
        ip_address=origin.ip_address,
        path=origin.path,
        detail=detail,
    )


# --- Sign-in events (django.contrib.auth and django-axes signals) ---------------------------


def _record(request, **fields) -> None:
    audit_event_record(origin=Origin.of(request), **fields)


def on_sign_in(sender, request, user, **kwargs) -> None:
    _record(request, kind=AuditEvent.Kind.SIGN_IN, user=user, username=user.get_username())


def on_sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    # credentials come with the password masked; a username that exists is linked to its account.
    username = str(credentials.get("username") or "")[:150]
    user = get_user_model().objects.filter(username=username).first() if username else None
    _record(request, kind=AuditEvent.Kind.SIGN_IN_FAILED, user=user, username=username)


def on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    username = str(username or "")[:150]
    user = get_user_model().objects.filter(username=username).first() if username else None
    detail = f"{settings.AXES_FAILURE_LIMIT} failed sign-ins for this username or from this address"
    _record(request, kind=AuditEvent.Kind.LOCKED_OUT, user=user, username=username, detail=detail)


def on_sign_out(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    because = getattr(request, SESSION_ENDED_BECAUSE, "")
    kind = AuditEvent.Kind.SESSION_EXPIRED if because else AuditEvent.Kind.SIGN_OUT
    _record(request, kind=kind, user=user, username=user.get_username(), detail=because)

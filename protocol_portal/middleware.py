"""Around every page: extra response headers (with Django's SecurityMiddleware and
django-csp), no caching for the signed-in, session time limits, two-factor sign-in, and
refused cases in the audit log (docs/security.md)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect
from django.urls import ResolverMatch
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode

from people.audit import SESSION_ENDED_BECAUSE, Origin, audit_event_record
from people.models import AuditEvent
from people.selectors import access_ended_on, two_factor_device, two_factor_required

# --- Addresses -------------------------------------------------------------------------


def nul_free_query_string(get_response: Callable[[HttpRequest], HttpResponse]):
    """Take NUL characters out of the query string before any view reads it.

    No link or form of the portal puts a NUL in an address, and PostgreSQL cannot compare
    text with one: a filter such as the admin's ``?name=%00`` would fail with a 500. The
    portal's forms take control characters out of what is posted (PortalForm)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            # "%00" is a NUL percent-encoded ("%2500", an encoded "%00", does not contain it).
            request.GET = QueryDict(query.replace("%00", "").replace("\x00", ""), encoding=request.encoding)
        return get_response(request)

    return middleware


# --- Headers ---------------------------------------------------------------------------


class PermissionsPolicyMiddleware:
    """Turns off the browser features no page uses (settings.PERMISSIONS_POLICY), so a
    script that got in could not reach the camera, microphone or location either."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class NoStoreWhenSignedInMiddleware:
    """Every response to a signed-in person is ``Cache-Control: no-store, private``: pages,
    exports, attachments and the annual report can all name a case or a person, and must
    not stay in a shared computer's browser cache or a proxy after sign-out. Static files
    never get here (WhiteNoise answers them first), so they still cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


# --- Session time limits --------------------------------------------------------------

SIGNED_IN_AT = "portal_signed_in_at"
LAST_SEEN_AT = "portal_last_seen_at"
# A page moves "last seen" on only when it is this old, so most pages write no session.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)


def session_started(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver (PortalConfig.ready): the session's clocks start now."""
    now = timezone.now().timestamp()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes % 60 == 0:
        hours = minutes // 60
        return "1 hour" if hours == 1 else f"{hours} hours"
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


class SessionTimeoutMiddleware:
    """Signs out a session unused for SESSION_INACTIVITY_TIMEOUT or older than
    SESSION_ABSOLUTE_TIMEOUT, and says why on the sign-in page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            because = self._expired_because(request)
            if because:
                return self._sign_out(request, because)
        return self.get_response(request)

    @staticmethod
    def _expired_because(request: HttpRequest) -> str:
        session, now = request.session, timezone.now().timestamp()
        signed_in_at, last_seen_at = session.get(SIGNED_IN_AT), session.get(LAST_SEEN_AT)
        if signed_in_at is None or last_seen_at is None:
            # A session from before these limits: its clocks start now.
            session[SIGNED_IN_AT] = signed_in_at or now
            session[LAST_SEEN_AT] = now
            return ""
        if now - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds():
            return f"you signed in more than {_duration(settings.SESSION_ABSOLUTE_TIMEOUT)} ago"
        if now - last_seen_at > settings.SESSION_INACTIVITY_TIMEOUT.total_seconds():
            return f"you had not used the portal for {_duration(settings.SESSION_INACTIVITY_TIMEOUT)}"
        if now - last_seen_at >= LAST_SEEN_RESOLUTION.total_seconds():
            session[LAST_SEEN_AT] = now
        return ""

    @staticmethod
    def _sign_out(request: HttpRequest, because: str) -> HttpResponse:
        setattr(request, SESSION_ENDED_BECAUSE, because)
        logout(request)
        messages.info(request, f"You have been signed out because {because}. Sign in again to carry on.")
        return redirect_to_login(request.get_full_path() if request.method == "GET" else "/")


# --- Access ends with a term of office or of service ---------------------------------


class AccessEndedMiddleware:
    """Signs out a councillor whose term of office, or an officer whose service, ended before
    today (Member.left_office_on, Officer.left_on: "their access ends after this day"), on
    their next request, whatever page it is for; the sign-in form refuses them from then on
    (PortalAuthenticationForm). The day of leaving is still theirs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ended = access_ended_on(request.user)
        if ended is not None:
            setattr(request, SESSION_ENDED_BECAUSE, f"access ended after {ended:%-d %B %Y}")
            logout(request)
            messages.info(request, f"Your access to the portal ended after {ended:%-d %B %Y}.")
            return redirect_to_login("/")
        return self.get_response(request)


# --- Two-factor sign-in -------------------------------------------------------------

# Pages open to someone who has given a password but not yet a code, besides the code's own page.
OPEN_BEFORE_TWO_FACTOR = frozenset({"logout", "accessibility"})


class TwoFactorMiddleware:
    """With TWO_FACTOR_ENFORCED: someone with an authenticator app gives a code before any
    other page, Django admin included; someone whose role requires one and has none sets
    one up first (people.selectors.two_factor_required)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if not settings.TWO_FACTOR_ENFORCED:
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        name = request.resolver_match.view_name
        if two_factor_device(user) is not None:
            needed = "two_factor_verify"
        elif two_factor_required(user):
            needed = "two_factor_setup"
        else:
            return None
        if name == needed or name in OPEN_BEFORE_TWO_FACTOR:
            return None
        return _redirect_with_next(needed, request)


def _redirect_with_next(view_name: str, request: HttpRequest) -> HttpResponse:
    response = redirect(view_name)
    if request.method == "GET" and request.get_full_path() != "/":
        response["Location"] += "?" + urlencode({"next": request.get_full_path()})
    return response


# --- Refused cases in the audit log ---------------------------------------------------

# Pages about cases besides those naming one case (a reference or a pk in the URL): the
# sanctions register, the Monitoring Officer's queue and the dashboards' drill-down.
# Lists of cases, and reassigning several from the service queue (issue 15 C12).
CASE_LIST_URL_NAMES = frozenset(
    {"cases:sanctions", "cases:triage", "reporting:drilldown", "cases:service_queue_reassign"}
)


def is_case_url(match: ResolverMatch) -> bool:
    """Whether a refusal at this URL is a refused case: one enquiry, concern, positive
    example, attachment or sanction, or a list of cases."""
    if match.view_name in CASE_LIST_URL_NAMES:
        return True
    return match.namespace == "cases" and bool({"reference", "pk"} & set(match.kwargs))


class CaseAccessAuditMiddleware:
    """Writes each 403 or 404 raised on a case URL to the audit log: who asked for what."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if not isinstance(exception, PermissionDenied | Http404):
            return None
        match = request.resolver_match
        if match is None or not is_case_url(match):
            return None
        status = 403 if isinstance(exception, PermissionDenied) else 404
        audit_event_record(
            kind=AuditEvent.Kind.CASE_REFUSED,
            origin=Origin.of(request),
            user=request.user,
            detail=f"{status} on {match.view_name}: {exception}"[:1000],
        )
        return None

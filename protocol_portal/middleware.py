"""Response headers the portal adds to what Django's SecurityMiddleware and django-csp send
(README: "Security")."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers


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

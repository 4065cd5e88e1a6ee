from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project itself: settings, root URLs, sign-in and the middleware around every page."""

    name = "protocol_portal"
    verbose_name = "Protocol Portal"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from protocol_portal.middleware import session_started

        # Stamped at sign-in rather than on the first page, so that page writes no session.
        user_logged_in.connect(session_started, dispatch_uid="protocol_portal.session_started")

"""WSGI entry point for gunicorn (docker-compose.yml)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "protocol_portal.settings")

application = get_wsgi_application()

"""The Celery app: configured from Django settings (the CELERY_ names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "protocol_portal.settings")

app = Celery("protocol_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

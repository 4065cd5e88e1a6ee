from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.shared.models import Notification

NOTIFICATIONS_SHOWN = 50


def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = list(
        Notification.objects.filter(recipient=request.user).select_related(
            "enquiry", "concern", "positive_example", "briefing", "ward_notice"
        )[:NOTIFICATIONS_SHOWN]
    )
    return render(request, "cases/notifications.html", {"notifications": notifications})


@require_POST
def notifications_mark_read(request: HttpRequest) -> HttpResponse:
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("cases:notifications")

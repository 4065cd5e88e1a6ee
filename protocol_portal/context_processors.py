from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


def council(request: HttpRequest) -> dict[str, str]:
    """The council's name for the header, and the service name for page titles."""
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": f"{settings.COUNCIL_NAME} Protocol Portal",
    }


def navigation(request: HttpRequest) -> dict:
    """The header's links for this person's roles, with unread notifications counted."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from cases.enquiries.selectors import may_see_service_queue
    from cases.models import Notification
    from people.roles import Role
    from people.selectors import user_roles

    items = [("Home", reverse("home"))]
    member, officer = getattr(user, "member", None), getattr(user, "officer", None)
    if member is not None:
        items.append(("My enquiries", reverse("cases:my_enquiries")))
    if officer is not None:
        items.append(("My work", reverse("cases:my_work")))
        if may_see_service_queue(user):
            items.append(("Service queue", reverse("cases:service_queue")))
        # 001 §9.5.2: officers record briefings offered to the political groups (no query: the
        # officer is read above). Group leaders and whips reach theirs from the home page.
        if officer.is_serving():
            items.append(("Briefings", reverse("cases:briefings")))
    # DESIGN §4: serving councillors and officers raise and follow concerns.
    if (member is not None and member.is_in_office()) or (officer is not None and officer.is_serving()):
        items.append(("Concerns", reverse("cases:concerns")))
    # Only the Monitoring Officer and the Chief Executive see every enquiry (a permission already
    # read above), so only they cost the query for roles.
    if officer is not None and user.has_perm("cases.view_enquiry") and Role.MONITORING_OFFICER in user_roles(user):
        items.append(("Monitoring Officer", reverse("cases:triage")))
    # DESIGN §7: the dashboards, for the Standards Committee and its Chair (councillors, or co-opted
    # independent members who are neither councillor nor officer: one query for their roles), and the
    # Monitoring Officer and Chief Executive (officers with the permission read above: no query).
    from reporting.figures import audience_for

    if (officer is None or user.has_perm("cases.view_enquiry")) and audience_for(user) is not None:
        items.append(("Reports", reverse("reporting:dashboard")))
    # 001 §9.4: officers send ward notices; serving councillors see those for their wards.
    if officer is not None and officer.is_serving():
        items.append(("Ward notices", reverse("cases:ward_notices_sent")))
    elif member is not None and member.is_in_office():
        items.append(("Ward notices", reverse("cases:ward_notices")))
    # 003: the officer directory and the councillors' profiles, for serving councillors and officers.
    from people.selectors import may_use_directory

    if may_use_directory(user):
        items.append(("Directory", reverse("people:officer_directory")))
    # 000 §VI: anyone records where member-officer working went well.
    if member is not None or officer is not None:
        items.append(("Positive examples", reverse("cases:positive_examples")))
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    items.append((f"Notifications ({unread})" if unread else "Notifications", reverse("cases:notifications")))
    if user.is_staff:
        items.append(("Admin", reverse("admin:index")))
    # The section the page is in: the longest link that starts its path (Home only for itself).
    current = max(
        (url for _, url in items if request.path == url or (url != "/" and request.path.startswith(url))),
        key=len,
        default=None,
    )
    nav_items = [{"label": label, "url": url, "active": url == current} for label, url in items]
    return {"nav_items": nav_items}

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

# Issue 15 C16: the service navigation holds at most this many sections, so it stays on one
# line on a desktop; the rest of a person's sections are listed on their home page.
NAVIGATION_MAX_ITEMS = 7


@dataclass(frozen=True)
class Section:
    """A section of the portal in the service navigation. Lower ``rank`` is kept first when a
    person has more sections than the navigation holds."""

    label: str
    url: str
    rank: int
    # Where else its pages are (a councillor's profile is in the directory).
    also: tuple[str, ...] = ()

    def holds(self, path: str) -> str | None:
        """The longest of the section's addresses that starts ``path``, if any."""
        return max((url for url in (self.url, *self.also) if path.startswith(url)), key=len, default=None)


def council(request: HttpRequest) -> dict[str, str]:
    """The council's name for the header, and the service name for page titles."""
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": f"{settings.COUNCIL_NAME} Protocol Portal",
    }


def navigation(request: HttpRequest) -> dict:
    """The service navigation's sections for this person's roles (at most seven, the others
    for the home page), and the account area's links, with unread notifications counted."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from cases.models import Notification

    sections = _sections(user)
    kept = set(sorted(sections, key=lambda section: section.rank)[:NAVIGATION_MAX_ITEMS])
    # The section the page is in: the one with the longest address that starts its path.
    current = max(
        (section for section in sections if section.holds(request.path)),
        key=lambda section: len(section.holds(request.path) or ""),
        default=None,
    )
    nav_items = [
        {
            "label": section.label,
            "url": section.url,
            "active": section == current,
            "current": section.url == request.path,
        }
        for section in sections
        if section in kept
    ]
    nav_more = [{"label": section.label, "url": section.url} for section in sections if section not in kept]
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    account_url, notifications_url = reverse("account"), reverse("cases:notifications")
    account_paths = (account_url, reverse("password_change"))
    return {
        "nav_items": nav_items,
        "nav_more": nav_more,
        "account_nav": {
            "notifications": {
                "label": f"Notifications ({unread})" if unread else "Notifications",
                "url": notifications_url,
                "active": request.path.startswith(notifications_url),
            },
            "account": {"url": account_url, "active": request.path.startswith(account_paths)},
        },
    }


def _sections(user) -> list[Section]:
    """Every section this person may use, in the order the navigation shows them."""
    from cases.enquiries.selectors import may_see_service_queue
    from people.roles import Role
    from people.selectors import may_use_directory, user_roles
    from reporting.figures import audience_for

    sections = []

    def add(label: str, url_name: str, rank: int, *also: str) -> None:
        sections.append(Section(label, reverse(url_name), rank, tuple(reverse(name) for name in also)))

    member, officer = getattr(user, "member", None), getattr(user, "officer", None)
    if member is not None:
        add("My enquiries", "cases:my_enquiries", 0)
    if officer is not None:
        add("My work", "cases:my_work", 0)
        if may_see_service_queue(user):
            add("Service queue", "cases:service_queue", 1)
    # Only the Monitoring Officer and the Chief Executive see every enquiry (a permission already
    # read above), so only they cost the query for roles.
    if officer is not None and user.has_perm("cases.view_enquiry") and Role.MONITORING_OFFICER in user_roles(user):
        add("Monitoring Officer", "cases:triage", 1)
    # DESIGN §4: serving councillors and officers raise and follow concerns.
    if (member is not None and member.is_in_office()) or (officer is not None and officer.is_serving()):
        add("Concerns", "cases:concerns", 2)
    # 001 §9.5.2: officers record briefings offered to the political groups (no query: the
    # officer is read above). Group leaders and whips reach theirs from the home page.
    if officer is not None and officer.is_serving():
        add("Briefings", "cases:briefings", 6)
    # 001 §9.4: officers send ward notices; serving councillors see those for their wards.
    if officer is not None and officer.is_serving():
        add("Ward notices", "cases:ward_notices_sent", 4, "cases:ward_notices")
    elif member is not None and member.is_in_office():
        add("Ward notices", "cases:ward_notices", 4)
    # 000 §VI: anyone records where member-officer working went well.
    if member is not None or officer is not None:
        add("Positive examples", "cases:positive_examples", 7)
    # 003: the officer directory and the councillors' profiles, for serving councillors and officers.
    if may_use_directory(user):
        add("Directory", "people:officer_directory", 5, "people:member_directory")
    # DESIGN §7: the dashboards, for the Standards Committee and its Chair (councillors, or co-opted
    # independent members who are neither councillor nor officer: one query for their roles), and the
    # Monitoring Officer and Chief Executive (officers with the permission read above: no query).
    if (officer is None or user.has_perm("cases.view_enquiry")) and audience_for(user) is not None:
        add("Reports", "reporting:dashboard", 3)
    if user.is_staff:
        add("Admin", "admin:index", 3)
    return sections

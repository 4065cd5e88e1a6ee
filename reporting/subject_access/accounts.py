"""The subject's own records: their account, councillor profile or officer record, the
notifications the portal sent them, and the audit log about their account.
"""

from __future__ import annotations

from pathlib import PurePath

from django.db.models import Q

from cases.models import Notification
from people.models import AuditEvent, Member, Officer
from reporting.subject_access.export import Doc, Export, Free, export_kind, when, yes_no
from reporting.subject_access.redaction import label


@export_kind(
    "account",
    title="Your account",
    explains="account.txt: your sign-in account: name, username, e-mail address, when it was made and "
    "last used, your roles in the portal, two-factor sign-in, and committees you sit on as a co-opted member.",
)
def account(x: Export) -> int:
    user = x.subject
    doc = Doc("Your account")
    doc.field("Name", x.subject_name)
    doc.field("Username", user.username)
    doc.field("E-mail address", user.email)
    doc.field("Account created", when(user.date_joined))
    doc.field("Last signed in", when(user.last_login))
    doc.field("Active", yes_no(user.is_active))
    doc.field("Administrator (Django admin)", yes_no(user.is_staff or user.is_superuser))
    roles = sorted(user.groups.values_list("name", flat=True))
    doc.field("Roles in the portal", ", ".join(roles) or "none")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    doc.field(
        "Two-factor sign-in",
        "; ".join(
            f"{device.name}, set up {when(device.created_at)}, last used {when(device.last_used_at)}"
            for device in devices
        )
        or "not set up",
    )
    co_opted = list(user.co_opted_committees.values_list("name", flat=True))
    doc.field("Co-opted member of", ", ".join(co_opted) or "none")
    x.doc("account.txt", doc)
    return 1


@export_kind(
    "councillor",
    title="Your councillor profile",
    explains="councillor.txt: wards, political group, offices held, committees, outside appointments, "
    "contact details, skills and interests; photo/ holds your photo, if the portal has one.",
)
def councillor(x: Export) -> int:
    if x.member is None:
        return 0
    member = (
        Member.objects.filter(pk=x.member.pk)
        .select_related("group")
        .prefetch_related(
            "wards",
            "officeheld_set",
            "committees",
            "committees_chaired",
            "groups_led",
            "groups_whipped",
            "outside_appointments",
        )
        .get()
    )
    doc = Doc("Your councillor profile")
    doc.field("Wards", ", ".join(ward.name for ward in member.wards.all()) or "none")
    doc.field("Political group", member.group.name if member.group else "none (independent)")
    doc.field("Elected on", when(member.elected_on))
    doc.field("Left office on", when(member.left_office_on))
    doc.field("Telephone", member.phone)
    doc.field("Postal address", member.postal_address.replace("\n", ", "))
    doc.text("Skills and interests", member.skills_and_interests)
    doc.text("Other responsibilities", member.other_responsibilities)
    doc.heading("Offices held")
    for held in member.officeheld_set.all():
        doc.line(f"- {held}: from {when(held.started_on) or 'unknown'} to {when(held.ended_on) or 'now'}")
    for committee in member.committees_chaired.all():
        doc.line(f"- Chair of {committee.name}")
    for group in member.groups_led.all():
        doc.line(f"- Group Leader, {group.name}")
    for group in member.groups_whipped.all():
        doc.line(f"- Whip, {group.name}")
    doc.heading("Committees")
    for committee in member.committees.all():
        doc.line(f"- {committee.name}")
    doc.heading("Outside appointments")
    for appointment in member.outside_appointments.all():
        doc.line(
            f"- {appointment}: from {when(appointment.started_on) or 'unknown'} "
            f"to {when(appointment.ended_on) or 'now'}"
        )
    doc.heading("Photo")
    if member.photo:
        path = f"photo/{PurePath(member.photo.name).name}"
        if x.stored(path, member.photo):
            doc.line(path)
        else:
            doc.line("the portal records a photo, but its file is missing from storage")
    else:
        doc.line("none")
    x.doc("councillor.txt", doc)
    return 1


@export_kind(
    "officer",
    title="Your officer record",
    explains="officer.txt: job title, service, line manager, senior status, telephone, statutory roles, "
    "and the services and directorates you lead or liaise for.",
)
def officer(x: Export) -> int:
    if x.officer is None:
        return 0
    officer = (
        Officer.objects.filter(pk=x.officer.pk)
        .select_related("service__directorate")
        .prefetch_related(
            "statutory_appointments",
            "services_headed",
            "services_as_assistant_director",
            "services_as_liaison",
            "directorates_led",
        )
        .get()
    )
    doc = Doc("Your officer record")
    doc.field("Job title", officer.job_title)
    doc.field("Service", f"{officer.service}, {officer.service.directorate}" if officer.service else "none")
    doc.field("Line manager", x.officer_(officer.line_manager_id) or "none")
    doc.field("Senior officer (JNC or Band H and above)", yes_no(officer.is_senior))
    doc.field("Telephone", officer.phone)
    doc.field("Left on", when(officer.left_on))
    doc.field("Direct reports", str(officer.direct_reports.count()))
    doc.heading("Statutory roles")
    for appointment in officer.statutory_appointments.all():
        doc.line(f"- {appointment}")
    doc.heading("Responsibilities")
    for service in officer.services_headed.all():
        doc.line(f"- Head of Service, {service}")
    for service in officer.services_as_assistant_director.all():
        doc.line(f"- Assistant Director, {service}")
    for service in officer.services_as_liaison.all():
        doc.line(f"- Councillor Liaison Officer, {service}")
    for directorate in officer.directorates_led.all():
        doc.line(f"- Director, {directorate}")
    x.doc("officer.txt", doc)
    return 1


@export_kind(
    "notifications",
    title="Notifications",
    explains="notifications.csv: every notification the portal sent you (in the portal and by e-mail), "
    "with when you read it and when its e-mail was sent.",
)
def notifications(x: Export) -> int:
    notifications = list(
        Notification.objects.filter(recipient=x.subject)
        .select_related("enquiry", "concern", "positive_example", "ward_notice", "briefing")
        .order_by("created_at", "pk")
    )
    rows = [
        [
            when(notification.created_at),
            getattr(
                notification.enquiry
                or notification.concern
                or notification.positive_example
                or notification.ward_notice
                or notification.briefing,
                "reference",
                "",
            ),
            Free(notification.subject),
            Free(notification.body),
            when(notification.read_at),
            when(notification.emailed_at),
        ]
        for notification in notifications
    ]
    x.csv("notifications.csv", ["Sent", "About", "Subject", "Message", "Read", "E-mailed"], rows)
    return len(notifications)


def subject_access_detail(subject, *, reference: str = "") -> str:
    """The audit event's detail: for whom (the account, by id and username) and the request."""
    detail = f"For account {subject.pk} ({subject.get_username()})"
    return f"{detail}; request reference {reference}" if reference else detail


@export_kind(
    "audit_log",
    title="Audit log",
    explains="audit-log.csv: the portal's security log about your account: sign-ins and sign-outs, failed "
    "sign-ins with your username, two-factor events, cases refused to you, lockouts, and earlier subject "
    "access exports about you.",
)
def audit_log(x: Export) -> int:
    from axes.models import AccessAttempt, AccessFailureLog

    user = x.subject
    events = list(
        AuditEvent.objects.filter(
            Q(user=user)
            | Q(username=user.get_username())
            | Q(kind=AuditEvent.Kind.SUBJECT_ACCESS_EXPORT, detail__startswith=f"For account {user.pk} (")
        ).order_by("at", "pk")
    )
    rows = []
    for event in events:
        theirs = event.user_id == user.pk or (event.user_id is None and event.username == user.get_username())
        rows.append(
            [
                when(event.at),
                event.get_kind_display(),
                x.user(event.user_id) if event.user_id else "",
                event.username if theirs else "",
                event.ip_address or "" if theirs else label("IP address"),
                event.path if theirs else "",
                Free(event.detail),
            ]
        )
    failures = AccessFailureLog.objects.filter(username=user.get_username()).order_by("attempt_time")
    for failure in failures:
        rows.append(
            [
                when(failure.attempt_time),
                "Sign-in failed (lockout log)" + (": locked out" if failure.locked_out else ""),
                "",
                failure.username,
                failure.ip_address or "",
                failure.path_info,
                Free(failure.user_agent),
            ]
        )
    attempts = AccessAttempt.objects.filter(username=user.get_username()).order_by("attempt_time")
    for attempt in attempts:
        rows.append(
            [
                when(attempt.attempt_time),
                f"Failed sign-ins counting towards a lockout: {attempt.failures_since_start}",
                "",
                attempt.username,
                attempt.ip_address or "",
                attempt.path_info,
                Free(attempt.user_agent),
            ]
        )
    x.csv("audit-log.csv", ["When", "What", "By", "Username given", "IP address", "Page", "Detail"], rows)
    return len(rows)

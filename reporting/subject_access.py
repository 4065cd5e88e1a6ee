"""The subject access export (UK GDPR Art. 15; issue 8): every record the portal holds about
one person, as a ZIP of readable files, with other people's personal data redacted.

Each kind of record is one entry in KINDS, made by the ``export_kind`` decorator: a function
that reads its records (a fixed number of queries, however many there are) and writes its
files through the ``Export``. A new kind of record is a new decorated function here (see
``_ward_notices``): the index (README.txt) lists it with its explanation.

A constant number of queries (select_related, prefetch_related, subqueries), people named
through ``x.user``/``x.member_``/``x.officer_`` (the subject by name, anyone else redacted)
and free text wrapped in ``Free`` (redacted when the ZIP is written).

How third parties are treated (docs/subject-access.md):

- Everyone other than the subject is a third party (DPA 2018 Sch. 2 para. 16), officers acting
  in their official role included: the portal cannot weigh, officer by officer, whether naming
  them is reasonable, so their names, usernames, e-mail addresses and telephone numbers are
  replaced by "[redacted: officer]" (or "another officer", "councillor", "another councillor",
  "person"), and the capacity they acted in (owner, answered by, handler) is kept. The council
  may add the names of senior officers acting in a public role by hand after that balancing.
- The complainant in a concern about the subject is a third party (ICO, "Right of access":
  information identifying a complainant), redacted as "[redacted: complainant]" whoever they are.
- Constituents: the names given in consent records, and e-mail addresses, telephone numbers and
  postcodes anywhere in free text.
- Files uploaded by the subject are included; files uploaded by anyone else on the subject's
  records are listed (name, size, date) but their contents are not included.
"""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.text import get_valid_filename, slugify

from cases.models import (
    Answer,
    Attachment,
    Briefing,
    BriefingResponseChange,
    Concern,
    ConcernUserObjectPermission,
    ConsentRecord,
    Decline,
    Dispute,
    Enquiry,
    EnquiryEscalation,
    EnquiryUserObjectPermission,
    ExternalReferral,
    HoldingReply,
    InformalAction,
    Notification,
    PositiveExample,
    Sanction,
    TimelineEvent,
    WardNotice,
    WardNoticeRecipient,
)
from people.audit import Origin
from people.models import (
    AuditEvent,
    Committee,
    ContactProhibition,
    Directorate,
    Member,
    Officer,
    PoliticalGroup,
    Service,
    Ward,
)
from people.services import audit_event_record
from reporting.redaction import POSTCODE, Redactor, distinctive_username, label, titled

# How an export's ZIP is held while it is built: in memory up to this size, then on disk.
SPOOL_MAX_BYTES = 16 * 1024 * 1024


# === What the export's files are made of ===================================================


@dataclass(frozen=True)
class Free:
    """Free text written by someone: redacted when the file is written, once every third
    party in the export is known. ``indent`` starts each of its lines."""

    text: str
    indent: str = ""


Part = str | Free


class Doc:
    """A readable text file, line by line."""

    def __init__(self, title: str) -> None:
        self.parts: list[Part] = []
        self.heading(title, "=")

    def line(self, *parts: Part) -> None:
        self.parts.extend(parts)
        self.parts.append("\n")

    def heading(self, title: str, underline: str = "-") -> None:
        if self.parts:
            self.line()
        self.line(title)
        self.line(underline * len(title))

    def field(self, name: str, value: Part | None) -> None:
        self.line(f"{name}: ", "" if value is None else value)

    def text(self, name: str, text: str) -> None:
        self.line(f"{name}:")
        self.line(Free(text or "(none)", indent="    "))


@dataclass
class File:
    path: str
    doc: Doc | None = None
    rows: list[Sequence[Part]] | None = None
    data: bytes | None = None


@dataclass(frozen=True)
class ExportKind:
    key: str
    title: str
    explains: str
    write: Callable[[Export], int]  # writes its files; returns how many records it found


KINDS: list[ExportKind] = []


def export_kind(key: str, *, title: str, explains: str):
    """Register a kind of record in the export (in the order of the index)."""

    def register(write: Callable[[Export], int]) -> Callable[[Export], int]:
        KINDS.append(ExportKind(key, title, explains, write))
        return write

    return register


def when(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _csv_cell(text: str) -> str:
    """A cell as a spreadsheet shows it, never as a formula (CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# === The export ===========================================================================


class Export:
    """The files for one subject, and the rules for naming people in them."""

    def __init__(self, *, subject, now: datetime) -> None:
        self.subject = subject
        self.now = now
        self.member: Member | None = Member.objects.filter(user=subject).select_related("group").first()
        self.officer: Officer | None = Officer.objects.filter(user=subject).select_related("service").first()
        self.files: list[File] = []
        self.counts: dict[str, int] = {}
        self.paths: dict[str, list[str]] = {}
        self._kind = ""
        # Who is who, by id, for naming (or redacting) people without a join per record.
        self.member_user = dict(Member.objects.order_by().values_list("pk", "user_id"))
        self.officer_user = dict(Officer.objects.order_by().values_list("pk", "user_id"))
        self.member_users = set(self.member_user.values())
        self.officer_users = set(self.officer_user.values())
        self.linked: set[int] = set()  # third parties named in the subject's records
        self.constituents: set[str] = set()  # names given in consent records
        self.redact: Redactor | None = None

    # --- Naming people ---------------------------------------------------------------

    @property
    def subject_name(self) -> str:
        return self.subject.get_full_name() or self.subject.username

    def you(self) -> str:
        return f"{self.subject_name} (you)"

    def label_for(self, user_id: int) -> str:
        if user_id in self.member_users:
            return label("another councillor" if self.member else "councillor")
        if user_id in self.officer_users:
            return label("another officer" if self.officer else "officer")
        return label("another person")

    def user(self, user_id: int | None, *, as_: str = "") -> str:
        """The subject by name; anyone else redacted (as ``as_`` when given, such as "complainant")."""
        if user_id is None:
            return ""
        if user_id == self.subject.pk:
            return self.you()
        self.linked.add(user_id)
        return label(as_) if as_ else self.label_for(user_id)

    def member_(self, member_id: int | None, *, as_: str = "") -> str:
        return self.user(self.member_user.get(member_id), as_=as_) if member_id else ""

    def officer_(self, officer_id: int | None, *, as_: str = "") -> str:
        return self.user(self.officer_user.get(officer_id), as_=as_) if officer_id else ""

    # --- Writing files -----------------------------------------------------------------

    def _add(self, file: File) -> None:
        self.files.append(file)
        self.paths.setdefault(self._kind, []).append(file.path)

    def doc(self, path: str, doc: Doc) -> None:
        self._add(File(path, doc=doc))

    def csv(self, path: str, header: Sequence[str], rows: Iterable[Sequence[Part]]) -> None:
        self._add(File(path, rows=[list(header), *rows]))

    def binary(self, path: str, data: bytes) -> None:
        self._add(File(path, data=data))

    def stored(self, path: str, field_file) -> bool:
        """Add an uploaded file from storage; False (and nothing added) when it is missing."""
        try:
            with field_file.open("rb") as stored:
                self.binary(path, stored.read())
        except OSError:
            return False
        return True

    # --- Building ----------------------------------------------------------------------

    def collect(self) -> None:
        for kind in KINDS:
            self._kind = kind.key
            self.counts[kind.key] = kind.write(self)
        self._kind = ""
        self.redact = self._redactor()

    def _redactor(self) -> Redactor:
        User = get_user_model()
        subject = self.subject
        phones: dict[int, list[str]] = {}
        for user_id, phone in [
            *Member.objects.exclude(phone="").order_by().values_list("user_id", "phone"),
            *Officer.objects.exclude(phone="").order_by().values_list("user_id", "phone"),
        ]:
            phones.setdefault(user_id, []).append(phone)
        names: dict[str, str] = {}
        words: dict[str, str] = {}
        usernames: dict[str, str] = {}
        for pk, first, last, username in User.objects.values_list("pk", "first_name", "last_name", "username"):
            if pk == subject.pk:
                continue
            kind = self.label_for(pk).removeprefix("[redacted: ").removesuffix("]")
            full = f"{first} {last}".strip()
            if first and last:
                names[full] = kind
                names.update(dict.fromkeys(titled(last), kind))
            if pk in self.linked:
                # Single names only of the people in the subject's records (reporting.redaction).
                for word in (first, last):
                    if len(word) > 1:
                        words[word] = kind
            if distinctive_username(username):
                usernames[username] = kind
        for name in self.constituents:
            names[name] = "constituent"
            parts = name.split()
            if len(parts) > 1:
                names[" ".join(parts[1:])] = "constituent"  # without a title
                names.update(dict.fromkeys(titled(parts[-1]), "constituent"))
        keep = [
            self.subject_name,
            subject.first_name,
            subject.last_name,
            subject.username,
            *titled(subject.last_name),
        ]
        for model in (Ward, PoliticalGroup, Service, Directorate, Committee):
            keep += list(model.objects.values_list("name", flat=True))
        own_phones = [x.phone for x in (self.member, self.officer) if x is not None and x.phone]
        postcodes = POSTCODE.findall(self.member.postal_address) if self.member is not None else []
        return Redactor(
            names=names,
            words=words,
            usernames=usernames,
            keep=[phrase for phrase in keep if phrase],
            own_emails=[subject.email],
            own_phones=own_phones,
            own_postcodes=postcodes,
        )

    def _render(self, part: Part) -> str:
        if isinstance(part, Free):
            text = self.redact(part.text.replace("\r\n", "\n"))
            return "\n".join(part.indent + line for line in text.split("\n")) if part.indent else text
        return part

    def folder(self) -> str:
        return f"subject-access-{slugify(self.subject.username) or self.subject.pk}-{self.now:%Y-%m-%d}"

    def write_zip(self, target) -> None:
        folder = self.folder()
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{folder}/README.txt", self.index())
            for file in self.files:
                name = f"{folder}/{file.path}"
                if file.data is not None:
                    archive.writestr(name, file.data)
                elif file.doc is not None:
                    archive.writestr(name, "".join(self._render(part) for part in file.doc.parts))
                else:
                    out = io.StringIO()
                    writer = csv.writer(out)
                    for row in file.rows:
                        writer.writerow([_csv_cell(self._render(cell)) for cell in row])
                    # A byte-order mark, so a spreadsheet reads the file as UTF-8.
                    archive.writestr(name, "\ufeff" + out.getvalue())

    def index(self) -> str:
        lines = [
            "Subject access export",
            "=====================",
            "",
            f"This is every record the Protocol Portal holds about {self.subject_name} "
            f"(username {self.subject.username}), produced on {when(self.now)} "
            "under Article 15 of the UK General Data Protection Regulation.",
            "",
            "Files",
            "-----",
        ]
        for kind in KINDS:
            count = self.counts.get(kind.key, 0)
            files = self.paths.get(kind.key, [])
            lines.append("")
            lines.append(f"{kind.title} ({count} {'record' if count == 1 else 'records'})")
            lines.append(f"    {kind.explains}")
            if files:
                shown = files if len(files) <= 5 else [*files[:4], f"… and {len(files) - 4} more"]
                lines += [f"    - {path}" for path in shown]
            else:
                lines.append("    (none: the portal holds no such record about you)")
        lines += ["", *REDACTION_NOTE.strip().splitlines(), ""]
        return "\n".join(lines)


REDACTION_NOTE = """
Other people's personal data
----------------------------
You are entitled to your own personal data, not other people's, so the names, usernames,
e-mail addresses and telephone numbers of everyone else are replaced by a note saying who
they are, for example "[redacted: officer]", "[redacted: another councillor]" or
"[redacted: constituent]", also where they appear in text people wrote.

- Officers acting in their official role (answering an enquiry, handling a concern) are
  treated as third parties too and redacted; the role they acted in is kept.
- Where someone raised a concern about you, they are "[redacted: complainant]": the
  identity of a complainant is their personal data.
- Constituents named in consent records, and e-mail addresses, telephone numbers and
  postcodes in any text, are redacted. Your own details stay.
- Files you uploaded are included in the files folder. Files other people uploaded to
  your records are listed in files.csv (name, size, date) but their contents are not
  included, because they may hold other people's data; ask the council if you want them
  considered for release.

Dates and times are UK local time (Europe/London), YYYY-MM-DD HH:MM.
"""


# === The kinds of record ===================================================================


@export_kind(
    "account",
    title="Your account",
    explains="account.txt: your sign-in account: name, username, e-mail address, when it was made and "
    "last used, your roles in the portal, two-factor sign-in, and committees you sit on as a co-opted member.",
)
def _account(x: Export) -> int:
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
def _councillor(x: Export) -> int:
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
def _officer(x: Export) -> int:
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


# --- Enquiries ---------------------------------------------------------------------------


def enquiries_of(x: Export) -> QuerySet[Enquiry]:
    """Every enquiry the subject filed, owned, acted on, was told about or was given access to:
    one query, each way in a subquery."""
    user = x.subject
    found = Q(pk__in=TimelineEvent.objects.filter(actor=user, enquiry__isnull=False).values("enquiry_id"))
    found |= Q(pk__in=Attachment.objects.filter(uploaded_by=user, enquiry__isnull=False).values("enquiry_id"))
    found |= Q(pk__in=EnquiryUserObjectPermission.objects.filter(user=user).values("content_object_id"))
    found |= Q(pk__in=Notification.objects.filter(recipient=user, enquiry__isnull=False).values("enquiry_id"))
    if x.member is not None:
        found |= Q(member=x.member)
    if (officer := x.officer) is not None:
        found |= Q(owner=officer)
        found |= Q(
            pk__in=TimelineEvent.objects.filter(Q(from_owner=officer) | Q(to_owner=officer)).values("enquiry_id")
        )
        found |= Q(
            pk__in=EnquiryEscalation.objects.filter(Q(from_owner=officer) | Q(to_owner=officer)).values("enquiry_id")
        )
        for model, key in (
            (HoldingReply, "author"),
            (Answer, "author"),
            (Decline, "declined_by"),
            (Dispute, "decided_by"),
            (ConsentRecord, "recorded_by"),
        ):
            found |= Q(pk__in=model.objects.filter(**{key: officer}).values("enquiry_id"))
    return Enquiry.objects.filter(found)


def _enquiry_role(x: Export, enquiry: Enquiry) -> str:
    roles = []
    if x.member is not None and enquiry.member_id == x.member.pk:
        roles.append("you filed it")
    if x.officer is not None and enquiry.owner_id == x.officer.pk:
        roles.append("you own it")
    return "; ".join(roles) or "you acted on it, were told about it or could see it"


@export_kind(
    "enquiries",
    title="Enquiries",
    explains="enquiries.csv lists every enquiry you filed, were assigned, acted on or were told about; "
    "enquiries/ holds one file for each, with its details, holding replies, answers, declines, disputes, "
    "consent records, escalations, attachments and timeline.",
)
def _enquiries(x: Export) -> int:
    enquiries = list(
        enquiries_of(x)
        .select_related("service", "ward")
        .prefetch_related(
            "holding_replies",
            "declines",
            "disputes",
            "consent_records",
            "escalations",
            Prefetch("answers", queryset=Answer.objects.order_by("sent_at")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "pk")),
            Prefetch("timeline", queryset=TimelineEvent.objects.order_by("at", "pk")),
        )
        .order_by("received_at", "pk")
    )
    rows = []
    for enquiry in enquiries:
        rows.append(
            [
                enquiry.reference,
                when(enquiry.received_at),
                Free(enquiry.subject),
                enquiry.service.name,
                enquiry.get_state_display(),
                x.member_(enquiry.member_id),
                x.officer_(enquiry.owner_id),
                _enquiry_role(x, enquiry),
                f"enquiries/{enquiry.reference}.txt",
            ]
        )
        x.doc(f"enquiries/{enquiry.reference}.txt", _enquiry_doc(x, enquiry))
    x.csv(
        "enquiries.csv",
        ["Reference", "Received", "Subject", "Service", "State", "Filed by", "Owner", "Your part", "File"],
        rows,
    )
    return len(enquiries)


def _enquiry_doc(x: Export, enquiry: Enquiry) -> Doc:
    doc = Doc(f"Enquiry {enquiry.reference}")
    doc.line("Subject: ", Free(enquiry.subject))
    doc.field("Your part", _enquiry_role(x, enquiry))
    doc.field("Filed by", x.member_(enquiry.member_id))
    doc.field("Received", when(enquiry.received_at))
    doc.field("Service", enquiry.service.name)
    doc.field("Ward", enquiry.ward.name if enquiry.ward else "")
    doc.field("Purpose", enquiry.get_purpose_display())
    doc.field("State", enquiry.get_state_display())
    doc.field("Owner", x.officer_(enquiry.owner_id))
    doc.field("Due", when(enquiry.due_at))
    doc.field("Answered", when(enquiry.answered_at))
    doc.field("Closed", when(enquiry.closed_at))
    doc.field("Constituent lives in the ward", yes_no(enquiry.constituent_lives_in_ward))
    doc.field("Acting for the constituent", yes_no(enquiry.acting_for_constituent))
    doc.field("Information needed for their complaint", yes_no(enquiry.information_needed_for_complaint))
    doc.field("Explicit consent needed", yes_no(enquiry.explicit_consent_needed))
    doc.text("Details", enquiry.details)
    if replies := list(enquiry.holding_replies.all()):
        doc.heading("Holding replies")
        for reply in replies:
            doc.line(f"{when(reply.sent_at)}, by {x.officer_(reply.author_id)}, new target {when(reply.target_on)}")
            doc.line(Free(reply.reason, indent="    "))
    attachments_by_answer: dict[int, list[Attachment]] = {}
    for attachment in enquiry.attachments.all():
        attachments_by_answer.setdefault(attachment.answer_id, []).append(attachment)
    if answers := list(enquiry.answers.all()):
        doc.heading("Answers")
        for answer in answers:
            doc.line(f"{when(answer.sent_at)}, by {x.officer_(answer.author_id)} ({answer.get_marking_display()})")
            doc.line(Free(answer.text, indent="    "))
    if declines := list(enquiry.declines.all()):
        doc.heading("Declines")
        for decline in declines:
            doc.line(f"{when(decline.declined_at)}, by {x.officer_(decline.declined_by_id)}")
            doc.line(Free(decline.reasons, indent="    "))
    if disputes := list(enquiry.disputes.all()):
        doc.heading("Disputes")
        for dispute in disputes:
            doc.line(f"Raised {when(dispute.raised_at)}:")
            doc.line(Free(dispute.reasons, indent="    "))
            if dispute.decision:
                doc.line(
                    f"Decided {when(dispute.decided_at)} by {x.officer_(dispute.decided_by_id)}: "
                    f"{dispute.get_decision_display()}"
                )
                doc.line(Free(dispute.decision_reasons, indent="    "))
    if consents := list(enquiry.consent_records.all()):
        doc.heading("Consent records")
        for consent in consents:
            x.constituents.add(consent.given_by)
            doc.line(
                f"{label('constituent')} gave consent on {when(consent.given_on)} ({consent.get_method_display()}); "
                f"recorded {when(consent.recorded_at)} by {x.officer_(consent.recorded_by_id)}"
            )
    if escalations := list(enquiry.escalations.all()):
        doc.heading("Escalations")
        for escalation in escalations:
            doc.line(
                f"{when(escalation.escalated_at)}: rung {escalation.rung}, from {x.officer_(escalation.from_owner_id)} "
                f"to {x.officer_(escalation.to_owner_id)} (deadline missed: {when(escalation.due_at)})"
            )
    _attachments_section(x, doc, enquiry.attachments.all())
    _timeline_section(x, doc, enquiry.timeline.all())
    return doc


def _attachments_section(x: Export, doc: Doc, attachments: Iterable[Attachment]) -> None:
    attachments = list(attachments)
    if not attachments:
        return
    doc.heading("Attachments")
    for attachment in attachments:
        doc.line(
            "- ",
            Free(attachment.name),
            f" ({attachment.size:,} bytes), uploaded {when(attachment.uploaded_at)} "
            f"by {x.user(attachment.uploaded_by_id)}: {_attachment_fate(x, attachment)}",
        )


def _attachment_path(attachment: Attachment) -> str:
    # The name as uploaded, made safe as a file name (no folders, no "..").
    return f"files/{attachment.pk}-{get_valid_filename(PurePath(attachment.name.replace(chr(92), '/')).name)}"


def _attachment_fate(x: Export, attachment: Attachment) -> str:
    if attachment.uploaded_by_id == x.subject.pk:
        return f"included as {_attachment_path(attachment)}"
    return "not included (uploaded by someone else)"


def _timeline_section(x: Export, doc: Doc, events: Iterable[TimelineEvent]) -> None:
    doc.heading("Timeline")
    for event in events:
        parts = [f"{when(event.at)}  {event.get_kind_display()}"]
        if event.actor_id:
            parts.append(f", by {x.user(event.actor_id)}")
        if event.from_state or event.to_state:
            parts.append(f", {event.from_state or '-'} → {event.to_state or '-'}")
        if event.from_owner_id or event.to_owner_id:
            parts.append(f", {x.officer_(event.from_owner_id) or '-'} → {x.officer_(event.to_owner_id) or '-'}")
        doc.line("".join(parts))
        if event.note:
            doc.line(Free(event.note, indent="    "))


# --- Concerns ----------------------------------------------------------------------------


def concerns_of(x: Export) -> QuerySet[Concern]:
    """Every concern the subject raised, is the subject of, handled, acted on, joined or was
    told about: one query."""
    user = x.subject
    found = Q(complainant_user=user) | Q(shared_with_subject_by=user)
    found |= Q(pk__in=TimelineEvent.objects.filter(actor=user, concern__isnull=False).values("concern_id"))
    found |= Q(pk__in=Attachment.objects.filter(uploaded_by=user, concern__isnull=False).values("concern_id"))
    found |= Q(pk__in=ConcernUserObjectPermission.objects.filter(user=user).values("content_object_id"))
    found |= Q(pk__in=Notification.objects.filter(recipient=user, concern__isnull=False).values("concern_id"))
    if x.member is not None:
        found |= Q(subject_member=x.member) | Q(pk__in=Sanction.objects.filter(member=x.member).values("concern_id"))
    if (officer := x.officer) is not None:
        found |= Q(subject_officer=officer) | Q(owner=officer)
        found |= Q(
            pk__in=TimelineEvent.objects.filter(Q(from_owner=officer) | Q(to_owner=officer)).values("concern_id")
        )
        found |= Q(pk__in=InformalAction.objects.filter(recorded_by=officer).values("concern_id"))
        found |= Q(pk__in=Sanction.objects.filter(Q(officer=officer) | Q(recorded_by=officer)).values("concern_id"))
        found |= Q(pk__in=ExternalReferral.objects.filter(referred_by=officer).values("concern_id"))
    return Concern.objects.filter(found)


def _concern_role(x: Export, concern: Concern) -> str:
    roles = []
    if concern.complainant_user_id == x.subject.pk:
        roles.append("you raised it")
    if (x.member and concern.subject_member_id == x.member.pk) or (
        x.officer and concern.subject_officer_id == x.officer.pk
    ):
        roles.append("it is about you")
    if x.officer is not None and concern.owner_id == x.officer.pk:
        roles.append("you are handling it")
    return "; ".join(roles) or "you handled, joined or acted on it, or were told about it"


def _complainant(x: Export, concern: Concern) -> str:
    # ICO: the identity of a complainant is their personal data; only the complainant sees their own.
    if concern.complainant_user_id == x.subject.pk:
        return x.you()
    x.linked.add(concern.complainant_user_id)
    return label("complainant")


def _concern_subject(x: Export, concern: Concern) -> str:
    return x.member_(concern.subject_member_id) or x.officer_(concern.subject_officer_id)


@export_kind(
    "concerns",
    title="Concerns",
    explains="concerns.csv lists every concern you raised, that is about you, or that you handled, joined "
    "or acted on; concerns/ holds one file for each, with what happened, the behaviours cited, informal "
    "actions, sanctions, referrals, attachments and timeline. Whoever raised a concern about you is shown "
    "as [redacted: complainant].",
)
def _concerns(x: Export) -> int:
    concerns = list(
        concerns_of(x)
        .prefetch_related(
            "behaviours",
            "informal_actions",
            "referrals",
            Prefetch(
                "sanctions", queryset=Sanction.objects.select_related("prohibition").prefetch_related("committees")
            ),
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "pk")),
            Prefetch("timeline", queryset=TimelineEvent.objects.order_by("at", "pk")),
        )
        .order_by("raised_at", "pk")
    )
    rows = []
    for concern in concerns:
        rows.append(
            [
                concern.reference,
                when(concern.raised_at),
                concern.get_kind_display(),
                concern.get_state_display(),
                _complainant(x, concern),
                _concern_subject(x, concern),
                _concern_role(x, concern),
                f"concerns/{concern.reference}.txt",
            ]
        )
        x.doc(f"concerns/{concern.reference}.txt", _concern_doc(x, concern))
    x.csv("concerns.csv", ["Reference", "Raised", "Kind", "State", "Raised by", "About", "Your part", "File"], rows)
    return len(concerns)


def _concern_doc(x: Export, concern: Concern) -> Doc:
    doc = Doc(f"Concern {concern.reference}")
    doc.field("Kind", concern.get_kind_display())
    doc.field("Your part", _concern_role(x, concern))
    doc.field("Raised by", _complainant(x, concern))
    doc.field("About", _concern_subject(x, concern))
    doc.field("Raised", when(concern.raised_at))
    doc.field("When it happened", when(concern.occurred_on))
    doc.field("State", concern.get_state_display())
    doc.field("Handler now", x.officer_(concern.owner_id) or "none")
    doc.field("Safeguarding", yes_no(concern.safeguarding))
    doc.field("Complainant felt able to talk directly", yes_no(concern.feels_able_to_talk))
    doc.field("Closed", when(concern.closed_at))
    doc.field("Shared with its subject", when(concern.shared_with_subject_at) or "no")
    doc.field("Behaviours cited", ", ".join(behaviour.name for behaviour in concern.behaviours.all()) or "none")
    doc.text("What happened", concern.what_happened)
    doc.text("Outcome", concern.outcome)
    if actions := list(concern.informal_actions.all()):
        doc.heading("Informal actions")
        for action in actions:
            given = f", given by {action.get_given_by_display().lower()}" if action.given_by else ""
            doc.line(
                f"{when(action.recorded_at)}: {action.get_kind_display()}{given}; "
                f"recorded by {x.officer_(action.recorded_by_id)}"
            )
            doc.line(Free(action.details, indent="    "))
    if sanctions := list(concern.sanctions.all()):
        doc.heading("Sanctions")
        for sanction in sanctions:
            on = x.member_(sanction.member_id) or x.officer_(sanction.officer_id)
            doc.line(
                f"{when(sanction.recorded_at)}: {sanction.get_kind_display()}, on {on}; "
                f"recorded by {x.officer_(sanction.recorded_by_id)}"
            )
            if committees := [committee.name for committee in sanction.committees.all()]:
                doc.line(f"    Committees: {', '.join(committees)}")
            if sanction.prohibition is not None:
                doc.line(f"    Contact prohibition: {_prohibition_words(x, sanction.prohibition)}")
            if sanction.disciplinary_reference:
                doc.line(f"    Disciplinary reference: {sanction.disciplinary_reference}")
            if sanction.details:
                doc.line(Free(sanction.details, indent="    "))
    if referrals := list(concern.referrals.all()):
        doc.heading("External referrals")
        for referral in referrals:
            doc.line(
                f"{when(referral.referred_at)}: {referral.get_kind_display()}; "
                f"referred by {x.officer_(referral.referred_by_id)}"
            )
            if referral.independent_person:
                doc.line(f"    Independent Person: {label('Independent Person')}")
            doc.line(Free(referral.details, indent="    "))
    _attachments_section(x, doc, concern.attachments.all())
    _timeline_section(x, doc, concern.timeline.all())
    return doc


def _prohibition_words(x: Export, prohibition: ContactProhibition) -> str:
    if prohibition.scope == ContactProhibition.Scope.OFFICER:
        covers = x.officer_(prohibition.officer_id)
    elif prohibition.scope == ContactProhibition.Scope.SERVICE:
        covers = f"the officers of {prohibition.service}"
    else:
        covers = "any officer"
    return f"no contact with {covers}, {prohibition.period}"


# --- Everything else ------------------------------------------------------------------------


@export_kind(
    "positive_examples",
    title="Positive examples",
    explains="positive-examples.csv: examples of good member-officer working that you recorded, that name "
    "you, or that you passed on as Assistant Director.",
)
def _positive_examples(x: Export) -> int:
    found = Q(recorded_by=x.subject)
    if x.member is not None:
        found |= Q(members=x.member)
    if x.officer is not None:
        found |= Q(officers=x.officer) | Q(assistant_director=x.officer)
    examples = list(
        PositiveExample.objects.filter(pk__in=PositiveExample.objects.filter(found).values("pk"))
        .select_related("service")
        .prefetch_related(
            Prefetch("members", queryset=Member.objects.only("pk", "user_id")),
            Prefetch("officers", queryset=Officer.objects.only("pk", "user_id")),
        )
        .order_by("recorded_at", "pk")
    )
    rows = [
        [
            example.reference,
            when(example.happened_on),
            Free(example.title),
            Free(example.what_happened),
            example.service.name,
            x.user(example.recorded_by_id),
            "; ".join(
                [x.member_(m.pk) for m in example.members.all()] + [x.officer_(o.pk) for o in example.officers.all()]
            ),
            x.officer_(example.assistant_director_id),
            Free(example.assistant_director_comment),
            Free(example.monitoring_officer_comment),
            example.get_state_display(),
            yes_no(example.publishable),
        ]
        for example in examples
    ]
    x.csv(
        "positive-examples.csv",
        [
            "Reference",
            "Happened on",
            "Title",
            "What happened",
            "Service",
            "Recorded by",
            "People named",
            "Assistant Director",
            "Assistant Director's comment",
            "Monitoring Officer's comment",
            "State",
            "Approved for publication",
        ],
        rows,
    )
    return len(examples)


@export_kind(
    "ward_notices",
    title="Ward notices",
    explains="ward-notices.csv: notices about the wards you represent that you were sent (001 §9.4), with "
    "when you were told and the group and wards recorded for you then, and notices you sent as an officer.",
)
def _ward_notices(x: Export) -> int:
    found = Q(sent_by=x.subject)
    if x.member is not None:
        found |= Q(recipients__member=x.member)
    notices = list(
        WardNotice.objects.filter(pk__in=WardNotice.objects.filter(found).values("pk"))
        .prefetch_related(
            "wards",
            Prefetch(
                "recipients",
                queryset=WardNoticeRecipient.objects.filter(member=x.member)
                if x.member
                else WardNoticeRecipient.objects.none(),
                to_attr="subject_rows",
            ),
        )
        .order_by("sent_at", "pk")
    )
    rows = []
    for notice in notices:
        told = notice.subject_rows[0] if notice.subject_rows else None
        rows.append(
            [
                notice.reference,
                when(notice.sent_at),
                x.user(notice.sent_by_id),
                notice.get_kind_display(),
                Free(notice.title),
                when(notice.concerns_on),
                ", ".join(ward.name for ward in notice.wards.all()),
                Free(notice.summary),
                when(told.notified_at) if told else "",
                (told.group_name or "independent") if told else "",
                told.ward_names if told else "",
            ]
        )
    x.csv(
        "ward-notices.csv",
        [
            "Reference",
            "Sent",
            "Sent by",
            "Kind",
            "Title",
            "Date it concerns",
            "Wards",
            "Summary",
            "You were told",
            "Your group then",
            "Your wards then",
        ],
        rows,
    )
    return len(notices)


@export_kind(
    "briefings",
    title="Briefings",
    explains="briefings.csv: briefings offered to the political groups (001 §9.5.2) that you gave or recorded "
    "as an officer, or whose offer to a group you answered, with each response you recorded.",
)
def _briefings(x: Export) -> int:
    found = Q(recorded_by=x.subject) | Q(offers__changes__actor=x.subject)
    if x.officer is not None:
        found |= Q(given_by=x.officer)
    briefings = list(
        Briefing.objects.filter(pk__in=Briefing.objects.filter(found).values("pk"))
        .select_related("first_offered_to")
        .order_by("takes_place_on", "pk")
    )
    # Every response the person recorded for a group, earlier ones included (one query).
    answered: dict[int, list[BriefingResponseChange]] = {}
    for change in BriefingResponseChange.objects.filter(actor=x.subject).select_related("offer__group"):
        answered.setdefault(change.offer.briefing_id, []).append(change)
    rows = [
        [
            briefing.reference,
            when(briefing.takes_place_on),
            Free(briefing.subject),
            briefing.get_kind_display(),
            x.officer_(briefing.given_by_id),
            x.user(briefing.recorded_by_id),
            when(briefing.recorded_at),
            briefing.first_offered_to.name,
            "; ".join(
                f"{change.offer.group.name}: {change.get_to_response_display()} ({when(change.at)})"
                for change in answered.get(briefing.pk, [])
            ),
        ]
        for briefing in briefings
    ]
    x.csv(
        "briefings.csv",
        [
            "Reference",
            "Takes place on",
            "Subject",
            "Kind",
            "Given by",
            "Recorded by",
            "Recorded",
            "First offered to",
            "Responses you recorded",
        ],
        rows,
    )
    return len(briefings)


@export_kind(
    "contact_prohibitions",
    title="Contact prohibitions",
    explains="contact-prohibitions.csv: prohibitions on your contacting officers (if you are a councillor), "
    "or on a councillor contacting you by name (if you are an officer), with the concern that imposed each.",
)
def _contact_prohibitions(x: Export) -> int:
    found = Q(pk__in=[])
    if x.member is not None:
        found |= Q(member=x.member)
    if x.officer is not None:
        found |= Q(officer=x.officer)
    prohibitions = list(
        ContactProhibition.objects.filter(found)
        .select_related("service", "sanction__concern")
        .order_by("starts_on", "pk")
    )
    rows = []
    for prohibition in prohibitions:
        sanction = getattr(prohibition, "sanction", None)
        rows.append(
            [
                x.member_(prohibition.member_id),
                prohibition.get_scope_display(),
                _prohibition_words(x, prohibition),
                when(prohibition.starts_on),
                when(prohibition.ends_on) or "indefinitely",
                sanction.concern.reference if sanction else "",
            ]
        )
    x.csv("contact-prohibitions.csv", ["Councillor", "Scope", "Prohibition", "Starts", "Ends", "Concern"], rows)
    return len(prohibitions)


@export_kind(
    "notifications",
    title="Notifications",
    explains="notifications.csv: every notification the portal sent you (in the portal and by e-mail), "
    "with when you read it and when its e-mail was sent.",
)
def _notifications(x: Export) -> int:
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
def _audit_log(x: Export) -> int:
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


@export_kind(
    "files",
    title="Files",
    explains="files.csv lists every file on your records or uploaded by you; files/ holds the ones you "
    "uploaded. Files other people uploaded are listed but not included.",
)
def _files(x: Export) -> int:
    attachments = list(
        Attachment.objects.filter(
            Q(uploaded_by=x.subject)
            | Q(enquiry__in=enquiries_of(x).values("pk"))
            | Q(concern__in=concerns_of(x).values("pk"))
        )
        .select_related("enquiry", "concern")
        .order_by("uploaded_at", "pk")
    )
    rows = []
    for attachment in attachments:
        fate = _attachment_fate(x, attachment)
        if attachment.uploaded_by_id == x.subject.pk and not x.stored(_attachment_path(attachment), attachment.file):
            fate = "missing from the portal's storage"
        rows.append(
            [
                (attachment.enquiry or attachment.concern).reference,
                Free(attachment.name),
                str(attachment.size),
                attachment.content_type,
                x.user(attachment.uploaded_by_id),
                when(attachment.uploaded_at),
                fate,
            ]
        )
    x.csv("files.csv", ["Case", "File name", "Bytes", "Type", "Uploaded by", "Uploaded", "In this export"], rows)
    return len(attachments)


# === Producing an export ===================================================================


@dataclass
class Produced:
    file: object  # a file object at its start, holding the ZIP
    filename: str
    counts: dict[str, int] = field(default_factory=dict)


@transaction.atomic
def subject_access_export(
    *, subject, actor, origin: Origin, reference: str = "", now: datetime | None = None
) -> Produced:
    """Build the ZIP of everything the portal holds about ``subject`` and record in the audit
    log who produced it, for whom and when (UK GDPR Art. 15; docs/subject-access.md).

    The ZIP is built in a spooled temporary file: in memory while small, on disk past
    SPOOL_MAX_BYTES (attachments can be large)."""
    now = now or timezone.now()
    export = Export(subject=subject, now=now)
    export.collect()
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES)  # noqa: SIM115 (the response closes it)
    export.write_zip(spool)
    spool.seek(0)
    audit_event_record(
        kind=AuditEvent.Kind.SUBJECT_ACCESS_EXPORT,
        origin=origin,
        user=actor,
        detail=subject_access_detail(subject, reference=reference),
    )
    return Produced(file=spool, filename=f"{export.folder()}.zip", counts=export.counts)

"""What a subject access export is made of: readable text files (``Doc``) and CSV files whose
free text (``Free``) is redacted when the ZIP is written, the kinds of record it holds
(``ExportKind``, made by ``export_kind``), and the ``Export`` itself: the files for one
subject and the rules for naming people in them (the subject by name, anyone else redacted).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from people.models import Committee, Directorate, Member, Officer, PoliticalGroup, Service, Ward
from reporting.subject_access.redaction import POSTCODE, Redactor, distinctive_username, label, titled

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


def export_kind(key: str, *, title: str, explains: str) -> Callable[[Callable[[Export], int]], ExportKind]:
    """Turn the function that writes a kind of record into an ``ExportKind``, with the title and
    explanation the index (README.txt) gives it. The index lists the kinds in the order of
    ``services.KINDS``."""

    def make(write: Callable[[Export], int]) -> ExportKind:
        return ExportKind(key, title, explains, write)

    return make


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

    def __init__(self, *, subject, now: datetime, kinds: Sequence[ExportKind]) -> None:
        self.subject = subject
        self.now = now
        self.kinds = kinds
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
        for kind in self.kinds:
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
                # Single names only of the people in the subject's records (reporting.subject_access.redaction).
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
        for kind in self.kinds:
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

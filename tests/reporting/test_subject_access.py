"""The subject access export (UK GDPR Art. 15; issue 8): the ZIP's files and what is in them
for a councillor and for an officer, other people's data redacted (in free text too), the
subject's own data kept, who may produce it, its audit record, and its query count."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cases.concerns import services as concern_services
from cases.concerns.services import InformalStep
from cases.enquiries import services
from cases.models import InformalAction, Marking, Purpose
from cases.positive import services as positive_services
from people.audit import Origin, audit_event_record
from people.models import AuditEvent, Committee, Office, OfficeHeld, OutsideAppointment
from people.roles import Role
from reporting.subject_access.services import KINDS, subject_access_export
from tests.factories import CommitteeFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("reporting:subject_access")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# The constituent of the casework enquiry: known to the portal only through the consent record.
CONSTITUENT = "Edna Pryce"
CONSTITUENT_DETAILS = ["Edna", "Pryce", "RV1 2AB", "07700 900123", "edna.pryce@example.net"]


def name(user, first: str, last: str) -> None:
    user.first_name, user.last_name = first, last
    user.save()


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename.split("/", 1)[1]: archive.read(info) for info in archive.infolist() if not info.is_dir()}


def text_of(files: dict[str, bytes]) -> str:
    return "\n".join(data.decode("utf-8", errors="replace") for path, data in files.items())


def rows(files: dict[str, bytes], path: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[path].decode("utf-8-sig"))))


def export(subject, actor) -> dict[str, bytes]:
    produced = subject_access_export(subject=subject, actor=actor, origin=Origin(ip_address="192.0.2.9"))
    return unzip(produced.file.read())


@pytest.fixture
def administrator(db):
    user = UserFactory(username="dem.services", first_name="Dana", last_name="Admin")
    user.groups.add(Group.objects.get_or_create(name=Role.DEMOCRATIC_SERVICES.label)[0])
    return user


@pytest.fixture
def records(org):
    """A councillor (Priya Shah) with a profile, a casework enquiry answered by the liaison officer
    (Laura Lane) with files from both, a concern Laura raised about her and one she raised about
    an engineer (Eric Stone), a positive example, a sign-in and notifications."""
    name(org.councillor.user, "Priya", "Shah")
    name(org.liaison.user, "Laura", "Lane")
    org.liaison.user.email = "laura.lane@council.example"
    org.liaison.user.save()
    name(org.colleague.user, "Eric", "Stone")
    name(org.head.user, "Harold", "Hughes")
    name(org.monitoring.user, "Monica", "Moss")
    name(org.councillor2.user, "Gerald", "Fenwick")
    councillor = org.councillor
    councillor.phone = "01632 960001"
    councillor.postal_address = "1 Council Row\nRiverside\nRV9 9ZZ"
    councillor.skills_and_interests = "Cycling and flood defence."
    portrait = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(portrait, "PNG")
    councillor.photo = SimpleUploadedFile("priya.png", portrait.getvalue(), content_type="image/png")
    councillor.save()
    org.liaison.phone = "01632 960555"
    org.liaison.save()
    OfficeHeld.objects.create(member=councillor, office=Office.CABINET_MEMBER, portfolio="Transport")
    OutsideAppointment.objects.create(member=councillor, organisation="Riverside Flood Board", role="Trustee")
    CommitteeFactory(name="Scrutiny", kind=Committee.Kind.SCRUTINY).members.add(councillor)

    now = timezone.now()
    casework = services.enquiry_file(
        member=councillor,
        subject="Damp in a tenant's flat",
        details=(
            f"My constituent Mrs {CONSTITUENT} of 4 Mill Lane, RV1 2AB (07700 900123, edna.pryce@example.net) "
            "reports damp. Laura Lane visited last week; Gerald Fenwick raised it too."
        ),
        service=org.highways,
        ward=org.other_ward,
        purpose=Purpose.CASEWORK,
        constituent_lives_in_ward=False,
        acting_for_constituent=True,
        information_needed_for_complaint=True,
        attachments=[SimpleUploadedFile("my-notes.pdf", PDF + b"PRIYA", content_type="application/pdf")],
        now=now - timedelta(days=3),
    )
    services.enquiry_consent_record(
        enquiry=casework,
        actor=org.liaison.user,
        given_by=f"Mrs {CONSTITUENT}",
        given_on=date.today() - timedelta(days=3),
        method="phone",
        now=now - timedelta(days=2),
    )
    services.enquiry_answer(
        enquiry=casework,
        actor=org.liaison.user,
        text="Harold Hughes has booked a surveyor. Call me on 01632 960555 or laura.lane@council.example.",
        marking=Marking.CONFIDENTIAL,
        contains_personal_data=True,
        attachments=[SimpleUploadedFile("survey.pdf", PDF + b"LAURA", content_type="application/pdf")],
        now=now - timedelta(days=1),
    )
    about_her = concern_services.concern_raise(
        raised_by=org.liaison.user,
        about_member=councillor,
        occurred_on=date.today() - timedelta(days=5),
        what_happened="Cllr Shah shouted at me, Laura, in reception; Eric Stone saw it.",
        feels_able_to_talk=False,
        safeguarding=True,
    )
    concern_services.concern_informal_action(
        concern=about_her,
        actor=org.monitoring.user,
        steps=[InformalStep(kind=InformalAction.Kind.ADVICE, given_by="monitoring_officer", details="Advice on tone.")],
        outcome="Words of advice given; Lane was told.",
    )
    by_her = concern_services.concern_raise(
        raised_by=councillor.user,
        about_officer=org.colleague,
        occurred_on=date.today() - timedelta(days=4),
        what_happened="Mr Stone refused to look at the flooding.",
        feels_able_to_talk=True,
    )
    positive_services.positive_example_record(
        recorded_by=org.head.user,
        title="Quick flood response",
        what_happened="Cllr Shah and Eric worked late together.",
        happened_on=date.today() - timedelta(days=2),
        service=org.highways,
        members=[councillor],
        officers=[org.colleague],
    )
    audit_event_record(kind=AuditEvent.Kind.SIGN_IN, origin=Origin(ip_address="198.51.100.7"), user=councillor.user)
    return {"casework": casework, "about_her": about_her, "by_her": by_her}


# --- A councillor's export ----------------------------------------------------------------------


def test_it_exports_a_councillors_records_as_readable_files(org, records, administrator):
    files = export(org.councillor.user, administrator)

    assert {
        "README.txt", "account.txt", "councillor.txt", "enquiries.csv", "concerns.csv", "positive-examples.csv",
        "contact-prohibitions.csv", "notifications.csv", "audit-log.csv", "files.csv",
    } <= set(files)  # fmt: skip
    assert "officer.txt" not in files
    readme = files["README.txt"].decode()
    assert "Priya Shah" in readme and "Article 15" in readme
    for kind in KINDS:
        assert kind.title in readme
    assert "[redacted: complainant]" in readme  # how complainants are treated, said in the index
    profile = files["councillor.txt"].decode()
    for fact in (
        "Riverside",
        "Civic Party",
        "Cabinet Member for Transport",
        "Scrutiny",
        "Trustee, Riverside Flood Board",
    ):
        assert fact in profile
    assert "01632 960001" in profile and "RV9 9ZZ" in profile and "Cycling and flood defence." in profile
    assert files["photo/priya.png"].startswith(b"\x89PNG")
    enquiries = rows(files, "enquiries.csv")
    assert [row["Reference"] for row in enquiries] == [records["casework"].reference]
    assert enquiries[0]["Filed by"] == "Priya Shah (you)" and enquiries[0]["Owner"] == "[redacted: officer]"
    enquiry = files[f"enquiries/{records['casework'].reference}.txt"].decode()
    assert "Answers" in enquiry and "has booked a surveyor" in enquiry and "Consent records" in enquiry
    assert "Confidential" in enquiry and "Timeline" in enquiry
    concerns = {row["Reference"]: row for row in rows(files, "concerns.csv")}
    assert concerns[records["about_her"].reference]["Raised by"] == "[redacted: complainant]"
    assert concerns[records["about_her"].reference]["About"] == "Priya Shah (you)"
    assert concerns[records["by_her"].reference]["Raised by"] == "Priya Shah (you)"
    assert concerns[records["by_her"].reference]["About"] == "[redacted: officer]"
    concern = files[f"concerns/{records['about_her'].reference}.txt"].decode()
    assert "Informal actions" in concern and "Advice on tone." in concern
    assert "Words of advice" in concern
    assert len(rows(files, "positive-examples.csv")) == 1
    assert rows(files, "notifications.csv"), "her acknowledgements and the outcome she was told"
    audit = rows(files, "audit-log.csv")
    assert [row["What"] for row in audit] == ["Signed in"] and audit[0]["IP address"] == "198.51.100.7"


def test_it_includes_the_files_she_uploaded_and_only_lists_the_others(org, records, administrator):
    files = export(org.councillor.user, administrator)

    listed = {row["File name"]: row for row in rows(files, "files.csv")}
    assert set(listed) == {"my-notes.pdf", "survey.pdf"}
    assert listed["survey.pdf"]["In this export"] == "not included (uploaded by someone else)"
    assert listed["survey.pdf"]["Uploaded by"] == "[redacted: officer]"
    included = [data for path, data in files.items() if path.startswith("files/")]
    assert included == [PDF + b"PRIYA"]
    assert not any(b"LAURA" in data for data in files.values())


def test_it_redacts_everyone_else_in_a_councillors_export_free_text_included(org, records, administrator):
    files = export(org.councillor.user, administrator)
    everything = text_of(files)

    # The complainant, the other officers and councillor, and the constituent: not anywhere.
    for absent in [
        "Laura", "Lane", "liaison", "Eric", "Stone", "Harold", "Hughes", "Monica", "Moss", "Gerald", "Fenwick",
        "01632 960555", "laura.lane@council.example", *CONSTITUENT_DETAILS,
    ]:  # fmt: skip
        assert absent not in everything, f"{absent!r} is in the export"
    assert "[redacted: constituent]" in everything
    assert "[redacted: postcode]" in everything and "[redacted: e-mail address]" in everything
    assert "[redacted: another councillor]" in everything  # Gerald Fenwick, in her own words
    # Her own data stays.
    for present in ["Priya Shah", "Cllr Shah", "councillor@example.org", "01632 960001", "RV9 9ZZ", "Riverside"]:
        assert present in everything, f"{present!r} is missing"


# --- An officer's export ------------------------------------------------------------------------


def test_it_exports_an_officers_records_with_the_councillor_and_constituent_redacted(org, records, administrator):
    files = export(org.liaison.user, administrator)
    everything = text_of(files)

    assert "officer.txt" in files and "councillor.txt" not in files
    record = files["officer.txt"].decode()
    assert "Liaison Officer" in record and "Highways" in record
    assert "Councillor Liaison Officer, Highways" in record
    assert "Line manager: [redacted: another officer]" in record
    enquiries = rows(files, "enquiries.csv")
    assert enquiries[0]["Filed by"] == "[redacted: councillor]"
    assert enquiries[0]["Owner"] == "Laura Lane (you)"
    concerns = {row["Reference"]: row for row in rows(files, "concerns.csv")}
    assert set(concerns) == {records["about_her"].reference}, "not the concern about the engineer"
    assert concerns[records["about_her"].reference]["Raised by"] == "Laura Lane (you)"
    assert concerns[records["about_her"].reference]["About"] == "[redacted: councillor]"
    # The answer Laura wrote, with her own number, and the file she uploaded.
    assert "01632 960555" in everything and "laura.lane@council.example" in everything
    assert [data for path, data in files.items() if path.startswith("files/")] == [PDF + b"LAURA"]
    for absent in ["Priya", "Shah", "Harold Hughes", "Eric", "Stone", "Gerald", "Monica", *CONSTITUENT_DETAILS]:
        assert absent not in everything, f"{absent!r} is in the export"


def test_an_account_with_no_role_gets_its_account_and_empty_files(org, administrator):
    files = export(org.stranger, administrator)

    assert "account.txt" in files and "councillor.txt" not in files and "officer.txt" not in files
    assert rows(files, "enquiries.csv") == []
    assert "(none: the portal holds no such record about you)" in files["README.txt"].decode()


# --- The page ------------------------------------------------------------------------------------


def test_it_finds_the_person_and_downloads_their_zip(client, org, records, administrator):
    client.force_login(administrator)

    found = client.get(URL, {"q": "shah"})
    assert found.status_code == 200
    assert "Priya Shah" in found.content.decode()
    response = client.post(f"{URL}?q=shah", {"person": org.councillor.user.pk, "reference": "SAR-2026-014"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="subject-access-councillor-')
    files = unzip(b"".join(response.streaming_content))
    assert "Priya Shah" in files["README.txt"].decode()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SUBJECT_ACCESS_EXPORT)
    assert event.user == administrator
    assert event.detail == f"For account {org.councillor.user.pk} (councillor); request reference SAR-2026-014"
    assert event.path == f"{URL}?q=shah"
    assert timezone.now() - event.at < timedelta(minutes=1)


def test_an_earlier_export_is_in_the_next_with_who_made_it_redacted(org, records, administrator):
    export(org.councillor.user, administrator)

    audit = rows(export(org.councillor.user, administrator), "audit-log.csv")

    exports = [row for row in audit if row["What"] == "Subject access export produced"]
    assert len(exports) == 1
    assert exports[0]["By"] == "[redacted: another person]" and exports[0]["IP address"] == "[redacted: IP address]"


def test_an_empty_choice_shows_the_error_summary_and_records_nothing(client, org, administrator):
    client.force_login(administrator)

    response = client.post(f"{URL}?kind=councillor", {})

    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert "Select the person the request is about" in html
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.SUBJECT_ACCESS_EXPORT).exists()


def test_an_empty_search_says_what_to_enter(client, administrator):
    client.force_login(administrator)

    html = client.get(URL, {"q": "", "kind": ""}).content.decode()

    assert "There is a problem" in html and "Enter a name, username or e-mail address" in html


def test_a_superuser_may_export(client, org, records, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    client.force_login(superuser)

    assert client.get(URL).status_code == 200
    assert client.post(URL, {"person": org.councillor.user.pk})["Content-Type"] == "application/zip"


@pytest.mark.parametrize(
    "who", ["councillor", "liaison", "head", "chief", "monitoring", "standards_member", "stranger"]
)
def test_everyone_else_is_refused_and_nothing_is_recorded(client, org, records, who):
    person = getattr(org, who)
    client.force_login(getattr(person, "user", person))

    assert client.get(URL, {"q": "shah"}).status_code == 403
    assert client.post(URL, {"person": org.councillor.user.pk}).status_code == 403
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.SUBJECT_ACCESS_EXPORT).exists()


def test_someone_signed_out_is_sent_to_sign_in(client):
    assert client.get(URL)["Location"].startswith("/sign-in/")


# --- Query counts ------------------------------------------------------------------------------------


def _queries_for(subject, actor) -> int:
    # Read afresh, as each request for an export does: nothing cached on the user object.
    subject = type(subject).objects.get(pk=subject.pk)
    with CaptureQueriesContext(connection) as queries:
        subject_access_export(subject=subject, actor=actor, origin=Origin())
    return len(queries)


def test_the_query_count_does_not_grow_with_the_number_of_enquiries(org, administrator):
    """docs/subject-access.md: a subject with 200 enquiries costs what one with 5 does."""

    def file(count: int) -> None:
        for n in range(count):
            enquiry = services.enquiry_file(
                member=org.councillor,
                subject=f"Streetlight {n}",
                details=f"Out on Mill Road, number {n}.",
                service=org.highways,
                purpose=Purpose.INFORMATION,
            )
            services.enquiry_answer(
                enquiry=enquiry, actor=org.liaison.user, text="Fixed.", marking=Marking.PUBLIC,
                contains_personal_data=False,
            )  # fmt: skip

    file(5)
    five = _queries_for(org.councillor.user, administrator)
    officer_five = _queries_for(org.liaison.user, administrator)
    file(195)
    two_hundred = _queries_for(org.councillor.user, administrator)
    officer_two_hundred = _queries_for(org.liaison.user, administrator)

    print(f"\nqueries: councillor 5 enquiries {five}, 200 enquiries {two_hundred}; "
          f"liaison officer {officer_five}, {officer_two_hundred}")  # fmt: skip
    assert five == two_hundred
    assert officer_five == officer_two_hundred
    assert two_hundred <= 47


def test_a_file_missing_from_storage_is_said_so_and_the_rest_exported(org, records, administrator):
    attachment = records["casework"].attachments.get(name="my-notes.pdf")
    attachment.file.storage.delete(attachment.file.name)

    files = export(org.councillor.user, administrator)

    listed = {row["File name"]: row for row in rows(files, "files.csv")}
    assert listed["my-notes.pdf"]["In this export"] == "missing from the portal's storage"
    assert not any(path.startswith("files/") for path in files)


def test_it_exports_the_ward_notices_she_was_sent_and_the_briefings_he_gave_with_others_redacted(
    org, records, administrator
):
    """001 §9.4 and §9.5.2: a councillor's export lists the notices she was told about, with when
    and the group recorded for her then; the officer's lists the briefing he gave and the response
    he recorded. The other side is redacted in each."""
    from cases.briefings.services import briefing_record, briefing_response_record
    from cases.models import WardNoticeKind
    from cases.notices.services import ward_notice_send

    notice = ward_notice_send(
        sent_by=org.liaison.user,
        kind=WardNoticeKind.PUBLIC_MEETING,
        title="Public meeting on the bypass",
        concerns_on=date(2026, 12, 3),
        summary="Laura Lane will present the options.",
        wards=[org.ward],
    )
    briefing = briefing_record(
        recorded_by=org.liaison.user,
        subject="Highways capital programme",
        given_by=org.liaison,
        takes_place_on=date(2026, 12, 10),
        offered_to=org.councillor.group,
    )
    briefing_response_record(
        offer=briefing.offers.get(group=org.councillor.group), actor=org.liaison.user, response="accepted"
    )

    files = export(org.councillor.user, administrator)
    [row] = rows(files, "ward-notices.csv")
    assert row["Reference"] == notice.reference and row["Title"] == "Public meeting on the bypass"
    assert row["Sent by"] == "[redacted: officer]"
    assert row["Your group then"] == org.councillor.group.name and row["You were told"]
    assert "Laura" not in text_of(files) and "Lane" not in text_of(files)
    assert rows(files, "briefings.csv") == []

    files = export(org.liaison.user, administrator)
    [row] = rows(files, "ward-notices.csv")
    assert row["Sent by"].endswith("(you)") and row["You were told"] == ""
    [row] = rows(files, "briefings.csv")
    assert row["Reference"] == briefing.reference and row["Given by"].endswith("(you)")
    assert row["Responses you recorded"].startswith(f"{org.councillor.group.name}: Accepted")
    assert "Priya" not in text_of(files) and "Shah" not in text_of(files)

"""The enquiry pages through Django's test client: filing with attachments, the
error summary, holding-reply dates, stale forms, the due-date explanation, the
buttons each person is offered, and notifications."""

import re
from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.enquiries import services
from cases.models import Answer, Attachment, Enquiry, EnquiryState, Purpose
from escalation.calendar import council_calendar

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
LONDON = timezone.get_default_timezone()


def filing_data(org, **overrides) -> dict:
    return {
        "subject": "Pothole on Mill Lane",
        "details": "When will the pothole outside number 12 be repaired?",
        "service": org.highways.pk,
        "purpose": Purpose.INFORMATION,
        "ward": "",
        **overrides,
    }


def file_enquiry(org, **kwargs) -> Enquiry:
    defaults = {
        "member": org.councillor,
        "subject": "Pothole on Mill Lane",
        "details": "When will it be repaired?",
        "service": org.highways,
        "purpose": Purpose.INFORMATION,
    }
    return services.enquiry_file(**{**defaults, **kwargs})


def signed_in(client, person):
    client.force_login(person.user if hasattr(person, "user") else person)
    return client


def buttons(html: str) -> list[str]:
    """The labels of the action buttons on an enquiry page."""
    return [label.strip() for label in re.findall(r'<a class="govuk-button[^"]*"[^>]*>([^<]+)</a>', html)]


def date_fields(name: str, day) -> dict:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


class TestFiling:
    def test_it_files_an_enquiry_with_an_attachment_the_councillor_and_owner_can_download(self, client, org):
        upload = SimpleUploadedFile("survey.pdf", PDF, content_type="application/pdf")
        response = signed_in(client, org.councillor).post(
            reverse("cases:enquiry_new"), filing_data(org, attachments=upload)
        )

        enquiry = Enquiry.objects.get()
        assert response.status_code == 302
        assert response["Location"] == enquiry.get_absolute_url()
        assert enquiry.owner == org.liaison
        attachment = Attachment.objects.get()
        assert (attachment.enquiry, attachment.name, attachment.size) == (enquiry, "survey.pdf", len(PDF))
        url = reverse("cases:attachment", args=[enquiry.reference, attachment.pk])
        for person in (org.councillor, org.liaison):
            download = signed_in(client, person).get(url)
            assert download.status_code == 200
            assert b"".join(download.streaming_content) == PDF
            assert download["Content-Disposition"] == 'attachment; filename="survey.pdf"'
        assert signed_in(client, org.councillor2).get(url).status_code == 404

    def test_it_links_the_attachment_from_the_enquiry_page(self, client, org):
        upload = SimpleUploadedFile("survey.pdf", PDF, content_type="application/pdf")
        enquiry = file_enquiry(org, attachments=[upload])
        html = signed_in(client, org.liaison).get(enquiry.get_absolute_url()).content.decode()
        url = reverse("cases:attachment", args=[enquiry.reference, enquiry.attachments.get().pk])
        assert f'href="{url}">survey.pdf</a>' in html

    def test_it_refuses_a_program_and_files_nothing(self, client, org):
        upload = SimpleUploadedFile("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00", content_type="application/octet-stream")
        response = signed_in(client, org.councillor).post(
            reverse("cases:enquiry_new"), filing_data(org, attachments=upload)
        )

        html = response.content.decode()
        assert response.status_code == 200
        assert "<title>Error: File an enquiry" in html
        assert "There is a problem" in html
        assert (
            'href="#id_attachments">The selected file ‘setup.exe’ must be a PDF, Word document, Excel spreadsheet, '
            "plain text file, PNG or JPEG image</a>"
        ) in html
        assert Enquiry.objects.count() == 0
        assert Attachment.objects.count() == 0

    def test_it_refuses_a_program_renamed_as_a_pdf(self, client, org):
        upload = SimpleUploadedFile("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00", content_type="application/pdf")
        html = (
            signed_in(client, org.councillor)
            .post(reverse("cases:enquiry_new"), filing_data(org, attachments=upload))
            .content.decode()
        )
        assert "The selected file ‘report.pdf’ is not a real PDF: it must be a PDF, Word document" in html
        assert Enquiry.objects.count() == 0

    def test_it_refuses_a_web_page_renamed_as_a_pdf(self, client, org):
        page = b"<!DOCTYPE html><html><script>fetch('/enquiries/')</script></html>"
        upload = SimpleUploadedFile("report.pdf", page, content_type="application/pdf")
        response = signed_in(client, org.councillor).post(
            reverse("cases:enquiry_new"), filing_data(org, attachments=upload)
        )
        assert response.status_code == 200
        assert "There is a problem" in response.content.decode()
        assert response.context["form"].errors["attachments"] == [
            "The selected file ‘report.pdf’ is not a real PDF: it must be a PDF, Word document, Excel spreadsheet, "
            "plain text file, PNG or JPEG image"
        ]
        assert Attachment.objects.count() == 0

    def test_it_refuses_a_file_over_the_size_limit_without_keeping_it(self, client, org, settings):
        # Bigger than FILE_UPLOAD_MAX_MEMORY_SIZE, so it streams to a temporary file, which
        # keeps only the limit and a byte (protocol_portal.kit.uploads) but knows the whole size.
        settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
        big = PDF + b"\x00" * (3 * 1024 * 1024)
        upload = SimpleUploadedFile("plans.pdf", big, content_type="application/pdf")
        response = signed_in(client, org.councillor).post(
            reverse("cases:enquiry_new"), filing_data(org, attachments=upload)
        )
        assert response.context["form"].errors["attachments"] == [
            "The selected file ‘plans.pdf’ must be smaller than 1 MB"
        ]
        assert Enquiry.objects.count() == 0

    def test_it_serves_an_attachment_as_a_download_the_browser_may_not_reinterpret(self, client, org):
        enquiry = file_enquiry(org, attachments=[SimpleUploadedFile("survey.pdf", PDF, content_type="text/html")])
        attachment = enquiry.attachments.get()
        assert attachment.content_type == "application/pdf"  # from the checked name, not the browser's word
        url = reverse("cases:attachment", args=[enquiry.reference, attachment.pk])

        download = signed_in(client, org.councillor).get(url)

        assert download["Content-Type"] == "application/pdf"
        assert download["Content-Disposition"] == 'attachment; filename="survey.pdf"'
        assert download["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in download["Cache-Control"]

    def test_it_serves_no_upload_from_a_media_url(self, client, org):
        enquiry = file_enquiry(org, attachments=[SimpleUploadedFile("survey.pdf", PDF)])
        stored = enquiry.attachments.get().file
        assert stored.storage.exists(stored.name)
        with pytest.raises(ValueError, match="no public URL"):
            stored.url  # noqa: B018 – the property is the test
        signed_in(client, org.councillor)
        for path in (f"/media/{stored.name}", f"/{stored.name}", f"/uploads/{stored.name}"):
            assert client.get(path).status_code == 404, path

    def test_it_asks_each_ward_casework_question(self, client, org):
        response = signed_in(client, org.councillor).post(
            reverse("cases:enquiry_new"), filing_data(org, purpose=Purpose.CASEWORK, ward=org.ward.pk)
        )

        html = response.content.decode()
        questions = {
            "constituent_lives_in_ward": "Say whether the person lives in a ward you represent",
            "acting_for_constituent": "Say whether you are acting for them at their request",
            "information_needed_for_complaint": "Say whether the information is needed to respond to their complaint",
        }
        assert set(response.context["form"].errors) == set(questions)
        for name, message in questions.items():
            assert f'href="#id_{name}_1">{message}</a>' in html
        assert Enquiry.objects.count() == 0

    def test_it_names_every_empty_field(self, client, org):
        blank = {"subject": "", "details": "", "service": "", "ward": "", "submit": "Send enquiry"}
        response = signed_in(client, org.councillor).post(reverse("cases:enquiry_new"), blank)
        html = response.content.decode()
        assert 'href="#id_subject">Enter a subject</a>' in html
        assert 'href="#id_details">Enter the details of your enquiry</a>' in html
        assert 'href="#id_service">Choose the service your enquiry is about</a>' in html
        assert 'href="#id_purpose_1">Choose what the enquiry is for</a>' in html

    def test_it_files_a_form_sent_twice_once(self, client, org):
        # A double click sends the form twice: the key its page made files it once.
        signed_in(client, org.councillor)
        key = re.search(
            r'name="submission_key" value="([^"]+)"', client.get(reverse("cases:enquiry_new")).content.decode()
        )
        data = filing_data(org, submission_key=key[1])

        first = client.post(reverse("cases:enquiry_new"), data)
        second = client.post(reverse("cases:enquiry_new"), data, follow=True)

        enquiry = Enquiry.objects.get()
        assert first["Location"] == enquiry.get_absolute_url()
        assert second.redirect_chain == [(enquiry.get_absolute_url(), 302)]
        assert f"You have already sent this enquiry: it is {enquiry.reference}." in second.content.decode()

    def test_it_finds_nothing_at_a_reference_with_a_nul_in_it(self, client, org):
        # The reference went to PostgreSQL, which cannot compare text with a NUL: a 500.
        enquiry = file_enquiry(org)
        response = signed_in(client, org.councillor).get(f"/enquiries/{enquiry.reference}%00/")
        assert response.status_code == 404


class TestHoldingReply:
    def post_hold(self, client, org, enquiry, target_on):
        data = {
            "version": enquiry.version,
            "reason": "Waiting for the contractor's survey.",
            **date_fields("target_on", target_on),
        }
        return signed_in(client, org.liaison).post(reverse("cases:enquiry_hold", args=[enquiry.reference]), data)

    def test_it_sends_a_holding_reply_with_a_working_day_target(self, client, org):
        enquiry = file_enquiry(org)
        target = council_calendar().next_working_day(timezone.localdate() + timedelta(days=1))
        response = self.post_hold(client, org, enquiry, target)
        assert response.status_code == 302
        enquiry.refresh_from_db()
        assert enquiry.state == EnquiryState.HOLDING_REPLY
        assert enquiry.due_on == target

    def test_it_refuses_a_target_in_the_past(self, client, org):
        enquiry = file_enquiry(org)
        response = self.post_hold(client, org, enquiry, timezone.localdate() - timedelta(days=1))

        html = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in html
        assert 'href="#id_target_on_0">The new target date must be after today</a>' in html
        enquiry.refresh_from_db()
        assert enquiry.state == EnquiryState.SUBMITTED

    def test_it_refuses_a_saturday(self, client, org):
        enquiry = file_enquiry(org)
        today = timezone.localdate()
        saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
        response = self.post_hold(client, org, enquiry, saturday)

        html = response.content.decode()
        assert "There is a problem" in html
        assert f"The new target date must be a working day: {saturday:%-d %B %Y} is Saturday" in html
        enquiry.refresh_from_db()
        assert enquiry.state == EnquiryState.SUBMITTED


class TestStaleForm:
    def test_it_refuses_a_form_from_before_someone_else_changed_the_enquiry(self, client, org):
        enquiry = file_enquiry(org)
        stale_version = enquiry.version
        # Meanwhile, in another tab, the liaison officer sends a holding reply.
        target = council_calendar().next_working_day(timezone.localdate() + timedelta(days=1))
        services.enquiry_hold(enquiry=enquiry, actor=org.liaison.user, reason="Survey pending.", target_on=target)

        response = signed_in(client, org.liaison).post(
            reverse("cases:enquiry_answer", args=[enquiry.reference]),
            {"version": stale_version, "text": "It will be fixed on Monday.", "marking": "public"},
            follow=True,
        )

        assert response.redirect_chain == [(enquiry.get_absolute_url(), 302)]
        assert "has changed since you opened that page" in response.content.decode()
        assert Answer.objects.count() == 0
        enquiry.refresh_from_db()
        assert enquiry.state == EnquiryState.HOLDING_REPLY

    def test_it_tells_someone_who_pressed_the_button_twice_that_the_first_was_saved(self, client, org):
        # The second press found the enquiry answered: it was refused with 403, "You cannot do this".
        enquiry = file_enquiry(org)
        data = {"version": enquiry.version, "text": "It will be fixed on Monday.", "marking": "public"}
        url = reverse("cases:enquiry_answer", args=[enquiry.reference])

        signed_in(client, org.liaison).post(url, data)
        response = client.post(url, data, follow=True)

        assert response.redirect_chain == [(enquiry.get_absolute_url(), 302)]
        assert f"You already sent this form for {enquiry.reference}: your first submission was saved" in (
            response.content.decode()
        )
        assert Answer.objects.count() == 1


class TestActionForms:
    def test_it_puts_the_enquirys_version_in_every_action_form(self, client, org):
        """The stale-form check needs the version the page was drawn from: a browser can
        only send it back if the form renders it (as a hidden input)."""
        submitted = file_enquiry(org)
        needs_consent = file_enquiry(org, purpose=Purpose.CASEWORK, ward=org.other_ward)
        answered = services.enquiry_answer(
            enquiry=file_enquiry(org),
            actor=org.liaison.user,
            text="Fixed.",
            marking="public",
            contains_personal_data=False,
        )
        declined = services.enquiry_decline(enquiry=file_enquiry(org), actor=org.head.user, reasons="No.")
        disputed = services.enquiry_dispute(
            enquiry=services.enquiry_decline(enquiry=file_enquiry(org), actor=org.head.user, reasons="No."),
            actor=org.councillor.user,
            reasons="Yes.",
        )
        pages = [
            (org.liaison, "enquiry_answer", submitted),
            (org.liaison, "enquiry_hold", submitted),
            (org.liaison, "enquiry_reassign", submitted),
            (org.liaison, "enquiry_move", submitted),
            (org.liaison, "enquiry_consent", needs_consent),
            (org.head, "enquiry_decline", submitted),
            (org.councillor, "enquiry_withdraw", submitted),
            (org.councillor, "enquiry_reopen", answered),
            (org.councillor, "enquiry_close", answered),
            (org.councillor, "enquiry_dispute", declined),
            (org.chief, "enquiry_decide", disputed),
        ]
        missing = []
        for person, url_name, enquiry in pages:
            html = signed_in(client, person).get(reverse(f"cases:{url_name}", args=[enquiry.reference])).content
            if f'name="version" value="{enquiry.version}"' not in html.decode():
                missing.append(url_name)
        assert not missing, f"These forms do not carry the enquiry's version, so every browser POST fails: {missing}"


class TestEnquiryPage:
    def test_it_explains_the_due_date_over_christmas(self, client, org, settings):
        settings.COUNCIL_NATION = "england-and-wales"
        filed_at = datetime(2026, 12, 18, 10, 30, tzinfo=LONDON)  # a Friday
        enquiry = file_enquiry(org, now=filed_at)

        html = signed_in(client, org.councillor).get(enquiry.get_absolute_url()).content.decode()

        assert "How the due date was worked out" in html
        assert "End of Tuesday 29 December 2026" in html
        # Every day in order, each counted or skipped with its reason (001 §7.1).
        cell = '</td><td class="govuk-table__cell">'
        days = [
            f"Saturday 19 December 2026{cell}Not counted: Saturday",
            f"Sunday 20 December 2026{cell}Not counted: Sunday",
            f"Monday 21 December 2026{cell}Working day 1",
            f"Thursday 24 December 2026{cell}Working day 4",
            f"Friday 25 December 2026{cell}Not counted: Christmas Day (bank holiday)",
            f"Saturday 26 December 2026{cell}Not counted: Saturday",
            f"Monday 28 December 2026{cell}Not counted: Boxing Day (observed) (bank holiday)",
            f"Tuesday 29 December 2026{cell}Working day 5",
        ]
        positions = [html.index(day) for day in days]
        assert positions == sorted(positions)

    def test_it_offers_each_person_only_what_they_may_do(self, client, org):
        enquiry = file_enquiry(org)
        url = enquiry.get_absolute_url()

        assert buttons(signed_in(client, org.councillor).get(url).content.decode()) == ["Withdraw"]
        assert buttons(signed_in(client, org.liaison).get(url).content.decode()) == [
            "Answer",
            "Send a holding reply",
            "Reassign",
            "Move to another service",
        ]
        assert buttons(signed_in(client, org.head).get(url).content.decode()) == [
            "Reassign",
            "Move to another service",
            "Decline as inappropriate",
        ]

    def test_it_offers_the_councillor_follow_up_and_close_once_answered(self, client, org):
        enquiry = file_enquiry(org)
        services.enquiry_answer(
            enquiry=enquiry,
            actor=org.liaison.user,
            text="Fixed on Monday.",
            marking="public",
            contains_personal_data=False,
        )
        url = enquiry.get_absolute_url()
        assert buttons(signed_in(client, org.councillor).get(url).content.decode()) == [
            "Follow up (reopen)",
            "Close: the answer settled it",
        ]
        assert buttons(signed_in(client, org.liaison).get(url).content.decode()) == []

    def test_it_offers_the_chief_executive_the_dispute(self, client, org):
        enquiry = file_enquiry(org)
        services.enquiry_decline(enquiry=enquiry, actor=org.head.user, reasons="Not a council matter.")
        services.enquiry_dispute(enquiry=enquiry, actor=org.councillor.user, reasons="It is.")
        url = enquiry.get_absolute_url()
        assert buttons(signed_in(client, org.chief).get(url).content.decode()) == ["Decide the dispute"]
        assert buttons(signed_in(client, org.head).get(url).content.decode()) == []
        assert buttons(signed_in(client, org.councillor).get(url).content.decode()) == ["Withdraw"]

    def test_it_offers_no_decline_after_the_chief_executive_directed_an_answer_and_refuses_one(self, client, org):
        # 001 §7.4: the Chief Executive's ruling is final: the page offers no red button, and
        # a decline sent anyway is refused, leaving the enquiry awaiting its answer.
        enquiry = file_enquiry(org)
        services.enquiry_decline(enquiry=enquiry, actor=org.head.user, reasons="Not a council matter.")
        services.enquiry_dispute(enquiry=enquiry, actor=org.councillor.user, reasons="It is.")
        services.enquiry_dispute_decide(
            enquiry=enquiry, actor=org.chief.user, decision="directed", reasons="Answer the road part."
        )
        url = enquiry.get_absolute_url()
        assert buttons(signed_in(client, org.head).get(url).content.decode()) == ["Reassign", "Move to another service"]
        assert buttons(signed_in(client, org.director).get(url).content.decode()) == [
            "Reassign",
            "Move to another service",
        ]
        enquiry.refresh_from_db()
        response = signed_in(client, org.head).post(
            reverse("cases:enquiry_decline", args=[enquiry.reference]),
            {"reasons": "Still not ours.", "version": enquiry.version},
        )
        assert response.status_code == 403
        enquiry.refresh_from_db()
        assert enquiry.state == EnquiryState.SUBMITTED
        assert enquiry.declines.count() == 1


class TestHoldingReplyLimits:
    """Issue 15 A3 through the pages: a later date than the owner may set alone is refused
    with the error summary, asked for, and agreed by the councillor."""

    def test_the_owner_asks_for_a_later_date_and_the_councillor_agrees(self, client, org):
        enquiry = file_enquiry(org)
        calendar = council_calendar()
        later = calendar.add_working_days(enquiry.due_on, 12)
        url = reverse("cases:enquiry_hold", args=[enquiry.reference])
        form = signed_in(client, org.liaison).get(url).content.decode()
        limit = calendar.add_working_days(enquiry.due_on, 10)
        assert f"A target up to {limit:%A %-d %B %Y} (10 working days" in form
        data = {"reason": "Waiting for the survey.", "version": enquiry.version, **date_fields("target_on", later)}

        refused = client.post(url, data).content.decode()
        assert "govuk-error-summary" in refused
        assert "needs the councillor&#x27;s agreement or the Head of Service&#x27;s approval: say which" in refused

        asked = client.post(url, {**data, "agreement": "ask"}, follow=True).content.decode()
        assert f"The councillor has been asked to agree to {later:%A %-d %B %Y}." in asked
        enquiry.refresh_from_db()
        assert enquiry.state == EnquiryState.SUBMITTED

        page = signed_in(client, org.councillor).get(enquiry.get_absolute_url()).content.decode()
        assert f"asks for a later date: the end of {later:%A %-d %B %Y}" in page
        assert buttons(page) == ["Agree or not to the later date", "Withdraw"]
        extension = reverse("cases:enquiry_extension", args=[enquiry.reference])
        empty = client.post(extension, {"version": enquiry.version}).content.decode()
        assert "Say whether you agree to the later date" in empty
        agreed = client.post(extension, {"agree": "yes", "version": enquiry.version}, follow=True).content.decode()
        assert f"Agreed. The enquiry is now due by the end of {later:%A %-d %B %Y}." in agreed
        enquiry.refresh_from_db()
        assert (enquiry.state, enquiry.due_on) == (EnquiryState.HOLDING_REPLY, later)

    def test_only_the_councillor_and_the_services_managers_may_answer_the_request(self, client, org):
        enquiry = services.enquiry_hold(
            enquiry=file_enquiry(org),
            actor=org.liaison.user,
            reason="Waiting.",
            target_on=council_calendar().add_working_days(timezone.localdate(), 30),
            agreement=services.Agreement.ASK,
        )
        url = reverse("cases:enquiry_extension", args=[enquiry.reference])
        data = {"agree": "yes", "version": enquiry.version}
        assert signed_in(client, org.liaison).post(url, data).status_code == 403
        assert signed_in(client, org.colleague).post(url, data).status_code == 404  # may not see it
        assert "Do you approve" in signed_in(client, org.head).get(url).content.decode()
        enquiry.refresh_from_db()
        assert enquiry.state == EnquiryState.SUBMITTED


class TestMoving:
    def test_the_owner_moves_it_to_another_service_and_reads_who_owns_it_now(self, client, org):
        enquiry = file_enquiry(org)
        page = signed_in(client, org.liaison).get(reverse("cases:enquiry_move", args=[enquiry.reference]))
        html = page.content.decode()
        # Every service but its own, by name.
        options = re.findall(r'<option value="\d+">([^<]+)</option>', html)
        assert "Libraries" in options and "Highways" not in options
        assert options == sorted(options)

        response = client.post(
            reverse("cases:enquiry_move", args=[enquiry.reference]),
            {"service": org.libraries.pk, "reason": "Opening hours are for Libraries.", "version": enquiry.version},
            follow=True,
        )

        html = response.content.decode()
        assert (
            f"Enquiry moved to Libraries. {org.other_head.name}, Head of Libraries, owns it now. "
            "The councillor has been told; the due date does not change."
        ) in html
        enquiry.refresh_from_db()
        assert (enquiry.service, enquiry.owner) == (org.libraries, org.other_head)
        assert "Moved to another service" in html  # on the timeline

    def test_an_empty_form_gets_the_error_summary_and_moves_nothing(self, client, org):
        enquiry = file_enquiry(org)
        response = signed_in(client, org.head).post(
            reverse("cases:enquiry_move", args=[enquiry.reference]), {"version": enquiry.version}
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "govuk-error-summary" in html
        assert "Choose the service that should answer the enquiry" in html
        assert "Enter why the enquiry belongs to that service" in html
        enquiry.refresh_from_db()
        assert enquiry.service == org.highways

    def test_the_councillor_and_another_services_head_may_not_move_it(self, client, org):
        enquiry = file_enquiry(org)
        url = reverse("cases:enquiry_move", args=[enquiry.reference])
        data = {"service": org.libraries.pk, "reason": "Mine now.", "version": enquiry.version}
        assert signed_in(client, org.councillor).post(url, data).status_code == 403
        assert signed_in(client, org.other_head).post(url, data).status_code == 404
        enquiry.refresh_from_db()
        assert enquiry.service == org.highways


class TestDisputeDecisionMessage:
    # Issue 15 C17: the banner says what the ruling means, not "Decision recorded: awaiting answer."
    @pytest.mark.parametrize("decision", ["upheld", "directed"])
    def test_it_says_what_the_ruling_means(self, client, org, decision):
        enquiry = file_enquiry(org)
        services.enquiry_decline(enquiry=enquiry, actor=org.head.user, reasons="Not a council matter.")
        enquiry = services.enquiry_dispute(enquiry=enquiry, actor=org.councillor.user, reasons="It is.")
        response = signed_in(client, org.chief).post(
            reverse("cases:enquiry_decide", args=[enquiry.reference]),
            {"decision": decision, "reasons": "Considered.", "owner": "", "version": enquiry.version},
            follow=True,
        )
        html = response.content.decode()
        enquiry.refresh_from_db()
        if decision == "upheld":
            assert "Decision recorded: the decline is upheld and the enquiry is closed." in html
        else:
            assert (
                f"Decision recorded: an answer is directed. {org.liaison.name}, Liaison Officer, must answer by "
                f"the end of {enquiry.due_on:%A %-d %B %Y}."
            ) in html


class TestNotifications:
    def test_it_lists_the_acknowledgement_for_the_councillor_only(self, client, org):
        enquiry = file_enquiry(org)
        acknowledgement = f"{enquiry.reference}: your enquiry has been received"

        councillor_html = signed_in(client, org.councillor).get(reverse("cases:notifications")).content.decode()
        liaison_html = signed_in(client, org.liaison).get(reverse("cases:notifications")).content.decode()
        outsider_html = signed_in(client, org.outsider).get(reverse("cases:notifications")).content.decode()

        assert f'<a class="govuk-link" href="{enquiry.get_absolute_url()}">{acknowledgement}</a>' in councillor_html
        assert acknowledgement not in liaison_html
        assert enquiry.reference in liaison_html  # the liaison is told it was assigned to them
        assert "You have no notifications." in outsider_html


class TestServiceQueue:
    def test_it_says_which_filters_it_could_not_apply_and_applies_the_rest(self, client, org):
        # It showed every enquiry, unfiltered and without a word, when one filter was not valid.
        file_enquiry(org, subject="Pothole on Mill Lane")
        file_enquiry(org, subject="Streetlight out")
        query = {"q": "Pothole", "service": org.libraries.pk, "state": "nonsense"}

        response = signed_in(client, org.head).get(reverse("cases:service_queue"), query)

        html = response.content.decode()
        assert "<title>Error: Service queue" in html
        assert 'href="#id_service">Select a service from the list</a>' in html
        assert 'href="#id_state">Select a status from the list</a>' in html
        assert "Pothole on Mill Lane" in html and "Streetlight out" not in html

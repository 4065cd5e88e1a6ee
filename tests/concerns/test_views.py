"""The concern pages and the Monitoring Officer's pages through Django's test client:
raising a concern, its page, each step on the ladder (DESIGN §4), who may see and do
what, stale forms, the triage queue, the sanctions register and ending a prohibition."""

import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.concerns import services as cs
from cases.models import (
    Attachment,
    Behaviour,
    Concern,
    ConcernKind,
    ConcernState,
    ExternalReferral,
    InformalAction,
    Sanction,
)
from people.models import ContactProhibition
from people.services import role_groups_sync
from tests.factories import CommitteeFactory, MemberFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def whip(org):
    whip = MemberFactory(user__username="whip", wards=[org.ward], group=org.councillor.group)
    org.councillor.group.whips.add(whip)
    role_groups_sync()
    return whip


def signed_in(client, person):
    client.force_login(person.user if hasattr(person, "user") else person)
    return client


def buttons(html: str) -> list[str]:
    """The labels of the action buttons on a concern page."""
    return [label.strip() for label in re.findall(r'<a class="govuk-button[^"]*"[^>]*>([^<]+)</a>', html)]


def date_fields(name: str, day) -> dict:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def url(name: str, concern: Concern, *args) -> str:
    return reverse(f"cases:{name}", args=[concern.reference, *args])


def about_councillor(org, **kwargs) -> Concern:
    """The liaison officer's concern about the councillor: stage 1 unless told otherwise."""
    defaults = {
        "raised_by": org.liaison.user,
        "about_member": org.councillor,
        "occurred_on": timezone.localdate() - timedelta(days=2),
        "what_happened": "Shouted at me in the council chamber.",
        "feels_able_to_talk": True,
    }
    return cs.concern_raise(**{**defaults, **kwargs})


def about_officer(org, **kwargs) -> Concern:
    """The councillor's concern about the liaison officer: straight to line management (the head)."""
    defaults = {
        "raised_by": org.councillor.user,
        "about_officer": org.liaison,
        "occurred_on": timezone.localdate() - timedelta(days=2),
        "what_happened": "Ignored three e-mails about the flooding.",
        "feels_able_to_talk": False,
    }
    return cs.concern_raise(**{**defaults, **kwargs})


def at_stage_three(org, **kwargs) -> Concern:
    concern = about_councillor(org, feels_able_to_talk=False, **kwargs)
    return cs.concern_escalate(concern=concern, actor=org.head.user, reason="It carries on.")


def at_stage_four(org, **kwargs) -> Concern:
    concern = at_stage_three(org, **kwargs)
    return cs.concern_propose_formal_action(concern=concern, actor=org.monitoring.user, reason="Serious.")


# --- The list ----------------------------------------------------------------------------


class TestConcernList:
    def test_it_shows_the_concerns_i_raised_handle_and_joined(self, client, org, whip):
        raised = about_councillor(org, feels_able_to_talk=False)
        reviewed = at_stage_three(org)

        liaison_html = signed_in(client, org.liaison).get(reverse("cases:concerns")).content.decode()
        head_html = signed_in(client, org.head).get(reverse("cases:concerns")).content.decode()
        whip_html = signed_in(client, whip).get(reverse("cases:concerns")).content.decode()

        assert "Concerns you raised" in liaison_html
        assert raised.reference in liaison_html and reviewed.reference in liaison_html
        assert "Open concerns you handle" in head_html
        assert raised.reference in head_html and reviewed.reference not in head_html
        assert "Concerns you joined at stage 3 or that were shared with you" in whip_html
        assert reviewed.reference in whip_html and raised.reference not in whip_html
        assert f'href="{reverse("cases:concern_new")}">Raise a concern</a>' in liaison_html

    def test_it_is_for_serving_councillors_and_officers_only(self, client, org):
        assert signed_in(client, org.stranger).get(reverse("cases:concerns")).status_code == 403
        assert signed_in(client, org.stranger).get(reverse("cases:concern_new")).status_code == 403


# --- Raising a concern ---------------------------------------------------------------------


def raising_data(**overrides) -> dict:
    return {
        "duties": "no",
        **date_fields("occurred_on", timezone.localdate() - timedelta(days=3)),
        "what_happened": "Told me in front of residents that I was useless.",
        "feels_able_to_talk": "yes",
        **overrides,
    }


class TestRaising:
    def test_it_raises_an_officers_concern_about_a_councillor_with_behaviours_and_evidence(self, client, org):
        bullying = Behaviour.objects.get(name="Bullying, harassment or intimidation")
        respect = Behaviour.objects.get(name="Leadership")
        upload = SimpleUploadedFile("notes.pdf", PDF, content_type="application/pdf")
        data = raising_data(
            about_member=org.councillor.pk,
            behaviours_limit=[bullying.pk],
            behaviours_nolan=[respect.pk],
            evidence=upload,
        )
        response = signed_in(client, org.liaison).post(reverse("cases:concern_new"), data, follow=True)

        concern = Concern.objects.get()
        assert response.redirect_chain == [(concern.get_absolute_url(), 302)]
        assert (concern.kind, concern.state, concern.subject_member) == (
            ConcernKind.OFFICER_ABOUT_MEMBER,
            ConcernState.DIRECT,
            org.councillor,
        )
        assert set(concern.behaviours.all()) == {bullying, respect}
        html = response.content.decode()
        assert f"Concern {concern.reference} recorded." in html
        assert "The first step is a direct conversation" in html
        assert f"{concern.due_on:%A %-d %B %Y}" in html
        evidence = Attachment.objects.get()
        assert (evidence.concern, evidence.name) == (concern, "notes.pdf")

    def test_it_sends_a_councillor_who_cannot_talk_directly_to_the_officers_manager(self, client, org):
        data = raising_data(about_officer=org.liaison.pk, feels_able_to_talk="no", duties="yes")
        html = signed_in(client, org.councillor).post(reverse("cases:concern_new"), data, follow=True).content.decode()

        concern = Concern.objects.get()
        assert (concern.kind, concern.state, concern.owner) == (
            ConcernKind.DUTIES,
            ConcernState.LINE_MANAGEMENT,
            org.head,
        )
        assert f"It has gone to {org.head.name}, {org.head.job_title}, for line management" in html
        assert f"The target is the end of {concern.due_on:%A %-d %B %Y}" in html

    def test_it_sends_a_safeguarding_concern_straight_to_the_monitoring_officer(self, client, org):
        data = raising_data(about_member=org.councillor.pk, safeguarding="on")
        html = signed_in(client, org.liaison).post(reverse("cases:concern_new"), data, follow=True).content.decode()

        concern = Concern.objects.get()
        assert (concern.state, concern.owner) == (ConcernState.MO_REVIEW, org.monitoring)
        assert "straight to the Monitoring Officer" in html

    def test_it_names_every_empty_field(self, client, org):
        response = signed_in(client, org.councillor).post(reverse("cases:concern_new"), {})

        html = response.content.decode()
        assert response.status_code == 200
        assert "<title>Error: Raise a concern" in html
        assert 'href="#id_about_officer">Choose the officer your concern is about</a>' in html
        assert 'href="#id_duties_1">Say whether it is a disagreement over your respective duties</a>' in html
        assert 'href="#id_occurred_on_0">Enter the date it happened</a>' in html
        assert 'href="#id_what_happened">Enter what happened</a>' in html
        assert 'href="#id_feels_able_to_talk_1">Say whether you feel able to talk to them directly</a>' in html
        assert Concern.objects.count() == 0

    def test_it_puts_the_services_date_error_on_the_date(self, client, org):
        data = raising_data(about_member=org.councillor.pk, **date_fields("occurred_on", date.today() + timedelta(5)))
        html = signed_in(client, org.liaison).post(reverse("cases:concern_new"), data).content.decode()
        assert 'href="#id_occurred_on_0">The date it happened must be today or in the past</a>' in html
        assert Concern.objects.count() == 0

    def test_it_offers_a_councillor_officers_and_an_officer_councillors(self, client, org):
        member_html = signed_in(client, org.councillor).get(reverse("cases:concern_new")).content.decode()
        officer_html = signed_in(client, org.liaison).get(reverse("cases:concern_new")).content.decode()

        assert f"{org.liaison.name}, Liaison Officer (Highways)" in member_html
        assert "Which councillor" not in member_html
        assert f"{org.councillor} (Civic Party)" in officer_html
        assert "Which officer is your concern about?" not in officer_html

    def test_it_offers_the_active_behaviours_grouped_by_source(self, client, org):
        Behaviour.objects.filter(name="Data protection").update(is_active=False)
        html = signed_in(client, org.liaison).get(reverse("cases:concern_new")).content.decode()

        legends = [
            "The seven principles of public life",
            "Protocol behaviours (000 §IV)",
            "Specific limits of the protocol (001 §3–§5)",
        ]
        positions = [html.index(legend) for legend in legends]
        assert positions == sorted(positions)
        assert "Bullying, harassment or intimidation" in html
        assert "Data protection" not in html
        assert "001 §6.1, §6.2" in html and "goes straight to the Monitoring Officer" in html


# --- The concern page ---------------------------------------------------------------------


class TestConcernPage:
    def test_it_is_need_to_know(self, client, org, whip):
        concern = about_councillor(org, feels_able_to_talk=False)
        page = concern.get_absolute_url()

        for person in (org.liaison, org.head, org.monitoring):
            assert signed_in(client, person).get(page).status_code == 200, person
        # Not the Chief Executive, not a colleague, not the Whip before stage 3, not the subject.
        for person in (org.chief, org.colleague, org.outsider, whip, org.councillor, org.stranger):
            assert signed_in(client, person).get(page).status_code == 404, person

    def test_it_shows_the_subject_the_concern_only_once_shared(self, client, org):
        concern = at_stage_three(org)
        assert signed_in(client, org.councillor).get(concern.get_absolute_url()).status_code == 404

        cs.concern_share_with_subject(concern=concern, actor=org.monitoring.user, note="For your response.")

        html = signed_in(client, org.councillor).get(concern.get_absolute_url()).content.decode()
        assert concern.what_happened in html
        assert buttons(html) == []

    def test_it_shows_the_details_and_the_evidence(self, client, org):
        upload = SimpleUploadedFile("notes.pdf", PDF, content_type="application/pdf")
        bullying = Behaviour.objects.get(name="Bullying, harassment or intimidation")
        concern = about_councillor(org, behaviours=[bullying], evidence=[upload], feels_able_to_talk=False)

        html = signed_in(client, org.liaison).get(concern.get_absolute_url()).content.decode()

        assert concern.reference in html
        assert "An officer&#x27;s concern about a councillor" in html
        assert "Stage 2: line management" in html
        assert f"{org.head.name}, {org.head.job_title}" in html
        assert "Highways" in html
        assert f"{concern.occurred_on:%A %-d %B %Y}" in html
        assert "Shouted at me in the council chamber." in html
        assert "Bullying, harassment or intimidation (001 §3.2(h))" in html
        assert f"End of {concern.due_on:%A %-d %B %Y}" in html
        evidence_url = url("concern_evidence", concern, concern.attachments.get().pk)
        assert f'href="{evidence_url}">notes.pdf</a>' in html

    def test_it_lets_only_those_who_see_the_concern_download_its_evidence(self, client, org):
        upload = SimpleUploadedFile("notes.pdf", PDF, content_type="application/pdf")
        concern = about_councillor(org, evidence=[upload], feels_able_to_talk=False)
        evidence_url = url("concern_evidence", concern, concern.attachments.get().pk)

        for person in (org.liaison, org.head, org.monitoring):
            download = signed_in(client, person).get(evidence_url)
            assert download.status_code == 200
            assert b"".join(download.streaming_content) == PDF
        for person in (org.councillor, org.chief, org.colleague):
            assert signed_in(client, person).get(evidence_url).status_code == 404
        assert signed_in(client, org.liaison).get(url("concern_evidence", concern, 999999)).status_code == 404

    def test_it_offers_each_person_only_what_they_may_do(self, client, org):
        direct = about_councillor(org)
        page = direct.get_absolute_url()
        assert buttons(signed_in(client, org.liaison).get(page).content.decode()) == [
            "Talking directly did not help: take it to line management",
            "Talking settled it: resolve",
            "Withdraw",
        ]
        assert buttons(signed_in(client, org.monitoring).get(page).content.decode()) == [
            "Talking directly did not help: take it to line management",
            "Talking settled it: resolve",
            "Refer outside the council",
            "Add a note",
            "Share with the subject",
        ]

        managed = about_officer(org)
        page = managed.get_absolute_url()
        assert buttons(signed_in(client, org.head).get(page).content.decode()) == [
            "Send to the Monitoring Officer",
            "Resolve with an outcome",
            "Refer outside the council",
            "Add a note",
        ]
        assert buttons(signed_in(client, org.councillor).get(page).content.decode()) == ["Withdraw"]

        reviewed = at_stage_three(org)
        assert buttons(signed_in(client, org.monitoring).get(reviewed.get_absolute_url()).content.decode()) == [
            "Resolve with an outcome",
            "Take informal action",
            "Propose formal action",
            "Refer outside the council",
            "Add a note",
            "Share with the subject",
            "Reassign",
        ]

    def test_it_keeps_the_internal_record_from_the_complainant(self, client, org):
        concern = about_councillor(org, feels_able_to_talk=False)
        cs.concern_note_add(concern=concern, actor=org.head.user, note="Spoke to the Group Leader.")

        assert (
            "Spoke to the Group Leader." in signed_in(client, org.head).get(concern.get_absolute_url()).content.decode()
        )
        assert "Spoke to the Group Leader." in (
            signed_in(client, org.monitoring).get(concern.get_absolute_url()).content.decode()
        )
        assert "Spoke to the Group Leader." not in (
            signed_in(client, org.liaison).get(concern.get_absolute_url()).content.decode()
        )

    def test_it_warns_the_monitoring_officer_of_a_pattern(self, client, org):
        for _ in range(3):
            concern = at_stage_three(org)
            cs.concern_informal_action(
                concern=concern,
                actor=org.monitoring.user,
                steps=[cs.InformalStep(InformalAction.Kind.TRAINING, "Respect at work course")],
                outcome="Training arranged.",
            )
        fourth = at_stage_three(org)

        mo_html = signed_in(client, org.monitoring).get(fourth.get_absolute_url()).content.decode()
        head_html = signed_in(client, org.liaison).get(fourth.get_absolute_url()).content.decode()

        assert f"Pattern: 3 concerns about {org.councillor} ended in informal action" in mo_html
        assert "Pattern:" not in head_html


# --- Steps on the ladder ----------------------------------------------------------------------


class TestEscalating:
    def test_it_takes_a_failed_conversation_to_line_management(self, client, org):
        concern = about_councillor(org)
        page = url("concern_escalate", concern)
        html = signed_in(client, org.liaison).get(page).content.decode()
        assert "Talking directly did not help: take it to line management" in html
        assert "001 §6.1, §6.2" in html

        response = client.post(page, {"version": concern.version, "reason": "They would not listen."}, follow=True)

        concern.refresh_from_db()
        assert response.redirect_chain == [(concern.get_absolute_url(), 302)]
        assert (concern.state, concern.owner) == (ConcernState.LINE_MANAGEMENT, org.head)
        assert f"now at Stage 2: line management, with {org.head.name}" in response.content.decode()

    def test_it_sends_it_from_line_management_to_the_monitoring_officer_and_the_whip(self, client, org, whip):
        concern = about_councillor(org, feels_able_to_talk=False)
        page = url("concern_escalate", concern)
        assert "Send to the Monitoring Officer" in signed_in(client, org.head).get(page).content.decode()

        client.post(page, {"version": concern.version, "reason": "Carries on."})

        concern.refresh_from_db()
        assert (concern.state, concern.owner) == (ConcernState.MO_REVIEW, org.monitoring)
        assert signed_in(client, whip).get(concern.get_absolute_url()).status_code == 200
        assert signed_in(client, org.head).get(concern.get_absolute_url()).status_code == 404

    def test_it_takes_a_line_manager_who_sent_it_on_to_their_concerns_not_to_a_404(self, client, org):
        concern = about_councillor(org, feels_able_to_talk=False)
        page = url("concern_escalate", concern)
        data = {"version": concern.version, "reason": "Carries on."}

        sent = signed_in(client, org.head).post(page, data, follow=True)
        # The button pressed twice: told it moved on, not "page not found".
        again = client.post(page, data, follow=True)

        assert sent.redirect_chain == [(reverse("cases:concerns"), 302)]
        assert f"{concern.reference} is now at Stage 3" in sent.content.decode()
        assert again.redirect_chain == [(reverse("cases:concerns"), 302)]
        assert "your first submission was saved, and the second was not. You no longer handle it." in (
            again.content.decode()
        )
        assert signed_in(client, org.outsider).post(page, data).status_code == 404

    def test_it_asks_for_a_reason(self, client, org):
        concern = about_councillor(org)
        response = signed_in(client, org.liaison).post(url("concern_escalate", concern), {"version": concern.version})
        html = response.content.decode()
        assert "<title>Error: Talking directly did not help" in html
        assert 'href="#id_reason">Enter why it needs to go further</a>' in html
        concern.refresh_from_db()
        assert concern.state == ConcernState.DIRECT

    def test_it_refuses_the_complainant_at_line_management_and_strangers_altogether(self, client, org):
        concern = about_councillor(org, feels_able_to_talk=False)
        page = url("concern_escalate", concern)
        data = {"version": concern.version, "reason": "Faster please."}
        assert signed_in(client, org.liaison).get(page).status_code == 403
        assert signed_in(client, org.liaison).post(page, data).status_code == 403
        assert signed_in(client, org.outsider).get(page).status_code == 404
        assert signed_in(client, org.chief).post(page, data).status_code == 404
        concern.refresh_from_db()
        assert concern.state == ConcernState.LINE_MANAGEMENT

    def test_it_refuses_a_form_from_before_someone_else_changed_the_concern(self, client, org):
        concern = about_councillor(org)
        stale = concern.version
        cs.concern_escalate(concern=concern, actor=org.monitoring.user, reason="Taking it on.")

        response = signed_in(client, org.monitoring).post(
            url("concern_escalate", concern), {"version": stale, "reason": "Again."}, follow=True
        )

        assert response.redirect_chain == [(concern.get_absolute_url(), 302)]
        assert "has changed since you opened that page" in response.content.decode()
        concern.refresh_from_db()
        assert concern.state == ConcernState.LINE_MANAGEMENT


class TestResolving:
    def test_it_resolves_at_line_management_and_shows_the_councillor_the_outcome(self, client, org):
        concern = about_officer(org)
        response = signed_in(client, org.head).post(
            url("concern_resolve", concern),
            {"version": concern.version, "outcome": "The officer will reply within two days from now on."},
        )
        assert response.status_code == 302

        html = signed_in(client, org.councillor).get(concern.get_absolute_url()).content.decode()
        assert "Outcome" in html
        assert "The officer will reply within two days from now on." in html
        assert "Resolved" in html
        concern.refresh_from_db()
        assert concern.state == ConcernState.RESOLVED

    def test_it_asks_for_the_outcome(self, client, org):
        concern = about_officer(org)
        html = signed_in(client, org.head).post(url("concern_resolve", concern), {"version": concern.version})
        assert 'href="#id_outcome">Enter the outcome the complainant is told</a>' in html.content.decode()

    def test_it_refuses_a_colleague(self, client, org):
        concern = about_officer(org)
        assert signed_in(client, org.colleague).get(url("concern_resolve", concern)).status_code == 404
        assert signed_in(client, org.councillor).get(url("concern_resolve", concern)).status_code == 403


class TestInformalAction:
    def test_it_records_words_of_advice_from_the_whip_and_training(self, client, org, whip):
        concern = at_stage_three(org)
        page = url("concern_informal", concern)
        assert "The Whip" in signed_in(client, org.monitoring).get(page).content.decode()

        response = client.post(
            page,
            {
                "version": concern.version,
                "kinds": ["advice", "training"],
                "given_by": "whip",
                "advice_details": "Treat officers with courtesy.",
                "training_details": "Respect at work course.",
                "outcome": "The councillor has been advised and will attend training.",
            },
        )

        assert response.status_code == 302
        concern.refresh_from_db()
        assert concern.state == ConcernState.INFORMAL_ACTION
        assert sorted(concern.informal_actions.values_list("kind", "given_by")) == [
            ("advice", "whip"),
            ("training", ""),
        ]
        html = signed_in(client, org.liaison).get(concern.get_absolute_url()).content.decode()
        assert "The councillor has been advised and will attend training." in html

    def test_it_names_what_is_missing(self, client, org):
        concern = at_stage_three(org)
        html = (
            signed_in(client, org.monitoring)
            .post(url("concern_informal", concern), {"version": concern.version})
            .content.decode()
        )
        assert 'href="#id_kinds_1">Choose words of advice, training, or both</a>' in html
        assert 'href="#id_outcome">Enter the outcome the complainant is told</a>' in html

        html = (
            signed_in(client, org.monitoring)
            .post(url("concern_informal", concern), {"version": concern.version, "kinds": ["advice"], "outcome": "x"})
            .content.decode()
        )
        assert 'href="#id_given_by_1">Say who gives the words of advice</a>' in html
        assert 'href="#id_advice_details">Enter the words of advice</a>' in html
        assert InformalAction.objects.count() == 0

    def test_it_offers_no_whip_for_an_officer(self, client, org):
        concern = cs.concern_escalate(concern=about_officer(org), actor=org.head.user, reason="Carries on.")
        html = signed_in(client, org.monitoring).get(url("concern_informal", concern)).content.decode()
        assert "The line manager" in html and "The Whip" not in html

    def test_it_is_for_the_monitoring_officer(self, client, org, whip):
        concern = at_stage_three(org)
        assert signed_in(client, whip).get(url("concern_informal", concern)).status_code == 403
        assert signed_in(client, org.liaison).get(url("concern_informal", concern)).status_code == 403


class TestFormalAction:
    def test_it_moves_to_stage_four(self, client, org):
        concern = at_stage_three(org)
        response = signed_in(client, org.monitoring).post(
            url("concern_formal", concern), {"version": concern.version, "reason": "Third time this year."}
        )
        assert response.status_code == 302
        concern.refresh_from_db()
        assert concern.state == ConcernState.SANCTION

    def test_it_asks_why(self, client, org):
        concern = at_stage_three(org)
        html = signed_in(client, org.monitoring).post(url("concern_formal", concern), {"version": concern.version})
        assert 'href="#id_reason">Enter why formal action is needed</a>' in html.content.decode()

    def test_it_is_for_the_monitoring_officer(self, client, org, whip):
        concern = at_stage_three(org)
        assert signed_in(client, whip).post(url("concern_formal", concern), {"version": 1}).status_code == 403


class TestSanctions:
    def test_it_records_a_contact_prohibition_and_routes_enquiries_around_it(self, client, org):
        from cases.enquiries.services import enquiry_file

        planning = CommitteeFactory(name="Planning")
        planning.members.add(org.councillor)
        concern = at_stage_four(org)
        page = url("concern_sanctions", concern)
        html = signed_in(client, org.monitoring).get(page).content.decode()
        assert "Planning" in html and "Leave empty for indefinitely" in html

        response = client.post(
            page,
            {
                "version": concern.version,
                "kinds": ["group_disciplinary", "committee_removal", "contact_prohibition"],
                "group_details": "Suspended from the group for three months.",
                "committees": [planning.pk],
                "scope": "officer",
                "officer": org.liaison.pk,
                **date_fields("starts_on", timezone.localdate()),
                "outcome": "Formal sanctions have been imposed.",
            },
        )

        assert response.status_code == 302
        concern.refresh_from_db()
        assert concern.state == ConcernState.FORMAL_ACTION
        assert sorted(concern.sanctions.values_list("kind", flat=True)) == [
            "committee_removal",
            "contact_prohibition",
            "group_disciplinary",
        ]
        prohibition = ContactProhibition.objects.get()
        assert (prohibition.member, prohibition.officer, prohibition.ends_on) == (org.councillor, org.liaison, None)
        enquiry = enquiry_file(
            member=org.councillor, subject="Potholes", details="When?", service=org.highways, purpose="information"
        )
        assert enquiry.owner == org.monitoring

    def test_it_records_formal_disciplinary_action_for_an_officer(self, client, org):
        concern = cs.concern_escalate(concern=about_officer(org), actor=org.head.user, reason="Carries on.")
        concern = cs.concern_propose_formal_action(concern=concern, actor=org.monitoring.user, reason="Serious.")
        page = url("concern_sanctions", concern)
        html = signed_in(client, org.monitoring).get(page).content.decode()
        assert "Reference of the disciplinary case" in html and "Removal from committees" not in html

        blank = client.post(page, {"version": concern.version, "outcome": "Done."}).content.decode()
        assert 'href="#id_disciplinary_reference">Enter the reference of the disciplinary case</a>' in blank

        client.post(page, {"version": concern.version, "disciplinary_reference": "HR-2026-17", "outcome": "Done."})
        sanction = Sanction.objects.get()
        assert (sanction.kind, sanction.officer, sanction.disciplinary_reference) == (
            Sanction.Kind.OFFICER_DISCIPLINARY,
            org.liaison,
            "HR-2026-17",
        )

    def test_it_names_what_is_missing(self, client, org):
        concern = at_stage_four(org)
        page = url("concern_sanctions", concern)
        html = signed_in(client, org.monitoring).post(page, {"version": concern.version}).content.decode()
        assert "<title>Error: Record the sanctions" in html
        assert 'href="#id_kinds_1">Choose at least one sanction</a>' in html
        assert 'href="#id_outcome">Enter the outcome the complainant is told</a>' in html

        # The service's rules come back onto their fields.
        html = client.post(
            page, {"version": concern.version, "kinds": ["contact_prohibition"], "outcome": "No contact."}
        ).content.decode()
        assert 'href="#id_scope_1">Choose who the councillor may not contact</a>' in html
        html = client.post(
            page,
            {"version": concern.version, "kinds": ["committee_removal"], "outcome": "Removed."},
        ).content.decode()
        assert "Choose the committees the councillor is removed from" in html
        assert Sanction.objects.count() == 0

    def test_it_is_for_the_monitoring_officer(self, client, org, whip):
        concern = at_stage_four(org)
        assert signed_in(client, whip).get(url("concern_sanctions", concern)).status_code == 403
        assert signed_in(client, org.chief).get(url("concern_sanctions", concern)).status_code == 404


class TestReferral:
    def test_it_needs_the_independent_person_for_a_standards_complaint(self, client, org):
        concern = at_stage_three(org)
        page = url("concern_refer", concern)
        data = {
            "version": concern.version,
            "kind": ExternalReferral.Kind.STANDARDS_COMPLAINT,
            "details": "Referred to the Standards Committee's assessment panel.",
            "outcome": "It is now a formal standards complaint.",
        }
        html = signed_in(client, org.monitoring).post(page, data).content.decode()
        assert 'href="#id_independent_person">Enter the Independent Person consulted</a>' in html
        assert ExternalReferral.objects.count() == 0

        response = client.post(page, {**data, "independent_person": "Pat Jones"})
        assert response.status_code == 302
        referral = ExternalReferral.objects.get()
        assert referral.independent_person == "Pat Jones"
        concern.refresh_from_db()
        assert concern.state == ConcernState.REFERRED

    def test_it_lets_the_line_manager_refer_but_not_the_complainant(self, client, org):
        concern = about_councillor(org, feels_able_to_talk=False)
        assert signed_in(client, org.head).get(url("concern_refer", concern)).status_code == 200
        assert signed_in(client, org.liaison).get(url("concern_refer", concern)).status_code == 403


class TestWithdrawing:
    def test_it_withdraws_with_a_warning_button(self, client, org):
        concern = about_councillor(org, feels_able_to_talk=False)
        page = url("concern_withdraw", concern)
        html = signed_in(client, org.liaison).get(page).content.decode()
        assert "govuk-button--warning" in html

        assert client.post(page, {"version": concern.version, "reason": ""}).status_code == 302
        concern.refresh_from_db()
        assert concern.state == ConcernState.WITHDRAWN

    def test_it_is_for_the_complainant(self, client, org):
        concern = about_councillor(org, feels_able_to_talk=False)
        assert signed_in(client, org.head).get(url("concern_withdraw", concern)).status_code == 403
        assert signed_in(client, org.monitoring).post(url("concern_withdraw", concern), {}).status_code == 403


class TestMonitoringOfficerTools:
    def test_it_shares_the_concern_with_its_subject(self, client, org):
        concern = at_stage_three(org)
        page = url("concern_share", concern)
        assert (
            f"Share the concern with {org.councillor}" in signed_in(client, org.monitoring).get(page).content.decode()
        )

        assert client.post(page, {"version": concern.version, "note": "Please respond."}).status_code == 302

        assert signed_in(client, org.councillor).get(concern.get_absolute_url()).status_code == 200
        assert "Share with the subject" not in buttons(
            signed_in(client, org.monitoring).get(concern.get_absolute_url()).content.decode()
        )
        assert signed_in(client, org.monitoring).get(page).status_code == 403

    def test_it_escapes_the_subjects_name_in_the_sharing_form(self, client, org):
        # crispy-forms-gds prints a label as it is: a name with markup in it must not run.
        org.councillor.user.first_name = "<script>alert(1)</script>"
        org.councillor.user.save()
        concern = at_stage_three(org)

        html = signed_in(client, org.monitoring).get(url("concern_share", concern)).content.decode()

        assert "A note for Cllr &lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<script>alert(1)</script>" not in html

    def test_only_the_monitoring_officer_shares(self, client, org, whip):
        concern = at_stage_three(org)
        assert signed_in(client, whip).get(url("concern_share", concern)).status_code == 403
        assert signed_in(client, org.councillor).get(url("concern_share", concern)).status_code == 404

    def test_it_reassigns_line_management(self, client, org):
        concern = about_councillor(org, feels_able_to_talk=False)
        page = url("concern_reassign", concern)
        html = signed_in(client, org.monitoring).get(page).content.decode()
        assert org.other_head.name in html

        blank = client.post(page, {"version": concern.version}).content.decode()
        assert 'href="#id_new_owner">Choose who should handle this stage</a>' in blank

        response = client.post(page, {"version": concern.version, "new_owner": org.other_head.pk, "reason": "Away."})
        assert response.status_code == 302
        concern.refresh_from_db()
        assert concern.owner == org.other_head

    def test_only_the_monitoring_officer_reassigns(self, client, org):
        concern = about_councillor(org, feels_able_to_talk=False)
        assert signed_in(client, org.head).get(url("concern_reassign", concern)).status_code == 403
        direct = about_councillor(org)
        assert signed_in(client, org.monitoring).get(url("concern_reassign", direct)).status_code == 403

    def test_it_adds_a_note(self, client, org):
        concern = about_councillor(org, feels_able_to_talk=False)
        page = url("concern_note", concern)
        blank = signed_in(client, org.head).post(page, {"version": concern.version}).content.decode()
        assert 'href="#id_note">Enter the note</a>' in blank

        assert client.post(page, {"version": concern.version, "note": "Met the Group Leader."}).status_code == 302
        assert concern.timeline.filter(kind="note", internal=True, note="Met the Group Leader.").exists()
        assert signed_in(client, org.liaison).get(page).status_code == 403


class TestActionForms:
    def test_it_puts_the_concerns_version_in_every_action_form(self, client, org):
        direct = about_councillor(org)
        managed = about_councillor(org, feels_able_to_talk=False)
        reviewed = at_stage_three(org)
        sanction = at_stage_four(org)
        pages = [
            (org.liaison, "concern_escalate", direct),
            (org.liaison, "concern_resolve", direct),
            (org.liaison, "concern_withdraw", direct),
            (org.head, "concern_note", managed),
            (org.head, "concern_refer", managed),
            (org.monitoring, "concern_reassign", managed),
            (org.monitoring, "concern_informal", reviewed),
            (org.monitoring, "concern_formal", reviewed),
            (org.monitoring, "concern_share", reviewed),
            (org.monitoring, "concern_sanctions", sanction),
        ]
        missing = []
        for person, url_name, concern in pages:
            html = signed_in(client, person).get(url(url_name, concern)).content.decode()
            if f'name="version" value="{concern.version}"' not in html:
                missing.append(url_name)
        assert not missing, f"These forms do not carry the concern's version: {missing}"


# --- The Monitoring Officer's pages -------------------------------------------------------------


class TestTriage:
    def test_it_lists_what_waits_for_the_monitoring_officer_oldest_first(self, client, org):
        long_ago = timezone.now() - timedelta(days=30)
        overdue = about_councillor(org, now=long_ago, occurred_on=(long_ago - timedelta(days=1)).date())
        reviewed = at_stage_three(org)

        response = signed_in(client, org.monitoring).get(reverse("cases:triage"))
        html = response.content.decode()

        assert [item.reference for item in response.context["items"]] == [overdue.reference, reviewed.reference]
        assert "Overdue" in html
        assert 'aria-sort="descending"><a class="govuk-link" href="?sort=age">Age in working days</a>' in html

    def test_it_sorts_by_reference(self, client, org):
        first, second = at_stage_three(org), at_stage_three(org)
        response = signed_in(client, org.monitoring).get(reverse("cases:triage"), {"sort": "reference"})
        assert [item.reference for item in response.context["items"]] == [first.reference, second.reference]
        assert 'aria-sort="ascending"><a class="govuk-link" href="?sort=reference">What</a>' in (
            response.content.decode()
        )

    def test_it_is_for_the_monitoring_officer(self, client, org, whip):
        for person in (org.chief, org.head, org.councillor, whip, org.stranger):
            assert signed_in(client, person).get(reverse("cases:triage")).status_code == 403


class TestSanctionsRegister:
    def record_prohibition(self, org, **spec) -> Sanction:
        concern = at_stage_four(org)
        cs.concern_sanctions_record(
            concern=concern,
            actor=org.monitoring.user,
            sanctions=[cs.SanctionSpec(kind="contact_prohibition", starts_on=timezone.localdate(), **spec)],
            outcome="No contact.",
        )
        return concern.sanctions.get()

    def test_it_lists_each_sanction_with_whether_it_is_in_force(self, client, org):
        sanction = self.record_prohibition(org, scope="service", service=org.highways)
        html = signed_in(client, org.monitoring).get(reverse("cases:sanctions")).content.decode()

        assert str(org.councillor) in html
        assert "No contact with the officers of Highways" in html
        assert "indefinitely" in html
        assert "In force" in html
        assert reverse("cases:prohibition_end", args=[sanction.prohibition.pk]) in html
        assert sanction.concern.get_absolute_url() in html

    def test_it_is_for_the_monitoring_officer(self, client, org, whip):
        for person in (org.chief, org.head, org.councillor, whip):
            assert signed_in(client, person).get(reverse("cases:sanctions")).status_code == 403

    def test_it_ends_a_prohibition_early(self, client, org):
        prohibition = self.record_prohibition(org, scope="all").prohibition
        page = reverse("cases:prohibition_end", args=[prohibition.pk])
        assert "any officer" in signed_in(client, org.monitoring).get(page).content.decode()

        today = timezone.localdate()
        response = client.post(page, {**date_fields("ends_on", today), "reason": "Appeal upheld."}, follow=True)

        assert response.redirect_chain == [(reverse("cases:sanctions"), 302)]
        prohibition.refresh_from_db()
        assert prohibition.ends_on == today
        assert f"now ends on {today:%A %-d %B %Y}" in response.content.decode()

    def test_it_refuses_a_last_day_long_past(self, client, org):
        prohibition = self.record_prohibition(org, scope="all").prohibition
        page = reverse("cases:prohibition_end", args=[prohibition.pk])
        data = {**date_fields("ends_on", timezone.localdate() - timedelta(days=10)), "reason": "Appeal."}
        html = signed_in(client, org.monitoring).post(page, data).content.decode()
        assert 'href="#id_ends_on_0">The last day cannot be before yesterday</a>' in html
        blank = client.post(page, {}).content.decode()
        assert 'href="#id_reason">Enter why the prohibition is ending early</a>' in blank
        prohibition.refresh_from_db()
        assert prohibition.ends_on is None

    def test_it_hides_prohibitions_from_everyone_else(self, client, org):
        prohibition = self.record_prohibition(org, scope="all").prohibition
        page = reverse("cases:prohibition_end", args=[prohibition.pk])
        for person in (org.chief, org.head, org.councillor):
            assert signed_in(client, person).get(page).status_code == 404


# --- Around the portal ----------------------------------------------------------------------------


class TestNotificationsAndNavigation:
    def test_it_links_a_concern_notification_to_the_concern(self, client, org):
        concern = about_councillor(org)
        html = signed_in(client, org.liaison).get(reverse("cases:notifications")).content.decode()
        subject = f"{concern.reference}: your concern has been recorded"
        assert f'<a class="govuk-link" href="{concern.get_absolute_url()}">{subject}</a>' in html

    def test_it_gives_the_monitoring_officer_the_triage_link_and_everyone_concerns(self, client, org):
        mo_html = signed_in(client, org.monitoring).get(reverse("home")).content.decode()
        councillor_html = signed_in(client, org.councillor).get(reverse("home")).content.decode()

        assert f'href="{reverse("cases:triage")}">Monitoring Officer</a>' in mo_html
        for html in (mo_html, councillor_html):
            assert f'href="{reverse("cases:concerns")}">Concerns</a>' in html
            assert f'href="{reverse("cases:positive_examples")}">Positive examples</a>' in html
        assert ">Monitoring Officer</a>" not in councillor_html
        assert f'href="{reverse("cases:concern_new")}">Raise a concern</a>' in councillor_html

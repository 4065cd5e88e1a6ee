"""The ward notice pages (001 §9.4; DESIGN §6): sending one, the lists, the notice's page
and its file, and who may see each."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.models import WardNotice, WardNoticeKind
from cases.notices.services import ward_notice_send
from people.models import StatutoryRole
from people.services import role_groups_sync
from tests.factories import MemberFactory, OfficerFactory, appoint

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def form(wards, *, kind=WardNoticeKind.PUBLIC_MEETING, on=None, **extra) -> dict:
    on = on or timezone.localdate() + timedelta(days=14)
    return {
        "kind": kind,
        "wards": [str(ward.pk) for ward in wards],
        "title": "Public meeting on the Riverside flood scheme",
        "concerns_on_0": str(on.day),
        "concerns_on_1": str(on.month),
        "concerns_on_2": str(on.year),
        "summary": "Residents are invited to the community centre at 7pm.",
        **extra,
    }


def sent(org, wards, **extra) -> WardNotice:
    return ward_notice_send(
        sent_by=org.liaison.user,
        kind=WardNoticeKind.PUBLIC_EVENT,
        title="Opening of the new library",
        concerns_on=timezone.localdate() + timedelta(days=7),
        summary="Ward councillors are invited to the opening.",
        wards=wards,
        **extra,
    )


class TestSending:
    def test_it_sends_a_notice_and_shows_who_was_told_and_when(self, client, org, wards):
        client.force_login(org.liaison.user)
        pdf = SimpleUploadedFile("agenda.pdf", PDF, content_type="application/pdf")

        response = client.post(
            reverse("cases:ward_notice_new"), form([wards.riverside, wards.hilltop], attachment=pdf), follow=True
        )

        notice = WardNotice.objects.get()
        assert response.redirect_chain[-1][0] == notice.get_absolute_url()
        html = response.content.decode()
        assert f"Ward notice {notice.reference} sent to 6 councillors" in html
        for member in wards.told:
            assert member.user.get_full_name() in html
        assert "Independent" in html
        assert notice.sent_at.strftime("%H:%M") in html
        assert "agenda.pdf" in html

    def test_it_warns_of_a_consultation_that_has_started_and_sends_it_once_confirmed(self, client, org, wards):
        client.force_login(org.liaison.user)
        started = timezone.localdate() - timedelta(days=3)
        data = form([wards.riverside], kind=WardNoticeKind.PUBLIC_CONSULTATION, on=started)

        warned = client.post(reverse("cases:ward_notice_new"), data)

        html = warned.content.decode()
        assert "There is a problem" in html
        assert "govuk-warning-text" in html
        assert "This consultation has already started" in html
        assert 'name="confirm_late"' in html
        assert not WardNotice.objects.exists()

        confirmed = client.post(reverse("cases:ward_notice_new"), {**data, "confirm_late": "on"}, follow=True)

        notice = WardNotice.objects.get()
        assert notice.sent_late
        assert "recorded as sent after the consultation started" in confirmed.content.decode()

    def test_it_asks_for_no_confirmation_for_a_consultation_starting_today(self, client, org, wards):
        client.force_login(org.liaison.user)
        data = form([wards.riverside], kind=WardNoticeKind.PUBLIC_CONSULTATION, on=timezone.localdate())

        response = client.post(reverse("cases:ward_notice_new"), data)

        assert response.status_code == 302
        assert not WardNotice.objects.get().sent_late

    def test_it_does_not_show_the_confirmation_before_it_is_needed(self, client, org, wards):
        client.force_login(org.liaison.user)

        html = client.get(reverse("cases:ward_notice_new")).content.decode()

        assert 'name="confirm_late"' not in html
        assert 'name="submission_key"' in html

    def test_it_sends_a_form_sent_twice_once(self, client, org, wards):
        client.force_login(org.liaison.user)
        page = client.get(reverse("cases:ward_notice_new")).content.decode()
        key = page.split('name="submission_key" value="')[1].split('"')[0]
        data = form([wards.riverside], submission_key=key)

        client.post(reverse("cases:ward_notice_new"), data)
        again = client.post(reverse("cases:ward_notice_new"), data, follow=True)

        notice = WardNotice.objects.get()
        assert again.redirect_chain[-1][0] == notice.get_absolute_url()
        assert f"You have already sent this ward notice: it is {notice.reference}" in again.content.decode()
        assert notice.recipients.count() == 4

    def test_it_refuses_a_program_as_the_file_and_sends_nothing(self, client, org, wards):
        client.force_login(org.liaison.user)
        program = SimpleUploadedFile("agenda.pdf", b"MZ\x90\x00" + b"\x00" * 100, content_type="application/pdf")

        response = client.post(reverse("cases:ward_notice_new"), form([wards.riverside], attachment=program))

        assert "is not a real PDF" in response.content.decode()
        assert not WardNotice.objects.exists()

    def test_it_asks_for_what_is_missing(self, client, org, wards):
        client.force_login(org.liaison.user)

        html = client.post(reverse("cases:ward_notice_new"), {}).content.decode()

        for message in ("Select what the notice is about", "Select the wards the notice is for", "Enter a title"):
            assert message in html
        assert "Enter the date" in html and "Enter a summary" in html

    @pytest.mark.parametrize("who", ["councillor", "stranger"])
    def test_it_lets_only_officers_send_one(self, client, org, wards, who):
        person = getattr(org, who)
        client.force_login(getattr(person, "user", person))

        assert client.get(reverse("cases:ward_notice_new")).status_code == 403
        assert client.post(reverse("cases:ward_notice_new"), form([wards.riverside])).status_code == 403
        assert not WardNotice.objects.exists()


class TestLists:
    def test_it_shows_a_member_the_notices_for_their_wards_only(self, client, org, wards):
        theirs = sent(org, [wards.riverside])
        other = sent(org, [wards.quayside])
        client.force_login(wards.independent.user)

        html = client.get(reverse("cases:ward_notices")).content.decode()

        assert theirs.reference in html
        assert other.reference not in html

    def test_it_shows_a_member_elected_since_the_notices_for_their_ward(self, client, org, wards):
        notice = sent(org, [wards.quayside])
        newcomer = MemberFactory(user__username="newcomer", wards=[wards.quayside])
        client.force_login(newcomer.user)

        assert notice.reference in client.get(reverse("cases:ward_notices")).content.decode()
        assert client.get(notice.get_absolute_url()).status_code == 200

    def test_it_shows_an_officer_the_notices_they_sent_only(self, client, org, wards):
        mine = sent(org, [wards.riverside])
        theirs = ward_notice_send(
            sent_by=org.outsider.user,
            kind=WardNoticeKind.SIGNIFICANT_INCIDENT,
            title="Library roof leak",
            concerns_on=timezone.localdate(),
            summary="The library is closed today.",
            wards=[wards.riverside],
        )
        client.force_login(org.liaison.user)

        html = client.get(reverse("cases:ward_notices_sent")).content.decode()

        assert mine.reference in html
        assert theirs.reference not in html

    def test_it_keeps_each_list_to_its_own_people(self, client, org, wards):
        client.force_login(org.councillor.user)
        assert client.get(reverse("cases:ward_notices_sent")).status_code == 403
        client.force_login(org.liaison.user)
        assert client.get(reverse("cases:ward_notices")).status_code == 403
        # A councillor who has left office is signed out at their next page (access ended).
        client.force_login(wards.left.user)
        response = client.get(reverse("cases:ward_notices"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))

    def test_it_links_the_lists_from_the_navigation(self, client, org, wards):
        client.force_login(org.councillor.user)
        assert reverse("cases:ward_notices") in client.get(reverse("home")).content.decode()
        client.force_login(org.liaison.user)
        home = client.get(reverse("home")).content.decode()
        assert reverse("cases:ward_notices_sent") in home
        assert reverse("cases:ward_notice_new") in home

    def test_it_links_the_notice_from_the_members_notifications(self, client, org, wards):
        notice = sent(org, [wards.riverside])
        client.force_login(wards.red_member.user)

        html = client.get(reverse("cases:notifications")).content.decode()

        assert f'href="{notice.get_absolute_url()}"' in html


class TestWhoSeesANotice:
    @pytest.fixture
    def notice(self, org, wards):
        pdf = SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")
        return sent(org, [wards.riverside], attachment=pdf)

    @pytest.fixture
    def deputy(self, org):
        deputy = OfficerFactory(user__username="deputy.mo", job_title="Deputy Monitoring Officer")
        appoint(deputy, StatutoryRole.MONITORING_OFFICER, deputy=True)
        role_groups_sync()
        return deputy

    @pytest.mark.parametrize(
        "who", ["sender", "recipient", "independent", "monitoring_officer", "deputy", "democratic_services"]
    )
    def test_it_shows_the_notice_and_its_file_to_those_with_a_part_in_it(self, client, org, wards, notice, deputy, who):
        user = {
            "sender": org.liaison.user,
            "recipient": org.councillor.user,
            "independent": wards.independent.user,
            "monitoring_officer": org.monitoring.user,
            "deputy": deputy.user,
            "democratic_services": wards.democratic_services,
        }[who]
        client.force_login(user)

        assert client.get(notice.get_absolute_url()).status_code == 200
        download = client.get(reverse("cases:ward_notice_attachment", args=[notice.reference]))
        assert download.status_code == 200
        assert download["Content-Disposition"].startswith('attachment; filename="plan.pdf"')
        assert download["X-Content-Type-Options"] == "nosniff"
        assert b"".join(download.streaming_content) == PDF

    @pytest.mark.parametrize("who", ["other_officer", "other_ward", "head", "chief", "stranger"])
    def test_it_tells_anyone_else_it_does_not_exist(self, client, org, wards, notice, who):
        user = {
            "other_officer": org.outsider.user,
            "other_ward": wards.elsewhere.user,
            "head": org.head.user,
            "chief": org.chief.user,
            "stranger": org.stranger,
        }[who]
        client.force_login(user)

        assert client.get(notice.get_absolute_url()).status_code == 404
        assert client.get(reverse("cases:ward_notice_attachment", args=[notice.reference])).status_code == 404

    def test_it_signs_out_a_councillor_who_has_left_office_and_shows_them_nothing(self, client, wards, notice):
        client.force_login(wards.left.user)
        for url in (notice.get_absolute_url(), reverse("cases:ward_notice_attachment", args=[notice.reference])):
            response = client.get(url)
            assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
            assert notice.title not in response.content.decode()

    def test_it_finds_no_file_on_a_notice_without_one(self, client, org, wards):
        plain = sent(org, [wards.riverside])
        client.force_login(org.liaison.user)

        assert client.get(reverse("cases:ward_notice_attachment", args=[plain.reference])).status_code == 404

    def test_it_keeps_a_notice_for_a_member_it_went_to_after_they_leave_its_ward(self, client, org, wards):
        notice = sent(org, [wards.riverside])
        wards.red_member.wards.set([wards.quayside])
        client.force_login(wards.red_member.user)

        assert client.get(notice.get_absolute_url()).status_code == 200
        assert notice.reference in client.get(reverse("cases:ward_notices")).content.decode()

"""What each person reads on a concern's page (DESIGN §4: need-to-know; 001 §6.1: the
complainant is told the outcome, not the deliberations), and a stage-3 reviewer's note read as an
adversary would look for it: on every page each person reaches, and in the subject access export."""

import io
import re
import zipfile
from datetime import date
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cases.concerns import services as concern_services
from cases.concerns.services import InformalStep, SanctionSpec
from cases.models import Notification
from people.audit import Origin
from people.models import ContactProhibition
from people.roles import Role
from reporting.subject_access.services import subject_access_export
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_review(org):
    concern = concern_services.concern_raise(
        raised_by=org.liaison.user,
        about_member=org.councillor,
        occurred_on=date(2026, 11, 2),
        what_happened="Raised voice at me in the lobby.",
        feels_able_to_talk=False,
    )
    return concern_services.concern_escalate(concern=concern, actor=org.head.user, reason="Again last week.")


def page_for(client, user, concern) -> str:
    client.force_login(user)
    response = client.get(reverse("cases:concern", args=[concern.reference]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_complainant_reads_the_outcome_but_not_the_words_of_advice(client, org, at_review):
    concern = concern_services.concern_informal_action(
        concern=at_review,
        actor=org.monitoring.user,
        steps=[
            InformalStep(kind="advice", given_by="monitoring_officer", details="Reminded of 001 §3.2(h) privately.")
        ],
        outcome="The councillor has been given advice about how to raise concerns with officers.",
    )

    complainant_page = page_for(client, org.liaison.user, concern)
    assert "The councillor has been given advice" in complainant_page
    assert "Reminded of 001 §3.2(h) privately" not in complainant_page

    client.logout()
    assert "Reminded of 001 §3.2(h) privately" in page_for(client, org.monitoring.user, concern)


def test_the_complainant_is_not_shown_the_sanction_register_entry(client, org, at_review):
    concern = concern_services.concern_propose_formal_action(concern=at_review, actor=org.monitoring.user, reason="")
    concern = concern_services.concern_sanctions_record(
        concern=concern,
        actor=org.monitoring.user,
        sanctions=[
            SanctionSpec(
                kind="contact_prohibition",
                scope=ContactProhibition.Scope.SERVICE,
                service=org.libraries,
                starts_on=date.today(),
            ),
        ],
        outcome="Formal action has been taken under the Members' Code of Conduct.",
    )

    complainant_page = page_for(client, org.liaison.user, concern)
    assert "Formal action has been taken under the Members" in complainant_page
    assert "the officers of Libraries" not in complainant_page


# --- A reviewer's note (issue 15 C13; 000 §VIII), read as an adversary ---------------------------

# Where a crawl does not go: the admin (no concerns there), account settings and sign-out, and
# the dashboards and reports, which count cases and never read a timeline's words (reporting/).
NOT_CRAWLED = ("/admin/", "/account/", "/password/", "/sign-out/", "/static/", "/reports/")
LINK = re.compile(r'href="(/[^"#]*)"')


def crawl(client, user, *, limit: int = 400) -> dict[str, str]:
    """Every page ``user`` reaches by following the portal's links from the home page, their
    notifications and their concerns: path -> content."""
    client.force_login(user)
    seen: dict[str, str] = {}
    queue = ["/", reverse("cases:notifications"), reverse("cases:concerns")]
    while queue and len(seen) < limit:
        path = unescape(queue.pop(0))
        if path in seen or path.startswith(NOT_CRAWLED):
            continue
        response = client.get(path)
        content = response.content.decode(errors="replace") if response.status_code == 200 else ""
        seen[path] = content
        queue += [link for link in LINK.findall(content) if unescape(link) not in seen]
    return seen


@pytest.fixture
def reviewed(org, whip, at_review):
    """At stage 3 with the Whip, who has added a note naming the complainant and the Monitoring Officer."""
    note = (
        f"Spoke to {org.councillor.user.get_full_name()} after group; {org.liaison.user.get_full_name()} "
        f"and {org.monitoring.user.get_full_name()} should know he accepts he shouted. WHIPS-NOTE"
    )
    return concern_services.concern_note_add(concern=at_review, actor=whip.user, note=note)


def test_a_reviewers_note_is_read_only_by_those_deciding_the_concern(
    client, org, whip, reviewed, deputy_monitoring_officer
):
    for reader in (org.monitoring.user, deputy_monitoring_officer.user, whip.user):
        client.logout()
        assert "WHIPS-NOTE" in page_for(client, reader, reviewed)
    # The subject, once the record is shared, reads the concern but not the notes (DESIGN §4).
    concern_services.concern_share_with_subject(concern=reviewed, actor=org.monitoring.user, note="")
    client.logout()
    assert "WHIPS-NOTE" not in page_for(client, org.councillor.user, reviewed)
    client.logout()
    assert "WHIPS-NOTE" not in page_for(client, org.liaison.user, reviewed)
    # No one was told of it: a note is for reading on the concern's page.
    assert not Notification.objects.filter(body__contains="WHIPS-NOTE").exists()


@pytest.mark.parametrize(
    "who",
    ["liaison", "councillor", "head", "chief", "colleague", "standards_member"],
    ids=["complainant", "subject (shared)", "stage-2 handler", "chief executive", "colleague", "standards member"],
)
def test_no_page_anyone_else_reaches_shows_the_note_or_who_reviews(client, org, whip, reviewed, who):
    concern_services.concern_share_with_subject(concern=reviewed, actor=org.monitoring.user, note="")
    pages = crawl(client, getattr(org, who).user)

    assert len(pages) > 5, "the crawl reached the portal's pages"
    leaked = [path for path, content in pages.items() if "WHIPS-NOTE" in content]
    assert not leaked, f"{who} read the Whip's note on {leaked}"
    concern_pages = [content for path, content in pages.items() if reviewed.reference in path and content]
    if who in ("liaison", "councillor"):  # they see the concern itself, and read its page
        assert concern_pages, f"{who} did not reach {reviewed.reference}"
    assert all("Reviewed by" not in content and "Whip, Civic Party" not in content for content in concern_pages)


def test_the_crawl_finds_the_note_where_it_may_be_read(client, org, whip, reviewed):
    # The crawl above would find it: the Whip, following links from their home page, reads it.
    pages = crawl(client, whip.user)
    assert any("WHIPS-NOTE" in content for content in pages.values())


# --- The same note in a subject access export (UK GDPR Art. 15; docs/subject-access.md) ----------


@pytest.fixture
def administrator(db):
    user = UserFactory(username="dem.services")
    user.groups.add(Group.objects.get_or_create(name=Role.DEMOCRATIC_SERVICES.label)[0])
    return user


def exported(subject, administrator) -> tuple[str, str]:
    """The whole export as text, and the file of the concern in it."""
    produced = subject_access_export(subject=subject, actor=administrator, origin=Origin(ip_address="192.0.2.9"))
    with zipfile.ZipFile(io.BytesIO(produced.file.read())) as archive:
        files = {info.filename.split("/", 1)[1]: archive.read(info).decode() for info in archive.infolist()}
    concern = next((text for path, text in files.items() if path.startswith("concerns/CON-")), "")
    return "\n".join(files.values()), concern


def test_the_complainant_and_a_past_handler_do_not_get_the_note_by_asking_for_their_data(
    org, whip, reviewed, administrator
):
    for person in (org.liaison.user, org.head.user):
        everything, concern = exported(person, administrator)
        assert reviewed.reference in concern
        assert "WHIPS-NOTE" not in everything
        assert "Not included: " in concern and "internal record of those handling or reviewing" in concern
        assert whip.user.get_full_name() not in everything


def test_the_subject_gets_the_note_about_them_with_everyone_else_redacted(org, whip, reviewed, administrator):
    # UK GDPR Art. 15: what the reviewers wrote about the councillor is the councillor's data.
    everything, concern = exported(org.councillor.user, administrator)

    assert "WHIPS-NOTE" in concern
    assert "Note, by [redacted: another councillor]" in concern
    for third_party in (whip.user, org.liaison.user, org.monitoring.user):
        assert third_party.get_full_name() not in everything
        assert third_party.last_name not in everything
    assert org.councillor.user.get_full_name() in everything


def test_the_whip_gets_their_own_note_with_the_parties_redacted(org, whip, reviewed, administrator):
    everything, concern = exported(whip.user, administrator)
    assert "WHIPS-NOTE" in concern and "Note, by " in concern
    assert "[redacted: complainant]" in concern
    assert org.liaison.user.get_full_name() not in everything

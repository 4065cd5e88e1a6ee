"""Who gets what from every concern URL (DESIGN §4: need-to-know; 000 §VIII).

Each URL is tried on a concern in the stage where its action makes sense. Anyone
who may not see that concern gets 404 everywhere (its existence is not revealed):
the subject until the Monitoring Officer shares it, the Chief Executive, an
administrator, colleagues. Someone who sees it but may not do the action gets
403; the person who may gets the page (200), and with an empty POST the page
again, with form errors and nothing changed.
"""

from datetime import date
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.concerns import services as concern_services
from cases.models import ConcernState
from tests.conftest import build_org, built_once, fresh
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ANONYMOUS = "anonymous"

# The concern each URL is tried on: all raised by the liaison officer about the councillor.
CONCERN_FOR = {
    "concern": "review",
    "concern_escalate": "line",
    "concern_resolve": "line",
    "concern_informal": "review",
    "concern_formal": "review",
    "concern_sanctions": "sanction",
    "concern_refer": "line",
    "concern_withdraw": "line",
    "concern_share": "review",
    "concern_reassign": "review",
    "concern_note": "line",
    "concern_evidence": "review",
    # A second column for a URL tried on another concern: notes at stage 3, by its reviewers (000 §VIII).
    "concern_note@3": "review",
}
URL_NAMES = tuple(CONCERN_FOR)
READ_ONLY = {"concern", "concern_evidence"}


def row(*statuses: int) -> dict[str, int]:
    assert len(statuses) == len(URL_NAMES)
    return dict(zip(URL_NAMES, statuses, strict=True))


def everywhere(status: int) -> dict[str, int]:
    return dict.fromkeys(URL_NAMES, status)


# Rows: who asks. Columns: the URL, on the concern CONCERN_FOR gives it ("line" is at stage 2
# with the Head of Highways; "review" at stage 3 with the Monitoring Officer and the Whip;
# "sanction" at stage 4). The liaison officer is the complainant, the head the stage-2
# handler, and the whip joins from stage 3; so did the former whip, who has since stopped
# being the group's Whip: they still read what they joined, but add no notes (issue 15 C13).
# fmt: off
EXPECTED = {
    #                  detail escal  resolv inform formal sanct  refer  withdr share  reass  note   evid   note@3
    "liaison":     row(200,   403,   403,   403,   403,   403,   403,   200,   403,   403,   403,   200,   403),
    "head":        row(404,   200,   200,   404,   404,   404,   200,   403,   404,   404,   200,   404,   404),
    "monitoring":  row(200,   200,   200,   200,   200,   200,   200,   403,   200,   200,   200,   200,   200),
    "whip":        row(200,   404,   404,   403,   403,   403,   404,   404,   403,   403,   404,   200,   200),
    "former_whip": row(200,   404,   404,   403,   403,   403,   404,   404,   403,   403,   404,   200,   403),
    "councillor":       everywhere(404),  # the subject: not until the Monitoring Officer shares it
    "chief":            everywhere(404),  # the Chief Executive is not on a concern's need-to-know
    "superuser":        everywhere(404),  # nor is an administrator
    "colleague":        everywhere(404),
    "outsider":         everywhere(404),
    "councillor2":      everywhere(404),
    "standards_member": everywhere(404),
    "stranger":         everywhere(404),
    ANONYMOUS:          everywhere(302),
}
# fmt: on

LIST_PAGES = ("concerns", "concern_new", "triage", "sanctions", "positive_examples", "positive_example_new")
EVERYONE = {"concerns": 200, "concern_new": 200, "triage": 403, "sanctions": 403}
EXAMPLES = {"positive_examples": 200, "positive_example_new": 200}
EXPECTED_LIST_PAGES = {
    "liaison": EVERYONE | EXAMPLES,
    "head": EVERYONE | EXAMPLES,
    "chief": EVERYONE | EXAMPLES,
    "monitoring": {"concerns": 200, "concern_new": 200, "triage": 200, "sanctions": 200} | EXAMPLES,
    "whip": EVERYONE | EXAMPLES,
    "former_whip": EVERYONE | EXAMPLES,
    "councillor": EVERYONE | EXAMPLES,
    "standards_member": EVERYONE | EXAMPLES,
    "stranger": dict.fromkeys(LIST_PAGES, 403),
    "superuser": dict.fromkeys(LIST_PAGES, 403),
    ANONYMOUS: dict.fromkeys(LIST_PAGES, 302),
}


def add_people(org):
    whip = MemberFactory(user__username="whip", wards=[org.ward], group=org.councillor.group)
    org.councillor.group.whips.add(whip)
    org.whip = whip
    # A second Whip when the concerns reach stage 3, who stops being one afterwards (built()).
    org.former_whip = MemberFactory(user__username="former.whip", wards=[org.ward], group=org.councillor.group)
    org.councillor.group.whips.add(org.former_whip)
    org.superuser = UserFactory(username="superuser", is_superuser=True, is_staff=True)
    return org


def raise_concerns(org):
    def raised(**kwargs):
        defaults = {
            "raised_by": org.liaison.user,
            "about_member": org.councillor,
            "occurred_on": date(2026, 11, 2),
            "what_happened": "Shouted at me in the council chamber about a pothole.",
            "feels_able_to_talk": False,
        }
        return concern_services.concern_raise(**{**defaults, **kwargs})

    line = raised()
    review = raised(evidence=[SimpleUploadedFile("notes.pdf", PDF, content_type="application/pdf")])
    review = concern_services.concern_escalate(concern=review, actor=org.head.user, reason="It carried on.")
    sanction = concern_services.concern_escalate(concern=raised(), actor=org.head.user, reason="It carried on.")
    sanction = concern_services.concern_propose_formal_action(concern=sanction, actor=org.monitoring.user, reason="")
    built = {"line": line, "review": review, "sanction": sanction}
    assert {name: concern.state for name, concern in built.items()} == {
        "line": ConcernState.LINE_MANAGEMENT,
        "review": ConcernState.MO_REVIEW,
        "sanction": ConcernState.SANCTION,
    }
    return built


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, tmp_path_factory):
    """The council and its three concerns, built once for the module's few hundred requests
    (tests/conftest.py: built_once), under the settings the concern tests use (england)."""
    media = tmp_path_factory.mktemp("media")
    with built_once(
        django_db_blocker, MEDIA_ROOT=media, COUNCIL_NATION="england-and-wales", CONCERN_STAGE_WORKING_DAYS=10
    ):
        people = add_people(build_org())
        concerns = raise_concerns(people)
        people.councillor.group.whips.remove(people.former_whip)
        yield SimpleNamespace(people=people, concerns=concerns, media=media)


@pytest.fixture(autouse=True)
def media_root(settings, built):
    """The evidence the module's concerns carry (tests/conftest.py gives each test an empty folder)."""
    settings.MEDIA_ROOT = built.media


@pytest.fixture
def people(built, db):
    return fresh(built.people)


@pytest.fixture
def concerns(built, db):
    return fresh(built.concerns)


def url_for(column: str, concerns) -> str:
    concern = concerns[CONCERN_FOR[column]]
    url_name = column.split("@")[0]
    if url_name == "concern_evidence":
        return reverse("cases:concern_evidence", args=[concern.reference, concern.attachments.get().pk])
    return reverse(f"cases:{url_name}", args=[concern.reference])


def sign_in(client, org, person: str):
    if person != ANONYMOUS:
        someone = getattr(org, person)
        client.force_login(getattr(someone, "user", someone))
    return client


def assert_status(response, expected: int, *, who: str, path: str) -> None:
    assert response.status_code == expected, f"{who} got {response.status_code} from {path}, expected {expected}"
    if expected == 302:
        assert response["Location"].startswith("/sign-in/?next="), response["Location"]


@pytest.mark.parametrize("url_name", URL_NAMES)
@pytest.mark.parametrize("person", list(EXPECTED))
def test_get(client, people, concerns, person, url_name):
    path = url_for(url_name, concerns)
    response = sign_in(client, people, person).get(path)
    assert_status(response, EXPECTED[person][url_name], who=person, path=path)


@pytest.mark.parametrize("url_name", [name for name in URL_NAMES if name not in READ_ONLY])
@pytest.mark.parametrize("person", list(EXPECTED))
def test_empty_post(client, people, concerns, person, url_name):
    concern = concerns[CONCERN_FOR[url_name]]
    before = (concern.state, concern.version, concern.timeline.count())
    path = url_for(url_name, concerns)

    response = sign_in(client, people, person).post(path, {})

    assert_status(response, EXPECTED[person][url_name], who=person, path=path)
    if response.status_code == 200:
        assert "There is a problem" in response.content.decode()
    concern.refresh_from_db()
    assert (concern.state, concern.version, concern.timeline.count()) == before


@pytest.mark.parametrize("url_name", sorted(READ_ONLY))
def test_it_refuses_post_on_read_only_pages(client, people, concerns, url_name):
    path = url_for(url_name, concerns)
    assert sign_in(client, people, "monitoring").post(path, {}).status_code == 405


@pytest.mark.parametrize("page", LIST_PAGES)
@pytest.mark.parametrize("person", list(EXPECTED_LIST_PAGES))
def test_list_pages(client, people, person, page):
    path = reverse(f"cases:{page}")
    response = sign_in(client, people, person).get(path)
    assert_status(response, EXPECTED_LIST_PAGES[person][page], who=person, path=path)


def test_it_shows_the_subject_the_concern_once_the_monitoring_officer_shares_it(client, people, concerns):
    review = concerns["review"]
    path = reverse("cases:concern", args=[review.reference])
    assert sign_in(client, people, "councillor").get(path).status_code == 404

    concern_services.concern_share_with_subject(concern=review, actor=people.monitoring.user, note="For your reply.")

    response = client.get(path)
    assert response.status_code == 200
    assert review.reference in response.content.decode()


def test_it_keeps_concerns_off_every_list_page_of_someone_not_involved(client, people, concerns):
    for person in ("chief", "councillor", "colleague", "councillor2"):
        content = sign_in(client, people, person).get(reverse("cases:concerns")).content.decode()
        for concern in concerns.values():
            assert concern.reference not in content, f"{person} saw {concern.reference}"

"""Who gets what from every enquiry URL (DESIGN §3: who sees an enquiry, who may fire each transition).

Each URL is tried on an enquiry in the state where its action makes sense. Anyone
who cannot see the enquiry gets 404 everywhere (its existence is not revealed);
someone who can see it but may not do the action gets 403; the person who may
gets the page (200), and with an empty POST the page again, with form errors.
"""

from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.enquiries import services
from cases.models import Enquiry, EnquiryState, Marking, Purpose
from tests.conftest import build_org, built_once, fresh
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ANONYMOUS = "anonymous"

# The enquiry each URL is tried on.
ENQUIRY_FOR = {
    "enquiry": "submitted",
    "enquiry_answer": "submitted",
    "enquiry_hold": "submitted",
    "enquiry_consent": "needs_consent",
    "enquiry_reassign": "submitted",
    "enquiry_decline": "submitted",
    "enquiry_dispute": "declined",
    "enquiry_decide": "disputed",
    "enquiry_reopen": "answered",
    "enquiry_close": "answered",
    "enquiry_withdraw": "submitted",
    "attachment": "submitted",
}
URL_NAMES = tuple(ENQUIRY_FOR)
# Pages that show and change nothing: tried with GET only (see test_it_refuses_post_on_read_only_pages).
READ_ONLY = {"enquiry", "attachment"}


def row(*statuses: int) -> dict[str, int]:
    assert len(statuses) == len(URL_NAMES)
    return dict(zip(URL_NAMES, statuses, strict=True))


def everywhere(status: int) -> dict[str, int]:
    return dict.fromkeys(URL_NAMES, status)


# Rows: who asks. Columns: the URL, each on the enquiry ENQUIRY_FOR gives it. The
# filing councillor is the actor; councillor2, the officer colleague and the
# outsider are the three-person test's colleagues and outsiders.
# fmt: off
EXPECTED = {
    #                   detail answer hold consent reassign decline dispute decide reopen close withdraw attachment
    "councillor":   row(200,   403,   403, 403,    403,     403,    200,    403,   200,   200,  200,     200),
    "liaison":      row(200,   200,   200, 200,    200,     403,    403,    403,   403,   403,  403,     200),
    "head":         row(200,   403,   403, 200,    200,     200,    403,    403,   403,   403,  403,     200),
    "chief":        row(200,   403,   403, 200,    200,     200,    403,    200,   403,   403,  403,     200),
    "monitoring":   row(200,   403,   403, 403,    403,     403,    403,    403,   403,   403,  403,     200),
    "councillor2":      everywhere(404),
    "colleague":        everywhere(404),  # same service, but neither owner nor manager
    "outsider":         everywhere(404),  # an officer in Libraries
    "standards_member": everywhere(404),
    "stranger":         everywhere(404),  # a user who is neither councillor nor officer
    ANONYMOUS:          everywhere(302),
}
# fmt: on

LIST_PAGES = ("my_enquiries", "enquiry_new", "my_work", "service_queue")
COUNCILLOR_PAGES = {"my_enquiries": 200, "enquiry_new": 200, "my_work": 403, "service_queue": 403}
OFFICER_PAGES = {"my_enquiries": 403, "enquiry_new": 403, "my_work": 200, "service_queue": 403}
MANAGER_PAGES = {"my_enquiries": 403, "enquiry_new": 403, "my_work": 200, "service_queue": 200}
EXPECTED_LIST_PAGES = {
    "councillor": COUNCILLOR_PAGES,
    "councillor2": COUNCILLOR_PAGES,
    "standards_member": COUNCILLOR_PAGES,
    "liaison": OFFICER_PAGES,
    "colleague": OFFICER_PAGES,
    "outsider": OFFICER_PAGES,
    "head": MANAGER_PAGES,
    "other_head": MANAGER_PAGES,
    "assistant": MANAGER_PAGES,
    "director": MANAGER_PAGES,
    "chief": MANAGER_PAGES,
    "monitoring": MANAGER_PAGES,
    "stranger": dict.fromkeys(LIST_PAGES, 403),
    ANONYMOUS: dict.fromkeys(LIST_PAGES, 302),
}


def file_enquiries(org):
    """One enquiry in each state an action starts from, all filed by org.councillor to Highways."""

    def filed(**kwargs):
        defaults = {
            "member": org.councillor,
            "subject": "Pothole on Mill Lane",
            "details": "When will it be repaired?",
            "service": org.highways,
            "purpose": Purpose.INFORMATION,
        }
        return services.enquiry_file(**{**defaults, **kwargs})

    submitted = filed(attachments=[SimpleUploadedFile("survey.pdf", PDF, content_type="application/pdf")])
    # Casework for a ward the councillor does not represent: explicit consent needed (001 §8.2).
    needs_consent = filed(
        purpose=Purpose.CASEWORK,
        ward=org.other_ward,
        constituent_lives_in_ward=True,
        acting_for_constituent=True,
        information_needed_for_complaint=True,
    )
    answered = services.enquiry_answer(
        enquiry=filed(), actor=org.liaison.user, text="Next week.", marking=Marking.PUBLIC, contains_personal_data=False
    )
    declined = services.enquiry_decline(enquiry=filed(), actor=org.head.user, reasons="A matter for the county.")
    disputed = services.enquiry_decline(enquiry=filed(), actor=org.head.user, reasons="A matter for the county.")
    disputed = services.enquiry_dispute(enquiry=disputed, actor=org.councillor.user, reasons="It is our road.")
    built = {
        "submitted": submitted,
        "needs_consent": needs_consent,
        "answered": answered,
        "declined": declined,
        "disputed": disputed,
    }
    assert needs_consent.explicit_consent_needed
    assert {name: enquiry.state for name, enquiry in built.items()} == {
        "submitted": EnquiryState.SUBMITTED,
        "needs_consent": EnquiryState.SUBMITTED,
        "answered": EnquiryState.ANSWERED,
        "declined": EnquiryState.DECLINED,
        "disputed": EnquiryState.DISPUTED,
    }
    return built


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, tmp_path_factory):
    """The council and its enquiries, built once for the module's few hundred requests
    (tests/conftest.py: built_once)."""
    media = tmp_path_factory.mktemp("media")
    with built_once(django_db_blocker, MEDIA_ROOT=media):
        org = build_org()
        yield SimpleNamespace(org=org, enquiries=file_enquiries(org), media=media)


@pytest.fixture(autouse=True)
def media_root(settings, built):
    """The file the submitted enquiry carries (tests/conftest.py gives each test an empty folder)."""
    settings.MEDIA_ROOT = built.media


@pytest.fixture
def org(built, db):
    return fresh(built.org)


@pytest.fixture
def enquiries(built, db):
    return fresh(built.enquiries)


def url_for(url_name: str, enquiries) -> str:
    enquiry = enquiries[ENQUIRY_FOR[url_name]]
    if url_name == "attachment":
        return reverse("cases:attachment", args=[enquiry.reference, enquiry.attachments.get().pk])
    return reverse(f"cases:{url_name}", args=[enquiry.reference])


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
def test_get(client, org, enquiries, person, url_name):
    path = url_for(url_name, enquiries)
    response = sign_in(client, org, person).get(path)
    assert_status(response, EXPECTED[person][url_name], who=person, path=path)


@pytest.mark.parametrize("url_name", [name for name in URL_NAMES if name not in READ_ONLY])
@pytest.mark.parametrize("person", list(EXPECTED))
def test_empty_post(client, org, enquiries, person, url_name):
    enquiry = enquiries[ENQUIRY_FOR[url_name]]
    before = (enquiry.state, enquiry.version)
    path = url_for(url_name, enquiries)

    response = sign_in(client, org, person).post(path, {})

    assert_status(response, EXPECTED[person][url_name], who=person, path=path)
    if response.status_code == 200:
        assert "There is a problem" in response.content.decode()
    enquiry.refresh_from_db()
    assert (enquiry.state, enquiry.version) == before


@pytest.mark.parametrize("url_name", sorted(READ_ONLY))
def test_it_refuses_post_on_read_only_pages(client, org, enquiries, url_name):
    # A page that changes nothing answers only GET and HEAD (Django's require_safe).
    path = url_for(url_name, enquiries)
    assert sign_in(client, org, "councillor").post(path, {}).status_code == 405


@pytest.mark.parametrize("page", LIST_PAGES)
@pytest.mark.parametrize("person", list(EXPECTED_LIST_PAGES))
def test_list_pages(client, org, person, page):
    path = reverse(f"cases:{page}")
    response = sign_in(client, org, person).get(path)
    assert_status(response, EXPECTED_LIST_PAGES[person][page], who=person, path=path)


def test_a_councillor_who_has_left_office_cannot_file(client, org):
    former = MemberFactory(user__username="former", left_office_on="2020-05-07")
    # Their access ended after their last day (AccessEndedMiddleware): signed out, whatever they ask.
    client.force_login(former.user)
    assert client.get(reverse("cases:enquiry_new"))["Location"].startswith(reverse("login"))
    client.force_login(former.user)
    assert client.post(reverse("cases:enquiry_new"), {"subject": "Anything"})["Location"].startswith(reverse("login"))
    assert not Enquiry.objects.filter(member=former).exists()


def test_it_lists_only_the_councillors_own_enquiries(client, org, enquiries):
    client.force_login(org.councillor.user)
    mine = client.get(reverse("cases:my_enquiries")).content.decode()
    client.force_login(org.councillor2.user)
    theirs = client.get(reverse("cases:my_enquiries")).content.decode()
    assert all(enquiry.reference in mine for enquiry in enquiries.values())
    assert not any(enquiry.reference in theirs for enquiry in enquiries.values())


def test_it_keeps_other_services_out_of_a_head_of_services_queue(client, org, enquiries):
    client.force_login(org.other_head.user)
    html = client.get(reverse("cases:service_queue"), {"state": "any"}).content.decode()
    assert not any(enquiry.reference in html for enquiry in enquiries.values())
    client.force_login(org.head.user)
    html = client.get(reverse("cases:service_queue"), {"state": "any"}).content.decode()
    assert all(enquiry.reference in html for enquiry in enquiries.values())

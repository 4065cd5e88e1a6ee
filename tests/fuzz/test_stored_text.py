"""Markup in every text field a page shows is shown escaped, never run: each form is sent
once with every such field full of markup, and the page showing the result is checked."""

from __future__ import annotations

import pytest

from tests.fuzz import (
    test_briefing_forms,
    test_concern_forms,
    test_enquiry_forms,
    test_notice_forms,
    test_positive_forms,
)
from tests.fuzz.harness import assert_shown_escaped, each_rolled_back, signed_in
from tests.fuzz.strategies import markup

pytestmark = pytest.mark.django_db

# Field limits below the default (PortalForm's TEXT_MAX_LENGTH).
LIMITS = {"subject": 200, "title": 200, "given_by": 150, "independent_person": 150, "disciplinary_reference": 100}
PAGES = [
    *((build, "enquiries") for build in [test_enquiry_forms.filing, *test_enquiry_forms.ACTIONS]),
    *((build, "concerns") for build in [test_concern_forms.raising_about_a_councillor, *test_concern_forms.STEPS]),
    *((build, "concerns") for build in [test_concern_forms.ending_a_prohibition]),
    *((build, "positive_examples") for build in test_positive_forms.PAGES),
    *((build, "briefings") for build in test_briefing_forms.PAGES),
    *((build, "notice_wards") for build in test_notice_forms.PAGES),
]


@pytest.mark.parametrize("objects", ["enquiries", "concerns", "positive_examples", "briefings", "notice_wards"])
def test_it_shows_stored_text_escaped(client, org, request, objects):
    made = request.getfixturevalue(objects)

    def check(build):
        page = build(org, made)
        sent = {**page.base, **{name: markup(LIMITS.get(name)) for name in page.shown}}
        response = signed_in(client, page.person).post(page.url, sent)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert page.stored()
        if page.shown_to is not None:
            signed_in(client, page.shown_to)
            assert_shown_escaped(client, page.url.rstrip("/").rsplit("/", 1)[0] + "/", sent, fields=page.shown)
        else:
            assert_shown_escaped(client, response["Location"], sent, fields=page.shown)

    each_rolled_back([build for build, needs in PAGES if needs == objects], check)

"""Free-text redaction for the subject access export (reporting.subject_access.redaction)."""

from __future__ import annotations

from reporting.subject_access.redaction import Redactor, distinctive_username, titled


def redactor() -> Redactor:
    return Redactor(
        names={
            "Bob Jones": "officer",
            "Mrs Joan Bloggs": "constituent",
            "Joan Bloggs": "constituent",
            **dict.fromkeys(titled("Jones"), "officer"),
        },
        words={"Bob": "officer", "Jones": "officer", "Green": "officer"},
        usernames={"bob.jones": "officer", "monitoring.officer": "officer"},
        keep=["Jane Smith", "Jane", "Smith", "Parks and Green Spaces"],
        own_emails=["jane@example.org"],
        own_phones=["01632 960001"],
        own_postcodes=["AB1 2CD"],
    )


def test_it_redacts_full_names_in_any_case_and_titled_surnames():
    text = redactor()("bob  JONES rang; Mr. Jones and Cllr Jones agreed. MRS JOAN BLOGGS too.")

    assert text == (
        "[redacted: officer] rang; [redacted: officer] and [redacted: officer] agreed. [redacted: constituent] too."
    )


def test_it_redacts_single_names_as_written_and_in_possessives():
    assert redactor()("Bob's report; bob went home; Green said no.") == (
        "[redacted: officer]'s report; bob went home; [redacted: officer] said no."
    )


def test_the_longest_phrase_wins_so_the_subject_and_the_councils_names_stay():
    assert redactor()("Jane Smith asked Parks and Green Spaces.") == "Jane Smith asked Parks and Green Spaces."


def test_it_redacts_contact_details_but_not_the_subjects_own():
    text = redactor()(
        "Call 07700 900123 or +44 7700 900124, write to bob@x.org at XY9 8ZW; "
        "mine: (01632) 960 001, jane@example.org, AB1 2CD."
    )

    assert text == (
        "Call [redacted: phone number] or [redacted: phone number], write to [redacted: e-mail address] at "
        "[redacted: postcode]; mine: (01632) 960 001, jane@example.org, AB1 2CD."
    )


def test_references_dates_and_times_are_not_mistaken_for_numbers():
    text = "ENQ-2026-00042 on 2026-01-01 at 09:30, 5 working days."

    assert redactor()(text) == text


def test_a_plain_word_username_is_not_distinctive():
    assert not distinctive_username("officer")
    assert distinctive_username("j.smith") and distinctive_username("user12")


def test_a_username_is_matched_whole_not_as_words():
    text = redactor()("Ask monitoring.officer or Bob.Jones; the Monitoring Officer decides.")

    assert text == "Ask [redacted: officer] or [redacted: officer]; the Monitoring Officer decides."

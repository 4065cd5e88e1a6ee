"""PortalForm, the base of the portal's forms: text without control characters (PostgreSQL
cannot store a NUL), and a limit on every text field with a message that says so."""

from django import forms
from django.http import QueryDict

from protocol_portal.kit.forms import TEXT_MAX_LENGTH, PortalForm, without_controls


class NoteForm(PortalForm):
    title = forms.CharField(max_length=20)
    note = forms.CharField(widget=forms.Textarea)
    secret = forms.CharField(widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A field added after the form is made gets the same rules.
        self.fields["later"] = forms.CharField(required=False)


def test_it_takes_control_characters_out_and_keeps_line_breaks():
    assert without_controls("a\x00b\x01c\x7fd\x9be\tf\r\ng") == "abcde\tf\r\ng"
    # Word's manual line break (a vertical tab) and a form feed become line breaks.
    assert without_controls("one\x0btwo\x0cthree") == "one\ntwo\nthree"


def test_it_stores_text_sent_with_a_nul_without_it():
    data = QueryDict(mutable=True)
    data.update({"title": "Pot\x00hole", "note": "Mill\x00 Lane\x0bNumber 12", "secret": "a\x01b", "later": "\x00x"})
    form = NoteForm(data)

    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"title": "Pothole", "note": "Mill Lane\nNumber 12", "secret": "a\x01b", "later": "x"}


def test_it_limits_every_text_field_and_says_by_how_much():
    form = NoteForm({"title": "x" * 21, "note": "x" * (TEXT_MAX_LENGTH + 1), "secret": "s", "later": "x" * 20_001})

    assert not form.is_valid()
    assert form.errors == {
        "title": ["Shorten this text to 20 characters or fewer (it has 21)"],
        "note": [f"Shorten this text to {TEXT_MAX_LENGTH:,} characters or fewer (it has {TEXT_MAX_LENGTH + 1})"],
        "later": [f"Shorten this text to {TEXT_MAX_LENGTH:,} characters or fewer (it has 20001)"],
    }


def test_it_keeps_a_fields_own_message():
    class SubjectForm(PortalForm):
        subject = forms.CharField(max_length=5, error_messages={"max_length": "Subject must be 5 characters or fewer"})

    assert SubjectForm({"subject": "too long"}).errors == {"subject": ["Subject must be 5 characters or fewer"]}

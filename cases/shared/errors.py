from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has
    one, otherwise at the top of the error summary."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# The session remembers the version each action page's form had when this person last sent
# it and it was saved, so a second press of the same button is told the first was saved.
SENT_FORMS = "sent_forms"
SENT_FORMS_KEPT = 20


def remember_sent(request: HttpRequest, version: int) -> None:
    """Note that this person's form on this page, for ``version`` of its case, was saved."""
    sent = {path: kept for path, kept in request.session.get(SENT_FORMS, {}).items() if path != request.path}
    sent[request.path] = version
    request.session[SENT_FORMS] = dict(list(sent.items())[-SENT_FORMS_KEPT:])


def sent_twice(request: HttpRequest) -> bool:
    """Whether this POST is a form this person already sent from this page and had saved:
    the button pressed twice, or the form sent again from the browser's history."""
    if request.method != "POST":
        return False
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        return False
    return request.session.get(SENT_FORMS, {}).get(request.path) == version


def saved_already(reference: str) -> str:
    return f"You already sent this form for {reference}: your first submission was saved, and the second was not."


def changed_since_loaded(case) -> str:
    """The message for a form sent for an older version of ``case`` (an enquiry, concern or
    positive example): someone else acted first, or the same button was pressed twice at once."""
    return (
        f"{case.reference} has changed since you opened that page: it is now “{case.get_state_display()}”. "
        "If you pressed the button twice, your first submission was saved. "
        "Otherwise check the latest version below before you try again."
    )


def already_submitted(request: HttpRequest, form: forms.Form, case, *, mine: bool, noun: str) -> HttpResponse | None:
    """The form was sent before (cases.shared.submissions.AlreadySubmitted): take its sender to what
    the first submission made. None, with an error on the form, if that is someone else's."""
    if not mine:
        form.add_error(None, "This form has already been used. Open the page again to start afresh.")
        return None
    messages.info(
        request,
        f"You have already sent this {noun}: it is {case.reference}. "
        "If you pressed the button twice, it was sent once.",
    )
    return redirect(case)

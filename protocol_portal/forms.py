"""The sign-in, two-factor and password forms, laid out with the GOV.UK Design System."""

from __future__ import annotations

import re

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from people.selectors import access_ended_on
from protocol_portal.kit.forms import PortalForm


class PortalAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is no longer active. Contact Democratic Services.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django autofocuses the username, which skips a screen reader past the page's heading
        # and the skip link; the GOV.UK Design System advises against autofocus.
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template has the <form>; a second one inside it is invalid HTML
        self.helper.disable_csrf = True  # and its own CSRF token: one per form (issue 15 C17)
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("username", field_width=20),
            Field.text("password", field_width=20),
            Submit("submit", "Sign in"),
        )

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        # Member.left_office_on, Officer.left_on: "their access ends after this day".
        ended = access_ended_on(user)
        if ended is not None:
            raise forms.ValidationError(
                f"Your access to the portal ended after {ended:%-d %B %Y}. Contact Democratic Services.",
                code="access_ended",
            )


class PortalPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template has the <form>; a second one inside it is invalid HTML
        self.helper.disable_csrf = True  # and its own CSRF token: one per form (issue 15 C17)
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("old_password", field_width=20),
            Field.text("new_password1", field_width=20),
            Field.text("new_password2", field_width=20),
            Submit("submit", "Change password"),
        )


class TwoFactorCodeForm(PortalForm):
    """A 6-digit code from an authenticator app; whether it is right is the service's to say."""

    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code the app shows now, for example 123456.",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )

    def __init__(self, *args, submit_label: str = "Continue", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template has the <form> and its token (issue 15 C17)
        self.helper.disable_csrf = True
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(Field.text("code", field_width=10), Submit("submit", submit_label))

    def clean_code(self) -> str:
        # People copy codes as the apps show them: "123 456".
        code = re.sub(r"\s+", "", self.cleaned_data["code"])
        if not re.fullmatch(r"[0-9]{6}", code):
            raise forms.ValidationError("Enter the code as 6 digits, for example 123456")
        return code

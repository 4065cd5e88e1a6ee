"""The base of every form the portal defines, and the GOV.UK date input that gives only a
real date."""

from __future__ import annotations

import re
from datetime import date

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

# The most any text field takes: about eight pages. Longer material goes in an attachment.
TEXT_MAX_LENGTH = 20_000
# Control characters no keyboard types, though a paste from another program can carry them
# (Word's manual line break is a vertical tab). PostgreSQL cannot store NUL in text at all.
LINE_BREAK_CONTROLS = re.compile("[\x0b\x0c]")
OTHER_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


# Issue 15 C14: static/portal/autocomplete.js turns every select carrying this data-module
# into GOV.UK's accessible-autocomplete; without JavaScript it stays a plain select.
SEARCHABLE_MODULE = "app-autocomplete"


def searchable_select(*, empty_is_a_choice: bool = False) -> forms.Select:
    """The widget of every long picker (an officer among hundreds, a councillor, a service):
    a plain <select>, marked so that a person with JavaScript can search it by typing part
    of a name (issue 15 C14).

    A forms.Select, not a subclass: crispy-forms-gds gives a select its GOV.UK class and its
    error styling by the widget's class name, so a subclass would lose both. Pass
    ``empty_is_a_choice`` when the empty option means something ("The current owner")
    rather than "Choose an officer": the search then offers it too."""
    attrs = {"data-module": SEARCHABLE_MODULE}
    if empty_is_a_choice:
        attrs["data-empty-choice"] = "true"
    return forms.Select(attrs=attrs)


def without_controls(text: str) -> str:
    """``text`` with vertical tabs and form feeds as line breaks and the other control
    characters (all but tab, line feed and carriage return) removed."""
    return OTHER_CONTROLS.sub("", LINE_BREAK_CONTROLS.sub("\n", text))


class PortalForm(forms.Form):
    """The base of every form the portal defines (the sign-in forms excepted: they store no
    text and must not alter a password).

    Every text field, including those a form adds in its ``__init__``, takes plain text:
    control characters are taken out before validation, so a NUL, which PostgreSQL cannot
    store, never reaches the database; and every text field has a limit
    (TEXT_MAX_LENGTH unless it sets its own), with a message that says so."""

    def full_clean(self) -> None:
        text_fields = {
            name: field
            for name, field in self.fields.items()
            if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput)
        }
        for field in text_fields.values():
            _limit(field)
        if self.is_bound:
            self.data = _cleaned_data(self.data, keys=[self.add_prefix(name) for name in text_fields])
        super().full_clean()


def _limit(field: forms.CharField) -> None:
    if field.max_length is None:
        field.max_length = TEXT_MAX_LENGTH
        field.validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))
    field.error_messages.setdefault(
        "max_length", f"Shorten this text to {field.max_length:,} characters or fewer (it has %(show_value)s)"
    )


def _cleaned_data(data, *, keys: list[str]):
    if hasattr(data, "getlist"):  # a QueryDict, as from a request
        data = data.copy()
        for key in keys:
            if key in data:
                data.setlist(key, [without_controls(value) for value in data.getlist(key)])
        return data
    return {
        key: without_controls(value) if key in keys and isinstance(value, str) else value for key, value in data.items()
    }


class RealDateField(DateInputField):
    """A GOV.UK date input that only gives a real date, in the years ``first_year`` to
    ``last_year`` (cases pass the working-day calendar's years, escalation.calendar).

    DateInputField turns a year like 99999999999999999999 into an OverflowError (a 500),
    lets through 31 December 9999, a day the working-day calendar cannot step past, and
    gives a required date as None when a part is only spaces."""

    def __init__(self, *args, first_year: int = 1900, last_year: int = 2100, **kwargs):
        super().__init__(*args, **kwargs)
        self.first_year, self.last_year = first_year, last_year
        self.error_messages.setdefault("year_range", f"Enter a date in a year from {first_year} to {last_year}")

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            # A part of only spaces passes DateInputField's check for empty parts, and its
            # compress gave None for a required date (a TypeError, a 500, further on).
            if day or month or year:
                raise ValidationError(self.error_messages["incomplete"], code="incomplete")
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        try:
            value = date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            raise ValidationError(self.error_messages["invalid_date"], code="invalid_date") from None
        if not self.first_year <= value.year <= self.last_year:
            raise ValidationError(self.error_messages["year_range"], code="year_range")
        return value

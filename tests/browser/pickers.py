"""Choosing in a searchable picker (issue 15 C14) as a person does: type part of the name into
the box, then pick it from the list of matches. With JavaScript the label names the box
(static/portal/autocomplete.js); without it, it names the plain select."""

from playwright.sync_api import Page, expect


def choose(page: Page, label: str, option: str, *, typed: str | None = None) -> None:
    box = page.get_by_role("combobox", name=label)
    box.fill(typed if typed is not None else option)
    page.get_by_role("option", name=option, exact=True).click()
    expect(box).to_have_value(option)

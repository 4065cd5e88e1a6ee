"""Every form the portal defines is fuzzed: a new form class fails this test until a fuzz
module lists it in its COVERS, and every one of the portal's own forms takes text by the
PortalForm rules (no control characters, a length limit)."""

from __future__ import annotations

import importlib
import pkgutil

from django import forms

from protocol_portal.kit.forms import PortalForm
from tests.fuzz import (
    test_admin_forms,
    test_briefing_forms,
    test_concern_forms,
    test_cover_forms,
    test_enquiry_forms,
    test_filter_forms,
    test_notice_forms,
    test_people_forms,
    test_positive_forms,
    test_sign_in_forms,
    test_subject_access_forms,
)

PROJECT_PACKAGES = ("cases", "people", "escalation", "reporting", "protocol_portal")
FUZZ_MODULES = (
    test_enquiry_forms,
    test_concern_forms,
    test_cover_forms,
    test_positive_forms,
    test_notice_forms,
    test_filter_forms,
    test_people_forms,
    test_sign_in_forms,
    test_admin_forms,
    test_briefing_forms,
    test_subject_access_forms,
)
# Forms that are not the portal's to change: Django's sign-in forms (which must not alter a
# password) and the admin's, each still fuzzed.
NOT_PORTAL_FORMS = {"PortalAuthenticationForm", "PortalPasswordChangeForm", "PoliticalGroupForm"}


def project_forms() -> set[type]:
    for package in PROJECT_PACKAGES:
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, f"{package}."):
            if ".migrations" not in info.name and info.name != "protocol_portal.wsgi":
                importlib.import_module(info.name)
    found, pending = set(), [forms.BaseForm]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.split(".")[0] in PROJECT_PACKAGES:
                found.add(subclass)
    return found


def test_every_form_of_the_portal_is_fuzzed():
    covered = set().union(*(module.COVERS for module in FUZZ_MODULES))
    found = project_forms()
    # A base other forms extend (PortalForm, VersionedForm, …) is fuzzed through them.
    bases = {base for form in found for base in form.__mro__[1:] if base in found}
    uncovered = {form.__qualname__ for form in found - covered - bases}
    assert not uncovered, f"not fuzzed: {sorted(uncovered)}; add a test to tests/fuzz and the form to its COVERS"


def test_every_form_of_the_portal_takes_text_by_its_rules():
    outside = {
        form.__qualname__
        for form in project_forms()
        if not issubclass(form, PortalForm) and form.__qualname__ not in NOT_PORTAL_FORMS
    }
    assert not outside, f"not PortalForms: {sorted(outside)}"

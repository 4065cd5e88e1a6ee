"""Security headers, the Content-Security-Policy, no-store on case pages and the production
settings' `check --deploy` (docs/security.md)."""

import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from cases.concerns import services as concern_services
from cases.enquiries.services import enquiry_file
from cases.models import Purpose
from reporting.periods import municipal_year_of

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

CSP = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
}


def directives(header: str) -> set[str]:
    return {directive.strip() for directive in header.split(";")}


def production_environment(tmp_path: Path, **overrides: str) -> dict[str, str]:
    return {
        "PATH": os.environ["PATH"],
        "PORTAL_VAR_DIR": str(tmp_path),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "portal.example.gov.uk",
        "CSRF_TRUSTED_ORIGINS": "https://portal.example.gov.uk",
        **overrides,
    }


def settings_in(environment: dict[str, str], *names: str) -> list[str]:
    """The named settings, as a fresh interpreter reads them from exactly this environment."""
    code = f"import protocol_portal.settings as s; print(*[repr(getattr(s, n)) for n in {names!r}], sep='\\n')"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


# --- Production settings ----------------------------------------------------------------------


def test_check_deploy_passes_under_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_passes_with_hsts_preloading_turned_on(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(tmp_path, SECURE_HSTS_PRELOAD="true"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_defaults_redirect_to_https_and_pin_it_for_a_year(tmp_path):
    names = [
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
    ]
    assert settings_in(production_environment(tmp_path), *names) == ["True", "31536000", "True", "False"] + ["True"] * 2


def test_the_https_settings_come_from_the_environment(tmp_path):
    environment = production_environment(
        tmp_path, SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="3600", SECURE_HSTS_INCLUDE_SUBDOMAINS="no"
    )
    names = ["SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert settings_in(environment, *names) == ["False", "3600", "False"]


def test_development_needs_no_https(tmp_path):
    environment = {"PATH": os.environ["PATH"], "PORTAL_VAR_DIR": str(tmp_path), "DEBUG": "true"}
    assert settings_in(environment, "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS") == ["False", "0"]


def test_it_redirects_plain_http_to_https_when_asked(settings, db):
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/sign-in/")  # a new client, so the middleware reads the setting
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/sign-in/"


# --- Headers on every page --------------------------------------------------------------------


@pytest.fixture
def case_pages(org):
    """The pages that show a case, its files and its figures, to those who may see them."""
    enquiry = enquiry_file(
        member=org.councillor,
        subject="Pothole on Mill Lane",
        details="Outside number 12.",
        service=org.highways,
        purpose=Purpose.INFORMATION,
        attachments=[SimpleUploadedFile("survey.pdf", PDF)],
    )
    concern = concern_services.concern_raise(
        raised_by=org.liaison.user,
        about_member=org.councillor,
        occurred_on=timezone.localdate() - timedelta(days=2),
        what_happened="Shouted at me in the council chamber.",
        feels_able_to_talk=True,
        evidence=[SimpleUploadedFile("notes.pdf", PDF)],
    )
    year = municipal_year_of(timezone.localdate()).start.year
    return [
        (org.councillor, enquiry.get_absolute_url()),
        (org.councillor, reverse("cases:my_enquiries")),
        (org.councillor, reverse("cases:attachment", args=[enquiry.reference, enquiry.attachments.get().pk])),
        (org.liaison, reverse("cases:my_work")),
        (org.liaison, concern.get_absolute_url()),
        (org.liaison, reverse("cases:concern_evidence", args=[concern.reference, concern.attachments.get().pk])),
        (org.liaison, reverse("cases:enquiry_answer", args=[enquiry.reference])),
        (org.monitoring, reverse("cases:triage")),
        (org.monitoring, reverse("reporting:dashboard")),
        (org.monitoring, reverse("reporting:drilldown") + "?metric=received"),
        (org.monitoring, reverse("reporting:table_csv", args=["by_service"])),
        (org.monitoring, reverse("reporting:annual_report", args=[year])),
        (org.monitoring, reverse("reporting:annual_report_pdf", args=[year])),
        (org.councillor2, enquiry.get_absolute_url()),  # a 404: even the refusal is not kept
    ]


def test_it_never_lets_a_case_page_be_stored(client, case_pages):
    for person, url in case_pages:
        client.force_login(person.user)
        response = client.get(url)
        assert response.status_code in (200, 404), f"{url}: {response.status_code}"
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"no-store", "private", "no-cache", "max-age=0"} <= cache_control, f"{url}: {cache_control}"


def test_it_sends_the_security_headers_on_every_page(client, case_pages):
    pages = [(None, "/sign-in/"), (None, "/accessibility/"), (None, "/no-such-page/"), *case_pages]
    for person, url in pages:
        client.logout()
        if person is not None:
            client.force_login(person.user)
        response = client.get(url)
        assert directives(response["Content-Security-Policy"]) == CSP, url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
        assert "camera=()" in response["Permissions-Policy"], url
        assert "geolocation=()" in response["Permissions-Policy"], url


def test_it_pins_https_on_secure_requests(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    response = client.get("/sign-in/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_the_sign_in_page_may_be_cached_but_not_once_signed_in(client, org):
    assert "no-store" not in client.get("/accessibility/").get("Cache-Control", "")
    client.force_login(org.councillor.user)
    assert "no-store" in client.get("/accessibility/")["Cache-Control"]


# --- No inline script or style ----------------------------------------------------------------

INLINE = {
    "an inline <script> (give it a src under static/)": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I),
    "a <style> block (move it to a stylesheet under static/)": re.compile(r"<style\b", re.I),
    "a style= attribute (use a class)": re.compile(r"\sstyle\s*=", re.I),
    "an on…= event handler (bind it in a script file)": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I),
    "a javascript: URL": re.compile(r"javascript:", re.I),
}


def test_no_template_has_inline_script_or_style():
    found = []
    for template in sorted((ROOT / "templates").rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        for what, pattern in INLINE.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{template.relative_to(ROOT)}:{line}: {what}")
    assert not found, "The Content-Security-Policy would block:\n" + "\n".join(found)


def test_the_template_check_would_catch_each_kind_of_inline_code():
    samples = [
        "<script>alert(1)</script>",
        "<style>p{color:red}</style>",
        '<p style="color:red">',
        "<a href=\"#\" onclick='go()'>",
        '<a href="javascript:go()">',
    ]
    for sample, pattern in zip(samples, INLINE.values(), strict=True):
        assert pattern.search(sample), sample
    assert not INLINE["an inline <script> (give it a src under static/)"].search(
        '<script type="module" src="/static/portal/init.js"></script>'
    )


# --- Uploads ----------------------------------------------------------------------------------


def test_it_keeps_no_more_of_an_upload_than_the_limit_but_knows_its_size(settings):
    settings.ATTACHMENT_MAX_BYTES = 100 * 1024
    size = 3 * 1024 * 1024  # above FILE_UPLOAD_MAX_MEMORY_SIZE: streamed to a temporary file
    request = RequestFactory().post("/", {"file": SimpleUploadedFile("big.pdf", PDF + b"\x00" * size)})

    upload = request.FILES["file"]

    assert upload.size == len(PDF) + size
    assert os.path.getsize(upload.temporary_file_path()) == settings.ATTACHMENT_MAX_BYTES + 1

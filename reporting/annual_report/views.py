"""The annual protocol-effectiveness report, as a printable page and as a PDF (DESIGN §7;
000 §II.A: the Standards Committee advises the Audit Committee and contributes to the
Annual Governance Statement).

Readers are those of the dashboards: Standards Committee members, the Chair of Standards,
the Monitoring Officer and the Chief Executive; anyone else gets 403. The report is for
publication, so everyone gets the committee's version: disclosure-controlled, no names.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from reporting.annual_report import report
from reporting.figures import audience_for
from reporting.periods import Period, municipal_year


def _require_reader(request: HttpRequest) -> None:
    # The dashboards' readers (reporting.figures.audience_for); the audience itself does not
    # matter here, since everyone gets the published version.
    if audience_for(request.user) is None:
        raise PermissionDenied(
            "The annual report is for the Standards Committee, the Monitoring Officer and the Chief Executive."
        )


def _year(year: int) -> Period:
    """A year the report can be produced for (one with data, up to this one), else 404."""
    years = report.years_with_data(today=timezone.localdate())
    if year not in {period.start.year for period in years}:
        raise Http404("There is no report for that year.")
    return municipal_year(year)


@require_safe
def annual_reports(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    years = report.years_with_data(today=timezone.localdate())
    return render(request, "reporting/annual_reports.html", {"years": years, "this_year": years[0]})


@require_safe
def annual_report(request: HttpRequest, year: int) -> HttpResponse:
    _require_reader(request)
    return render(request, "reporting/annual_report.html", {"report": report.annual_report(_year(year))})


def _static_file(name: str) -> Path | None:
    """The file for a static URL: collected (hashed names in production) or found in static/."""
    try:
        if settings.STATIC_ROOT and staticfiles_storage.exists(name):
            return Path(staticfiles_storage.path(name))
    except (SuspiciousFileOperation, NotImplementedError):
        # NotImplementedError: a storage with no local path (S3 and the like) – use the finders.
        return None
    found = finders.find(name)
    return Path(found) if isinstance(found, str) else None


def report_pdf(request: HttpRequest, year: Period) -> bytes:
    """The report as a PDF, drawn by WeasyPrint from the same page with the print stylesheet."""
    # WeasyPrint takes a third of a second to import: only the PDF pays for it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    base_url = request.build_absolute_uri("/")
    static_prefix = base_url.rstrip("/") + settings.STATIC_URL

    class StaticFilesFetcher(URLFetcher):
        """The portal's own static files (the print stylesheet) straight from disk, collected
        or not, and nothing else: the PDF never fetches anything from the network."""

        def fetch(self, url: str, headers=None) -> URLFetcherResponse:
            if url.startswith(static_prefix):
                path = _static_file(urlsplit(url).path.removeprefix(settings.STATIC_URL))
                if path is not None:
                    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
            raise ValueError(f"The report's PDF loads only the portal's static files, not {url}")

    html = render_to_string("reporting/annual_report_pdf.html", {"report": report.annual_report(year)}, request)
    # A missing stylesheet is an error, not a quietly unstyled report.
    fetcher = StaticFilesFetcher(fail_on_errors=True)
    # PDF/UA-1: a tagged PDF (headings, tables with their header cells, reading order, the language
    # and the title), so screen readers can read it (the accessibility statement).
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(pdf_variant="pdf/ua-1")


@require_safe
def annual_report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    _require_reader(request)
    period = _year(year)
    response = HttpResponse(report_pdf(request, period), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="protocol-report-{period.key}.pdf"'
    return response

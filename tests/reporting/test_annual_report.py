"""The annual protocol-effectiveness report (DESIGN §7; 000 §II.A): the printable page and the
PDF, always the committee's published version (suppressed, no names), for a municipal year
beside the one before."""

import contextlib
import re
import zlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse

from cases.concerns import services as concern_services
from cases.enquiries.services import enquiry_answer, enquiry_file
from cases.models import Purpose
from cases.positive import services as positive_services
from people.models import Member, Officer
from reporting import summaries
from reporting.annual_report.report import NOT_IN_REPORT, annual_report, change
from reporting.disclosure import Cell
from reporting.figures import DEFINITIONS
from reporting.periods import municipal_year

LONDON = ZoneInfo("Europe/London")


def london(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=LONDON)


def enquiries(org, *moments: datetime) -> None:
    """One enquiry received at each moment, answered an hour later (on time)."""
    for n, moment in enumerate(moments):
        enquiry = enquiry_file(
            member=org.councillor,
            subject=f"Pothole {n}",
            details="Please look at it.",
            service=org.highways,
            purpose=Purpose.INFORMATION,
            now=moment,
        )
        enquiry_answer(
            enquiry=enquiry,
            actor=org.liaison.user,
            text="Fixed.",
            marking="public",
            contains_personal_data=False,
            now=moment.replace(hour=moment.hour + 1),
        )


def positive_example(org, *, title: str, what_happened: str, publishable: bool, at: datetime):
    example = positive_services.positive_example_record(
        recorded_by=org.councillor.user,
        title=title,
        what_happened=what_happened,
        happened_on=at.date(),
        service=org.highways,
        members=[org.councillor],
        officers=[org.head],
        now=at,
    )
    example = positive_services.positive_example_forward(
        example=example, actor=example.assistant_director.user, comment="Joint working at its best.", now=at
    )
    return positive_services.positive_example_acknowledge(
        example=example, actor=org.monitoring.user, comment="Thank you.", publishable=publishable, now=at
    )


@pytest.fixture
def two_years(org):
    """2025/26: eight enquiries (from 1 May 2025 to 30 April 2026), two concerns, two positive
    examples of which one is for publication. 2024/25: six enquiries, no concerns."""
    enquiries(org, *[london(2025, 6, 2) for _ in range(6)], london(2025, 5, 1), london(2026, 4, 30))
    enquiries(org, *[london(2024, 6, 3) for _ in range(5)], london(2025, 4, 30))
    for n in range(2):
        concern_services.concern_raise(
            raised_by=org.liaison.user,
            about_member=org.councillor,
            occurred_on=date(2025, 9, 1),
            what_happened=f"Raised voice at a site visit {n}.",
            feels_able_to_talk=True,
            now=london(2025, 9, 1 + n),
        )
    positive_example(
        org,
        title="Flood response together",
        what_happened="The ward councillor and the highways team cleared the drains before the storm.",
        publishable=True,
        at=london(2025, 11, 3),
    )
    positive_example(
        org,
        title="A private thank-you",
        what_happened="Not for publication.",
        publishable=False,
        at=london(2025, 12, 1),
    )
    positive_example(
        org,
        title="Last year's good turn",
        what_happened="From the year before.",
        publishable=True,
        at=london(2024, 10, 1),
    )
    summaries.rebuild()
    return org


def names_of_people() -> list[str]:
    names = [member.user.get_full_name() for member in Member.objects.select_related("user")]
    names += [officer.user.get_full_name() for officer in Officer.objects.select_related("user")]
    return [name for name in names if name.strip()]


def headline(html: str, label: str) -> list[str]:
    """The cells of the row of the year-on-year table headed ``label``."""
    row = re.search(rf"<th scope=\"row\" class=\"govuk-table__header\">{re.escape(label)}</th>(.*?)</tr>", html, re.S)
    assert row, f"no row {label!r}"
    return [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]


def test_it_shows_the_year_beside_the_previous_year(client, two_years):
    client.force_login(two_years.standards_member.user)
    response = client.get(reverse("reporting:annual_report", args=[2025]))
    assert response.status_code == 200
    html = response.content.decode()
    assert settings.COUNCIL_NAME in html
    assert "Member-Officer Protocol: annual effectiveness report" in html
    assert "Municipal year 2025/26" in html
    assert "1 May 2025 to 30 April 2026" in html
    # 1 May 2025 and 30 April 2026 are both in 2025/26; 30 April 2025 is in 2024/25.
    # Last year's 6 was 5 and 1 by month, shown as "suppressed" and "fewer than 5": beside a
    # total of 6 they could only be 5 and 1, so the total is withheld too (issue 15 B8).
    assert headline(html, "Enquiries received") == ["8", "suppressed", "not shown"]
    # Last year's rate is 6 on time of 6: with the 6 withheld, so is the rate that gives it back.
    assert headline(html, "Answered or given a holding reply within five working days") == [
        "100.0%",
        "too few to show",
        "not shown",
    ]
    assert reverse("reporting:annual_report_pdf", args=[2025]) in html


def test_it_suppresses_small_counts_and_the_change_that_would_reveal_them(client, two_years):
    client.force_login(two_years.standards_member.user)
    html = client.get(reverse("reporting:annual_report", args=[2025])).content.decode()
    assert headline(html, "Concerns opened") == ["fewer than 5", "0", "not shown"]
    ladder = html.split("How far concerns climbed, 2025/26")[1].split("</table>")[0]
    assert "fewer than 5" in ladder
    assert ">2<" not in ladder


def test_it_publishes_only_the_examples_the_monitoring_officer_approved(client, two_years):
    client.force_login(two_years.standards_member.user)
    html = client.get(reverse("reporting:annual_report", args=[2025])).content.decode()
    assert "Flood response together" in html
    assert "cleared the drains before the storm" in html
    assert "Highways, November 2025" in html
    assert "A private thank-you" not in html
    assert "Last year&#x27;s good turn" not in html and "Last year's good turn" not in html


@pytest.mark.parametrize("reader", ["standards_member", "monitoring", "chief"])
def test_it_names_no_one_whoever_reads_it(client, two_years, reader):
    client.force_login(getattr(two_years, reader).user)
    html = client.get(reverse("reporting:annual_report", args=[2025])).content.decode()
    # The Monitoring Officer and the Chief Executive get the published version too.
    assert headline(html, "Concerns opened")[0] == "fewer than 5"
    names = names_of_people()
    assert names
    for name in names:
        assert name not in html
    assert "Cllr" not in html


def test_it_explains_every_figure_in_an_annex(client, two_years):
    client.force_login(two_years.standards_member.user)
    html = client.get(reverse("reporting:annual_report", args=[2025])).content.decode()
    annex = html.split("Annex: how these are counted")[1]
    for key, text in DEFINITIONS.items():
        if key not in NOT_IN_REPORT:
            assert text.replace("“", "&ldquo;") in annex or text in annex, key
    assert "fewer than 5" in annex
    assert "1 May to 30 April" in annex


def test_it_lists_the_years_with_data(client, two_years):
    client.force_login(two_years.standards_member.user)
    html = client.get(reverse("reporting:annual_reports")).content.decode()
    assert "Report for 2025/26" in html
    assert "Report for 2024/25" in html
    assert "Report for 2023/24" not in html
    assert reverse("reporting:annual_report", args=[2024]) in html
    assert reverse("reporting:annual_report_pdf", args=[2025]) in html


def test_it_has_no_report_for_a_year_without_data_or_not_yet_begun(client, two_years):
    client.force_login(two_years.standards_member.user)
    assert client.get(reverse("reporting:annual_report", args=[2010])).status_code == 404
    assert client.get(reverse("reporting:annual_report", args=[2099])).status_code == 404
    assert client.get(reverse("reporting:annual_report_pdf", args=[2099])).status_code == 404


@pytest.mark.parametrize("outsider", ["councillor", "head", "stranger"])
def test_it_refuses_everyone_else(client, org, outsider):
    person = getattr(org, outsider)
    client.force_login(getattr(person, "user", person))
    assert client.get(reverse("reporting:annual_reports")).status_code == 403
    assert client.get(reverse("reporting:annual_report", args=[2025])).status_code == 403
    assert client.get(reverse("reporting:annual_report_pdf", args=[2025])).status_code == 403


def pdf_text(pdf: bytes) -> bytes:
    """Every compressed stream of the PDF, inflated (WeasyPrint compresses its objects)."""
    inflated = [pdf]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        with contextlib.suppress(zlib.error):
            inflated.append(zlib.decompress(stream.group(1)))
    return b"\n".join(inflated)


def test_it_renders_the_report_as_a_pdf(client, two_years):
    client.force_login(two_years.standards_member.user)
    response = client.get(reverse("reporting:annual_report_pdf", args=[2025]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="protocol-report-2025-26.pdf"'
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert settings.COUNCIL_NAME.encode() in text
    # A title page, then the summary, enquiries, concerns, examples and the annex.
    assert len(re.findall(rb"/Type\s*/Page\b", text)) >= 6


def test_it_tags_the_pdf_for_screen_readers(client, two_years):
    client.force_login(two_years.standards_member.user)
    text = pdf_text(client.get(reverse("reporting:annual_report_pdf", args=[2025])).content)
    # PDF/UA-1: a structure tree of headings and tables with header cells, the language, and
    # the title shown instead of the file name.
    assert b"pdfuaid:part" in text
    assert b"/StructTreeRoot" in text
    assert re.search(rb"/MarkInfo\s*<<\s*/Marked\s+true", text)
    assert re.search(rb"/Lang\s*\(en-GB\)", text)
    assert b"/DisplayDocTitle true" in text
    assert {b"/H1", b"/Table", b"/TH", b"/TD"} <= set(re.findall(rb"/S\s*(/\w+)", text))


def test_it_styles_the_pdf_from_static_files_not_collected(client, two_years, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "nothing-collected"
    client.force_login(two_years.monitoring.user)
    response = client.get(reverse("reporting:annual_report_pdf", args=[2025]))
    assert response.content.startswith(b"%PDF")
    # The print stylesheet (found in static/, not STATIC_ROOT) starts each section on a new page.
    assert len(re.findall(rb"/Type\s*/Page\b", pdf_text(response.content))) >= 6


def test_it_words_the_change_from_last_year():
    assert change(Cell(12), Cell(9)) == "up 3"
    assert change(Cell(9), Cell(12)) == "down 3"
    assert change(Cell(1_200), Cell(1_200)) == "no change"
    assert change(Cell(3, text="fewer than 5", suppressed=True), Cell(9)) == "not shown"
    percent = Cell(82.5, text="82.5%", is_count=False, base=40)
    assert change(percent, Cell(80.0, text="80.0%", is_count=False, base=40)) == "up 2.5 percentage points"
    median = Cell(3.0, text="3", is_count=False, base=40)
    assert change(median, Cell(4.0, text="4", is_count=False, base=40)) == "down 1 working day"
    assert change(Cell(None, text="–", is_count=False, base=0), median) == "not shown"


def test_it_counts_the_report_for_a_year_without_a_previous_one(two_years):
    report = annual_report(municipal_year(2024))
    figures = {comparison.label: comparison for comparison in report.enquiries}
    # 5 in June and 1 in April: beside a total of 6 they could be nothing else (issue 15 B8).
    assert figures["Enquiries received"].this_year.text == "suppressed"
    assert figures["Enquiries received"].last_year.text == "0"
    assert [example.title for example in report.examples] == ["Last year's good turn"]
    assert report.filename == "protocol-report-2024-25.pdf"


def test_it_costs_a_fixed_number_of_queries(client, two_years, django_assert_max_num_queries):
    client.force_login(two_years.standards_member.user)
    client.get(reverse("reporting:annual_reports"))
    # Two years of figures from the summary tables and the briefings, the examples and the people
    # they link (whose names the report removes), the years: whatever the data size.
    with django_assert_max_num_queries(30):
        assert client.get(reverse("reporting:annual_report", args=[2025])).status_code == 200
    for n in range(3):
        positive_example(
            org=two_years, title=f"More {n}", what_happened="Good.", publishable=True, at=london(2025, 8, 1)
        )
    enquiries(two_years, *[london(2025, 7, 1) for _ in range(5)])
    summaries.rebuild()
    with django_assert_max_num_queries(30):
        assert client.get(reverse("reporting:annual_report", args=[2025])).status_code == 200


def test_it_publishes_an_example_without_the_names_written_in_its_account(client, two_years):
    """DESIGN §7: no names on the committee's pages, even where the account names people.
    The linked councillor and officer become their part; a titled name becomes "someone"."""
    org = two_years
    councillor, head = org.councillor.user, org.head.user
    positive_example(
        org,
        title=f"Thanks to {head.get_full_name()}",
        what_happened=(
            f"{councillor.get_full_name()} and {head.get_full_name()} met residents; Cllr {councillor.last_name}"
            f" thanked Mrs Obi of the residents' association."
        ),
        publishable=True,
        at=london(2025, 11, 10),
    )
    client.force_login(org.standards_member.user)
    html = client.get(reverse("reporting:annual_report", args=[2025])).content.decode()
    assert "Thanks to an officer" in html
    assert "a councillor and an officer met residents; a councillor thanked someone of the" in html
    for name in (councillor.get_full_name(), head.get_full_name(), councillor.last_name, "Obi"):
        assert name not in html

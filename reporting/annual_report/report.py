"""The annual protocol-effectiveness report (DESIGN §7; 000 §II.A, §VII; 004).

The Standards Committee reports on the protocol to the Audit Committee and for the
Annual Governance Statement, so the report is written for publication: it is always
the committee's version of the figures (``reporting.figures.COMMITTEE``), with
disclosure control and no names, whoever prints it. ``annual_report(year)`` gathers
what the page and the PDF show: the year's headline figures beside the previous
year's, the tables behind the charts, the ladder, the positive examples the
Monitoring Officer approved for publication, and the definitions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Max, Min
from django.utils import timezone

from cases.models import PositiveExample
from reporting import charts
from reporting.disclosure import FEWER_THAN, THRESHOLD, Cell, Table
from reporting.figures import COMMITTEE, Dashboard, dashboard, publishable_examples
from reporting.models import DailyCount
from reporting.periods import Period, municipal_year, municipal_year_of

# The figures a year is compared on, by the dashboard's labels, with the report's words for
# them. "Overdue now" is left out: it is a live count of open cases, not a figure of the year.
# Patterns and sanctions are counted as they stood at the end of each year.
ENQUIRY_FIGURES = {
    "Enquiries received": "Enquiries received",
    "Answered or holding reply within five working days": "Answered or given a holding reply within five working days",
    "Answered by the date promised": "Answered by the date promised",
    "Agreed extensions": "Later dates agreed with the councillor or approved by a manager",
    "Median working days to answer": "Median working days to answer",
    "Escalations": "Escalations",
    "Declined as inappropriate": "Declined as inappropriate",
    "Chief Executive referrals": "Referred to the Chief Executive",
}
CONCERN_FIGURES = {
    "Concerns opened": "Concerns opened",
    "Safeguarding flags": "Safeguarding flags",
    "Median working days to an outcome": "Median working days to an outcome",
    "Patterns flagged now": "Patterns flagged at the end of the year",
    "Contact prohibitions in force": "Contact prohibitions in force at the end of the year",
    "Other sanctions in the last twelve months": "Other sanctions in the twelve months to the end of the year",
    "Positive examples recorded": "Positive examples recorded",
}
# The dashboard's tables the report prints, in its order (reporting.figures).
ENQUIRY_TABLES = ["by_month", "promised", "by_directorate", "escalations"]
CONCERN_TABLES = ["concerns_by_kind", "ladder", "outcomes", "behaviours"]
# What each definition in the annex is about (reporting.figures.DEFINITIONS).
DEFINITION_TITLES = {
    "enquiries": "Enquiries received and answered on time",
    "promised": "Answered by the date promised",
    "extensions": "Agreed extensions",
    "median": "Median working days to answer",
    "overdue": "Overdue enquiries",
    "escalations": "Escalations",
    "declines": "Declines and Chief Executive referrals",
    "concerns": "Concerns opened",
    "ladder": "How far concerns climbed",
    "outcomes": "Outcomes",
    "behaviours": "Behaviours cited",
    "resolve": "Median working days to an outcome",
    "patterns": "Patterns",
    "sanctions": "Sanctions",
    "positive": "Positive examples",
    "trend": "The on-time trend",
}
# Definitions of figures the report does not print (see ENQUIRY_FIGURES).
NOT_IN_REPORT = {"overdue"}
DISCLOSURE_RULE = (
    f"The report is published, so no one is named in it and any count from 1 to {THRESHOLD - 1} shows as "
    f"“{FEWER_THAN}”. Where a total would give a withheld count away, another small count in the same row or "
    "column is withheld too. A percentage or median worked out from fewer than five cases is not shown, and "
    "neither is the change from the previous year when either year's figure is withheld. Where an exact "
    "percentage would give a count of fewer than 5 away, it shows as a band, such as “85% or more”, that holds "
    "every percentage a count from 1 to 4 could give."
)
YEAR_RULE = (
    "A municipal year runs from 1 May to 30 April, from one annual meeting of the council to the next. "
    "Enquiries count in the year they were received and concerns in the year they were raised, as they stand on "
    "the date the report was produced. Patterns and sanctions are counted as they stood at the end of each year "
    "(for a year not yet over, on the date the report was produced)."
)


@dataclass
class Comparison:
    label: str
    this_year: Cell
    last_year: Cell
    change: str
    definition: str


@dataclass
class Figure:
    """A table of the year's figures, with its chart (SVG drawn on the server by
    reporting.charts) when it has one; the table beside the chart is what screen readers read."""

    table: Table
    chart: str = ""


# A person named by a title and a surname ("Cllr Rahman", "Mrs Doyle"), whoever they are.
TITLED_NAME = re.compile(r"\b(?:Cllr|Councillor|Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?")
COUNCILLOR_TITLES = ("Cllr", "Councillor")


def _without_names(text: str, example: PositiveExample) -> str:
    """``text`` with the names of the people the example links replaced by their part, and any
    titled name ("Cllr …", "Mrs …") by "a councillor" or "someone" (DESIGN §7: no names on the
    committee's pages). The Monitoring Officer is warned when approving it, for the names this
    cannot know (cases.positive.forms)."""
    parts: dict[str, str] = {}
    people = [(member.user, "a councillor") for member in example.members.all()]
    people += [(officer.user, "an officer") for officer in example.officers.all()]
    people.append((example.recorded_by, "the person who recorded it"))
    for user, part in people:
        for name in (user.get_full_name().strip(), user.username):
            if len(name) > 2:
                parts.setdefault(name.casefold(), part)
    if parts:
        # One pass, longest name first, so no replacement is itself matched again.
        names = sorted(parts, key=len, reverse=True)
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(name) for name in names) + r")\b", re.IGNORECASE)
        text = pattern.sub(lambda found: parts[found.group(0).casefold()], text)
    return TITLED_NAME.sub(
        lambda found: "a councillor" if found.group(0).startswith(COUNCILLOR_TITLES) else "someone", text
    )


@dataclass
class Example:
    """A positive example as published: no names, only what the Monitoring Officer approved."""

    title: str
    service: str
    happened_on: date
    what_happened: str


@dataclass
class AnnualReport:
    year: Period
    previous: Period
    produced_on: date
    as_at: date  # the day the year's point-in-time figures are counted on
    figures: Dashboard
    enquiries: list[Comparison] = field(default_factory=list)
    concerns: list[Comparison] = field(default_factory=list)
    enquiry_figures: list[Figure] = field(default_factory=list)
    concern_figures: list[Figure] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)
    definitions: list[tuple[str, str]] = field(default_factory=list)
    disclosure_rule: str = DISCLOSURE_RULE
    year_rule: str = YEAR_RULE

    @property
    def is_complete(self) -> bool:
        return self.as_at == self.year.last_day

    @property
    def filename(self) -> str:
        return f"protocol-report-{self.year.key}.pdf"


def _shown(cell: Cell) -> bool:
    return not cell.suppressed and cell.value is not None


def _plural(amount: float, unit: str) -> str:
    text = f"{amount:g}"
    return f"{text} {unit}" if amount == 1 else f"{text} {unit}s"


def change(this_year: Cell, last_year: Cell) -> str:
    """The change from last year in words; none when either figure is withheld, which
    would otherwise give it away."""
    if not (_shown(this_year) and _shown(last_year)):
        return "not shown"
    difference = this_year.value - last_year.value
    if this_year.is_count:
        amount = f"{abs(difference):,}"
    elif this_year.text.endswith("%"):
        amount = _plural(round(abs(difference), 1), "percentage point")
    else:
        amount = _plural(round(abs(difference), 1), "working day")
    if difference == 0:
        return "no change"
    return f"up {amount}" if difference > 0 else f"down {amount}"


def _compare(labels: dict[str, str], this_year: list, last_year: list) -> list[Comparison]:
    before = {label: cell for label, cell, _ in last_year}
    return [
        Comparison(labels[label], cell, before[label], change(cell, before[label]), key)
        for label, cell, key in this_year
        if label in labels
    ]


def _end_of(period: Period, now: datetime) -> datetime:
    """The last moment of the period (30 April, 23:59), or now if it has not ended."""
    ended = timezone.make_aware(datetime.combine(period.last_day, time.max))
    return min(ended, now)


def years_with_data(*, today: date) -> list[Period]:
    """The municipal years a report can be produced for, newest first: from the first
    year with any counted enquiry or concern to this one (one query)."""
    span = DailyCount.objects.aggregate(first=Min("day"), last=Max("day"))
    this_year = municipal_year_of(today)
    if span["first"] is None:
        return [this_year]
    first = municipal_year_of(min(span["first"], today)).start.year
    return [municipal_year(year) for year in range(this_year.start.year, first - 1, -1)]


def _draw_charts(report: AnnualReport) -> None:
    """The dashboard's three charts (reporting.charts), each above its table."""
    figures, label = report.figures, report.year.label
    by_slug = {figure.table.slug: figure for figure in [*report.enquiry_figures, *report.concern_figures]}
    by_slug["by_month"].chart = charts.trend_chart(figures.trend, period_label=label)
    directorates = by_slug["by_directorate"].table
    by_slug["by_directorate"].chart = charts.directorate_chart(
        [row for n, row in enumerate(directorates.rows) if n != directorates.total_row], period_label=label
    )
    by_slug["ladder"].chart = charts.ladder_chart(by_slug["ladder"].table.rows, period_label=label)


def annual_report(year: Period, *, now: datetime | None = None) -> AnnualReport:
    """The report for municipal year ``year``, always the committee's version (published)."""
    now = now or timezone.now()
    previous = year.previous()
    this_figures = dashboard(year, audience=COMMITTEE, now=_end_of(year, now))
    last_figures = dashboard(previous, audience=COMMITTEE, now=_end_of(previous, now))
    produced_on = timezone.localdate(now)
    report = AnnualReport(
        year=year,
        previous=previous,
        produced_on=produced_on,
        as_at=min(year.last_day, produced_on),
        figures=this_figures,
        enquiries=_compare(ENQUIRY_FIGURES, this_figures.headline, last_figures.headline),
        concerns=_compare(CONCERN_FIGURES, this_figures.concern_headline, last_figures.concern_headline),
        enquiry_figures=[Figure(this_figures.tables[slug]) for slug in ENQUIRY_TABLES],
        concern_figures=[Figure(this_figures.tables[slug]) for slug in CONCERN_TABLES],
    )
    _draw_charts(report)
    # 000 §VI and DESIGN §7: only what the Monitoring Officer approved for publication, and
    # only its title, service and account, never the people it names in its links.
    report.examples = [
        Example(
            title=_without_names(example.title, example),
            service=example.service.name,
            happened_on=example.happened_on,
            what_happened=_without_names(example.what_happened, example),
        )
        for example in publishable_examples(year)
    ]
    report.definitions = [
        (DEFINITION_TITLES.get(key, key.capitalize()), text)
        for key, text in this_figures.definitions.items()
        if key not in NOT_IN_REPORT
    ]
    return report

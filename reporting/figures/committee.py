"""The committee's version of the page (DESIGN §7): disclosure control over the whole page."""

from __future__ import annotations

from reporting.disclosure import Cell, protect_lines, same_figure, suppress, suppress_figure, withhold_rate
from reporting.figures.definitions import Dashboard


def control_disclosure(result: Dashboard, *, directorate_parts: list[tuple[list[Cell], list[list[Cell]]]]) -> None:
    """Disclosure control over the committee's whole page, not table by table: a count
    hidden in one place must not be worked out from figures elsewhere on the page.

    - The same figure in several places (the period's received, on time, missed and
      escalations in the headline and in the totals of the directorate, service and month
      tables; concerns opened) is hidden everywhere if hidden anywhere.
    - A directorate's row is the sum of its services' rows in the other table; received
      is on time plus missed (once nothing is pending): these are lines with a total too.
    - A percentage is withheld with fewer than five cases, or when its on time or missed
      count is hidden (with the base beside it, it would give them back); the headline and
      the trend follow the tables.
    """
    tables = result.tables
    enquiry_tables = [tables[slug] for slug in ("by_directorate", "by_service", "by_month")]
    totals = [table.rows[table.total_row][1] for table in enquiry_tables]
    headline = {label: cell for label, cell, _ in result.headline}
    concern_headline = {label: cell for label, cell, _ in result.concern_headline}
    briefing_headline = {label: cell for label, cell, _ in result.briefing_headline}
    briefing_rows = tables["briefings"].rows
    same = [
        [headline["Enquiries received"], *(cells[0] for cells in totals)],
        [cells[1] for cells in totals],
        [cells[2] for cells in totals],
        [headline["Escalations"], tables["escalations"].rows[-1][1][0], *(cells[5] for cells in totals[:2])],
        [concern_headline["Concerns opened"], tables["concerns_by_kind"].rows[-1][1][0]],
        [briefing_headline["Briefings offered to political groups"], briefing_rows[2][1][0]],
        [briefing_headline["Briefings not offered to every group"], briefing_rows[1][1][0]],
    ]
    lines = [cells[:3] for table in enquiry_tables for _, cells in table.rows]
    for total, parts in directorate_parts:
        lines += [[total[column], *(cells[column] for cells in parts)] for column in (0, 1, 2, 5)]
    for _, cell, _ in [*result.headline, *result.concern_headline, *result.briefing_headline]:
        suppress_figure(cell)
    changed = True
    while changed:
        for table in tables.values():
            suppress(table)
        changed = protect_lines(lines)
        for cells in same:
            changed |= same_figure(cells)
    for table in enquiry_tables:
        for _, cells in table.rows:
            withhold_rate(cells[3], cells[1], cells[2])
    withhold_rate(headline["Answered or holding reply within five working days"], totals[0][3])
    months = tables["by_month"].rows
    result.trend = [
        (label, None if cells[3].suppressed else rate, base)
        for (label, rate, base), (_, cells) in zip(result.trend, months, strict=False)
    ]

"""The committee's version of the page (DESIGN §7): disclosure control over the whole page."""

from __future__ import annotations

from reporting.disclosure import (
    BAND_NOTE,
    Cell,
    band_rate,
    protect_lines,
    same_band,
    same_figure,
    suppress,
    suppress_figure,
    withhold_rate,
)
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
    - Where one of those two counts is "fewer than 5" and the other hidden too, the percentage
      shows as a band instead (issue 15 B9, ``band_rate``), once every cell is final.
    - Answered by the date promised (issue 15 B7) is on time's twin: its months are lines with
      the month's received, its total the headline's, and the agreed extensions the same.
    """
    tables = result.tables
    enquiry_tables = [tables[slug] for slug in ("by_directorate", "by_service", "by_month")]
    totals = [table.rows[table.total_row][1] for table in enquiry_tables]
    promised = tables["promised"]
    promised_total = promised.rows[promised.total_row][1]
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
        [headline["Agreed extensions"], promised_total[3]],
    ]
    lines = [cells[:3] for table in enquiry_tables for _, cells in table.rows]
    # A month's received holds its answers by the date promised and after it, as it holds on time and missed.
    lines += [
        [month[0], *kept_and_broken[:2]]
        for (_, month), (_, kept_and_broken) in zip(tables["by_month"].rows, promised.rows, strict=True)
    ]
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
            band_rate(withhold_rate(cells[3], cells[1], cells[2]), cells[1], cells[2])
    for _, cells in promised.rows:
        band_rate(withhold_rate(cells[2], cells[0], cells[1]), cells[0], cells[1])
    # The headline's rates are the totals' (the trend reads the month table's own cells).
    same_band(headline["Answered or holding reply within five working days"], totals[0][3])
    same_band(headline["Answered by the date promised"], promised_total[2])
    for table in [*enquiry_tables, promised]:
        if any(cell.band for _, cells in table.rows for cell in cells) and BAND_NOTE not in table.notes:
            table.notes.append(BAND_NOTE)

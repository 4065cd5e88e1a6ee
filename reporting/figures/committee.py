"""The committee's version of the page (DESIGN §7): disclosure control over the whole page."""

from __future__ import annotations

from reporting.disclosure import (
    BAND_NOTE,
    Cell,
    band_rate,
    protect_lines,
    protect_page,
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
    - A directorate's row is the sum of its services' rows in the other table: lines with a
      total too. A row's received is at least its on time plus missed (the rest are not due
      yet, or were withdrawn in time): a relation that holds one way.
    - No hidden count may be pinned to one value by a reader who combines all of these with
      the tables' totals and what each hidden count says of itself (1 to 4, or 5 or more):
      ``protect_page`` hides more until none is (issue 15 B8).
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
    # A row's received holds its on time and missed, and maybe more (not due yet, or withdrawn in
    # time); a month's received holds its answers by the date promised and after it, the same way.
    at_most = [cells[:3] for table in enquiry_tables for _, cells in table.rows]
    at_most += [
        [month[0], *kept_and_broken[:2]]
        for (_, month), (_, kept_and_broken) in zip(tables["by_month"].rows, promised.rows, strict=True)
    ]
    lines = [
        [total[column], *(cells[column] for cells in parts)]
        for total, parts in directorate_parts
        for column in (0, 1, 2, 5)
    ]
    # The rates that may show as bands (band_rate below): a band says what its base can be.
    rates = [(cells[1], cells[2]) for table in enquiry_tables for _, cells in table.rows]
    rates += [(cells[0], cells[1]) for _, cells in promised.rows]
    for _, cell, _ in [*result.headline, *result.concern_headline, *result.briefing_headline]:
        suppress_figure(cell)
    changed = True
    while changed:
        for table in tables.values():
            suppress(table)
        changed = protect_lines(lines)
        for cells in same:
            changed |= same_figure(cells)
        if not changed:
            # The whole page at once: every table's sums, the lines across tables, one figure
            # shown twice, each row's received against its on time and missed, and what each
            # band says of its base (issue 15 B8).
            twice = [[cells[0], other] for cells in same for other in cells[1:]]
            changed = protect_page(list(tables.values()), [*lines, *twice], at_most, rates)
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

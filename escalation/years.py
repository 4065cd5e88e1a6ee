"""The years a date in the portal may fall in.

The working-day calendar steps a day at a time and cannot pass 31 December 9999
(OverflowError), and no council business is dated centuries away. ClosureDay and the
date fields of cases' forms refuse a date outside these years. A module of its own, so
the calendar and the models both import it and neither imports the other for it.
"""

FIRST_YEAR, LAST_YEAR = 1900, 2100

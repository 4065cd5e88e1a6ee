"""The figures on the dashboards and in the annual report (DESIGN §7; 000 §VII, 004).

``dashboard(period, directorate=…, audience=…)`` answers everything from the summary
tables (``reporting.summaries``) plus a few small live counts, in a fixed number of
queries whatever the data size. Each table carries its definition: the "how this is
counted" note the page shows beside it. For the Standards Committee (``COMMITTEE``)
every table goes through disclosure control and carries no names; the Monitoring
Officer and Chief Executive (``OPERATIONAL``) see the numbers as they are, with
drill-down to the cases behind them.

One module a subject, the public names re-exported here (``from reporting.figures
import dashboard``): ``audiences`` (who gets which version), ``definitions`` (names,
definitions and the ``Dashboard``), ``counting`` (sums over the summary tables),
``enquiries``, ``concerns`` and ``briefings`` (the figures), ``committee`` (disclosure
control over the whole page) and ``gather`` (``dashboard`` itself).
"""

from reporting.figures.audiences import COMMITTEE, OPERATIONAL, audience_for
from reporting.figures.concerns import publishable_examples
from reporting.figures.definitions import DEFINITIONS, OUTCOME_NAMES, RUNG_NAMES, STAGE_NAMES, Dashboard
from reporting.figures.gather import dashboard

__all__ = [
    "COMMITTEE",
    "DEFINITIONS",
    "OPERATIONAL",
    "OUTCOME_NAMES",
    "RUNG_NAMES",
    "STAGE_NAMES",
    "Dashboard",
    "audience_for",
    "dashboard",
    "publishable_examples",
]

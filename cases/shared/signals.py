"""How one domain of cases tells another that something happened, without importing it.

``contact_prohibition_recorded``: a formal sanction (cases.concerns) has just made a
contact prohibition; open enquiries whose owner it covers move to the Monitoring
Officer's office at once (DESIGN §5; cases.enquiries, connected in cases.apps). Sent
inside the sanction's transaction, so the move commits or fails with it. Arguments:
``prohibition``, ``actor``, ``now``."""

from __future__ import annotations

from django.dispatch import Signal

contact_prohibition_recorded = Signal()

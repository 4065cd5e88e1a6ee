"""Signals escalation sends. Other apps connect to them; escalation never imports
those apps (DESIGN §8)."""

from django.dispatch import Signal

# Sent when administrators change which days are working days (a closure day added,
# removed or moved), inside the transaction that made the change and after the write,
# so a receiver that fails rolls the change back. Keyword arguments:
#   days:  list[date], the dates that became or stopped being working days
#   actor: the user who made the change
# cases connects to it to recompute the due dates of open enquiries (001 §7.1).
working_days_changed = Signal()

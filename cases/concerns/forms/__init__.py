"""The forms of concerns: raising one and its steps (``concern``), and the Monitoring
Officer's outcomes (``sanctions``)."""

from cases.concerns.forms.concern import ConcernForm, HandlerForm, ReferralForm, TextForm, concern_list_form
from cases.concerns.forms.sanctions import (
    InformalActionForm,
    ProhibitionEndForm,
    ProhibitionExtendForm,
    SanctionsForm,
)

__all__ = [
    "ConcernForm",
    "HandlerForm",
    "InformalActionForm",
    "ProhibitionEndForm",
    "ProhibitionExtendForm",
    "ReferralForm",
    "SanctionsForm",
    "TextForm",
    "concern_list_form",
]

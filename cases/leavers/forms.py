"""The form for a councillor leaving office (003): their last day, and for each enquiry they
filed that is not yet closed, a successor or the reason for closing it.
"""

from __future__ import annotations

from django import forms

from cases.shared.forms import VersionedForm, date_field

HAND_OVER, CLOSE = "hand_over", "close"


class LeaveOfficeForm(VersionedForm):
    """Democratic Services records a councillor's last day in office and says, for each of
    their enquiries not yet closed, who takes it on or why it closes (003; cases.leavers)."""

    left_on = date_field(
        "Last day in office",
        help_text="Their access to the portal ends after this day. For example, 7 5 2027.",
    )

    def __init__(self, *args, enquiries, successors: tuple[list, list], suggested=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.enquiries = list(enquiries)
        colleagues, others = successors
        choices = [("", "Choose a councillor")]
        if colleagues:
            choices.append(("Ward colleagues", [(str(m.pk), f"{m} (ward colleague)") for m in colleagues]))
        if others:
            choices.append(("Other councillors", [(str(m.pk), str(m)) for m in others]))
        self.successors = {str(m.pk): m for m in [*colleagues, *others]}
        self.rows = []
        for enquiry in self.enquiries:
            key = enquiry.pk
            self.fields[f"action_{key}"] = forms.ChoiceField(
                label=f"What happens to {enquiry.reference}?",
                choices=[(HAND_OVER, "Hand it to another councillor"), (CLOSE, "Close it")],
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose whether {enquiry.reference} is handed on or closed"},
            )
            self.fields[f"successor_{key}"] = forms.ChoiceField(
                label=f"Councillor who takes on {enquiry.reference}",
                choices=choices,
                required=False,
                widget=forms.Select(attrs={"class": "govuk-select"}),
                error_messages={"invalid_choice": "Choose a councillor in office from the list"},
            )
            self.fields[f"reason_{key}"] = forms.CharField(
                label=f"Reason or note for {enquiry.reference}",
                help_text="Needed when it is closed. The councillor who takes it on, and the officer, see it.",
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "govuk-textarea"}),
            )
            if suggested is not None and not self.is_bound:
                self.initial.setdefault(f"successor_{key}", str(suggested.pk))
            # Rendered by the template, not a crispy layout: a layout renders its legends and
            # HTML as templates, and an enquiry's subject is the member's own text.
            self.rows.append((enquiry, self[f"action_{key}"], self[f"successor_{key}"], self[f"reason_{key}"]))

    def clean(self):
        data = super().clean()
        self.dispositions = {}
        for enquiry in self.enquiries:
            key = enquiry.pk
            action, successor = data.get(f"action_{key}"), data.get(f"successor_{key}")
            reason = (data.get(f"reason_{key}") or "").strip()
            if action == HAND_OVER:
                if not successor:
                    self.add_error(f"successor_{key}", f"Choose the councillor who takes on {enquiry.reference}")
                    continue
                self.dispositions[key] = (self.successors[successor], reason)
            elif action == CLOSE:
                if not reason:
                    self.add_error(f"reason_{key}", f"Give the reason for closing {enquiry.reference}")
                    continue
                self.dispositions[key] = (None, reason)
        return data

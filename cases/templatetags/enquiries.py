from django import template

register = template.Library()

STATE_TAG_COLOURS = {
    "submitted": "govuk-tag--blue",
    "holding_reply": "govuk-tag--yellow",
    "answered": "govuk-tag--green",
    "declined": "govuk-tag--red",
    "disputed": "govuk-tag--orange",
    "closed": "govuk-tag--grey",
    "withdrawn": "govuk-tag--grey",
}


@register.filter
def state_tag_class(state: str) -> str:
    return STATE_TAG_COLOURS.get(state, "")

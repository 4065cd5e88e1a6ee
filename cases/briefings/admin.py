"""Briefings and their offers, read-only: offers are made only by cases.briefings.services,
which offers every group at once (001 §9.5.2).
"""

from __future__ import annotations

from django.contrib import admin

from cases.briefings.models import Briefing, BriefingOffer
from cases.shared.admin import ReadOnlyAdmin, ReadOnlyInline


class BriefingOfferInline(ReadOnlyInline):
    model = BriefingOffer
    fields = ["group", "offered_at", "response", "responded_by", "responded_at"]


@admin.register(Briefing)
class BriefingAdmin(ReadOnlyAdmin):
    list_display = ["reference", "subject", "takes_place_on", "given_by", "first_offered_to"]
    list_filter = ["kind", "for_leadership"]
    search_fields = ["reference", "subject"]
    list_select_related = ["given_by__user", "first_offered_to"]
    inlines = [BriefingOfferInline]

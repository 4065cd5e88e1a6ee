"""Enquiries in Django admin: read-only. Every change goes through the portal's pages
and services so it is checked and recorded on the timeline (DESIGN §8).

Concerns, sanctions and contact prohibitions are not in the admin at all: they are
need-to-know (DESIGN §4), and an administrator is not on that list. Ward notices are
read-only here: a notice and who was told are the evidence 001 §9.4 asks for. Briefings and
their offers are read-only too: offers are made only by cases.briefing_services, which
offers every group at once (001 §9.5.2). The list of behaviours a concern may cite is
maintained here, by Democratic Services."""

from django.contrib import admin

from cases.models import Behaviour, Briefing, BriefingOffer, Enquiry, TimelineEvent, WardNotice, WardNoticeRecipient
from protocol_portal.kit.admin import PortalModelAdmin


class ReadOnlyAdmin(PortalModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    """Rows shown under their record and never changed here."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class TimelineEventInline(ReadOnlyInline):
    model = TimelineEvent
    fields = ["at", "kind", "actor", "from_state", "to_state", "note"]


@admin.register(Enquiry)
class EnquiryAdmin(ReadOnlyAdmin):
    list_display = ["reference", "subject", "state", "member", "owner", "service", "due_at"]
    list_filter = ["state", "purpose", "service__directorate", "service"]
    search_fields = ["reference", "subject"]
    list_select_related = ["member__user", "owner__user", "service"]
    inlines = [TimelineEventInline]


@admin.register(TimelineEvent)
class TimelineEventAdmin(ReadOnlyAdmin):
    list_display = ["enquiry", "at", "kind", "actor"]
    list_filter = ["kind"]
    search_fields = ["enquiry__reference", "note"]
    list_select_related = ["enquiry", "actor"]

    def get_queryset(self, request):
        # Enquiries' events only: a concern's timeline is need-to-know (DESIGN §4).
        return super().get_queryset(request).filter(enquiry__isnull=False)


@admin.register(Behaviour)
class BehaviourAdmin(PortalModelAdmin):
    """The maintained list of behaviours a concern may cite (DESIGN §4). Untick "is active"
    rather than delete: past concerns keep what they cited."""

    list_display = ["name", "source", "citation", "position", "is_active"]
    list_filter = ["source", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name", "description"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


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


class WardNoticeRecipientInline(ReadOnlyInline):
    model = WardNoticeRecipient
    fields = ["member", "group_name", "ward_names", "notified_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member__user")


@admin.register(WardNotice)
class WardNoticeAdmin(ReadOnlyAdmin):
    # The file is served only by the notice's page (cases.views.notice), never a media URL.
    fields = ["reference", "kind", "title", "concerns_on", "summary", "wards", "sent_by", "sent_at", "sent_late"]
    list_display = ["reference", "title", "kind", "concerns_on", "sent_by", "sent_at", "sent_late"]
    list_filter = ["kind", "sent_late", "wards"]
    search_fields = ["reference", "title"]
    list_select_related = ["sent_by"]
    inlines = [WardNoticeRecipientInline]

"""Every page of cases, by domain. URL names and paths are the contract with the templates
and bookmarks: they do not move when the code does."""

from django.urls import path, register_converter

from cases.briefings import views as briefings
from cases.concerns.views import actions, sanctions
from cases.concerns.views import concern as concerns
from cases.cover import views as cover
from cases.enquiries.views import enquiry, member, officer
from cases.leavers import views as leavers
from cases.monitoring import views as monitoring
from cases.notices import views as notices
from cases.positive import views as positive
from cases.shared import views as notifications


class ReferenceConverter:
    """A case's reference, as cases.shared.references.next_reference makes them (ENQ-2026-00042).
    Anything else finds no page: a stray character (a NUL, which PostgreSQL cannot compare
    with text) never reaches a query."""

    regex = "[A-Z]+-[0-9]+-[0-9]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ReferenceConverter, "reference")

app_name = "cases"

urlpatterns = [
    path("enquiries/", member.my_enquiries, name="my_enquiries"),
    path("enquiries/new/", member.enquiry_new, name="enquiry_new"),
    path("enquiries/<reference:reference>/", enquiry.enquiry_detail, name="enquiry"),
    path("enquiries/<reference:reference>/answer/", enquiry.enquiry_answer, name="enquiry_answer"),
    path("enquiries/<reference:reference>/holding-reply/", enquiry.enquiry_hold, name="enquiry_hold"),
    path("enquiries/<reference:reference>/consent/", enquiry.enquiry_consent, name="enquiry_consent"),
    path("enquiries/<reference:reference>/reassign/", enquiry.enquiry_reassign, name="enquiry_reassign"),
    path("enquiries/<reference:reference>/move/", enquiry.enquiry_move, name="enquiry_move"),
    path("enquiries/<reference:reference>/later-date/", enquiry.enquiry_extension, name="enquiry_extension"),
    path("enquiries/<reference:reference>/decline/", enquiry.enquiry_decline, name="enquiry_decline"),
    path("enquiries/<reference:reference>/dispute/", enquiry.enquiry_dispute, name="enquiry_dispute"),
    path("enquiries/<reference:reference>/decide/", enquiry.enquiry_decide, name="enquiry_decide"),
    path("enquiries/<reference:reference>/reopen/", enquiry.enquiry_reopen, name="enquiry_reopen"),
    path("enquiries/<reference:reference>/close/", enquiry.enquiry_close, name="enquiry_close"),
    path("enquiries/<reference:reference>/withdraw/", enquiry.enquiry_withdraw, name="enquiry_withdraw"),
    path("enquiries/<reference:reference>/attachments/<int:pk>/", enquiry.attachment_download, name="attachment"),
    # Concerns (DESIGN §4)
    path("concerns/", concerns.my_concerns, name="concerns"),
    path("concerns/new/", concerns.concern_new, name="concern_new"),
    path("concerns/<reference:reference>/", concerns.concern_detail, name="concern"),
    path("concerns/<reference:reference>/escalate/", actions.concern_escalate, name="concern_escalate"),
    path("concerns/<reference:reference>/resolve/", actions.concern_resolve, name="concern_resolve"),
    path("concerns/<reference:reference>/informal-action/", actions.concern_informal_action, name="concern_informal"),
    path("concerns/<reference:reference>/formal-action/", actions.concern_formal_action, name="concern_formal"),
    path("concerns/<reference:reference>/sanctions/", actions.concern_sanctions, name="concern_sanctions"),
    path("concerns/<reference:reference>/refer/", actions.concern_refer, name="concern_refer"),
    path("concerns/<reference:reference>/withdraw/", actions.concern_withdraw, name="concern_withdraw"),
    path("concerns/<reference:reference>/share/", actions.concern_share, name="concern_share"),
    path("concerns/<reference:reference>/reassign/", actions.concern_reassign, name="concern_reassign"),
    path("concerns/<reference:reference>/note/", actions.concern_note, name="concern_note"),
    path(
        "concerns/<reference:reference>/evidence/<int:pk>/",
        concerns.evidence_download,
        name="concern_evidence",
    ),
    # The Monitoring Officer (issue 5)
    path("monitoring/", monitoring.triage, name="triage"),
    path("monitoring/sanctions/", sanctions.sanctions_register_view, name="sanctions"),
    path("monitoring/prohibitions/<int:pk>/end/", sanctions.prohibition_end, name="prohibition_end"),
    path("monitoring/prohibitions/<int:pk>/extend/", sanctions.prohibition_extend, name="prohibition_extend"),
    # Positive examples (000 §VI)
    path("positive-examples/", positive.positive_examples, name="positive_examples"),
    path("positive-examples/new/", positive.positive_example_new, name="positive_example_new"),
    path("positive-examples/<reference:reference>/", positive.positive_example_detail, name="positive_example"),
    path(
        "positive-examples/<reference:reference>/forward/",
        positive.positive_example_forward,
        name="positive_example_forward",
    ),
    path(
        "positive-examples/<reference:reference>/record/",
        positive.positive_example_acknowledge,
        name="positive_example_acknowledge",
    ),
    # Briefings offered to every political group (001 §9.2, §9.5.2; 002)
    path("briefings/", briefings.briefings, name="briefings"),
    path("briefings/new/", briefings.briefing_new, name="briefing_new"),
    path("briefings/equal-treatment/", briefings.briefings_compliance, name="briefings_compliance"),
    path("briefings/<reference:reference>/", briefings.briefing_detail, name="briefing"),
    path(
        "briefings/<reference:reference>/offers/<int:pk>/response/",
        briefings.briefing_response,
        name="briefing_response",
    ),
    path(
        "briefings/<reference:reference>/offer-to-groups-left-out/",
        briefings.briefing_offer_left_out,
        name="briefing_offer_left_out",
    ),
    # Ward notices (001 §9.4)
    path("ward-notices/", notices.ward_notices, name="ward_notices"),
    path("ward-notices/sent/", notices.ward_notices_sent, name="ward_notices_sent"),
    path("ward-notices/new/", notices.ward_notice_new, name="ward_notice_new"),
    path("ward-notices/<reference:reference>/", notices.ward_notice_detail, name="ward_notice"),
    path(
        "ward-notices/<reference:reference>/attachment/",
        notices.ward_notice_attachment,
        name="ward_notice_attachment",
    ),
    # A councillor leaves office: their enquiries handed on or closed (003)
    path("councillors/<int:member_id>/leave/", leavers.member_leave, name="member_leave"),
    path("work/", officer.my_work, name="my_work"),
    path("work/service/", officer.service_queue_view, name="service_queue"),
    path("work/service/reassign/", officer.service_queue_reassign, name="service_queue_reassign"),
    # Cover while away (issue 15 C11)
    path("work/cover/", cover.cover_mine, name="cover"),
    path("work/cover/officers/<int:officer_id>/", cover.cover_for, name="cover_for"),
    # Not a case (protocol_portal.middleware.is_case_url): a cover_id, not a pk or reference.
    path("work/cover/<int:cover_id>/end/", cover.cover_end, name="cover_end"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read/", notifications.notifications_mark_read, name="notifications_read"),
]

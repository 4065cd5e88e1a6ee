from django.urls import path

from cases.views import concern, enquiry, member, monitoring, notifications, officer, positive

app_name = "cases"

urlpatterns = [
    path("enquiries/", member.my_enquiries, name="my_enquiries"),
    path("enquiries/new/", member.enquiry_new, name="enquiry_new"),
    path("enquiries/<str:reference>/", enquiry.enquiry_detail, name="enquiry"),
    path("enquiries/<str:reference>/answer/", enquiry.enquiry_answer, name="enquiry_answer"),
    path("enquiries/<str:reference>/holding-reply/", enquiry.enquiry_hold, name="enquiry_hold"),
    path("enquiries/<str:reference>/consent/", enquiry.enquiry_consent, name="enquiry_consent"),
    path("enquiries/<str:reference>/reassign/", enquiry.enquiry_reassign, name="enquiry_reassign"),
    path("enquiries/<str:reference>/decline/", enquiry.enquiry_decline, name="enquiry_decline"),
    path("enquiries/<str:reference>/dispute/", enquiry.enquiry_dispute, name="enquiry_dispute"),
    path("enquiries/<str:reference>/decide/", enquiry.enquiry_decide, name="enquiry_decide"),
    path("enquiries/<str:reference>/reopen/", enquiry.enquiry_reopen, name="enquiry_reopen"),
    path("enquiries/<str:reference>/close/", enquiry.enquiry_close, name="enquiry_close"),
    path("enquiries/<str:reference>/withdraw/", enquiry.enquiry_withdraw, name="enquiry_withdraw"),
    path("enquiries/<str:reference>/attachments/<int:pk>/", enquiry.attachment_download, name="attachment"),
    # Concerns (DESIGN §4)
    path("concerns/", concern.my_concerns, name="concerns"),
    path("concerns/new/", concern.concern_new, name="concern_new"),
    path("concerns/<str:reference>/", concern.concern_detail, name="concern"),
    path("concerns/<str:reference>/escalate/", concern.concern_escalate, name="concern_escalate"),
    path("concerns/<str:reference>/resolve/", concern.concern_resolve, name="concern_resolve"),
    path("concerns/<str:reference>/informal-action/", concern.concern_informal_action, name="concern_informal"),
    path("concerns/<str:reference>/formal-action/", concern.concern_formal_action, name="concern_formal"),
    path("concerns/<str:reference>/sanctions/", concern.concern_sanctions, name="concern_sanctions"),
    path("concerns/<str:reference>/refer/", concern.concern_refer, name="concern_refer"),
    path("concerns/<str:reference>/withdraw/", concern.concern_withdraw, name="concern_withdraw"),
    path("concerns/<str:reference>/share/", concern.concern_share, name="concern_share"),
    path("concerns/<str:reference>/reassign/", concern.concern_reassign, name="concern_reassign"),
    path("concerns/<str:reference>/note/", concern.concern_note, name="concern_note"),
    path("concerns/<str:reference>/evidence/<int:pk>/", concern.evidence_download, name="concern_evidence"),
    # The Monitoring Officer (issue 5)
    path("monitoring/", monitoring.triage, name="triage"),
    path("monitoring/sanctions/", monitoring.sanctions_register_view, name="sanctions"),
    path("monitoring/prohibitions/<int:pk>/end/", monitoring.prohibition_end, name="prohibition_end"),
    # Positive examples (000 §VI)
    path("positive-examples/", positive.positive_examples, name="positive_examples"),
    path("positive-examples/new/", positive.positive_example_new, name="positive_example_new"),
    path("positive-examples/<str:reference>/", positive.positive_example_detail, name="positive_example"),
    path(
        "positive-examples/<str:reference>/forward/", positive.positive_example_forward, name="positive_example_forward"
    ),
    path(
        "positive-examples/<str:reference>/record/",
        positive.positive_example_acknowledge,
        name="positive_example_acknowledge",
    ),
    path("work/", officer.my_work, name="my_work"),
    path("work/service/", officer.service_queue_view, name="service_queue"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read/", notifications.notifications_mark_read, name="notifications_read"),
]

from django.urls import path

from cases.views import enquiry, member, notifications, officer

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
    path("work/", officer.my_work, name="my_work"),
    path("work/service/", officer.service_queue_view, name="service_queue"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read/", notifications.notifications_mark_read, name="notifications_read"),
]

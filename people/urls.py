from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("directory/", views.officer_directory_view, name="officer_directory"),
    path("directory/liaison-officers/", views.liaison_officers_view, name="liaison_officers"),
    path("councillors/", views.member_directory_view, name="member_directory"),
    path("councillors/<int:pk>/", views.member_profile_view, name="member_profile"),
    path("councillors/<int:pk>/edit/", views.member_profile_edit, name="member_profile_edit"),
    path("councillors/<int:pk>/record/", views.member_record_edit, name="member_record_edit"),
    path("members/<int:pk>/photo/", views.member_photo, name="member_photo"),
]

from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("members/<int:pk>/photo/", views.member_photo, name="member_photo"),
]

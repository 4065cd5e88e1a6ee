from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from protocol_portal import views
from protocol_portal.forms import PortalAuthenticationForm, PortalPasswordChangeForm

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(authentication_form=PortalAuthenticationForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(form_class=PortalPasswordChangeForm),
        name="password_change",
    ),
    path("password/changed/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("", include("people.urls")),
    path("", include("cases.urls")),
    path("", include("reporting.urls")),
    path("admin/", admin.site.urls),
]

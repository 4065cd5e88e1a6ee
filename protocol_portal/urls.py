from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from protocol_portal import two_factor, views
from protocol_portal.forms import PortalAuthenticationForm, PortalPasswordChangeForm

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(authentication_form=PortalAuthenticationForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("sign-in/code/", two_factor.two_factor_verify, name="two_factor_verify"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", views.account, name="account"),
    path("account/two-factor/", two_factor.two_factor, name="two_factor"),
    path("account/two-factor/set-up/", two_factor.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/turn-off/", two_factor.two_factor_turn_off, name="two_factor_turn_off"),
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

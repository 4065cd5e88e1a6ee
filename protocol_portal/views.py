from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from escalation.selectors import scheduler_status
from people.roles import Role
from people.selectors import two_factor_device, two_factor_required, user_roles
from protocol_portal.forms import PortalAuthenticationForm
from protocol_portal.home import cards_for, guides_for


def home(request: HttpRequest) -> HttpResponse:
    roles = user_roles(request.user)
    guides = guides_for(roles)
    # A superuser who holds no organisational role still runs the organisation.
    runs_the_portal = request.user.is_superuser or Role.DEMOCRATIC_SERVICES in roles
    if runs_the_portal and Role.DEMOCRATIC_SERVICES not in roles:
        guides += guides_for({Role.DEMOCRATIC_SERVICES})
    context = {"cards": cards_for(guides, request.user), "scheduler": scheduler_status() if runs_the_portal else None}
    return render(request, "home.html", context)


@require_safe
def account(request: HttpRequest) -> HttpResponse:
    """Issue 15 C16: the account area: who you are signed in as, your profile, your password,
    two-factor sign-in and signing out."""
    user = request.user
    member = getattr(user, "member", None)
    roles = sorted(user_roles(user), key=list(Role).index)
    context = {
        "roles": [role.label for role in roles],
        "own_profile": member if member is not None and member.is_in_office() else None,
        "two_factor_on": two_factor_device(user) is not None,
        "two_factor_required": two_factor_required(user),
    }
    return render(request, "registration/account.html", context)


@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "accessibility.html", {"contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL})


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in (AXES_LOCKOUT_CALLABLE): the sign-in page
    saying why and for how long, with 429 Too Many Requests."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    wait = "1 minute" if minutes == 1 else f"{minutes} minutes"
    context = {
        "form": PortalAuthenticationForm(request),
        "next": request.POST.get("next", ""),
        "locked_out": (
            f"There have been too many failed attempts to sign in with this username or from this "
            f"network. Wait {wait}, then try again."
        ),
    }
    return render(request, "registration/login.html", context, status=429)

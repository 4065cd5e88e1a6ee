"""The organisation in Django admin, for a Democratic Services administrator.

Saving anything here re-derives the role groups (people.roles), so making
someone a Head of Service or a Whip gives them that role at once.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from people.models import (
    AuditEvent,
    Committee,
    Directorate,
    Member,
    OfficeHeld,
    Officer,
    OutsideAppointment,
    PoliticalGroup,
    Service,
    StatutoryAppointment,
    Ward,
)
from people.roles import ASSIGNED_ROLES, Role, role_group_name
from people.services import role_groups_sync
from protocol_portal.kit.admin import PortalModelAdmin

admin.site.site_header = "Protocol Portal administration"
admin.site.site_title = "Protocol Portal administration"
admin.site.index_title = "Council organisation and accounts"


class RoleSyncAdmin(PortalModelAdmin):
    """Re-derive role groups once the change (with its inlines and many-to-many fields) is saved."""

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        transaction.on_commit(role_groups_sync)

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        transaction.on_commit(role_groups_sync)

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        transaction.on_commit(role_groups_sync)


@admin.register(Ward)
class WardAdmin(PortalModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class PoliticalGroupForm(forms.ModelForm):
    class Meta:
        model = PoliticalGroup
        fields = ["name", "short_name", "leader", "whips", "formed_on", "dissolved_on"]

    def clean(self):
        cleaned = super().clean()
        whips = cleaned.get("whips")
        if whips is not None and self.instance.pk:
            outsiders = [str(whip) for whip in whips if whip.group_id != self.instance.pk]
            if outsiders:
                self.add_error("whips", f"A whip must be a member of this group: {', '.join(outsiders)} is not.")
        return cleaned


@admin.register(PoliticalGroup)
class PoliticalGroupAdmin(RoleSyncAdmin):
    form = PoliticalGroupForm
    list_display = ["name", "short_name", "leader", "formed_on", "dissolved_on"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["leader", "whips"]
    list_select_related = ["leader__user"]


class OfficeHeldInline(admin.TabularInline):
    model = OfficeHeld
    extra = 0


class OutsideAppointmentInline(admin.TabularInline):
    model = OutsideAppointment
    extra = 0


class PhotoInput(forms.ClearableFileInput):
    """The photo's "Currently:" link goes to the view that serves it to those signed in
    (people.views.member_photo): uploads have no public URL (protocol_portal.kit.storage)."""

    class _Link:
        def __init__(self, photo: FieldFile) -> None:
            self.url = reverse("people:member_photo", args=[photo.instance.pk])
            self.name = photo.name

        def __str__(self) -> str:
            return self.name

    def is_initial(self, value) -> bool:
        return isinstance(value, FieldFile) and bool(value)

    def format_value(self, value):
        return self._Link(value) if self.is_initial(value) else None


@admin.register(Member)
class MemberAdmin(RoleSyncAdmin):
    formfield_overrides = {models.ImageField: {"widget": PhotoInput}}
    list_display = ["__str__", "group", "ward_names", "elected_on", "left_office_on"]
    list_filter = ["group", "wards", "committees", "officeheld__office"]
    search_fields = ["user__first_name", "user__last_name", "user__username", "user__email"]
    autocomplete_fields = ["user", "wards", "group"]
    list_select_related = ["user", "group"]
    inlines = [OfficeHeldInline, OutsideAppointmentInline]
    fieldsets = [
        (None, {"fields": ["user", "group", "wards", "elected_on", "left_office_on"]}),
        ("Contact details", {"fields": ["phone", "postal_address"]}),
        ("Profile", {"fields": ["photo", "skills_and_interests", "other_responsibilities"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("wards")

    def get_readonly_fields(self, request, obj=None):
        # 003: a serving councillor leaves office through the portal's page (cases.leavers), which
        # hands on or closes their enquiries; the date can be corrected here once it is recorded.
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.left_office_on is None:
            readonly.append("left_office_on")
        return readonly

    def save_model(self, request, obj, form, change) -> None:
        # The portal's profile pages refuse a form loaded before this change (people.services).
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)

    @admin.display(description="Wards")
    def ward_names(self, member: Member) -> str:
        return ", ".join(ward.name for ward in member.wards.all())


@admin.register(Directorate)
class DirectorateAdmin(RoleSyncAdmin):
    list_display = ["name", "director"]
    search_fields = ["name"]
    autocomplete_fields = ["director"]
    list_select_related = ["director__user"]


@admin.register(Service)
class ServiceAdmin(RoleSyncAdmin):
    list_display = ["name", "directorate", "head_of_service", "assistant_director"]
    list_filter = ["directorate"]
    search_fields = ["name", "directorate__name"]
    autocomplete_fields = ["directorate", "assistant_director", "head_of_service", "liaison_officers"]
    list_select_related = ["directorate", "head_of_service__user", "assistant_director__user"]


class StatutoryAppointmentInline(admin.TabularInline):
    model = StatutoryAppointment
    extra = 0


@admin.register(Officer)
class OfficerAdmin(RoleSyncAdmin):
    list_display = ["__str__", "service", "line_manager", "is_senior", "left_on"]
    list_filter = ["is_senior", "service__directorate", "service", "statutory_appointments__role"]
    search_fields = ["user__first_name", "user__last_name", "user__username", "user__email", "job_title"]
    autocomplete_fields = ["user", "service", "line_manager"]
    list_select_related = ["user", "service", "line_manager__user"]
    inlines = [StatutoryAppointmentInline]


@admin.register(Committee)
class CommitteeAdmin(RoleSyncAdmin):
    list_display = ["name", "kind", "chair"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["chair", "members", "co_opted_members"]
    list_select_related = ["chair__user"]


@admin.register(AuditEvent)
class AuditEventAdmin(PortalModelAdmin):
    """The audit log, read-only: nobody adds, changes or deletes an event here (docs/security.md).

    Seen by those with people.view_auditevent: superusers and Democratic Services.
    """

    list_display = ["at", "kind", "user", "username", "ip_address", "path"]
    list_filter = ["kind", "at"]
    search_fields = ["username", "user__username", "ip_address", "path", "detail"]
    date_hierarchy = "at"
    list_select_related = ["user"]
    fields = ["at", "kind", "user", "username", "ip_address", "path", "detail"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# A person's two-factor app. Nobody sets one up for someone else here (its key would then be
# known to two people), and nobody reads its key back (OTP_ADMIN_HIDE_SENSITIVE_DATA): the
# administrator's one task is to delete the app of someone who has lost their phone, so they
# set up a new one at their next sign-in (docs/security.md).
admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TwoFactorAppAdmin(PortalModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# Django's own account pages, with the portal's refusal of crafted ids (protocol_portal.kit.admin).
admin.site.unregister(User)
admin.site.unregister(Group)


# The role groups that follow from the organisation (people.services.role_groups_sync).
DERIVED_ROLE_GROUPS = [role_group_name(role) for role in Role if role not in ASSIGNED_ROLES]


@admin.register(User)
class AccountAdmin(PortalModelAdmin, UserAdmin):
    """Democratic Services add and change accounts (auth.change_user), but only a superuser makes
    a superuser or grants a permission one by one: otherwise Democratic Services could make
    themselves (or anyone) a superuser, who sees every enquiry (DESIGN §1: they maintain people,
    not the portal's powers)."""

    SUPERUSER_ONLY_FIELDS = ("is_superuser", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += self.SUPERUSER_ONLY_FIELDS
        return fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Only the roles given by hand (people.roles.ASSIGNED_ROLES) are ticked here; the others
        # follow from the organisation, and a box for "Monitoring Officer" would hand out its powers.
        if db_field.name == "groups":
            kwargs["queryset"] = Group.objects.exclude(name__in=DERIVED_ROLE_GROUPS).order_by("name")
            kwargs["help_text"] = (
                "Roles given by hand, such as Democratic Services administrator. The others (councillor, "
                "Head of Service, Monitoring Officer, …) follow from the organisation and are kept in step "
                "when the account is saved."
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change) -> None:
        """The derived roles are put back as the organisation says, in the same transaction: a
        crafted form cannot add one, and saving the hand-given ones does not drop them."""
        super().save_related(request, form, formsets, change)
        role_groups_sync()


@admin.register(Group)
class GroupOfAccountsAdmin(PortalModelAdmin, GroupAdmin):
    pass

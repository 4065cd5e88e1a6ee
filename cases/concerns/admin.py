"""Concerns, sanctions and contact prohibitions are not in the admin at all: they are
need-to-know (DESIGN §4), and an administrator is not on that list. The list of behaviours
a concern may cite is maintained here, by Democratic Services.
"""

from __future__ import annotations

from django.contrib import admin

from cases.concerns.models import Behaviour
from protocol_portal.kit.admin import PortalModelAdmin


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

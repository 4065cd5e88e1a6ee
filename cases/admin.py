"""Cases in Django admin, each domain's in its own ``admin`` module: read-only everywhere
(every change goes through the portal's pages and services, DESIGN §8), but for the list of
behaviours a concern may cite, which Democratic Services maintain. Concerns, sanctions and
contact prohibitions are not in the admin at all: they are need-to-know (DESIGN §4)."""

from cases.briefings import admin as briefings_admin
from cases.concerns import admin as concerns_admin
from cases.enquiries import admin as enquiries_admin
from cases.notices import admin as notices_admin
from cases.shared import admin as shared_admin

# Imported to register their ModelAdmins with the admin site.
__all__ = ["briefings_admin", "concerns_admin", "enquiries_admin", "notices_admin", "shared_admin"]

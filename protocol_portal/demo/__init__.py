"""A fictional council for demonstrations and manual testing (DESIGN §2), with a year of its
members' enquiries, concerns, sanctions, positive examples, briefings and ward notices.

``manage.py seed_demo`` builds it; ``manage.py demo_totp`` prints a demo account's sign-in
code. It is part of the wiring, the one layer that may import every app. It works in two steps:

1. ``plans`` draws the council and its stories in memory, from the data files under ``data/``
   (people, places, topics and stories: STYLE 14, data is not code) and fixed random seeds,
   without reading the database, so every run draws exactly the same demo. Moments are
   counted in working days before today, so the plan is the same whatever the date.
2. The builders beside it write the plan. The council (``organisation``) is written keyed on
   natural keys, creating what is missing and changing only fields that differ; the cases
   (``enquiries``, ``concerns``, ``briefings``, ``notices``) are driven through the real
   services with ``now=`` in the past, and only into a database without any, so running it
   again changes nothing.

Everything here is invented: names, wards, addresses, e-mail domains (``.example`` and
``example.org``) and telephone numbers (Ofcom's drama ranges 01632 960xxx and 07700 900xxx).
"""

from protocol_portal.demo.accounts import DEMO_ACCOUNTS, demo_totp_key
from protocol_portal.demo.briefings import build_demo_briefings
from protocol_portal.demo.concerns import build_demo_concerns, history_swept
from protocol_portal.demo.enquiries import build_demo_enquiries
from protocol_portal.demo.notices import build_demo_ward_notices
from protocol_portal.demo.organisation import build_demo_council
from protocol_portal.demo.plans.concerns import plan_demo_concerns
from protocol_portal.demo.plans.council import DEMO_SERVICE, plan_demo_council
from protocol_portal.demo.plans.enquiries import plan_demo_enquiries

__all__ = [
    "DEMO_ACCOUNTS",
    "DEMO_SERVICE",
    "build_demo_briefings",
    "build_demo_concerns",
    "build_demo_council",
    "build_demo_enquiries",
    "build_demo_ward_notices",
    "demo_totp_key",
    "history_swept",
    "plan_demo_concerns",
    "plan_demo_council",
    "plan_demo_enquiries",
]

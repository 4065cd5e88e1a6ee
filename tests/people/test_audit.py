"""The audit log (people.AuditEvent; docs/security.md): every sign-in event and every
refused case is written, nothing can change or remove it, and administrators read it."""

from binascii import unhexlify

import pytest
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.enquiries import services as case_services
from cases.models import Purpose
from people.audit import Origin, audit_event_record
from people.models import AuditEvent, AuditLogIsAppendOnly
from people.roles import Role
from people.services import two_factor_check, two_factor_remove, two_factor_set_up
from protocol_portal.middleware import is_case_url
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

Kind = AuditEvent.Kind
OFFICE = "198.51.100.20"


def sign_in(client, username: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=OFFICE)


def only(kind: Kind) -> AuditEvent:
    return AuditEvent.objects.get(kind=kind)


class TestSignInEvents:
    def test_it_records_a_sign_in_with_the_address(self, client):
        jo = UserFactory(username="jo")
        sign_in(client, "jo")

        event = only(Kind.SIGN_IN)
        assert (event.user, event.username, event.ip_address, event.path) == (jo, "jo", OFFICE, "/sign-in/")

    def test_it_records_a_failure_with_the_username_tried(self, client):
        jo = UserFactory(username="jo")
        sign_in(client, "jo", "wrong")
        sign_in(client, "nobody", "wrong")

        failures = AuditEvent.objects.filter(kind=Kind.SIGN_IN_FAILED).order_by("pk")
        assert [(e.user, e.username, e.ip_address) for e in failures] == [(jo, "jo", OFFICE), (None, "nobody", OFFICE)]
        assert "wrong" not in "".join(e.detail for e in failures)

    def test_it_records_a_lockout(self, client, settings):
        settings.AXES_ENABLED = True
        jo = UserFactory(username="jo")
        for attempt in range(5):
            sign_in(client, "jo", f"guess-{attempt}")

        event = only(Kind.LOCKED_OUT)
        assert (event.user, event.username, event.ip_address) == (jo, "jo", OFFICE)
        assert event.detail == "5 failed sign-ins for this username or from this address"
        assert AuditEvent.objects.filter(kind=Kind.SIGN_IN_FAILED).count() == 5

    def test_it_records_a_sign_out(self, client):
        jo = UserFactory(username="jo")
        sign_in(client, "jo")
        client.post(reverse("logout"), REMOTE_ADDR=OFFICE)

        event = only(Kind.SIGN_OUT)
        assert (event.user, event.ip_address, event.path) == (jo, OFFICE, "/sign-out/")

    def test_it_records_each_two_factor_event(self):
        jo = UserFactory(username="jo")
        origin = Origin(ip_address=OFFICE, path="/account/two-factor/set-up/")
        key = TOTPDevice(user=jo).key
        now, following = (f"{totp(unhexlify(key), drift=steps):06d}" for steps in (0, 1))
        wrong = next(code for code in ("000000", "111111", "222222") if code not in {now, following})

        assert two_factor_set_up(user=jo, key=key, code=wrong, origin=origin) is None
        assert two_factor_set_up(user=jo, key=key, code=now, origin=origin) is not None
        assert two_factor_check(user=jo, code=following, origin=origin).accepted
        assert not two_factor_check(user=jo, code=wrong, origin=origin).accepted
        two_factor_remove(user=jo, origin=origin)

        events = AuditEvent.objects.filter(user=jo).order_by("pk")
        assert [(e.kind, e.detail) for e in events] == [
            (Kind.TWO_FACTOR_FAILED, "while setting up"),
            (Kind.TWO_FACTOR_SET_UP, ""),
            (Kind.TWO_FACTOR_VERIFIED, "to sign in"),
            (Kind.TWO_FACTOR_FAILED, "to sign in"),
            (Kind.TWO_FACTOR_REMOVED, ""),
        ]
        assert {(e.ip_address, e.path) for e in events} == {(OFFICE, "/account/two-factor/set-up/")}

    # The session-expired event: tests/protocol_portal/test_sessions.py.


class TestRefusedCases:
    @pytest.fixture
    def enquiry(self, org):
        return case_services.enquiry_file(
            member=org.councillor,
            subject="Pothole on Mill Lane",
            details="When will it be repaired?",
            service=org.highways,
            purpose=Purpose.INFORMATION,
        )

    def test_it_records_who_was_refused_which_case(self, client, org, enquiry):
        client.force_login(org.outsider.user)
        url = reverse("cases:enquiry", args=[enquiry.reference])

        assert client.get(url, REMOTE_ADDR=OFFICE).status_code == 404

        event = only(Kind.CASE_REFUSED)
        assert (event.user, event.ip_address, event.path) == (org.outsider.user, OFFICE, url)
        assert event.detail.startswith("404 on cases:enquiry: ")

    def test_it_records_refused_attachments_actions_lists_and_drill_downs(self, client, org, enquiry):
        client.force_login(org.councillor2.user)
        refused = {
            reverse("cases:attachment", args=[enquiry.reference, 1]): 404,
            reverse("cases:enquiry_answer", args=[enquiry.reference]): 404,
            reverse("cases:concern", args=["C-0000-0000"]): 404,
            reverse("cases:positive_example", args=["P-0000-0000"]): 404,
            reverse("cases:ward_notice", args=["WN-0000-0000"]): 404,
            reverse("cases:triage"): 403,
            reverse("cases:sanctions"): 403,
            reverse("reporting:drilldown"): 403,
        }
        for url, status in refused.items():
            assert client.get(url).status_code == status, url

        events = AuditEvent.objects.filter(kind=Kind.CASE_REFUSED).order_by("pk")
        assert [(e.path, e.detail[:3]) for e in events] == [(url, str(status)) for url, status in refused.items()]
        assert {e.user for e in events} == {org.councillor2.user}

    def test_a_refusal_that_is_not_about_a_case_is_not_a_refused_case(self, client, org):
        client.force_login(org.councillor.user)

        assert client.get(reverse("cases:my_work")).status_code == 403
        assert client.get(reverse("reporting:annual_report", args=[1999])).status_code in (403, 404)
        assert client.get("/no-such-page/").status_code == 404
        assert not AuditEvent.objects.filter(kind=Kind.CASE_REFUSED).exists()

    def test_a_case_someone_may_see_writes_nothing(self, client, org, enquiry):
        client.force_login(org.councillor.user)

        assert client.get(reverse("cases:enquiry", args=[enquiry.reference])).status_code == 200
        assert not AuditEvent.objects.filter(kind=Kind.CASE_REFUSED).exists()


def test_case_urls_are_those_about_one_case_and_the_lists_of_cases():
    def names(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from names(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}{pattern.name}", pattern

    covered = set()
    for name, pattern in names(get_resolver().url_patterns):
        # A sample for each argument: a case reference (cases.urls) or a number.
        kwargs = {arg: "ENQ-2026-00001" if arg == "reference" else "1" for arg in pattern.pattern.converters}
        match = get_resolver().resolve(reverse(name, kwargs=kwargs)) if not name.startswith("admin:") else None
        if match is not None and is_case_url(match):
            covered.add(name)

    enquiry = {
        f"cases:enquiry{suffix}"
        for suffix in [
            "",
            "_answer",
            "_hold",
            "_consent",
            "_reassign",
            "_move",
            "_extension",
            "_decline",
            "_dispute",
            "_decide",
            "_reopen",
            "_close",
            "_withdraw",
        ]
    }
    concern = {
        f"cases:concern{suffix}"
        for suffix in [
            "",
            "_escalate",
            "_resolve",
            "_informal",
            "_formal",
            "_sanctions",
            "_refer",
            "_withdraw",
            "_share",
            "_reassign",
            "_note",
            "_evidence",
        ]
    }
    positive = {"cases:positive_example", "cases:positive_example_forward", "cases:positive_example_acknowledge"}
    briefing = {"cases:briefing", "cases:briefing_response", "cases:briefing_offer_left_out"}
    notices = {"cases:ward_notice", "cases:ward_notice_attachment"}
    lists = {"cases:attachment", "cases:triage", "cases:sanctions", "cases:prohibition_end"}
    lists |= {"cases:prohibition_extend", "reporting:drilldown", "cases:service_queue_reassign"}
    assert covered == enquiry | concern | positive | briefing | notices | lists


class TestAppendOnly:
    @pytest.fixture
    def event(self):
        return audit_event_record(kind=Kind.SIGN_IN, origin=Origin(ip_address=OFFICE), user=UserFactory())

    def test_it_refuses_to_save_an_event_again(self, event):
        event.detail = "nothing happened"
        with pytest.raises(AuditLogIsAppendOnly):
            event.save()

    def test_it_refuses_to_delete_an_event(self, event):
        with pytest.raises(AuditLogIsAppendOnly):
            event.delete()
        with pytest.raises(AuditLogIsAppendOnly):
            AuditEvent.objects.filter(pk=event.pk).delete()

    def test_it_refuses_to_update_events_in_bulk(self, event):
        with pytest.raises(AuditLogIsAppendOnly):
            AuditEvent.objects.update(detail="nothing happened")
        event.detail = "nothing happened"
        with pytest.raises(AuditLogIsAppendOnly):
            AuditEvent.objects.bulk_update([event], ["detail"])

    @pytest.mark.parametrize(
        "sql",
        ["UPDATE people_auditevent SET detail = 'nothing happened'", "DELETE FROM people_auditevent"],
    )
    def test_postgresql_refuses_to_change_or_remove_an_event_whoever_asks(self, event, sql):
        assert connection.vendor == "postgresql", "the suite runs on PostgreSQL (README: Test it)"
        with (
            pytest.raises(DatabaseError, match="people_auditevent is append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
        assert AuditEvent.objects.get().detail == ""

    def test_it_keeps_the_person_so_their_history_stays(self, event):
        with pytest.raises(ProtectedError):
            event.user.delete()


class TestAdmin:
    @pytest.fixture
    def administrator(self):
        user = UserFactory(username="democratic.services", is_staff=True)
        user.groups.add(Group.objects.get(name=Role.DEMOCRATIC_SERVICES.label))
        return user

    @pytest.fixture
    def event(self):
        return audit_event_record(
            kind=Kind.SIGN_IN_FAILED, origin=Origin(ip_address=OFFICE, path="/sign-in/"), username="mallory"
        )

    @pytest.mark.parametrize("who", ["democratic services", "superuser"])
    def test_administrators_read_it(self, client, administrator, event, who):
        user = administrator if who == "democratic services" else UserFactory(is_staff=True, is_superuser=True)
        client.force_login(user)

        changelist = client.get(reverse("admin:people_auditevent_changelist"))
        assert changelist.status_code == 200
        assert "mallory" in changelist.content.decode()
        detail = client.get(reverse("admin:people_auditevent_change", args=[event.pk]))
        assert detail.status_code == 200
        assert 'name="_save"' not in detail.content.decode()

    def test_nobody_adds_changes_or_deletes_an_event(self, client, event):
        client.force_login(UserFactory(is_staff=True, is_superuser=True))

        assert client.get(reverse("admin:people_auditevent_add")).status_code == 403
        assert client.post(reverse("admin:people_auditevent_change", args=[event.pk]), {}).status_code == 403
        assert client.get(reverse("admin:people_auditevent_delete", args=[event.pk])).status_code == 403
        changelist = client.post(
            reverse("admin:people_auditevent_changelist"),
            {"action": "delete_selected", "_selected_action": [event.pk]},
        )
        assert changelist.status_code in (200, 302)
        assert AuditEvent.objects.filter(pk=event.pk).exists()

    def test_other_staff_and_everyone_else_cannot_see_it(self, client, event):
        client.force_login(UserFactory(is_staff=True))
        assert client.get(reverse("admin:people_auditevent_changelist")).status_code == 403
        client.force_login(UserFactory())
        assert client.get(reverse("admin:people_auditevent_changelist")).status_code == 302

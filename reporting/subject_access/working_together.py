"""Members and officers working together beyond the ladder (DESIGN §6) in a subject access
export: positive examples (000 §VI), ward notices (001 §9.4) and briefings (001 §9.5.2).
"""

from __future__ import annotations

from django.db.models import Prefetch, Q

from cases.models import Briefing, BriefingResponseChange, PositiveExample, WardNotice, WardNoticeRecipient
from people.models import Member, Officer
from reporting.subject_access.export import Export, Free, export_kind, when, yes_no


@export_kind(
    "positive_examples",
    title="Positive examples",
    explains="positive-examples.csv: examples of good member-officer working that you recorded, that name "
    "you, or that you passed on as Assistant Director.",
)
def positive_examples(x: Export) -> int:
    found = Q(recorded_by=x.subject)
    if x.member is not None:
        found |= Q(members=x.member)
    if x.officer is not None:
        found |= Q(officers=x.officer) | Q(assistant_director=x.officer)
    examples = list(
        PositiveExample.objects.filter(pk__in=PositiveExample.objects.filter(found).values("pk"))
        .select_related("service")
        .prefetch_related(
            Prefetch("members", queryset=Member.objects.only("pk", "user_id")),
            Prefetch("officers", queryset=Officer.objects.only("pk", "user_id")),
        )
        .order_by("recorded_at", "pk")
    )
    rows = [
        [
            example.reference,
            when(example.happened_on),
            Free(example.title),
            Free(example.what_happened),
            example.service.name,
            x.user(example.recorded_by_id),
            "; ".join(
                [x.member_(m.pk) for m in example.members.all()] + [x.officer_(o.pk) for o in example.officers.all()]
            ),
            x.officer_(example.assistant_director_id),
            Free(example.assistant_director_comment),
            Free(example.monitoring_officer_comment),
            example.get_state_display(),
            yes_no(example.publishable),
        ]
        for example in examples
    ]
    x.csv(
        "positive-examples.csv",
        [
            "Reference",
            "Happened on",
            "Title",
            "What happened",
            "Service",
            "Recorded by",
            "People named",
            "Assistant Director",
            "Assistant Director's comment",
            "Monitoring Officer's comment",
            "State",
            "Approved for publication",
        ],
        rows,
    )
    return len(examples)


@export_kind(
    "ward_notices",
    title="Ward notices",
    explains="ward-notices.csv: notices about the wards you represent that you were sent (001 §9.4), with "
    "when you were told and the group and wards recorded for you then, and notices you sent as an officer.",
)
def ward_notices(x: Export) -> int:
    found = Q(sent_by=x.subject)
    if x.member is not None:
        found |= Q(recipients__member=x.member)
    notices = list(
        WardNotice.objects.filter(pk__in=WardNotice.objects.filter(found).values("pk"))
        .prefetch_related(
            "wards",
            Prefetch(
                "recipients",
                queryset=WardNoticeRecipient.objects.filter(member=x.member)
                if x.member
                else WardNoticeRecipient.objects.none(),
                to_attr="subject_rows",
            ),
        )
        .order_by("sent_at", "pk")
    )
    rows = []
    for notice in notices:
        told = notice.subject_rows[0] if notice.subject_rows else None
        rows.append(
            [
                notice.reference,
                when(notice.sent_at),
                x.user(notice.sent_by_id),
                notice.get_kind_display(),
                Free(notice.title),
                when(notice.concerns_on),
                ", ".join(ward.name for ward in notice.wards.all()),
                Free(notice.summary),
                when(told.notified_at) if told else "",
                (told.group_name or "independent") if told else "",
                told.ward_names if told else "",
            ]
        )
    x.csv(
        "ward-notices.csv",
        [
            "Reference",
            "Sent",
            "Sent by",
            "Kind",
            "Title",
            "Date it concerns",
            "Wards",
            "Summary",
            "You were told",
            "Your group then",
            "Your wards then",
        ],
        rows,
    )
    return len(notices)


@export_kind(
    "briefings",
    title="Briefings",
    explains="briefings.csv: briefings offered to the political groups (001 §9.5.2) that you gave or recorded "
    "as an officer, or whose offer to a group you answered, with each response you recorded.",
)
def briefings(x: Export) -> int:
    found = Q(recorded_by=x.subject) | Q(offers__changes__actor=x.subject)
    if x.officer is not None:
        found |= Q(given_by=x.officer)
    briefings = list(
        Briefing.objects.filter(pk__in=Briefing.objects.filter(found).values("pk"))
        .select_related("first_offered_to")
        .order_by("takes_place_on", "pk")
    )
    # Every response the person recorded for a group, earlier ones included (one query).
    answered: dict[int, list[BriefingResponseChange]] = {}
    for change in BriefingResponseChange.objects.filter(actor=x.subject).select_related("offer__group"):
        answered.setdefault(change.offer.briefing_id, []).append(change)
    rows = [
        [
            briefing.reference,
            when(briefing.takes_place_on),
            Free(briefing.subject),
            briefing.get_kind_display(),
            x.officer_(briefing.given_by_id),
            x.user(briefing.recorded_by_id),
            when(briefing.recorded_at),
            briefing.first_offered_to.name,
            "; ".join(
                f"{change.offer.group.name}: {change.get_to_response_display()} ({when(change.at)})"
                for change in answered.get(briefing.pk, [])
            ),
        ]
        for briefing in briefings
    ]
    x.csv(
        "briefings.csv",
        [
            "Reference",
            "Takes place on",
            "Subject",
            "Kind",
            "Given by",
            "Recorded by",
            "Recorded",
            "First offered to",
            "Responses you recorded",
        ],
        rows,
    )
    return len(briefings)

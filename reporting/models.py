"""The dashboards' summary tables (DESIGN §7; issue 6 "fast at scale").

Every figure the Standards Committee reads is a sum over ``DailyCount`` rows: one
number (``metric``, and a ``key`` such as a rung or a stage) for the cases received
or raised on one ``day`` in one ``service``. A period's dashboard sums a few hundred
or thousand rows instead of scanning a million enquiries. ``reporting.summaries``
keeps the rows in step with the cases, from the data (the timeline says which days
changed); a test checks the sums against a recount.
"""

from django.db import models

from people.models import Service


class DailyCount(models.Model):
    metric = models.CharField(max_length=40)
    day = models.DateField(help_text="The day the cases counted were received (enquiries) or raised (concerns).")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    key = models.CharField(max_length=40, blank=True)
    value = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["day", "metric"], name="daily_count_by_day")]

    def __str__(self) -> str:
        return f"{self.metric}[{self.key}] {self.day} service {self.service_id}: {self.value}"


class SummaryState(models.Model):
    """How far the summary tables have read the timeline (one row)."""

    name = models.CharField(max_length=40, unique=True)
    last_event_id = models.BigIntegerField(default=0, help_text="The newest timeline event already counted.")
    refreshed_at = models.DateTimeField(null=True, blank=True)
    rebuilt_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name}: event {self.last_event_id} at {self.refreshed_at}"


class DigestSent(models.Model):
    """A month whose digest went to the Standards Committee (reporting.dashboards.digest): the row is
    written in the same transaction as the sending, so a task run twice sends once."""

    month = models.DateField(unique=True, help_text="The first day of the month the digest reported on.")
    sent_at = models.DateTimeField()
    recipients = models.PositiveIntegerField()

    class Meta:
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"Digest for {self.month:%B %Y}, sent {self.sent_at:%Y-%m-%d %H:%M} to {self.recipients}"

from django.db import models


class RetentionRun(models.Model):
    """What one run of the retention schedule did, or in a dry run would have done: per
    record kind, the period applied, the date it cut at, and how many were anonymised or
    deleted. Written by the run itself, batch by batch in the same transactions as the
    disposal, so it never says less than was done; nothing edits it afterwards."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    dry_run = models.BooleanField(help_text="A dry run changes nothing and records what it would have done.")
    trigger = models.CharField(max_length=20, help_text="beat (the nightly task) or command (manage.py).")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    # One entry per kind: {"kind", "name", "action", "months", "cut_at", "count"}.
    results = models.JSONField(default=list)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        what = "Dry run" if self.dry_run else "Run"
        return f"{what} of {self.started_at:%Y-%m-%d %H:%M}: {self.get_status_display().lower()}"

    @property
    def total(self) -> int:
        return sum(entry["count"] for entry in self.results)

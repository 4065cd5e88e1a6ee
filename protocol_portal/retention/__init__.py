"""Personal data kept only as long as needed (UK GDPR Article 5(1)(e); docs/retention.md):
the schedule per record kind (``schedule``), the run that anonymises or deletes what has
passed its date (``services``), its system checks and its admin page. It sits with the
project rather than in an app because it reaches every app: it asks each to dispose of its
own records (people.retention, cases.retention)."""

"""A decade of protocol data at scale, for the benchmarks (issue 6 "fast at scale",
``manage.py seed_scale``, docs/performance.md).

It writes straight into the cases tables with bulk inserts (``escalation.bulk.insert_rows``:
one statement for each 50,000 rows), not through the services, so that a million
enquiries take minutes. It writes what the list pages, the dashboards and the deadline
sweep read, consistently with what the services would have written:

- enquiries, with the climbs of the late ones (``EnquiryEscalation``, already told),
  declines, disputes and the guardian rows that let the member, the owner and the
  owner's management chain see each one;
- concerns of every kind, stage and exit, with the timeline events the dashboards read
  (raised, stage changes, formal action proposed, the closing event), behaviours cited,
  informal actions, external referrals, sanctions and the stage-3 participants' access.

It does not write answers' text, holding replies, notifications or attachments.

Each case is drawn as a whole history, then cut at ``now``: a case whose answer (or
outcome) falls after ``now`` is still open, so the open and overdue ones come out of the
same rules as the rest: most enquiries are answered on time (about 85%), a holding reply
stands for a later answer, a late one climbs a rung at the start of the first working
day after its deadline and every five working days after (Head of Service, Director,
Chief Executive), and a few stay unanswered for good.

The people are the organisation already in the database (``protocol_portal.demo``'s council):
every row names real members, officers, services and behaviours.

The build is split by its seams: ``organisation`` reads the council to hang the cases on,
``clock`` draws the moments and caches the calendar, ``writing`` buffers and writes the
rows, ``enquiries`` and ``concerns`` draw each case's history, and ``builder.build`` runs
the whole in one transaction.
"""

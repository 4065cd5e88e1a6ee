"""The subject access export (UK GDPR Art. 15; issue 8): every record the portal holds about
one person, as a ZIP of readable files, with other people's personal data redacted.

Each kind of record is one entry in ``services.KINDS``, made by the ``export_kind`` decorator
(``export``): a function that reads its records (a fixed number of queries, however many
there are) and writes its files through the ``Export``. A new kind of record is a new
decorated function in the module of its subject (``accounts``, ``enquiries``, ``concerns``,
``working_together``, ``files``; see ``working_together.ward_notices``) and a line in KINDS:
the index (README.txt) lists it with its explanation. ``case_files`` holds what enquiries'
and concerns' files share, ``redaction`` the redacting of free text, ``services`` the
export's one entry point (``subject_access_export``), ``forms`` and ``views`` its page.

A constant number of queries (select_related, prefetch_related, subqueries), people named
through ``x.user``/``x.member_``/``x.officer_`` (the subject by name, anyone else redacted)
and free text wrapped in ``Free`` (redacted when the ZIP is written).

How third parties are treated (docs/subject-access.md):

- Everyone other than the subject is a third party (DPA 2018 Sch. 2 para. 16), officers acting
  in their official role included: the portal cannot weigh, officer by officer, whether naming
  them is reasonable, so their names, usernames, e-mail addresses and telephone numbers are
  replaced by "[redacted: officer]" (or "another officer", "councillor", "another councillor",
  "person"), and the capacity they acted in (owner, answered by, handler) is kept. The council
  may add the names of senior officers acting in a public role by hand after that balancing.
- The complainant in a concern about the subject is a third party (ICO, "Right of access":
  information identifying a complainant), redacted as "[redacted: complainant]" whoever they are.
- Constituents: the names given in consent records, and e-mail addresses, telephone numbers and
  postcodes anywhere in free text.
- Files uploaded by the subject are included; files uploaded by anyone else on the subject's
  records are listed (name, size, date) but their contents are not included.
"""

"""The machinery every kind of case shares, with public names: references
(``references``), forms sent once (``submissions``), the version check and row lock
(``versions``), the timeline (``timeline``), notifications and their e-mail
(``notifications``), tasks queued by name (``dispatch``), attachments (``attachments``),
the base forms and the pages' helpers (``forms``, ``errors``, ``pages``), and the
signals by which one domain tells another (``signals``).

The domain sub-packages (``cases.enquiries``, ``cases.concerns``, ``cases.positive``,
``cases.notices``, ``cases.briefings``) import this and never each other
(docs/architecture.md); nothing here imports a domain.
"""

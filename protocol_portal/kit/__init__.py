"""The kit: the pieces every app builds on, at the bottom of the house.

Typed settings readers (env), the base form and the GOV.UK date field (forms), the base
ModelAdmin (admin), the upload handler (uploads) and the private file storage (storage).
Nothing here imports an app of the portal (``people``, ``escalation``, ``cases``,
``reporting``) or the wiring above them (the rest of ``protocol_portal``): the import
contracts in pyproject.toml check it (docs/architecture.md).
"""

"""Spec models of the record kinds beyond SPF: one module per kind.

Each module has the mapping form and the raw-string form of its key, parsed
into the same value through the kind's own syntax module, and a ``site_value``
(the kinds table's ``site_value``). Each also exports an ``Optional…`` type for
its field in :class:`~dnsspec.spec.policy.MailPolicySpec` (an empty key is a
located error, like ``spf:``).

File paths (``public_key_file:``, ``cert:``) are relative to the directory that
holds ``zones/``: the validation context's ``"root"`` (the loader passes it),
or the working directory when the context has none.
"""

"""The rules check functions, grouped by kind (``spf/``, ``dns/``).

Nothing here registers anything: :mod:`dnsspec.lint.catalogue` names each check by
its dotted path and gives it its code and name.
"""

"""MTA-STS (RFC 8461): the policy file, its id, and the ``_mta-sts`` record."""

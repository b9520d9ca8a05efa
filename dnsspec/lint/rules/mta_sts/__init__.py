"""The MTA-STS rules (family MTASTS1): mode, MX patterns, the policy host, max_age, TLS-RPT."""

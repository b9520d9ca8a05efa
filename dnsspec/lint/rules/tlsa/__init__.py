"""The TLSA rules (family TLSA1): SMTP usages, the next key, an MX host, a signed zone."""

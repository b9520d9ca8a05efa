"""The TLSA rules (family TLSA1): usages for SMTP, the next key, the host being an MX."""

"""The TLS-RPT rules (family TLSRPT1): names that receive mail and hear of no TLS failure."""

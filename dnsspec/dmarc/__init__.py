"""DMARC (RFC 9989; RFC 7489 records accepted): record syntax, report URIs, discovery."""

"""DANE TLSA (RFC 6698, RFC 7671, RFC 7672): record syntax and association data."""

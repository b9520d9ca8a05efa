"""DKIM key records (RFC 6376 §3.6.1; Ed25519 by RFC 8463): syntax, keys, key generation."""

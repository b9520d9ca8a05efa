"""Onboarding: ``dnsspec init``'s scaffold and ``dnsspec import``'s readers of live state."""

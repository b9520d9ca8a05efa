"""dnsspec: mail-authentication DNS as code."""

__version__ = "0.1.0"

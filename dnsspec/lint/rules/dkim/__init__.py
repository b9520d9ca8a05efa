"""The DKIM rules (family DKIM1): key size, flags, hashes, rotation, hand-written selectors."""

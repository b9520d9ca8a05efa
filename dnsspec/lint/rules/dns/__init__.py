"""The DNS rules (family DNS4): conflicts between the records at one name."""

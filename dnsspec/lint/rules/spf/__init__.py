"""The SPF rules (families SPF1, SPF2, SPF3), grouped by what they check."""

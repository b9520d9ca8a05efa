"""The rules of the spec files themselves (family SPEC1)."""

"""The one RFC 7208 engine: syntax, macros, evaluation, lookup cost."""

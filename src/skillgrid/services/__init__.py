"""Use cases: one function per use case, each one unit of work that commits once."""

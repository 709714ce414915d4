"""Events: the state machine, listing and full-text search."""

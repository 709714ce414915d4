"""One module per report: each builds its answer from a few SQL aggregates over the caller's scope."""

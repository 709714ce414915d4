"""Ticket types: inventory counters, sales windows and pricing rules."""

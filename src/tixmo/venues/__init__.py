"""Venues: places where events happen, with an optional seating chart."""

"""Organizer pages in the browser (``/dashboard``): events, live attendance, sales. See docs/dashboard.md."""

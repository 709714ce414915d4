"""Notifications: messages to a user, kept in the database (the notifications issue adds delivery)."""

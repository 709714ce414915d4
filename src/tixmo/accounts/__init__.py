"""Accounts: users, authentication and refresh tokens."""

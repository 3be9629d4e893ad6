"""Parties, users, roles, API tokens, login throttling and the access audit trail."""

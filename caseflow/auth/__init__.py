"""Logins, cookie sessions, bearer tokens, lockout and CSRF."""

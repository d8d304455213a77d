"""Append-only, HMAC-chained audit trail of every write and every sensitive read."""

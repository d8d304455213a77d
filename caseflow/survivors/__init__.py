"""Survivors: identity and contact data, encrypted field by field under her own data key."""

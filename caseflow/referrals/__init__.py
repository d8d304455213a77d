"""Referrals between sectors: consent-gated, deadline-tracked (docs/referrals.md)."""

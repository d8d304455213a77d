"""Pieces every feature module shares: database types, errors, pagination, clock, i18n."""

"""Incidents: what happened, classified GBVIMS-style for statistics only."""

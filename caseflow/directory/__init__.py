"""Organizations (centres, health facilities, police stations, courts...) and staff accounts."""

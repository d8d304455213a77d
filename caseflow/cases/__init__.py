"""Cases: a survivor's path through the six case-management steps at one centre."""

"""Survivors deprived of liberty: custody with its history, supplies handed to her inside,
and the people she does not want to be visited by (UN Bangkok Rules; docs/custody.md)."""

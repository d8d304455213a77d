"""The one access-policy layer: who may do what, and which records each person can see."""

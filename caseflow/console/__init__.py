"""The web console: server-rendered pages on top of the API's own routes, schemas and policy.

A page reads and writes through :mod:`caseflow.console.bridge`, which calls the API route a
request to the API would reach, with its input schema and its response schema: what a person
sees or changes in the console is what the API would give or take from the same person.
"""

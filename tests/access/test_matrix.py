"""The access matrix (tests/access/matrix.py), played cell by cell against real records.

The set of routes comes from the application's own route table: a route without a row
fails here, naming it, and so does a row for a route that no longer exists.
"""

from __future__ import annotations

import pytest

from testkit.world import ROLES, make_realms
from tests.access.matrix import COLUMNS
from tests.access.runner import app_routes, call, matches, parse_table

ROWS = parse_table()


def test_every_route_has_a_row_and_every_row_a_route(app):
    served = app_routes(app)
    without_row = sorted(served - set(ROWS))
    stale = sorted(set(ROWS) - served)
    assert not without_row, "routes without a row in tests/access/matrix.py: " + "; ".join(without_row)
    assert not stale, "rows in tests/access/matrix.py for routes the app does not serve: " + "; ".join(stale)


@pytest.fixture
def realms(client):
    # Each role acts in a centre of its own ("own"), so one role's writes never change what
    # another role's cells find; "other" is one more centre nobody acts in but its people.
    return make_realms(client, *ROLES, "other")


def test_every_cell_of_the_access_matrix(app, client, realms):
    failures = []
    for row in ROWS.values():
        for column in COLUMNS:
            expected = row.expected[column]
            if column == "anon":
                headers, caller_realm = {}, realms["other"]
            else:
                caller_realm = realms[column]
                headers = caller_realm.headers(column, fresh=True)  # logout and revoke end tokens
            targets = [caller_realm] if len(expected) == 1 else [caller_realm, realms["other"]]
            for scope, want, target in zip(("own", "other"), expected, targets):
                response = call(client, row, target, headers)
                if not matches(want, response.status_code):
                    failures.append(f"{row.key:<48} {column:<12} {scope:<5} expected {want}, got "
                                    f"{response.status_code} {response.get_data(as_text=True)[:160]}")
    assert not failures, f"{len(failures)} cells differ from tests/access/matrix.py:\n" + "\n".join(failures)

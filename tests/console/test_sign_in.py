"""The console's sign-in is the API's: the same service, the same second factor."""

from __future__ import annotations

from testkit.factories import PASSWORD, UserFactory
from tests.auth.helpers import code_at, enrol, headers_for, token


def test_a_second_factor_is_asked_for_and_checked_by_the_console_as_by_the_api(client):
    from caseflow.extensions import db

    user = UserFactory(role="caseworker")
    db.session.commit()
    secret, _codes = enrol(client, headers_for(token(client, user.username)))

    without = client.post("/login", data={"username": user.username, "password": PASSWORD, "otp": ""})
    assert without.status_code in (401, 422)
    assert 'name="otp"' in without.get_data(as_text=True)
    assert client.get("/cases").status_code == 302  # still signed out

    wrong = client.post("/login", data={"username": user.username, "password": PASSWORD, "otp": "000000"})
    assert wrong.status_code in (401, 422)

    right = client.post("/login", data={"username": user.username, "password": PASSWORD,
                                        "otp": code_at(secret, 1)})
    assert right.status_code == 302, right.get_data(as_text=True)[:400]
    assert client.get("/cases").status_code == 200

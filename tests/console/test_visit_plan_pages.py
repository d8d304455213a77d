"""Visit plans from the case page: the visitor chosen from ``GET /visits/visitors``, the
API's 422s beside the field, the case's plans with their next visits."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from caseflow.extensions import db
from caseflow.visits.models import VisitPlan
from tests.console.test_pages import csrf, demo, sign_in  # noqa: F401  (demo: the fixture)


def _user(username):
    from caseflow.directory.models import User

    return db.session.scalar(select(User).where(User.username == username))


def _plans() -> int:
    count = db.session.scalar(select(func.count()).select_from(VisitPlan))
    db.session.remove()
    return count


def _any_csrf(client) -> str:
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _case_id(client) -> str:
    return re.search(r"/cases/([0-9a-f-]{36})", client.get("/cases").get_data(as_text=True)).group(1)


def _post(client, case_id, **form):
    return client.post(f"/cases/{case_id}/visit-plans",
                       data={"csrf_token": csrf(client, f"/cases/{case_id}/visit-plans"), **form})


@pytest.fixture
def trained(app):
    app.config.update(CASEFLOW_MENTOR_TRAINING_SESSIONS=2)


def test_a_caseworker_starts_a_mentors_plan_once_she_is_trained(app, client, demo, trained):  # noqa: F811
    from caseflow.core.acting import acting_as
    from caseflow.training.services import record_training

    sign_in(client, "admision")
    case_id = _case_id(client)
    assert f"/cases/{case_id}/visit-plans" in client.get(f"/cases/{case_id}").get_data(as_text=True)
    page = client.get(f"/cases/{case_id}/visit-plans").get_data(as_text=True)
    mentor = _user("mentora")
    mentor_id = str(mentor.id)
    # The chooser offers the centre's mentor and community psychologist, with her training.
    assert f'value="{mentor_id}"' in page and "0 de 2 sesiones de formación" in page
    assert "aún no asignable" in page and "enlace.salud" not in page and "admision (" not in page
    before = _plans()

    refused = _post(client, case_id, kind="mentor_accompaniment", assignee_id=mentor_id,
                    starts_on=date.today().isoformat())
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    error = re.search(r'id="plan-assignee_id-error">([^<]+)<', body).group(1)
    assert "2" in error and "0" in error and "sesiones" in error  # beside the visitor, in Spanish
    assert f'value="{mentor_id}" selected' in body  # her choice kept
    assert _plans() == before

    with acting_as(_user("supervisora")):
        for k in range(2):
            record_training(_user("mentora"), held_on=date.today() - timedelta(days=k + 1), topic=f"Sesión {k + 1}")
        db.session.commit()
    db.session.remove()
    started = _post(client, case_id, kind="mentor_accompaniment", assignee_id=mentor_id,
                    starts_on=date.today().isoformat())
    assert started.status_code == 302, started.get_data(as_text=True)[:2000]
    assert _plans() == before + 1
    page = client.get(f"/cases/{case_id}/visit-plans").get_data(as_text=True)
    row = page[page.index('class="visit-plan"'):]
    row = row[:row.index("</tr>")]
    assert "Acompañamiento de mentora" in row or "Mentor accompaniment" not in row
    assert "<td>48</td>" in row and "<td>7" in row
    first, second = date.today(), date.today() + timedelta(days=7)
    assert first.isoformat() in row and second.isoformat() in row  # her next visits


def test_a_psychologists_plan_with_its_own_cadence_and_count(client, demo):  # noqa: F811
    sign_in(client, "supervisora")
    case_id = _case_id(client)
    psychologist = str(_user("psicologa.comunitaria").id)
    db.session.remove()
    wrong = _post(client, case_id, kind="mentor_accompaniment", assignee_id=psychologist,
                  starts_on=date.today().isoformat())
    assert wrong.status_code == 422 and 'id="plan-kind-error"' in wrong.get_data(as_text=True)
    past = _post(client, case_id, kind="psychological_followup", assignee_id=psychologist,
                 starts_on=(date.today() - timedelta(days=3)).isoformat())
    assert past.status_code == 422 and 'id="plan-starts_on-error"' in past.get_data(as_text=True)
    before = _plans()
    made = _post(client, case_id, kind="psychological_followup", assignee_id=psychologist,
                 starts_on=date.today().isoformat(), cadence_days="14", count="6")
    assert made.status_code == 302
    assert _plans() == before + 1
    row = client.get(f"/cases/{case_id}/visit-plans").get_data(as_text=True)
    assert "<td>14</td>" in row and "<td>6</td>" in row


@pytest.mark.parametrize("field", ["kind", "assignee_id", "starts_on", "cadence_days", "count", "ends_on"])
@pytest.mark.parametrize("hostile", ["<script>alert(1)</script>", "a\x00b"])
def test_hostile_input_in_each_field_is_refused_beside_it(client, demo, field, hostile):  # noqa: F811
    sign_in(client, "admision")
    case_id = _case_id(client)
    form = {"kind": "psychological_followup", "assignee_id": str(_user("psicologa.comunitaria").id),
            "starts_on": date.today().isoformat(), field: hostile}
    db.session.remove()
    before = _plans()
    response = _post(client, case_id, **form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "<script>alert(1)" not in page and "\x00" not in page
    assert f'id="plan-{field}-error"' in page
    assert _plans() == before


def test_who_plans_no_visits_cannot_start_one(client, demo):  # noqa: F811
    sign_in(client, "admision")
    case_id = _case_id(client)
    token_page = client.get(f"/cases/{case_id}/visit-plans")
    assert token_page.status_code == 200
    psychologist = str(_user("psicologa.comunitaria").id)
    db.session.remove()
    client.post("/logout", data={"csrf_token": _any_csrf(client)})
    before = _plans()
    for username in ("mentora", "enlace.salud", "admin"):
        sign_in(client, username)
        page = client.get(f"/cases/{case_id}/visit-plans")
        assert page.status_code in (403, 404)
        response = client.post(f"/cases/{case_id}/visit-plans", data={
            "csrf_token": _any_csrf(client), "kind": "psychological_followup", "assignee_id": psychologist,
            "starts_on": date.today().isoformat()})
        assert response.status_code in (403, 404)
        client.post("/logout", data={"csrf_token": _any_csrf(client)})
    assert _plans() == before

"""The custody page's release form: her follow-up plan (the visitor chosen from
``GET /visits/visitors``) and her maternity, with the API's 422s beside their fields."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from caseflow.custody.models import CustodyRecord
from caseflow.extensions import db
from caseflow.visits.models import VisitPlan
from tests.console.test_custody_pages import _facility, _post
from tests.console.test_pages import demo, sign_in  # noqa: F401  (demo: the fixture)
from tests.console.test_visit_plan_pages import _user


def _counts() -> tuple[int, int]:
    counts = (db.session.scalar(select(func.count()).select_from(VisitPlan)),
              db.session.scalar(select(func.count()).select_from(CustodyRecord)))
    db.session.remove()
    return counts


@pytest.fixture
def in_custody(client, demo):  # noqa: F811
    facility_id = _facility(client)
    client.post("/logout", data={"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', client.get(
        "/admin").get_data(as_text=True)).group(1)})
    sign_in(client, "admision")
    case_id = re.search(r"/cases/([0-9a-f-]{36})", client.get("/cases").get_data(as_text=True)).group(1)
    taken = _post(client, case_id, "custody", status="in_custody", facility_id=facility_id,
                  since=(date.today() - timedelta(days=40)).isoformat())
    assert taken.status_code == 302
    return case_id, facility_id


def test_a_release_with_its_follow_up_plan_and_maternity(app, client, in_custody):
    case_id, facility_id = in_custody
    app.config.update(CASEFLOW_MENTOR_TRAINING_SESSIONS=1)
    mentor = str(_user("mentora").id)
    db.session.remove()
    page = client.get(f"/cases/{case_id}/custody").get_data(as_text=True)
    assert 'name="follow_up.assignee_id"' in page and f'value="{mentor}"' in page
    assert 'name="pregnant"' in page and 'name="children_ages"' in page
    release = {"status": "released", "facility_id": facility_id, "since": date.today().isoformat(),
               "follow_up.assignee_id": mentor, "follow_up.kind": "mentor_accompaniment", "follow_up.count": "12",
               "pregnant": "true", "children_ages": "2, 4"}
    before = _counts()
    untrained = _post(client, case_id, "custody", **release)
    assert untrained.status_code == 422
    body = untrained.get_data(as_text=True)
    error = re.search(r'id="custody-follow_up-assignee_id-error">([^<]+)<', body).group(1)
    assert "1" in error and "0" in error and "sesiones" in error  # beside the follow-up's visitor
    assert f'value="{mentor}" selected' in body and 'value="2, 4"' in body
    assert _counts() == before  # neither the release nor a plan

    too_old = _post(client, case_id, "custody", **{**release, "children_ages": "2, 9",
                                                    "follow_up.assignee_id": str(_user("psicologa.comunitaria").id),
                                                    "follow_up.kind": "psychological_followup"})
    assert too_old.status_code == 422 and 'id="custody-children_ages-error"' in too_old.get_data(as_text=True)
    assert _counts() == before

    app.config.update(CASEFLOW_MENTOR_TRAINING_SESSIONS=0)
    released = _post(client, case_id, "custody", **release)
    assert released.status_code == 302, released.get_data(as_text=True)[:2000]
    plans, records = _counts()
    assert (plans, records) == (before[0] + 1, before[1] + 1)
    page = client.get(f"/cases/{case_id}/custody").get_data(as_text=True)
    assert "En libertad" in page
    record = db.session.scalars(select(CustodyRecord).order_by(CustodyRecord.created_at.desc())).first()
    assert record.status == "released" and record.maternity == {"pregnant": True, "children_ages": [2, 4]}
    db.session.remove()
    plan_page = client.get(f"/cases/{case_id}/visit-plans").get_data(as_text=True)
    row = plan_page[plan_page.index('class="visit-plan"'):]
    assert "<td>12</td>" in row[:row.index("</tr>")] and date.today().isoformat() in row[:row.index("</tr>")]


def test_a_follow_up_without_a_release_is_refused(client, in_custody):
    case_id, facility_id = in_custody
    before = _counts()
    response = _post(client, case_id, "custody", status="in_custody", facility_id=facility_id,
                     since=date.today().isoformat(), **{"follow_up.assignee_id": str(_user("mentora").id),
                                                        "follow_up.kind": "mentor_accompaniment"})
    assert response.status_code == 422 and 'id="custody-follow_up-error"' in response.get_data(as_text=True)
    assert _counts() == before


@pytest.mark.parametrize("field", ["follow_up.assignee_id", "follow_up.kind", "follow_up.cadence_days",
                                   "follow_up.count", "pregnant", "children_ages"])
@pytest.mark.parametrize("hostile", ["<script>alert(1)</script>", "a\x00b"])
def test_hostile_input_in_each_new_field_is_refused_beside_it(client, in_custody, field, hostile):
    case_id, facility_id = in_custody
    release = {"status": "released", "facility_id": facility_id, "since": date.today().isoformat(),
               "follow_up.assignee_id": str(_user("psicologa.comunitaria").id),
               "follow_up.kind": "psychological_followup", field: hostile}
    before = _counts()
    response = _post(client, case_id, "custody", **release)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "<script>alert(1)" not in page and "\x00" not in page
    assert f'id="custody-{field.replace(".", "-")}-error"' in page
    assert _counts() == before

"""The GBVIMS Incident Recorder export, opened with openpyxl: sheets, headers, codes only."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from caseflow.audit.models import AuditEntry
from caseflow.extensions import db
from testkit.api import ago, get, incident_body, post
from testkit.factories import Centre, make_survivor
from tests.helpers import assert_error


def test_incident_recorder_opens_with_codes_and_no_formulas_or_names(client, app):
    app.config.update(CASEFLOW_STATISTICS_CONSENT="administrative")
    centre = Centre()
    survivor = make_survivor(centre.admission, given_names="Nombrecanario", document_number="44556677")
    case = centre.case(survivor=survivor)
    response = post(client, centre.admission, f"/cases/{case.id}/incidents", incident_body(
        acts={"penetration": True}, survivor_age=16, occurred_at=ago(days=3),
        narrative='=HYPERLINK("http://x")', perpetrator_relationship="partner"))
    assert response.status_code == 201, response.get_json()
    response = client.get("/api/v1/exports/incident-recorder", headers=_auth(centre.supervisor))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Incident Data", "Menu Data"]
    data = workbook["Incident Data"]
    spanish = [c.value for c in data[1]]
    english = [c.value for c in data[2]]
    assert spanish[:2] == ["Código del incidente", "Código de la sobreviviente"]
    assert {"gbv_type", "age_group", "perpetrator_relationship", "referred_health_medical", "agency"} <= set(english)
    row = dict(zip(english, [c.value for c in data[3]]))
    assert row["gbv_type"] == "rape" and row["age_group"] == "age_12_17" and row["survivor_code"] == case.code
    everything = [c for sheet in workbook for line in sheet.iter_rows() for c in line]
    assert not any(c.data_type == "f" for c in everything)
    text = " ".join(str(c.value) for c in everything if c.value is not None)
    assert "Nombrecanario" not in text and "44556677" not in text and "HYPERLINK" not in text
    assert "rape" in [c.value for c in workbook["Menu Data"]["A"]] or any(
        c.value == "rape" for line in workbook["Menu Data"].iter_rows() for c in line)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "incident_recorder")).one()
    assert entry.actor_id == centre.supervisor.id and entry.action == "export"
    assert_error(get(client, centre.admission, "/exports/incident-recorder"), 403)


def test_text_cells_stay_text(client, app):
    """A code that looks like a formula is written as text."""
    from caseflow.statistics import incident_recorder

    app.config.update(CASEFLOW_STATISTICS_CONSENT="administrative")
    centre = Centre()
    centre.org.code = "=1+1"
    db.session.commit()
    case = centre.case()
    post(client, centre.admission, f"/cases/{case.id}/incidents", incident_body())
    from datetime import timedelta

    from caseflow.core.clock import utcnow

    with incident_recorder.write(None, utcnow() - timedelta(days=1), utcnow() + timedelta(days=1)) as handle:
        workbook = load_workbook(handle)
    agency = [c.value for c in workbook["Incident Data"][3]][-1]
    assert agency == "=1+1" and workbook["Incident Data"][3][-1].data_type == "s"


def _auth(user):
    from testkit.api import bearer

    return bearer(user)

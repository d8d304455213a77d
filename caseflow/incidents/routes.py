from flask_smorest import Blueprint

from caseflow.access.policy import case_or_404, case_record_or_404, require
from caseflow.core.pagination import PageArgs, page_schema, paginate
from caseflow.incidents import services
from caseflow.incidents.models import Incident
from caseflow.incidents.schemas import IncidentCreateSchema, IncidentDetailSchema, IncidentPatchSchema, IncidentSchema

blp = Blueprint("incidents", __name__, url_prefix="/api/v1", description="Incidents (GBVIMS)")

IncidentPage = page_schema(IncidentSchema, "IncidentPage")


@blp.post("/cases/<uuid:case_id>/incidents")
@blp.arguments(IncidentCreateSchema)
@blp.response(201, IncidentDetailSchema)
def record_incident(data, case_id):
    """Record an incident; `gbv_type` and the flags are derived (for statistics only)."""
    require("incident.record")
    return services.record_incident(case_or_404(case_id), data)


@blp.get("/cases/<uuid:case_id>/incidents")
@blp.arguments(PageArgs, location="query")
@blp.response(200, IncidentPage)
def list_incidents(args, case_id):
    """The case's incidents, newest first, without narratives."""
    require("incident.read")
    return paginate(services.of_case(case_or_404(case_id)), args)


@blp.get("/incidents/<uuid:incident_id>")
@blp.response(200, IncidentDetailSchema)
def get_incident(incident_id):
    """One incident with its narrative (the read is audited)."""
    return case_record_or_404(Incident, incident_id, "incident.read")


@blp.patch("/incidents/<uuid:incident_id>")
@blp.arguments(IncidentPatchSchema)
@blp.response(200, IncidentSchema)
def patch_incident(changes, incident_id):
    """Correct the place of violence, or record her consent to statistical use (given or withdrawn)."""
    return services.update_incident(case_record_or_404(Incident, incident_id, "incident.record"), changes)

"""The GBVIMS Incident Recorder as XLSX: "Incident Data" (one row per incident, coded values
only: incident and survivor codes, never names, documents, birth dates or narratives) and
"Menu Data" (the lists the codes come from).

Rows are read in one statement with the referrals of each case aggregated by the database,
streamed (``yield_per``) and written by xlsxwriter in constant-memory mode, so a year of a
national deployment never sits in memory. Every text cell is written with ``write_string``:
a value beginning with ``=``, ``+``, ``-`` or ``@`` stays text, never a formula.
"""

from __future__ import annotations

import tempfile
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import xlsxwriter
from flask import current_app
from sqlalchemy import Integer, case, false, func, null, select

from caseflow.cases.models import Case
from caseflow.core.clock import local_zone
from caseflow.directory.models import Organization
from caseflow.extensions import db
from caseflow.incidents.classification import AGE_GROUPS, DELAY_BUCKETS, GBV_TYPES
from caseflow.incidents.models import (
    LOCATION_TYPES,
    PERPETRATOR_RELATIONSHIPS,
    Incident,
)
from caseflow.referrals.models import Referral
from caseflow.statistics.tables import consent_column
from caseflow.survivors.models import DISABILITIES, SEXES, Survivor

#: Referral columns: the Incident Recorder's services and the sectors or service types behind each.
SERVICES = (
    ("health_medical", "Servicios de salud / médicos", Referral.sector == "health"),
    ("psychosocial", "Servicios psicosociales", Referral.service_type.in_(("mental_health", "social_support"))),
    ("police", "Policía / seguridad", Referral.sector == "police"),
    ("legal", "Asistencia legal / justicia", Referral.sector == "justice"),
    ("safe_house", "Casa refugio", Referral.service_type == "shelter"),
    ("livelihoods", "Medios de vida", Referral.service_type == "economic_support"),
)

#: (English column of the Incident Recorder, Spanish header)
COLUMNS = (
    ("incident_id", "Código del incidente"), ("survivor_code", "Código de la sobreviviente"),
    ("date_of_interview", "Fecha de la entrevista"), ("date_of_incident", "Fecha del incidente"),
    ("age_group", "Grupo de edad"), ("sex", "Sexo"), ("country_of_origin", "País de origen"),
    ("marital_status", "Estado civil"), ("displacement_status", "Situación de desplazamiento"),
    ("disability", "Discapacidad"), ("time_of_day", "Momento del día"), ("location_type", "Lugar del incidente"),
    ("place", "UBIGEO del lugar"), ("gbv_type", "Tipo de VBG"), ("harmful_traditional_practice", "Práctica nociva"),
    ("money_goods_exchanged", "Intercambio de dinero o bienes"), ("reporting_delay", "Tiempo hasta la denuncia"),
    ("previous_incidents", "Incidentes previos"), ("number_of_perpetrators", "Número de agresores"),
    ("perpetrator_relationship", "Relación con el agresor"), ("perpetrator_age_group", "Edad del agresor"),
    ("perpetrator_occupation", "Ocupación del agresor"),
    *((f"referred_{code}", f"Derivada: {label}") for code, label, _ in SERVICES),
    ("legal_action_wished", "Desea acción legal"), ("consent_for_statistics", "Consentimiento para estadísticas"),
    ("agency", "Organismo"),
)

MENUS = {
    "gbv_type": GBV_TYPES, "age_group": AGE_GROUPS, "sex": SEXES, "disability": DISABILITIES,
    "time_of_day": ("morning", "afternoon", "evening_night", "unknown"), "location_type": LOCATION_TYPES,
    "perpetrator_relationship": PERPETRATOR_RELATIONSHIPS, "reporting_delay": DELAY_BUCKETS,
    "harmful_traditional_practice": ("early_marriage", "none"), "yes_no": ("yes", "no", "unknown"),
}


def _time_of_day(moment: datetime, known: bool, zone: ZoneInfo) -> str:
    if not known:
        return "unknown"
    hour = moment.astimezone(zone).hour
    return "morning" if 6 <= hour < 12 else "afternoon" if 12 <= hour < 18 else "evening_night"


def _statement(centre: uuid.UUID | None, start: datetime, end: datetime):
    referred = (select(Referral.case_id.label("case_id"), *(
        func.max(case((condition, 1), else_=0)).label(code) for code, _, condition in SERVICES))
        .group_by(Referral.case_id).subquery())
    previous = Incident.__table__.alias("previous")
    previous_count = (select(func.count()).where(previous.c.survivor_id == Incident.survivor_id,
                                                 previous.c.occurred_at < Incident.occurred_at)
                      .correlate(Incident).scalar_subquery())
    conditions = [Incident.reported_at >= start, Incident.reported_at < end]
    if centre is not None:
        conditions.append(Case.organization_id == centre)
    consent = consent_column()
    if current_app.config["CASEFLOW_STATISTICS_CONSENT"] != "administrative":
        conditions.append(consent.is_(True) if consent is not None else false())
    place = getattr(Incident, "place_ubigeo", None)
    columns = [Incident.id, Case.code, Incident.reported_at, Incident.occurred_at, Incident.occurred_time_known,
               Incident.survivor_age_group, Survivor.sex, Survivor.disability, Incident.location_type,
               Incident.gbv_type, Incident.early_marriage, Incident.goods_or_money_exchanged,
               Incident.reporting_delay, previous_count.label("previous"), Incident.perpetrator_count,
               Incident.perpetrator_relationship, Incident.perpetrator_age_group, Organization.code.label("agency"),
               *(func.coalesce(referred.c[code], 0).cast(Integer).label(f"referred_{code}") for code, _, _ in SERVICES),
               (place if place is not None else null()).label("place"),
               (consent if consent is not None else null()).label("consent")]
    return (select(*columns).select_from(Incident).join(Case, Case.id == Incident.case_id)
            .join(Survivor, Survivor.id == Incident.survivor_id)
            .join(Organization, Organization.id == Case.organization_id)
            .outerjoin(referred, referred.c.case_id == Incident.case_id)
            .where(*conditions).order_by(Incident.reported_at, Incident.id))


def _yes_no(value) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def write(centre: uuid.UUID | None, start: datetime, end: datetime):
    """The workbook in a temporary file (deleted once closed, i.e. once sent): a year of a
    national deployment is tens of megabytes, which memory need not hold."""
    zone = local_zone()
    output = tempfile.TemporaryFile()
    workbook = xlsxwriter.Workbook(output, {"constant_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
    sheet = workbook.add_worksheet("Incident Data")
    # Constant memory writes a row once: each header row whole, Spanish then GBVIMS' names.
    sheet.write_row(0, 0, [spanish for _, spanish in COLUMNS])
    sheet.write_row(1, 0, [english for english, _ in COLUMNS])
    try:
        _write_incidents(sheet, centre, start, end, zone)
        _write_menus(workbook.add_worksheet("Menu Data"))
    finally:
        workbook.close()  # also removes its temporary row files
    output.seek(0)
    return output


def _write_incidents(sheet, centre, start, end, zone) -> None:
    row_number = 2
    # A server-side cursor on PostgreSQL needs a transaction, which a read request's
    # autocommit connection lacks: the rows are streamed on a connection of their own.
    with db.engine.connect() as connection, connection.begin():
        rows = connection.execution_options(yield_per=1000).execute(_statement(centre, start, end))
        for row in rows:
            values = [
                f"{row.code}-{str(row.id)[:8].upper()}", row.code, row.reported_at.astimezone(zone).date().isoformat(),
                row.occurred_at.astimezone(zone).date().isoformat(), row.survivor_age_group, row.sex or "unknown",
                "", "", "", row.disability or "unknown", _time_of_day(row.occurred_at, row.occurred_time_known, zone),
                row.location_type or "unknown", row.place or "", row.gbv_type,
                "early_marriage" if row.early_marriage else "none", _yes_no(row.goods_or_money_exchanged),
                row.reporting_delay, _yes_no(row.previous > 0), row.perpetrator_count,
                row.perpetrator_relationship or "unknown", row.perpetrator_age_group or "unknown", "",
                *(_yes_no(getattr(row, f"referred_{code}")) for code, _, _ in SERVICES),
                "", _yes_no(row.consent) if consent_column() is not None else "", row.agency,
            ]
            for col, value in enumerate(values):
                if isinstance(value, int) and not isinstance(value, bool):
                    sheet.write_number(row_number, col, value)
                elif value is not None:
                    sheet.write_string(row_number, col, str(value))
            row_number += 1


def _write_menus(menus) -> None:
    for col, (name, options) in enumerate(MENUS.items()):
        menus.write_string(0, col, name)
    longest = max(len(options) for options in MENUS.values())
    for line in range(longest):  # constant memory: row by row
        for col, options in enumerate(MENUS.values()):
            if line < len(options):
                menus.write_string(line + 1, col, options[line])

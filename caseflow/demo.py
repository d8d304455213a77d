"""Demo data for development: clearly synthetic, loaded once.

Nothing here is a real person; names come from a fixed list and document numbers are
out of the ranges RENIEC issues (they start with 99).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from caseflow.core.acting import acting_as
from caseflow.directory import services as directory
from caseflow.directory.models import Organization, User
from caseflow.extensions import db

DEMO_PASSWORD = "demo-caseflow-2026"

ORGANIZATIONS = [
    ("CEM-LIMA", "CEM Lima Cercado (demo)", "cem", "150101", []),
    ("CEM-VES", "CEM Villa El Salvador (demo)", "cem", "150142", []),
    ("HOSP-LIMA", "Hospital de demostración Lima", "health", "150101",
     ["hiv_pep", "emergency_contraception", "medical_care", "medico_legal_exam", "mental_health"]),
    ("COMISARIA-LIMA", "Comisaría de demostración Lima", "police", "150101", ["complaint"]),
    ("JUZGADO-FAM-LIMA", "Juzgado de Familia de demostración", "justice", "150101",
     ["protective_measures", "legal_proceedings"]),
    ("HOGAR-LIMA", "Hogar Refugio Temporal de demostración", "social", "150101",
     ["shelter", "social_support", "economic_support", "legal_aid"]),
]

USERS = [
    ("admin", "admin", "CEM-LIMA", None),
    ("supervisora", "supervisor", "CEM-LIMA", "psychology"),
    ("admision", "caseworker", "CEM-LIMA", "admission"),
    ("psicologa", "caseworker", "CEM-LIMA", "psychology"),
    ("abogada", "caseworker", "CEM-LIMA", "legal"),
    ("trabajadora.social", "caseworker", "CEM-LIMA", "social"),
    ("mentora", "mentor", "CEM-LIMA", None),
    ("psicologa.comunitaria", "psychologist", "CEM-LIMA", None),
    ("enlace.salud", "liaison", "HOSP-LIMA", None),
    ("enlace.policia", "liaison", "COMISARIA-LIMA", None),
    ("enlace.juzgado", "liaison", "JUZGADO-FAM-LIMA", None),
    ("supervisora.ves", "supervisor", "CEM-VES", None),
]

SURVIVORS = [
    {"given_names": "Demo Rosa", "family_names": "Ejemplo Quispe", "alias": "Rosa D.",
     "document_type": "DNI", "document_number": "99000001", "birth_date": date(1990, 3, 14),
     "sex": "female", "phone": "+51 900 000 001", "address": "Av. Ficticia 123, Lima",
     "safe_contact": "Llamar solo después de las 18h", "district": "150101", "mother_tongue": "spanish"},
    {"given_names": "Demo María", "family_names": "Prueba Mamani", "alias": "Mari",
     "document_type": "DNI", "document_number": "99000002", "birth_date": date(1985, 7, 2),
     "sex": "female", "phone": "+51 900 000 002", "address": "Jr. Inventado 45, Lima",
     "safe_contact": "Mensaje de texto, no llamar", "district": "150101", "mother_tongue": "quechua"},
    {"given_names": "Demo Lucía", "family_names": "Muestra Flores", "alias": "Lu",
     "document_type": "NONE", "birth_date": date(2009, 1, 20), "sex": "female",
     "phone": "+51 900 000 003", "address": "Calle Sin Nombre s/n, Lima", "district": "150101"},
]


def load_demo() -> tuple[bool, list[tuple[str, str]]]:
    logins = [(username, role) for username, role, _org, _d in USERS]
    if db.session.scalar(select(Organization.id).where(Organization.code == "CEM-LIMA")):
        return False, logins
    orgs = {}
    for code, name, sector, district, services in ORGANIZATIONS:
        orgs[code] = directory.create_organization(
            code=code, name=name, sector=sector, district=district, service_types=services
        )
    for username, role, org_code, discipline in USERS:
        directory.create_user(username=username, password=DEMO_PASSWORD, role=role,
                              organization_id=orgs[org_code].id, discipline=discipline)
    db.session.flush()
    admision = db.session.scalars(select(User).where(User.username == "admision")).one()
    with acting_as(admision):
        from caseflow.cases.services import open_case
        from caseflow.survivors.services import register

        cases = []
        for values, channel, priority in zip(SURVIVORS, ("walk_in", "linea_100", "police"), ("high", "medium", "high")):
            survivor = register(dict(values))
            cases.append(open_case(survivor_id=survivor.id, intake_channel=channel, priority=priority))
    from caseflow.demo_casework import load_demo_casework

    load_demo_casework(cases)
    return True, logins

"""Factories for every model; survivors and cases go through the services so that their
data is encrypted exactly as in production. All values are synthetic."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import factory
from factory.alchemy import SQLAlchemyModelFactory

from caseflow.auth.passwords import hash_password
from caseflow.core.acting import acting_as
from caseflow.directory.models import Organization, User
from caseflow.extensions import db

PASSWORD = "correct-horse-battery-staple"
_dni = itertools.count(40000000)


class _Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class OrganizationFactory(_Base):
    class Meta:
        model = Organization

    code = factory.Sequence(lambda n: f"ORG-{n:04d}")
    name = factory.Sequence(lambda n: f"Organización de prueba {n}")
    sector = "cem"
    district = "150101"
    service_types = factory.LazyFunction(list)


class UserFactory(_Base):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n:04d}")
    password_hash = factory.LazyFunction(lambda: hash_password(PASSWORD))
    role = "caseworker"
    discipline = factory.LazyAttribute(lambda o: "admission" if o.role == "caseworker" else None)
    organization = factory.SubFactory(OrganizationFactory)


def survivor_values(**overrides) -> dict:
    number = next(_dni)
    values = {
        "given_names": "Ana Sintética",
        "family_names": f"Prueba {number}",
        "alias": f"Ana {number % 1000}",
        "document_type": "DNI",
        "document_number": str(number),
        "birth_date": date(1990, 1, 1) + timedelta(days=number % 7000),
        "sex": "female",
        "phone": f"+51 9{number % 100000000:08d}",
        "address": f"Calle Ficticia {number % 900 + 1}, Lima",
        "safe_contact": "Después de las 18h, solo por teléfono",
        "district": "150101",
    }
    values.update(overrides)
    return values


def make_survivor(by: User, **overrides):
    from caseflow.survivors.services import register

    with acting_as(by):
        survivor = register(survivor_values(**overrides))
        db.session.commit()
    return survivor


def make_case(by: User, survivor=None, **overrides):
    from caseflow.cases.services import open_case

    survivor = survivor or make_survivor(by)
    with acting_as(by):
        case = open_case(survivor_id=survivor.id, intake_channel=overrides.get("intake_channel", "walk_in"),
                         priority=overrides.get("priority", "high"))
        db.session.commit()
    return case


#: Who a centre's people are, by the name a test calls them.
PEOPLE = {
    "supervisor": {"role": "supervisor", "discipline": None},
    "admission": {"role": "caseworker", "discipline": "admission"},
    "psychology": {"role": "caseworker", "discipline": "psychology"},
    "legal": {"role": "caseworker", "discipline": "legal"},
    "admin": {"role": "admin", "discipline": None},
    "caseworker": {"role": "caseworker"},
    "mentor": {"role": "mentor"},
    "psychologist": {"role": "psychologist"},
}
#: A casework centre: a supervisor and caseworkers of each discipline (and its admin).
CASEWORK_PEOPLE = ("supervisor", "admission", "psychology", "legal", "admin")
#: A visiting centre: who plans, makes and watches visits.
VISITING_PEOPLE = ("supervisor", "caseworker", "mentor", "psychologist")


class Centre:
    """The one test centre: a CEM and the people named (made in that order), reached by those
    names; ``org`` and ``organization`` are the same centre."""

    def __init__(self, people=CASEWORK_PEOPLE):
        self.organization = self.org = OrganizationFactory()
        for name in people:
            setattr(self, name, UserFactory(organization=self.org, **PEOPLE[name]))

    def case(self, **kwargs):
        return make_case(self.admission, **kwargs)

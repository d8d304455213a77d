"""Synthetic data for benchmarks: realistic Spanish names and DNIs, encrypted as in production.

Writes through SQLAlchemy Core in batches (the services' per-request audit and events are
not what a benchmark of reads should pay for at load time). Every value is synthetic and
deterministic for a seed; ``document_number(i)`` gives survivor i's DNI so a load generator
can search for real ones.
"""

from __future__ import annotations

import random
import secrets
import uuid
from datetime import date, timedelta
from types import SimpleNamespace

from sqlalchemy import insert, select

from caseflow.cases.models import Case, CaseAssignment
from caseflow.core.clock import utcnow
from caseflow.crypto import aead, blind_index, normalize
from caseflow.crypto.keys import keyring
from caseflow.crypto.models import DataKey, SurvivorSearchTerm
from caseflow.extensions import db
from caseflow.survivors.models import Survivor

GIVEN = ["María", "Rosa", "Ana", "Carmen", "Lucía", "Juana", "Flor", "Elena", "Luz", "Milagros",
         "Gladys", "Yolanda", "Sonia", "Patricia", "Diana", "Karina", "Nélida", "Maribel", "Ruth",
         "Jessica", "Marleni", "Sofía", "Valeria", "Ximena", "Yesenia", "Edith", "Liliana", "Norma"]
FAMILY = ["Quispe", "Mamani", "Flores", "Huamán", "Rojas", "Sánchez", "García", "Ramos", "Torres",
          "Vargas", "Chávez", "Mendoza", "Castillo", "Condori", "Gutiérrez", "Pérez", "Díaz",
          "Ccori", "Ticona", "Apaza", "Espinoza", "Cárdenas", "Villanueva", "Paredes", "Núñez"]
STREETS = ["Av. Los Próceres", "Jr. Ayacucho", "Calle Las Flores", "Av. Túpac Amaru", "Psje. San Martín"]
DISTRICTS = ["150101", "150142", "150132", "150110", "150135", "150117"]


def document_number(i: int) -> str:
    """Unique 8-digit DNI for survivor ``i`` (7919 is coprime with the range)."""
    return str(10_000_000 + (i * 7919) % 89_999_999)


def _seal(key: bytes, key_id: uuid.UUID, table: str, column: str, row_id: uuid.UUID, value: str,
          owner: tuple) -> bytes:
    return aead.seal_field(key, key_id, value.encode(), aead.field_context(table, column, row_id, owner))


def generate(organization_id: uuid.UUID, caseworker_id: uuid.UUID, count: int, start: int = 0,
             seed: int = 2026, batch: int = 2000) -> None:
    rng = random.Random(seed + start)
    kek_id, kek = keyring().primary_kek
    states = {name: blind_index.state(name) for name in ("document", "name")}
    db.session.commit()
    year = utcnow().year
    now = utcnow()
    for offset in range(start, start + count, batch):
        keys, survivors, terms, cases, assignments = [], [], [], [], []
        for i in range(offset, min(offset + batch, start + count)):
            key_id, survivor_id, case_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
            raw = secrets.token_bytes(32)
            keys.append({"id": key_id, "kek_id": kek_id, "wrapped": aead.wrap_key(kek_id, kek, raw, key_id),
                         "survivor_id": survivor_id, "created_at": now})
            given = f"{rng.choice(GIVEN)} {rng.choice(GIVEN)}"
            family = f"{rng.choice(FAMILY)} {rng.choice(FAMILY)}"
            values = {
                "given_names": given, "family_names": family, "alias": given.split()[0],
                "document_number": document_number(i),
                "birth_date": (date(1960, 1, 1) + timedelta(days=rng.randrange(20000))).isoformat(),
                "phone": f"+51 9{rng.randrange(10**8):08d}",
                "address": f"{rng.choice(STREETS)} {rng.randrange(1, 2000)}",
                "safe_contact": "Llamar después de las 18h",
            }
            row = {"id": survivor_id, "organization_id": organization_id, "data_key_id": key_id,
                   "document_type": "DNI", "sex": "female", "district": rng.choice(DISTRICTS),
                   "created_at": now, "updated_at": now}
            owner = Survivor.__encryption_owner__.bound(SimpleNamespace(**row))
            for name, value in values.items():
                row[f"{name}_ct"] = _seal(raw, key_id, "survivors", f"{name}_ct", survivor_id, value, owner)
            survivors.append(row)
            # The name index holds a term per form of her name (caseflow.survivors.services).
            for name, forms in (("document", [f"DNI:{values['document_number']}"]),
                                ("name", normalize.name_variants(given, family))):
                state = states[name]
                for term in {blind_index.term_for(name, state.active_version, state.active_bits, form)
                             for form in forms}:
                    terms.append({"survivor_id": survivor_id, "index_name": name,
                                  "version": state.active_version, "term": term})
            cases.append({"id": case_id, "code": f"BENCH-{year}-{i:07d}", "survivor_id": survivor_id,
                          "organization_id": organization_id, "status": "open" if i % 5 else "closed",
                          "step": "engagement", "priority": rng.choice(["high", "medium", "low"]),
                          "intake_channel": rng.choice(["walk_in", "linea_100", "police", "health_facility"]),
                          "opened_at": now - timedelta(days=rng.randrange(365)), "created_at": now,
                          "updated_at": now, "risk_level": rng.choice([None, "leve", "moderado", "severo"])})
            assignments.append({"id": uuid.uuid4(), "case_id": case_id, "user_id": caseworker_id,
                                "assigned_at": now})
        db.session.execute(insert(DataKey), keys)
        db.session.execute(insert(Survivor), survivors)
        db.session.execute(insert(SurvivorSearchTerm), terms)
        db.session.execute(insert(Case), cases)
        db.session.execute(insert(CaseAssignment), assignments)
        db.session.commit()


def sample_case_ids(limit: int = 2000) -> list[str]:
    return [str(i) for i in db.session.scalars(select(Case.id).limit(limit))]

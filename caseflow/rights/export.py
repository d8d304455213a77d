"""Access and portability (Ley 29733): everything held about a survivor, decrypted.

Built from the mapped models (``caseflow.keys.discovery``), so tables added by later
features appear in the export without changes here. One audit entry names the tables
exported; the individual decryptions are not logged one by one.

Every encrypted field goes through the access policy's one field rule
(:func:`caseflow.access.policy.may_read_field`) before it is decrypted: a legal caseworker's
export holds no psychology notes, as her ``GET /sessions/{id}`` does not. What was withheld is
named (``withheld``, field names only) and ``complete`` says whether anything was: her full
export, as Ley 29733 gives her, is made by a supervisor of her centre.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from markupsafe import escape

from caseflow.access.policy import may_read_field
from caseflow.audit.services import record
from caseflow.core.clock import utcnow
from caseflow.crypto.fields import encrypted_attributes, unaudited_reads
from caseflow.extensions import db
from caseflow.keys.discovery import owned_models, rows_of
from caseflow.survivors.services import readable

#: Internal pointers that mean nothing to her.
HIDDEN_COLUMNS = frozenset({"data_key_id"})


def _plain(value):
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return None
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _row(row, withheld: set[str]) -> dict:
    out = {}
    for prop in type(row).__mapper__.column_attrs:
        if prop.key.endswith("_ct") or prop.key in HIDDEN_COLUMNS:
            continue
        out[prop.key] = _plain(getattr(row, prop.key))
    for attr in encrypted_attributes(type(row)):
        if may_read_field(row, attr.name):
            out[attr.name] = _plain(getattr(row, attr.name))
        else:  # not decrypted: the policy denies this reader the field
            out[attr.name] = None
            if getattr(row, f"{attr.name}_ct", None) is not None:
                withheld.add(attr.name)
    return out


def export_survivor(survivor) -> dict:
    readable(survivor)
    records: dict[str, list] = {}
    withheld: dict[str, list[str]] = {}
    with unaudited_reads():
        for model in owned_models():
            denied: set[str] = set()
            statement = rows_of(model, survivor.id).order_by(*model.__mapper__.primary_key)
            records[model.__tablename__] = [_row(r, denied) for r in db.session.scalars(statement)]
            if denied:
                withheld[model.__tablename__] = sorted(denied)
    record("export", "survivors", survivor.id, survivor_id=survivor.id, fields=sorted(records),
           detail={"complete": not withheld, "withheld": withheld} if withheld else None)
    return {
        "survivor_id": str(survivor.id),
        "exported_at": utcnow().isoformat(),
        "complete": not withheld,
        "withheld": withheld,
        "survivor": records.pop("survivors")[0],
        "records": records,
    }


def _title(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _fields_html(values: dict) -> str:
    items = "".join(
        f"<dt>{escape(_title(k))}</dt><dd>{escape('' if v is None else v)}</dd>" for k, v in values.items()
    )
    return f"<dl>{items}</dl>"


def export_html(export: dict) -> str:
    """A printable page of the same content (no scripts, no external resources)."""
    parts = [
        "<!doctype html><html lang='es'><head><meta charset='utf-8'>",
        f"<title>caseflow export {escape(export['survivor_id'])}</title>",
        "<style>body{font-family:sans-serif;margin:2em}dt{font-weight:bold}dd{margin:0 0 .5em 1em}"
        "section{page-break-inside:avoid;border-top:1px solid #999;margin-top:1em}</style></head><body>",
        f"<h1>Export {escape(export['survivor_id'])}</h1>",
        f"<p>{escape(export['exported_at'])}</p>",
        *(f"<p>Withheld: {escape(table)}: {escape(', '.join(fields))}</p>" for table, fields in export["withheld"].items()),
        "<section><h2>Survivor</h2>", _fields_html(export["survivor"]), "</section>",
    ]
    for table, rows in export["records"].items():
        parts.append(f"<section><h2>{escape(_title(table))} ({len(rows)})</h2>")
        parts.extend(_fields_html(row) for row in rows)
        parts.append("</section>")
    parts.append("</body></html>")
    return "".join(parts)

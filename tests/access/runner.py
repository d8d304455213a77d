"""Reads the access matrix and plays one cell of it against real records.

Kept apart from :mod:`tests.access.matrix` so the matrix stays a table a reviewer can read.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass

from tests.access.matrix import BODIES, COLUMNS, QUERIES, TABLE

API = "/api/v1"
_unique = itertools.count(1)


@dataclass(frozen=True)
class Row:
    method: str
    route: str  # e.g. /cases/{case_id}, relative to /api/v1
    expected: dict[str, tuple[str, ...]]  # column → (own,) or (own, other)

    @property
    def key(self) -> str:
        return f"{self.method} {self.route}"

    @property
    def path_parameters(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.route)


def parse_table(table: str = TABLE) -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for number, line in enumerate(table.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        method, route, *cells = line.split()
        if len(cells) != len(COLUMNS):
            raise ValueError(f"matrix line {number} ({method} {route}): {len(cells)} cells for {len(COLUMNS)} columns")
        row = Row(method, route, {column: tuple(cell.split("|")) for column, cell in zip(COLUMNS, cells)})
        if row.key in rows:
            raise ValueError(f"matrix line {number}: {row.key} appears twice")
        rows[row.key] = row
    return rows


def app_routes(app) -> set[str]:
    """Every method and rule the application serves under /api/v1, as the matrix spells them."""
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(API + "/"):
            continue
        route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule[len(API):])
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.add(f"{method} {route}")
    return found


def matches(expected: str, status: int) -> bool:
    if expected.endswith("xx"):
        return str(status)[0] == expected[0]
    return str(status) == expected


def _fill(template, values: dict):
    if isinstance(template, str):
        if template.startswith("{") and template.endswith("}") and template[1:-1] in values:
            return values[template[1:-1]]
        return template.format(**values) if "{" in template else template
    if isinstance(template, dict):
        return {k: _fill(v, values) for k, v in template.items()}
    if isinstance(template, list):
        return [_fill(v, values) for v in template]
    return template


def request_for(row: Row, realm) -> tuple[str, dict | None]:
    """The path (with query) and body for ``row`` aimed at ``realm``'s records."""
    ids = realm.path_ids()
    missing = [name for name in row.path_parameters if name not in ids]
    if missing:
        raise LookupError(f"{row.key}: no record for path parameter(s) {missing}; add them to testkit/world.py")
    n = next(_unique)
    values = {**realm.values(), "n": n, "dni": str(60000000 + n)}
    path = API + row.route.format(**ids)
    if row.key in QUERIES:
        path += "?" + _fill(QUERIES[row.key], values)
    body = _fill(BODIES[row.key], values) if row.key in BODIES else None
    if body is None and row.method in ("POST", "PATCH", "PUT"):
        body = {}
    return path, body


def call(client, row: Row, realm, headers: dict):
    path, body = request_for(row, realm)
    kwargs = {"headers": headers}
    if body is not None:
        kwargs["data"] = json.dumps(body)
        kwargs["content_type"] = "application/json"
    return client.open(path, method=row.method, **kwargs)

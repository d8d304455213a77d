"""What the OpenAPI description says of every operation, by rule rather than by hand.

An apispec plugin (registered by :class:`caseflow.core.api.CaseflowApi`) gives each
operation a stable, unique ``operationId`` derived from its blueprint and endpoint, and the
error statuses it can answer in the contract's error shape (``ErrorSchema``):

* 401 for every operation that is not ``@public``; 403 too (role, CSRF, pending role);
* 404 (outside her reach, or no such record) and 410 (her data was erased) where the path
  names a record;
* 422 where the operation takes a body or query parameters, 400 where it takes a body
  (unreadable JSON);
* 409 for every write (a state the change conflicts with);
* 401 and 429 for sign-in (wrong credentials, throttled guesses).

A route documents a status of its own with ``@blp.alt_response``; the rule only adds what is
missing.
"""

from __future__ import annotations

from http import HTTPStatus

from apispec import BasePlugin

WRITES = frozenset({"post", "put", "patch", "delete"})
THROTTLED = frozenset({"auth.login", "auth.create_token", "auth.activate"})


def operation_id(endpoint: str, method: str, methods: int) -> str:
    """``sessions.get_session`` → ``sessions_get_session`` (the method is added only when
    one endpoint answers several)."""
    name = endpoint.replace(".", "_").replace("-", "_")
    return f"{name}_{method}" if methods > 1 else name


def error_statuses(method: str, operation: dict, *, public: bool, names_record: bool, endpoint: str) -> list[int]:
    parameters = operation.get("parameters") or []
    has_query = any(p.get("in") == "query" for p in parameters if isinstance(p, dict))
    has_body = "requestBody" in operation
    statuses = set()
    if not public:
        statuses |= {401, 403}
    if names_record:
        statuses |= {404, 410}
    if has_body:
        statuses |= {400, 422}
    if has_query:
        statuses.add(422)
    if method in WRITES and not public:
        statuses.add(409)
    if endpoint in THROTTLED:
        statuses |= {401, 429}  # a wrong password (or second factor); throttled guesses
    return sorted(statuses)


class ContractPlugin(BasePlugin):
    """Fills in operationIds and error responses as each path is registered."""

    def __init__(self, view_for=None):
        #: endpoint → view function (to tell ``@public`` views), set once the app is known.
        self.view_for = view_for or (lambda endpoint: None)

    def operation_helper(self, path=None, operations=None, **kwargs):
        from caseflow.core.auth_required import is_public

        rule = kwargs.get("rule")
        if rule is None or not operations:
            return
        view = self.view_for(rule.endpoint)
        public = view is not None and is_public(view)
        names_record = bool(rule.arguments)
        methods = [m for m in operations if m in ("get", "post", "put", "patch", "delete")]
        for method in methods:
            operation = operations[method]
            operation.setdefault("operationId", operation_id(rule.endpoint, method, len(methods)))
            responses = operation.setdefault("responses", {})
            for status in error_statuses(method, operation, public=public, names_record=names_record,
                                         endpoint=rule.endpoint):
                responses.setdefault(str(status), HTTPStatus(status).name)


def csv_alternative(schema, description: str) -> dict:
    """The ``responses`` of a route answering JSON by default and CSV on request
    (``?format=csv`` or ``Accept: text/csv``), for ``@blp.doc``."""
    return {"200": {"description": description, "content": {
        "application/json": {"schema": schema},
        "text/csv": {"schema": {"type": "string",
                                "description": "The same rows as CSV (`?format=csv` or `Accept: text/csv`)"}}}}}

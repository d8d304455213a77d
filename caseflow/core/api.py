"""flask-smorest's Api, answering errors in the contract's shape."""

from __future__ import annotations

import marshmallow as ma
from flask import jsonify
from flask_smorest import Api

from caseflow.core.unit_of_work import current


class ErrorSchema(ma.Schema):
    """Every error response (documentation only; :func:`error_payload` builds it)."""

    status = ma.fields.Integer(metadata={"description": "HTTP status code"})
    message = ma.fields.String(metadata={"description": "What went wrong, in the request's language"})
    errors = ma.fields.Dict(
        metadata={"description": "Messages per field, when the body or query was not valid"}
    )
    existing_id = ma.fields.UUID(metadata={
        "description": "409 on registering a survivor: the one already registered with this document"})
    open_referrals = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "409 on closing a case: its referrals not ended ({id, service_type, status})"})


class CaseflowApi(Api):
    ERROR_SCHEMA = ErrorSchema

    def _init_spec(self, *, extra_plugins=None, **kwargs):
        # operationIds and error statuses by rule, for every operation (caseflow.core.openapi).
        from caseflow.core.openapi import ContractPlugin

        contract = ContractPlugin(view_for=lambda endpoint: self._app.view_functions.get(endpoint))
        super()._init_spec(extra_plugins=[contract, *(extra_plugins or ())], **kwargs)

    def handle_http_exception(self, error):
        from caseflow.core.errors import error_payload

        if getattr(error, "keep_changes", False):
            current().keep_changes = True
        payload, code, headers = error_payload(error)
        response = jsonify(payload)
        response.status_code = code
        response.headers.update(headers)
        return response

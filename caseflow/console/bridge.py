"""Calling the API's routes in process, with their own input and response schemas.

The console holds no second definition of a form or of who may see a field: each action
names the API endpoint it stands for; its arguments are loaded by the schema that route
declares (``@blp.arguments``), the route's own function runs (with its policy checks and
services), and what it returns is dumped by the schema that route answers with
(``@blp.response``). A field the API's serializer leaves out for this person is left out here.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

import marshmallow as ma
from flask import Response, current_app

from caseflow.core import unit_of_work
from caseflow.core.errors import ApiError, Unprocessable
from caseflow.extensions import db


@dataclass(frozen=True)
class Route:
    view: object
    arguments: ma.Schema | None
    response: ma.Schema | None


def route(endpoint: str) -> Route:
    view = current_app.view_functions[endpoint]
    apidoc = getattr(view, "_apidoc", {})
    arguments = None
    for parameter in apidoc.get("arguments", {}).get("parameters", []):
        schema = parameter["schema"]
        arguments = schema() if isinstance(schema, type) else schema
    response = None
    for answers in apidoc.get("response", {}).get("responses", {}).values():
        schema = answers[0].get("schema") if answers else None
        if schema is not None:
            response = schema() if isinstance(schema, type) else schema
    return Route(inspect.unwrap(view), arguments, response)


def arguments_schema(endpoint: str) -> ma.Schema | None:
    return route(endpoint).arguments


def call(endpoint: str, data: dict | None = None, **view_args):
    """Run the route as the API would for the signed-in person; returns what it answers,
    dumped. Invalid input raises the API's 422 (:class:`Unprocessable`) with field errors.

    A refused call changes nothing, as the API's own request would roll back: the page's
    session is rolled back here (with what earlier calls of the same page flushed), unless the
    refusal is itself a record to keep (a failed sign-in's throttle), as the API's handler does.
    """
    try:
        return _call(route(endpoint), data, view_args)
    except ApiError as error:
        if getattr(error, "keep_changes", False):
            unit_of_work.current().keep_changes = True
        else:
            db.session.rollback()
        raise


def _call(target: Route, data: dict | None, view_args: dict):
    args = []
    if target.arguments is not None:
        try:
            args.append(target.arguments.load(data or {}))
        except ma.ValidationError as error:
            raise Unprocessable(errors=error.messages) from None
    result = target.view(*args, **view_args)
    if isinstance(result, tuple):
        result = result[0]
    if isinstance(result, Response):
        return result.get_json()
    if target.response is not None and result is not None:
        return target.response.dump(result)
    return result

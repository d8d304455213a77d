"""The contract's list shape: ``{"items", "total", "page", "per_page"}``."""

from __future__ import annotations

import marshmallow as ma
from flask_babel import lazy_gettext
from sqlalchemy import func, select

from caseflow.extensions import db

MAX_PER_PAGE = 100


_RANGE = lazy_gettext("Must be between {min} and {max}.")


class PageArgs(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=100000, error=_RANGE))
    per_page = ma.fields.Integer(
        load_default=20, validate=ma.validate.Range(min=1, max=MAX_PER_PAGE, error=_RANGE)
    )


def page_schema(item_schema: type[ma.Schema], name: str, **extra: ma.fields.Field) -> type[ma.Schema]:
    """A page of ``item_schema`` items, documented in OpenAPI under ``name``; ``extra``
    fields are added to the contract's four (a list may say more, never less)."""
    return type(
        name,
        (ma.Schema,),
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema)),
            "total": ma.fields.Integer(),
            "page": ma.fields.Integer(),
            "per_page": ma.fields.Integer(),
            **extra,
        },
    )


def paginate(statement, args: dict) -> dict:
    """Run ``statement`` for one page; the count is taken from the same filtered query."""
    page, per_page = args.get("page", 1), args.get("per_page", 20)
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    items = db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page)).all()
    return {"items": items, "total": total, "page": page, "per_page": per_page}

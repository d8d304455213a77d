"""Authentication is required by default; a view opts out with :func:`public`."""

from __future__ import annotations


def public(view):
    view.caseflow_public = True
    return view


def is_public(view) -> bool:
    return bool(getattr(view, "caseflow_public", False))

"""Puts the request's scope (agency, role) into every template."""

from .scoping import get_scope


def scope(request):
    return {"scope": get_scope(request)}

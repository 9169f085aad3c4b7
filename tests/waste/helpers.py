"""Helpers of the waste and campaigns tests: a user's scope as a view would have it."""

from types import SimpleNamespace

from agencies.scoping import get_scope


def scope_of(user):
    return get_scope(SimpleNamespace(user=user, session={}))

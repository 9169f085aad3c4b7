"""The shared fixtures' users as scopes, for calling services as a view would."""

import pytest

from tests.waste.helpers import scope_of


@pytest.fixture
def manager_scope(manager):
    return scope_of(manager)


@pytest.fixture
def clerk_scope(clerk):
    return scope_of(clerk)


@pytest.fixture
def outsider_scope(outsider):
    return scope_of(outsider)

import pytest

from tests.reporting.helpers import fake_indicators


@pytest.fixture
def indicators_registered():
    with fake_indicators():
        yield

"""The vehicles demo: the GL8 over its standard last quarter, flagged on the default accounting page."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from agencies.conventions import quarter_label
from agencies.demo import demo_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEMO_ALLOWED = True
    call_command("seed_demo", stdout=StringIO())
    return demo_period()


def test_the_accounting_page_opens_on_last_quarter_with_the_gl8_over_its_standard(demo, login):
    from django.contrib.auth import get_user_model

    client = login(get_user_model().objects.get(username="manager"))
    page = client.get(reverse("vehicles:accounting")).content.decode()
    assert quarter_label(*demo.last_complete_quarter) in page
    # 12.4 L/100 km against its 11.0 standard; the others within theirs
    assert 'data-plate="鲁Q20916" class="table-warning" data-over="12.7"' in page
    assert page.count('class="table-warning"') == 1
    assert "兰山区通达加油站" not in page  # the page counts the fills elsewhere; the log names them
    log = client.get(reverse("vehicles:fuel_list") + "?elsewhere=1").content.decode()
    assert "兰山区通达加油站" in log and "未定点" in log

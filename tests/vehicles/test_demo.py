"""The vehicles demo: the GL8 over its standard last quarter, flagged on the default accounting page."""

import pytest
from django.urls import reverse

from agencies.conventions import quarter_label
from agencies.demo import demo_period
from tests.demo_snapshot import seed_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEMO_ALLOWED = True
    seed_demo()  # tests/demo_snapshot.py: the command, or its copy
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


def test_the_demo_has_one_pooling_chance_and_one_sealed_period_violation_that_the_alerts_show(demo, login):
    from datetime import date

    from django.contrib.auth import get_user_model

    from agencies.models import Agency
    from reporting.registry import alerts
    from vehicles.models import DispatchOrder, FuelLog
    from vehicles.queries import pooling_chances, violations

    bureau = Agency.objects.get(code="LYYB")
    orders = DispatchOrder.objects.filter(agency=bureau)
    everything = (date(2019, 1, 1), demo.last_day)
    (group,) = pooling_chances(orders, *everything)
    assert (group.day, group.passengers, group.vehicles) == (date(2020, 11, 18), 4, 2)
    (violation,) = violations(
        orders, FuelLog.objects.filter(vehicle__agency=bureau), [bureau.pk], *everything
    )
    assert violation.kind == "dispatch" and violation.period.name.startswith("国庆节")
    assert (violation.day.month, violation.day.day) == (10, 3)
    messages = {a.key: [i.message for i in a.compute([bureau.pk], demo.today)] for a in alerts()}
    assert (
        len(messages["vehicles.over_standard"]) == 1 and "鲁Q20916" in messages["vehicles.over_standard"][0]
    )
    assert messages["vehicles.open_dispatches"] == []
    recent = (demo.today - violation.day).days <= 365  # the alert looks back twelve months
    assert len(messages["vehicles.sealed_use"]) == int(recent)
    client = login(get_user_model().objects.get(username="manager"))
    page = client.get(reverse("vehicles:violations") + f"?year={violation.day.year}").content.decode()
    assert "青岛市" in page

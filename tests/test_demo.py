"""seed_demo loads the seed's bureau and demo users, and running it twice adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from agencies.models import Agency, AgencyYear, Department, Membership

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Agency.objects.count(),
        Department.objects.count(),
        AgencyYear.objects.count(),
        Membership.objects.count(),
    )


def test_seed_demo_loads_the_bureau_as_the_seed_describes_it_and_is_idempotent(settings):
    settings.DEMO_ALLOWED = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == first

    bureau = Agency.objects.get(code="LYYB")
    assert bureau.name == "临沂市医疗保障局"
    sections = set(bureau.departments.filter(parent=None).values_list("name", flat=True))
    assert {"办公室", "党建工作科", "规划财务科", "待遇保障科", "基金监管科", "医药价格和招采科"} <= sections
    centre = bureau.departments.get(name="市医疗保险事业中心")
    assert set(centre.children.values_list("name", flat=True)) == {
        "基金管理科",
        "信息统计科",
        "基金稽核与协议管理科",
        "待遇结算科",
        "个人账户与关系转移科",
    }
    facts = bureau.years.get(year=2020)
    assert (facts.headcount, str(facts.building_area), str(facts.office_area)) == (45, "1942.42", "1024.00")
    assert Agency.objects.count() >= 3
    for username in ("clerk", "manager", "leader", "city"):
        assert username in out.getvalue()


def test_seed_demo_refuses_to_run_on_a_production_site(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    settings.DEMO_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())

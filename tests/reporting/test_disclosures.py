"""Quarterly disclosures: the snapshot by hand, publishing, locks, reopening and versions."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from agencies.scoping import Scope
from reporting import writes
from reporting.disclosures.services import disclosure_compute, disclosure_publish, disclosure_reopen
from reporting.disclosures.snapshot import disclosure_snapshots
from reporting.figures.locks import PeriodLockedError
from reporting.models import (
    Disclosure,
    DisclosureEvent,
    DisclosureStatus,
    PublishedDisclosureError,
)
from reporting.periods import Quarter
from reporting.registry import PER_CAPITA
from reporting.targets.services import target_save
from tests.factories import AgencyFactory, scope_of
from tests.reporting.helpers import (
    ELECTRICITY_2019,
    ELECTRICITY_2020,
    WATER_2019,
    WATER_2020,
    app_base_reads,
    write_year,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("indicators_registered")]
D = Decimal
Q4 = Quarter(2020, 4)


def _pct(new, old):
    return str(((D(new) - D(old)) / D(old) * 100).quantize(D("0.01")))


@pytest.fixture
def bureau(agency):
    """The demo bureau with the seed's targets and known monthly figures for 2019 and 2020."""
    target_save(
        scope=Scope.system(None),
        indicator="electricity",
        year=2020,
        baseline_year=2019,
        reduction_percent=D(3),
    )
    target_save(
        scope=Scope.system(None),
        indicator="water",
        year=2020,
        baseline_year=2019,
        reduction_percent=D(3),
        basis=PER_CAPITA,
    )
    for key, old, new in [
        ("electricity", ELECTRICITY_2019, ELECTRICITY_2020),
        ("water", WATER_2019, WATER_2020),
    ]:
        write_year(agency, key, 2019, old)
        write_year(agency, key, 2020, new)
    write_year(agency, "electricity.lighting", 2020, [v // 5 for v in ELECTRICITY_2020])
    return agency


def test_the_2020q4_disclosure_matches_a_hand_calculation(bureau):
    disclosure = disclosure_compute(agency=bureau, quarter=Q4)
    items = {i["key"]: i for i in disclosure.data["indicators"]}

    e = items["electricity"]
    q4_2020, q4_2019 = sum(ELECTRICITY_2020[9:]), sum(ELECTRICITY_2019[9:])  # 26000, 27000
    assert e["quarter"] == f"{q4_2020}.00" and e["last_year_quarter"] == f"{q4_2019}.00"
    assert e["ytd"] == f"{sum(ELECTRICITY_2020)}.00" and e["baseline_ytd"] == f"{sum(ELECTRICITY_2019)}.00"
    assert e["change_quarter_vs_last_year"] == _pct(q4_2020, q4_2019)
    assert e["change_ytd_vs_baseline"] == _pct(sum(ELECTRICITY_2020), sum(ELECTRICITY_2019))
    [per_area] = e["bases"]
    assert per_area["key"] == "per_area" and per_area["unit"] == "千瓦时/m²"
    assert per_area["ytd"] == str((D(sum(ELECTRICITY_2020)) / D("1942.42")).quantize(D("0.01")))
    assert e["target"]["status"] == "met" and e["target"]["percent"] == "3.00"

    w = items["water"]
    [per_capita] = w["bases"]
    assert per_capita["name"] == "人均" and per_capita["unit"] == "立方米/人"
    assert per_capita["ytd"] == str((D(sum(WATER_2020)) / 45).quantize(D("0.01")))
    assert per_capita["baseline_ytd"] == str((D(sum(WATER_2019)) / 46).quantize(D("0.01")))
    assert w["target"]["basis"] == "per_capita" and w["target"]["status"] == "missed"
    assert w["target"]["change"] == _pct(D(sum(WATER_2020)) / 45, D(sum(WATER_2019)) / 46)

    lighting = items["electricity.lighting"]
    assert (
        lighting["parent"] == "electricity"
        and lighting["quarter"] == f"{sum(v // 5 for v in ELECTRICITY_2020[9:])}.00"
    )
    assert disclosure.version == 1 and disclosure.status == DisclosureStatus.DRAFT


def test_recomputing_a_draft_replaces_it(bureau):
    first = disclosure_compute(agency=bureau, quarter=Q4)
    write_year(bureau, "electricity", 2021, [1])  # unrelated year
    second = disclosure_compute(agency=bureau, quarter=Q4)
    assert first.pk == second.pk and Disclosure.objects.count() == 1
    assert list(DisclosureEvent.objects.order_by("pk").values_list("kind", flat=True)) == [
        "computed",
        "recomputed",
    ]


def test_publishing_locks_the_months_and_a_later_write_is_refused_in_chinese(bureau, manager):
    disclosure = disclosure_publish(
        scope=scope_of(manager), disclosure=disclosure_compute(agency=bureau, quarter=Q4)
    )
    assert disclosure.status == DisclosureStatus.PUBLISHED and disclosure.published_by == manager
    with translation.override("zh-hans"), pytest.raises(PeriodLockedError) as error:
        writes.assert_open(agency_id=bureau.pk, months=[date(2020, 11, 15)], indicators=["electricity"])
    assert "2020-11" in error.value.messages[0] and "已发布" in error.value.messages[0]
    writes.assert_open(
        agency_id=bureau.pk, months=[date(2020, 9, 1)], indicators=["electricity"]
    )  # Q3 stays open


def test_a_published_disclosure_cannot_be_changed_nor_recomputed(bureau, manager):
    disclosure = disclosure_publish(
        scope=scope_of(manager), disclosure=disclosure_compute(agency=bureau, quarter=Q4)
    )
    frozen = dict(disclosure.data)
    disclosure.data = {"tampered": True}
    with pytest.raises(PublishedDisclosureError):
        disclosure.save()
    with pytest.raises(PublishedDisclosureError):
        disclosure_publish(scope=scope_of(manager), disclosure=disclosure)
    write_year(bureau, "electricity", 2021, [5])
    again = disclosure_compute(agency=bureau, quarter=Q4)
    assert again.pk == disclosure.pk
    assert Disclosure.objects.get(pk=disclosure.pk).data == frozen


def test_reopening_needs_a_reason_and_republishing_makes_version_2_saying_what_it_corrects(bureau, manager):
    v1 = disclosure_publish(scope=scope_of(manager), disclosure=disclosure_compute(agency=bureau, quarter=Q4))
    with pytest.raises(ValidationError):
        disclosure_reopen(scope=scope_of(manager, bureau), quarter=Q4, reason="  ")
    disclosure_reopen(scope=scope_of(manager, bureau), quarter=Q4, reason="12月电表读数录错")
    writes.assert_open(agency_id=bureau.pk, months=Q4.months, indicators=["electricity"])  # unlocked
    from reporting.figures.rollup import rollup_rebuild
    from reporting.models import MonthlyFigure

    MonthlyFigure.objects.filter(agency=bureau, indicator="electricity", month=date(2020, 12, 1)).update(
        value=9000
    )
    rollup_rebuild(agency_ids=[bureau.pk], years=[2020], indicator_keys=["electricity"])  # as a refresh
    v2 = disclosure_publish(scope=scope_of(manager), disclosure=disclosure_compute(agency=bureau, quarter=Q4))
    v1.refresh_from_db()
    assert (v1.version, v1.status) == (1, DisclosureStatus.SUPERSEDED)
    assert (v2.version, v2.status) == (2, DisclosureStatus.PUBLISHED)
    assert v2.correction == "12月电表读数录错" and v2.data["corrects_version"] == 1
    corrected = {(c["key"], c["field"]): (c["old"], c["new"]) for c in v2.data["corrections"]}
    assert corrected[("electricity", "quarter")] == ("26000.00", "25000.00")
    kinds = list(DisclosureEvent.objects.order_by("pk").values_list("kind", "version"))
    assert kinds == [("computed", 1), ("published", 1), ("reopened", 1), ("computed", 2), ("published", 2)]
    with pytest.raises(PeriodLockedError):
        writes.assert_open(agency_id=bureau.pk, months=[date(2020, 12, 1)], indicators=["electricity"])


@pytest.mark.parametrize("count", [1, 50])
def test_the_city_snapshot_takes_the_same_queries_for_1_or_50_agencies(bureau, count):
    ids = [bureau.pk] + [AgencyFactory().pk for _ in range(count - 1)]
    with CaptureQueriesContext(connection) as queries:
        snapshots = disclosure_snapshots(agency_ids=ids, quarter=Q4)
    assert len(snapshots) == count
    # the targets, the figures' sums, AgencyYear's divisors, the names (+ one per app base)
    assert len(queries) == 4 + app_base_reads(), [q["sql"][:60] for q in queries]


def test_the_command_computes_and_leaves_published_quarters_alone(bureau, manager, other_agency):
    disclosure_publish(scope=scope_of(manager), disclosure=disclosure_compute(agency=bureau, quarter=Q4))
    out = StringIO()
    call_command("compute_disclosures", "--quarter", "2020Q4", stdout=out)
    text = out.getvalue()
    assert "LYYB 2020Q4 v1: 已发布，未改动" in text and "LYSJ 2020Q4 v1: 草稿已计算" in text
    assert Disclosure.objects.filter(agency=other_agency, status=DisclosureStatus.DRAFT).count() == 1
    out = StringIO()
    call_command("compute_disclosures", "--quarter", "2020Q4", "--agency", "LYSJ", stdout=out)
    assert "LYSJ 2020Q4 v1" in out.getvalue()


def test_the_command_refuses_a_bad_quarter(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("compute_disclosures", "--quarter", "2020Q5")

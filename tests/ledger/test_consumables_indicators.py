"""The consumables indicators, the reorder alert and the seed's fourth target, from rows to the fact table."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from agencies.conventions import unit_label
from agencies.models import Agency
from agencies.scoping import Scope
from ledger.consumables.alerts import items_below_reorder_level
from ledger.consumables.indicators import CONSUMABLES_KEYS
from reporting.figures.refresh import figures_refresh
from reporting.registry import PER_CAPITA, Ratio, alerts, get_indicator, indicators
from reporting.targets.evaluate import targets_evaluate
from reporting.targets.services import target_save
from tests.factories import AgencyFactory, AgencyYearFactory
from tests.ledger.consumables_factories import (
    ExpenseFactory,
    ItemFactory,
    PaperUseFactory,
    PurchaseFactory,
    RequisitionFactory,
)

D = Decimal
MONTHS = [date(2020, 1, 1), date(2020, 2, 1), date(2020, 3, 1)]


def as_dict(figures):
    return {(f.agency_id, f.department_id, f.month): f.value for f in figures}


def test_the_ledger_registers_the_consumables_indicators_and_alert():
    keys = {i.key for i in indicators()}
    assert set(CONSUMABLES_KEYS) <= keys
    assert {"consumables_quantity.paper", "consumables_quantity.toner", "running_costs.telephone"} <= keys
    assert get_indicator("consumables_quantity.disposable").parent == "consumables_quantity"
    assert get_indicator("paper_sheets.duplex").parent == "paper_sheets"
    keys = ("consumables_cost", "consumables_quantity", "paper_sheets")
    assert [get_indicator(k).unit for k in keys] == ["yuan", "piece", "sheet"]  # codes, as every ledger's
    with translation.override("zh-hans"):
        assert [unit_label(get_indicator(k).unit) for k in keys] == ["元", "件", "张"]
    assert "consumables.below_reorder_level" in {a.key for a in alerts()}
    assert get_indicator("consumables_quantity").bases == (PER_CAPITA,)
    # The two shares are read from their parts, never summed.
    duplex = get_indicator("paper_duplex_share").aggregation
    assert duplex == Ratio("paper_sheets.duplex", "paper_sheets", D(100))
    green = get_indicator("consumables_green_share").aggregation
    assert green == Ratio("consumables_purchases.green", "consumables_purchases", D(100))


def test_quantity_and_cost_per_agency_category_and_section_with_quiet_months_as_zero(
    agency, department, other_department
):
    paper = ItemFactory(agency=agency, category="paper")
    cups = ItemFactory(agency=agency, category="disposable", is_disposable=True, unit="个")
    RequisitionFactory(item=paper, department=department, date=date(2020, 1, 5), quantity=3, amount=D(75))
    RequisitionFactory(
        item=paper, department=other_department, date=date(2020, 1, 20), quantity=2, amount=D(50)
    )
    RequisitionFactory(item=cups, department=department, date=date(2020, 3, 2), quantity=50, amount=D(10))
    quantity = as_dict(get_indicator("consumables_quantity").compute([agency.pk], MONTHS))
    assert quantity[(agency.pk, None, date(2020, 1, 1))] == 5
    assert quantity[(agency.pk, department.pk, date(2020, 1, 1))] == 3
    assert quantity[(agency.pk, other_department.pk, date(2020, 1, 1))] == 2
    assert quantity[(agency.pk, None, date(2020, 2, 1))] == 0  # kept the ledger, issued nothing
    assert (agency.pk, department.pk, date(2020, 2, 1)) not in quantity
    cost = as_dict(get_indicator("consumables_cost").compute([agency.pk], MONTHS))
    assert cost[(agency.pk, None, date(2020, 1, 1))] == D(125)
    disposable = as_dict(get_indicator("consumables_disposable").compute([agency.pk], MONTHS))
    assert (
        disposable[(agency.pk, None, date(2020, 3, 1))] == 50
        and disposable[(agency.pk, None, date(2020, 1, 1))] == 0
    )
    by_paper = as_dict(get_indicator("consumables_quantity.paper").compute([agency.pk], MONTHS))
    assert (
        by_paper[(agency.pk, None, date(2020, 3, 1))] == 0
        and by_paper[(agency.pk, None, date(2020, 1, 1))] == 5
    )


def test_an_agency_that_never_kept_the_ledger_has_no_figures(agency, other_agency):
    RequisitionFactory(item=ItemFactory(agency=agency), department__agency=agency, date=date(2020, 1, 5))
    figures = get_indicator("consumables_quantity").compute([agency.pk, other_agency.pk], MONTHS)
    assert {f.agency_id for f in figures} == {agency.pk}


def test_green_purchases_paper_duplex_and_running_costs(agency, department):
    green = ItemFactory(agency=agency, is_green=True)
    PurchaseFactory(item=green, date=date(2020, 2, 3), approved_on=date(2020, 2, 1), amount=D("300.00"))
    PurchaseFactory(
        item=ItemFactory(agency=agency),
        date=date(2020, 2, 4),
        approved_on=date(2020, 2, 1),
        amount=D("100.00"),
    )
    PaperUseFactory(department=department, date=date(2020, 2, 10), sheets=500, duplex_sheets=300)
    ExpenseFactory(
        agency=agency, department=department, kind="telephone", date=date(2020, 2, 28), amount=D("86.40")
    )
    ExpenseFactory(
        agency=agency, department=None, kind="meeting", date=date(2020, 2, 12), amount=D("1200.00")
    )
    feb = date(2020, 2, 1)
    assert (
        as_dict(get_indicator("consumables_purchases").compute([agency.pk], MONTHS))[(agency.pk, None, feb)]
        == 400
    )
    assert (
        as_dict(get_indicator("consumables_purchases.green").compute([agency.pk], MONTHS))[
            (agency.pk, None, feb)
        ]
        == 300
    )
    duplex = as_dict(get_indicator("paper_sheets.duplex").compute([agency.pk], MONTHS))
    assert duplex[(agency.pk, None, feb)] == duplex[(agency.pk, department.pk, feb)] == 300
    running = as_dict(get_indicator("running_costs").compute([agency.pk], MONTHS))
    assert running[(agency.pk, None, feb)] == D("1286.40") and running[(agency.pk, department.pk, feb)] == D(
        "86.40"
    )
    telephone = as_dict(get_indicator("running_costs.telephone").compute([agency.pk], MONTHS))
    assert telephone[(agency.pk, department.pk, feb)] == D("86.40")


def test_refreshing_every_consumables_indicator_costs_a_fixed_number_of_queries(agency, department):
    for n in range(3):
        other = AgencyFactory()
        RequisitionFactory(
            item=ItemFactory(agency=other), department__agency=other, date=date(2020, 1 + n, 5)
        )
    RequisitionFactory(item=ItemFactory(agency=agency), department=department, date=date(2020, 2, 5))
    agency_ids = list(Agency.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        written = figures_refresh(agency_ids=agency_ids, months=MONTHS, indicator_keys=list(CONSUMABLES_KEYS))
    assert written > 0
    # 4 ledgers × (1 GROUP BY + 1 MIN(date)) read the consumables tables, whatever the number of agencies.
    tables = ('"ledger_requisition"', '"ledger_purchase"', '"ledger_paperuse"', '"ledger_expense"')
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert sum(1 for sql in reads if any(f"FROM {t}" in sql for t in tables)) == 8


def test_the_alert_counts_items_below_their_reorder_level_per_agency(agency, other_agency):
    ItemFactory(agency=agency, stock=D(1), reorder_level=D(2))
    ItemFactory(agency=agency, stock=D(2), reorder_level=D(2))  # at the level: not below
    ItemFactory(agency=agency, stock=D(0), reorder_level=D(5), is_active=False)
    ItemFactory(agency=other_agency, stock=D(0), reorder_level=D(1))
    items = items_below_reorder_level([agency.pk], date(2020, 3, 1))
    assert [(i.agency_id, i.level) for i in items] == [(agency.pk, "warning")]
    assert "1" in items[0].message


def test_the_seeds_fourth_target_quantity_and_cost_year_on_year(agency, department):
    AgencyYearFactory(agency=agency, year=2021, headcount=45)
    item = ItemFactory(agency=agency)
    for month in range(1, 13):
        RequisitionFactory(
            item=item, department=department, date=date(2019, month, 3), quantity=100, amount=D(1000)
        )
        RequisitionFactory(
            item=item, department=department, date=date(2020, month, 3), quantity=96, amount=D(980)
        )
    figures_refresh(
        agency_ids=[agency.pk],
        months=[date(y, m, 1) for y in (2019, 2020) for m in range(1, 13)],
        indicator_keys=["consumables_quantity", "consumables_cost"],
    )
    for key in ("consumables_quantity", "consumables_cost"):
        target_save(
            scope=Scope.system(None), indicator=key, year=2020, baseline_year=2019, reduction_percent=D(3)
        )
    results = {r.indicator: r for r in targets_evaluate(agency_ids=[agency.pk], year=2020)}
    assert results["consumables_quantity"].change_percent == D("-4.00")
    assert results["consumables_quantity"].status == "met"
    assert results["consumables_cost"].change_percent == D("-2.00")
    assert results["consumables_cost"].status == "missed"  # both must fall by 3 %: cost did not


def test_consumables_are_in_the_quarterly_disclosure_and_its_notice(agency, department, tmp_path):
    """Registered, so the disclosure and the public notice carry them with no change to reporting:
    the quarter's sums, per person, and the duplex share divided from the quarter's sums."""
    import subprocess

    from reporting.disclosures.notice import notice_render
    from reporting.disclosures.services import disclosure_compute
    from reporting.periods import Quarter

    item = ItemFactory(agency=agency)
    for month, quantity, amount in ((10, 30, "750.00"), (11, 24, "600.00"), (12, 18, "450.50")):
        RequisitionFactory(
            item=item, department=department, date=date(2020, month, 8), quantity=quantity, amount=D(amount)
        )
    PaperUseFactory(department=department, date=date(2020, 10, 9), sheets=1000, duplex_sheets=300)
    PaperUseFactory(department=department, date=date(2020, 12, 9), sheets=500, duplex_sheets=400)
    ExpenseFactory(agency=agency, department=department, date=date(2020, 11, 30), amount=D("86.40"))
    year = [date(2020, m, 1) for m in range(1, 13)]
    figures_refresh(agency_ids=[agency.pk], months=year, indicator_keys=list(CONSUMABLES_KEYS))
    disclosure = disclosure_compute(agency=agency, quarter=Quarter(2020, 4))
    items = {item["key"]: item for item in disclosure.data["indicators"]}
    assert items["consumables_quantity"]["quarter"] == "72.00"
    assert items["consumables_cost"]["quarter"] == "1800.50"
    per_capita = next(b for b in items["consumables_cost"]["bases"] if b["key"] == "per_capita")
    assert per_capita["quarter"] == str((D("1800.50") / 45).quantize(D("0.01")))  # 45 people in 2020
    assert items["paper_sheets"]["quarter"] == "1500.00"
    # (300 + 400) ÷ (1000 + 500), not the mean of the months' 30 % and 80 %
    assert items["paper_duplex_share"]["quarter"] == str((D(700) / D(1500) * 100).quantize(D("0.01")))
    assert items["running_costs.telephone"]["quarter"] == "86.40"
    path = tmp_path / "notice.pdf"
    path.write_bytes(notice_render(disclosure=disclosure))
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "办公耗材领用数量（件）" in text and "办公耗材费用（元）" in text and "1,800.50" in text
    assert "双面打印率（%）" in text and "46.67" in text and "电话费（元）" in text
    assert "其中：其中" not in text  # a part's name is not said twice "of which"

"""The consumables services: scope of every write, stock under a row lock, costing, locks, refresh keys."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, transaction

from agencies.scoping import user_scope
from ledger.consumables import services
from ledger.consumables.indicators import PAPER_KEYS, PURCHASE_KEYS, REQUISITION_KEYS
from ledger.consumables.models import Item, Requisition
from reporting.figures.locks import lock_indicators
from tests.factories import AgencyFactory, DepartmentFactory, MembershipFactory, UserFactory
from tests.ledger.consumables_factories import ItemFactory

DAY = date(2020, 3, 10)


@pytest.fixture
def item(agency):
    return ItemFactory(agency=agency, code="ZZ-A4", unit="包", reorder_level=Decimal(5))


def _buy(scope, item, quantity=Decimal(10), price=Decimal("25.00"), **changes):
    values = {
        "scope": scope,
        "item": item,
        "approved_on": date(2020, 3, 1),
        "approver": "高述刚",
        "date": date(2020, 3, 5),
        "quantity": quantity,
        "unit_price": price,
        "amount": (quantity * price).quantize(Decimal("0.01")),
        "supplier": "临沂市文具商行",
        "invoice_number": "0001",
    }
    values.update(changes)
    return services.purchase_record(**values)


def _take(scope, item, department, quantity=Decimal(1), **changes):
    values = {
        "scope": scope,
        "department": department,
        "item": item,
        "date": DAY,
        "quantity": quantity,
        "requested_by": "王祥凤",
    }
    values.update(changes)
    return services.requisition_record(**values)


def test_a_purchase_adds_to_stock_and_its_value(manager, agency, item):
    _buy(user_scope(manager, agency), item, Decimal(10), Decimal("25.00"))
    item.refresh_from_db()
    assert (item.stock, item.stock_value) == (Decimal(10), Decimal("250.00"))


def test_a_purchase_whose_amount_is_off_by_more_than_a_fen_is_refused_and_writes_nothing(
    manager, agency, item
):
    with pytest.raises(ValidationError) as error:
        _buy(user_scope(manager, agency), item, amount=Decimal("250.02"))
    assert "amount" in error.value.error_dict
    item.refresh_from_db()
    assert item.stock == 0 and not item.purchases.exists()


def test_only_the_manager_purchases(clerk, agency, department, item):
    with pytest.raises(PermissionDenied):
        _buy(user_scope(clerk, agency), item)


def test_an_issue_takes_from_stock_at_the_moving_average_cost(manager, agency, department, item):
    scope = user_scope(manager, agency)
    _buy(scope, item, Decimal(10), Decimal("20.00"))
    _buy(scope, item, Decimal(10), Decimal("30.00"))
    requisition = _take(scope, item, department, Decimal(4))
    item.refresh_from_db()
    assert requisition.amount == Decimal("100.00")  # 4 × (500 ÷ 20)
    assert (item.stock, item.stock_value) == (Decimal(16), Decimal("400.00"))
    assert requisition.issued_by == manager


def test_an_issue_beyond_stock_is_refused_with_the_stock_on_hand(manager, agency, department, item):
    scope = user_scope(manager, agency)
    _buy(scope, item, Decimal(3))
    with pytest.raises(ValidationError) as error:
        _take(scope, item, department, Decimal(4))
    assert "3 包" in error.value.message_dict["quantity"][0]
    item.refresh_from_db()
    assert item.stock == 3 and not Requisition.objects.exists()


def test_a_clerk_requisitions_for_their_own_section_only(
    clerk, manager, agency, department, other_department, item
):
    _buy(user_scope(manager, agency), item)
    scope = user_scope(clerk, agency)
    assert _take(scope, item, department).department == department
    with pytest.raises(PermissionDenied):
        _take(scope, item, other_department)
    assert Requisition.objects.count() == 1


def test_no_write_points_at_another_agencys_item_or_section(manager, agency, other_agency, item):
    outsider_item = ItemFactory(agency=other_agency, code="X-1")
    outsider_section = DepartmentFactory(agency=other_agency, name="审计一科")
    scope = user_scope(manager, agency)
    with pytest.raises(PermissionDenied):
        _buy(scope, outsider_item)
    with pytest.raises(PermissionDenied):
        _take(scope, item, outsider_section)
    with pytest.raises(PermissionDenied):
        services.paper_record(scope=scope, department=outsider_section, date=DAY, sheets=1, duplex_sheets=0)
    with pytest.raises(PermissionDenied):
        services.expense_record(
            scope=scope,
            kind="telephone",
            department=outsider_section,
            date=DAY,
            amount=Decimal(1),
        )


def test_a_leader_writes_nothing(leader, agency, department, item):
    scope = user_scope(leader, agency)
    with pytest.raises(PermissionDenied):
        _take(scope, item, department)
    with pytest.raises(PermissionDenied):
        services.paper_record(scope=scope, department=department, date=DAY, sheets=1, duplex_sheets=0)


def test_a_clerk_cannot_enter_an_agency_wide_expense(clerk, agency, department):
    scope = user_scope(clerk, agency)
    with pytest.raises(PermissionDenied):
        services.expense_record(scope=scope, kind="meeting", department=None, date=DAY, amount=Decimal(1))
    assert services.expense_record(
        scope=scope, kind="telephone", department=department, date=DAY, amount=Decimal(80)
    )


def test_a_published_month_refuses_consumables_writes(manager, agency, department, item):
    scope = user_scope(manager, agency)
    _buy(scope, item)
    march = [date(2020, 3, 1)]
    # A published electricity figure of March does not stop the consumables ledger.
    lock_indicators(agency_id=agency.pk, months=march, indicators=["electricity"])
    _take(scope, item, department)
    lock_indicators(agency_id=agency.pk, months=march, indicators=[*REQUISITION_KEYS, *PAPER_KEYS])
    with pytest.raises(ValidationError, match="2020-03"):
        _take(scope, item, department)
    with pytest.raises(ValidationError, match="2020-03"):
        services.paper_record(scope=scope, department=department, date=DAY, sheets=5, duplex_sheets=0)


def test_writes_refresh_only_their_own_indicators(manager, agency, department, item, monkeypatch):
    calls = []
    monkeypatch.setattr(services.writes, "mark_stale", lambda **kwargs: calls.append(kwargs))
    scope = user_scope(manager, agency)
    _buy(scope, item)
    _take(scope, item, department)
    assert [c["indicators"] for c in calls] == [PURCHASE_KEYS, REQUISITION_KEYS]
    assert calls[1]["months"] == [DAY]


def test_item_codes_are_unique_in_the_agency(manager, agency, item):
    with pytest.raises(ValidationError) as error:
        services.item_create(
            scope=user_scope(manager, agency), code="ZZ-A4", name="x", category="paper", unit="包"
        )
    assert "code" in error.value.error_dict


def test_stock_is_held_non_negative_by_the_database(item):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.filter(pk=item.pk).update(stock=Decimal(-1))


# --- two clerks, the last box: two real PostgreSQL transactions -----------------------------------


def _waiting_on_a_lock(timeout=10.0) -> bool:
    """True once another backend of this test database waits on a lock (polls pg_stat_activity)."""
    import time

    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


@pytest.mark.postgres
@pytest.mark.parametrize("first_commits", [True, False], ids=["first-commits", "first-rolls-back"])
@pytest.mark.parametrize("order", ["office-first", "finance-first"])
def test_two_clerks_cannot_both_take_the_last_box(transactional_db, order, first_commits):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (CI runs this on it)")
    agency = AgencyFactory(code="LYYB")
    office, finance = (
        DepartmentFactory(agency=agency, name="办公室"),
        DepartmentFactory(agency=agency, name="规划财务科"),
    )
    manager = UserFactory(username="manager")
    MembershipFactory(user=manager, agency=agency, role="manager")
    clerks = {}
    for name, section in (("office", office), ("finance", finance)):
        user = UserFactory(username=f"clerk-{name}")
        MembershipFactory(user=user, agency=agency, role="clerk", department=section)
        clerks[name] = (user_scope(user, agency), section)
    item = ItemFactory(agency=agency, code="A4", unit="箱")
    _buy(user_scope(manager, agency), item, Decimal(1))  # the last box
    first, second = ("office", "finance") if order == "office-first" else ("finance", "office")
    taken, holding, release, outcome = threading.Event(), threading.Event(), threading.Event(), {}

    class Rollback(Exception):
        pass

    def first_clerk():
        scope, section = clerks[first]
        try:
            with transaction.atomic():
                _take(scope, item, section)
                holding.set()  # the row is locked and the box taken; not committed yet
                release.wait(10)
                if not first_commits:
                    raise Rollback
        except Rollback:
            pass
        finally:
            taken.set()
            connections.close_all()

    def second_clerk():
        scope, section = clerks[second]
        try:
            outcome["requisition"] = _take(scope, item, section)
        except ValidationError as error:
            outcome["error"] = error
        finally:
            connections.close_all()

    one = threading.Thread(target=first_clerk)
    one.start()
    assert holding.wait(10)
    two = threading.Thread(target=second_clerk)
    two.start()
    assert _waiting_on_a_lock(), "the second clerk should wait on the item's row lock"
    release.set()
    one.join(10)
    two.join(10)
    item.refresh_from_db()
    assert item.stock == Decimal(0)
    requisitions = list(Requisition.objects.select_related("department"))
    assert len(requisitions) == 1
    if first_commits:
        assert "0 箱" in outcome["error"].message_dict["quantity"][0]
        assert requisitions[0].department == clerks[first][1]
    else:
        assert "requisition" in outcome and requisitions[0].department == clerks[second][1]

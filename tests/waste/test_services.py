"""Writes of the waste ledger: rules, scope, locks, refresh, the hazardous store and hand-overs."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from reporting.figures.locks import lock_indicators
from reporting.models import MonthlyFigure
from tests.factories import DepartmentFactory
from tests.ledger.url_samples import png_upload
from tests.waste.factories import (
    CollectionPointFactory,
    HazardousCollectionFactory,
    HazardousStorageFactory,
    WasteCollectionFactory,
)
from waste import services
from waste.models import HazardousStorage, WasteCollection

D = Decimal
DAY = date(2020, 3, 10)


def record(scope, user, **fields):
    values = {"date": DAY, "category": "other", "weight": D("12.5"), "company": "临沂市环卫清运公司"} | fields
    return services.collection_record(scope=scope, **values)


# --- the hazardous hand-over needs a licence, in the service and in the database ---------------------


def test_a_hazardous_hand_over_without_a_licence_number_is_refused_by_the_service(manager_scope, manager):
    with pytest.raises(ValidationError) as refused:
        record(manager_scope, manager, category="hazardous", manifest_number="37130000001")
    assert "licence_number" in refused.value.message_dict
    assert not WasteCollection.objects.exists()


def test_the_database_refuses_a_hazardous_row_without_a_licence_number(agency):
    with pytest.raises(IntegrityError), transaction.atomic():
        WasteCollection.objects.create(
            agency=agency, date=DAY, category="hazardous", weight=D(2), company="某公司", manifest_number="1"
        )
    assert not WasteCollection.objects.exists()


def test_the_database_refuses_a_hazardous_row_without_a_manifest_number(agency):
    with pytest.raises(IntegrityError), transaction.atomic():
        WasteCollection.objects.create(
            agency=agency, date=DAY, category="hazardous", weight=D(2), company="某公司", licence_number="L-1"
        )


def test_model_validation_names_the_licence_rule(agency):
    row = WasteCollection(agency=agency, date=DAY, category="hazardous", weight=D(2), company="某公司")
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    assert "licensed disposer" in str(refused.value) or "有资质" in str(refused.value)


def test_the_database_accepts_other_categories_without_numbers(agency):
    WasteCollection.objects.create(agency=agency, date=DAY, category="kitchen", weight=D(2), company="某公司")
    assert WasteCollection.objects.count() == 1


def test_a_transfer_manifest_is_recorded_once(manager_scope, manager):
    numbers = {"category": "hazardous", "licence_number": "鲁危证1", "manifest_number": "37130000001"}
    record(manager_scope, manager, **numbers)
    with pytest.raises(ValidationError) as refused:
        record(manager_scope, manager, **numbers)
    assert "manifest_number" in refused.value.message_dict


def test_licence_and_manifest_are_dropped_from_ordinary_collections(manager_scope, manager):
    row = record(manager_scope, manager, category="recyclable", licence_number="x", manifest_number="y")
    assert (row.licence_number, row.manifest_number) == ("", "")


# --- scope ------------------------------------------------------------------------------------------


def test_a_leader_may_not_record(leader_scope, leader):
    with pytest.raises(PermissionDenied):
        record(leader_scope, leader)


def test_a_clerk_records_for_their_own_department_only(clerk_scope, clerk, department, other_department):
    with pytest.raises(ValidationError) as refused:
        record(clerk_scope, clerk)
    assert "department" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        record(clerk_scope, clerk, department=other_department)
    assert record(clerk_scope, clerk, department=department).department == department


def test_a_clerk_cannot_correct_another_departments_record(
    clerk_scope, clerk, agency, department, other_department
):
    theirs = WasteCollectionFactory(agency=agency, department=other_department)
    with pytest.raises(PermissionDenied):
        record(clerk_scope, clerk, department=department, collection=theirs)


def test_another_agencys_point_or_record_is_refused(manager_scope, manager, other_agency):
    foreign_point = CollectionPointFactory(agency=other_agency, categories=["other"])
    with pytest.raises(PermissionDenied):
        record(manager_scope, manager, point=foreign_point)
    foreign = WasteCollectionFactory(agency=other_agency)
    with pytest.raises(PermissionDenied):
        record(manager_scope, manager, collection=foreign)
    with pytest.raises(PermissionDenied):
        record(manager_scope, manager, department=DepartmentFactory(agency=other_agency))
    assert WasteCollection.objects.filter(agency=manager_scope.agency).count() == 0


def test_a_point_takes_only_the_categories_it_has_containers_for(manager_scope, manager, agency):
    point = CollectionPointFactory(agency=agency, categories=["recyclable"])
    with pytest.raises(ValidationError) as refused:
        record(manager_scope, manager, point=point, category="kitchen")
    assert "point" in refused.value.message_dict
    assert record(manager_scope, manager, point=point, category="recyclable").point == point


# --- rules through the service ----------------------------------------------------------------------


def test_a_collection_cannot_be_dated_tomorrow(manager_scope, manager):
    tomorrow = services.today() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        record(manager_scope, manager, date=tomorrow)
    assert "date" in refused.value.message_dict
    assert record(manager_scope, manager, date=services.today()).date == services.today()


def test_a_published_months_waste_is_locked(manager_scope, manager, agency):
    lock_indicators(agency_id=agency.pk, months=[date(2020, 3, 1)], indicators=["waste", "waste.other"])
    with pytest.raises(ValidationError) as refused:
        record(manager_scope, manager)
    assert "2020-03" in str(refused.value)
    assert record(manager_scope, manager, date=date(2020, 4, 1)).pk


def test_moving_a_record_out_of_a_locked_month_is_refused(manager_scope, manager, agency):
    row = record(manager_scope, manager)
    lock_indicators(agency_id=agency.pk, months=[date(2020, 3, 1)], indicators=["waste"])
    with pytest.raises(ValidationError):
        record(manager_scope, manager, date=date(2020, 4, 1), collection=row)


def test_a_quarter_published_without_waste_does_not_lock_the_waste_ledger(manager_scope, manager, agency):
    lock_indicators(agency_id=agency.pk, months=[date(2020, 3, 1)], indicators=["electricity", "water"])
    assert record(manager_scope, manager).date == DAY


def test_a_record_refreshes_the_waste_figures_of_its_months(
    manager_scope, manager, agency, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        row = record(manager_scope, manager, category="recyclable", weight=D("30"))
        record(manager_scope, manager, category="other", weight=D("70"))
    figures = dict(
        MonthlyFigure.objects.filter(agency=agency, month=date(2020, 3, 1), department=None).values_list(
            "indicator", "value"
        )
    )
    assert (
        figures["waste"] == D(100)
        and figures["waste.recyclable"] == D(30)
        and figures["waste.other"] == D(70)
    )
    with django_capture_on_commit_callbacks(execute=True):
        record(
            manager_scope,
            manager,
            category="recyclable",
            weight=D("30"),
            date=date(2020, 4, 2),
            collection=row,
        )
    march = dict(
        MonthlyFigure.objects.filter(agency=agency, month=date(2020, 3, 1), department=None).values_list(
            "indicator", "value"
        )
    )
    assert march["waste"] == D(70) and "waste.recyclable" not in march


# --- photos -----------------------------------------------------------------------------------------


def test_a_photo_must_be_an_image_or_a_pdf_by_its_content(manager_scope, manager):
    fake = SimpleUploadedFile("slip.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    with pytest.raises(ValidationError):
        record(manager_scope, manager, photo=fake)
    pdf = SimpleUploadedFile("slip.html", b"%PDF-1.4\n%EOF\n", content_type="text/html")
    row = record(manager_scope, manager, photo=pdf)
    assert row.photo.name.endswith(".pdf")
    row = record(manager_scope, manager, photo=png_upload("slip.exe"))
    assert row.photo.name.endswith(".png")


def test_a_photo_over_the_voucher_limit_is_refused(manager_scope, manager, settings):
    settings.VOUCHER_MAX_UPLOAD_BYTES = 100
    big = SimpleUploadedFile("slip.pdf", b"%PDF-1.4\n" + b"0" * 200)
    with pytest.raises(ValidationError):
        record(manager_scope, manager, photo=big)
    assert not WasteCollection.objects.exists()


# --- the hazardous store and hand-overs -------------------------------------------------------------


def store(scope, user, **fields):
    values = {"stored_on": date(2020, 3, 2), "kind": "lamps", "weight": D("1.5")} | fields
    return services.storage_record(scope=scope, **values)


def handover(scope, user, lots, **fields):
    values = {
        "date": DAY,
        "lots": lots,
        "company": "山东某危废处置有限公司",
        "licence_number": "鲁危证37130001",
        "manifest_number": "37130000009",
    } | fields
    return services.hazardous_handover(scope=scope, **values)


def test_a_hand_over_takes_the_lots_out_of_the_store(manager_scope, manager):
    lots = [store(manager_scope, manager), store(manager_scope, manager, kind="batteries", weight=D("0.8"))]
    collection = handover(manager_scope, manager, lots)
    assert collection.category == "hazardous" and collection.weight == D("2.3")
    assert set(collection.stored_lots.all()) == set(lots)
    assert not HazardousStorage.objects.filter(handover__isnull=True).exists()


def test_a_hand_over_without_a_licence_number_leaves_the_lots_in_store(manager_scope, manager):
    lot = store(manager_scope, manager)
    with pytest.raises(ValidationError) as refused:
        handover(manager_scope, manager, [lot], licence_number="")
    assert "licence_number" in refused.value.message_dict
    lot.refresh_from_db()
    assert lot.in_store and not WasteCollection.objects.exists()


def test_a_lot_is_handed_over_once_and_not_before_it_was_stored(manager_scope, manager):
    lot = store(manager_scope, manager, stored_on=date(2020, 3, 5))
    with pytest.raises(ValidationError):
        handover(manager_scope, manager, [lot], date=date(2020, 3, 4))
    handover(manager_scope, manager, [lot], date=date(2020, 3, 5))
    lot.refresh_from_db()
    with pytest.raises(ValidationError):
        handover(manager_scope, manager, [lot], manifest_number="other")


def test_a_handed_over_lot_cannot_be_edited_and_deleting_the_hand_over_returns_it(manager_scope, manager):
    lot = store(manager_scope, manager)
    collection = handover(manager_scope, manager, [lot])
    lot.refresh_from_db()
    with pytest.raises(ValidationError):
        store(manager_scope, manager, lot=lot, weight=D(9))
    services.collection_delete(scope=manager_scope, collection=collection)
    lot.refresh_from_db()
    assert lot.in_store


def test_a_correction_opened_before_the_hand_over_cannot_undo_it(manager_scope, manager):
    """A clerk opened the lot's correction form; meanwhile the manager handed the lot over. Saving
    the correction (a lot object read before the hand-over) must be refused: before, it passed the
    check on its stale copy and its save() wrote handover = NULL, so the lot was back in the store
    and counted twice (store and hand-over)."""
    lot = store(manager_scope, manager)
    opened = HazardousStorage.objects.get(pk=lot.pk)  # the correction form's copy
    collection = handover(manager_scope, manager, [lot])
    with pytest.raises(ValidationError) as refused:
        store(manager_scope, manager, lot=opened, weight=D(9))
    assert "handed over" in str(refused.value) or "移交" in str(refused.value)
    lot.refresh_from_db()
    assert lot.handover_id == collection.pk and lot.weight == D("1.5")


def test_another_agencys_lot_cannot_be_handed_over(manager_scope, manager, other_agency):
    foreign = HazardousStorageFactory(agency=other_agency)
    with pytest.raises(PermissionDenied):
        handover(manager_scope, manager, [foreign])
    foreign.refresh_from_db()
    assert foreign.in_store


def test_a_hand_over_carrying_lots_stays_hazardous(manager_scope, manager):
    collection = handover(manager_scope, manager, [store(manager_scope, manager)])
    with pytest.raises(ValidationError) as refused:
        record(manager_scope, manager, category="other", collection=collection)
    assert "category" in refused.value.message_dict


def test_storage_weight_and_kind_are_checked(manager_scope, manager):
    with pytest.raises(ValidationError) as refused:
        store(manager_scope, manager, weight=D(0), kind="acid")
    assert {"weight", "kind"} <= set(refused.value.message_dict)


# --- points -----------------------------------------------------------------------------------------


def test_a_point_has_a_unique_name_and_at_least_one_category(manager_scope, manager, agency):
    from waste.models import CollectionPoint

    point = services.point_save(
        scope=manager_scope,
        point=CollectionPoint(name="七楼茶水间", categories=["other", "recyclable"]),
    )
    assert point.categories == ["recyclable", "other"]  # the seed's order
    with pytest.raises(ValidationError):
        services.point_save(
            scope=manager_scope, point=CollectionPoint(name="七楼茶水间", categories=["other"])
        )
    with pytest.raises(ValidationError):
        services.point_save(scope=manager_scope, point=CollectionPoint(name="大厅", categories=[]))


def test_only_the_manager_keeps_the_points(clerk_scope, clerk):
    from waste.models import CollectionPoint

    with pytest.raises(PermissionDenied):
        services.point_save(scope=clerk_scope, point=CollectionPoint(name="大厅", categories=["other"]))


def test_factories_make_valid_rows(agency):
    HazardousCollectionFactory(agency=agency)
    assert WasteCollection.objects.get().is_hazardous

"""Writes check scope: every write service refuses objects outside the caller's scope by itself.

The second line of defence behind the forms (issue #10, point 1): each service is called directly,
as a view that forgot to narrow a choice would call it, with objects of another agency and, for a
clerk, of another department. The write walk (tests/test_write_walk.py) does the same over HTTP.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.test.utils import isolate_apps

from agencies import services as agency_services
from agencies.models import Agency, AgencyYear, Department, Membership
from agencies.scoping import Scope, ScopeViolation, is_scoped, scope_path
from imports.services import import_confirm, import_job_create
from ledger import services as ledger
from ledger.forms import BillForm, MeterForm
from ledger.models import Bill, Meter, Reading
from reporting.disclosures import services as disclosures
from reporting.models import Disclosure, DisclosureStatus, Target
from reporting.periods import Quarter
from reporting.targets import services as targets
from tests.factories import DepartmentFactory, scope_of
from tests.ledger.factories import MeterFactory, ReadingFactory
from tests.reporting.factories import DisclosureFactory, TargetFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def mine(agency, department):
    return MeterFactory(agency=agency, department=department)


@pytest.fixture
def theirs(other_agency):
    return MeterFactory(agency=other_agency)


@pytest.fixture
def next_door(agency, other_department):
    return MeterFactory(agency=agency, department=other_department)


def _bill(scope, meter):
    return ledger.bill_record(
        scope=scope,
        meter=meter,
        period_start=date(2020, 1, 1),
        period_end=date(2020, 1, 31),
        quantity=D(1),
        amount=D(1),
    )


def test_a_bill_on_another_agencys_meter_is_refused(manager, mine, theirs):
    with pytest.raises(ScopeViolation):
        _bill(scope_of(manager), theirs)
    assert not Bill.objects.exists()
    assert _bill(scope_of(manager), mine).meter == mine


def test_a_clerk_cannot_bill_or_read_a_meter_of_another_department(clerk, mine, next_door):
    scope = scope_of(clerk)
    with pytest.raises(ScopeViolation):
        _bill(scope, next_door)
    with pytest.raises(ScopeViolation):
        ledger.reading_record(scope=scope, meter=next_door, date=date(2020, 1, 31), value=D(1))
    with pytest.raises(ledger.RoundInvalid) as refused:
        ledger.round_save(scope=scope, entries=[ledger.RoundEntry(next_door.pk, date(2020, 1, 31), D(1))])
    assert set(refused.value.row_errors) == {next_door.pk}
    assert not Bill.objects.exists() and not Reading.objects.exists()
    assert ledger.reading_record(scope=scope, meter=mine, date=date(2020, 1, 31), value=D(1)).meter == mine


def test_a_reading_of_another_agency_cannot_be_corrected_or_reviewed(manager, theirs):
    reading = ReadingFactory(meter=theirs, value=D(5))
    with pytest.raises(ScopeViolation):
        ledger.reading_record(
            scope=scope_of(manager), meter=theirs, date=reading.date, value=D(6), reading=reading
        )
    with pytest.raises(ScopeViolation):
        ledger.reading_review(scope=scope_of(manager), reading=reading)
    reading.refresh_from_db()
    assert reading.value == D(5) and reading.reviewed_at is None


def test_a_meter_cannot_point_at_another_agencys_department_or_parent(manager, agency, other_agency, theirs):
    foreign_department = DepartmentFactory(agency=other_agency, name="外单位科室")
    scope = scope_of(manager)
    with pytest.raises(ScopeViolation):
        ledger.meter_create(scope=scope, code="X-1", name="x", kind="electricity", parent=theirs)
    with pytest.raises(ScopeViolation):
        ledger.meter_create(
            scope=scope, code="X-2", name="x", kind="electricity", department=foreign_department
        )
    with pytest.raises(ScopeViolation):
        ledger.meter_update(scope=scope, meter=theirs, name="改名")
    assert not Meter.objects.filter(agency=agency).exists()
    theirs.refresh_from_db()
    assert theirs.name != "改名"


def test_a_stored_row_of_another_agency_is_refused_even_if_repointed_in_memory(manager, mine, theirs):
    stolen = Meter.objects.get(pk=theirs.pk)
    stolen.agency = mine.agency  # a view that loaded it unscoped and then set the agency
    with pytest.raises(ScopeViolation):
        ledger.meter_save(scope=scope_of(manager), meter=stolen)


def test_read_only_roles_cannot_write_at_all(leader, mine):
    with pytest.raises(ScopeViolation):
        _bill(scope_of(leader), mine)


def test_departments_years_and_targets_stay_in_the_callers_agency(manager, clerk, other_agency, agency):
    foreign_parent = DepartmentFactory(agency=other_agency, name="外单位科室")
    with pytest.raises(ScopeViolation):
        agency_services.department_create(scope=scope_of(manager), name="新科室", parent=foreign_parent)
    assert not Department.objects.filter(name="新科室").exists()
    target = TargetFactory(agency=other_agency)
    with pytest.raises(ScopeViolation):
        targets.target_delete(scope=scope_of(manager), target=target)
    assert Target.objects.filter(pk=target.pk).exists()
    with pytest.raises(PermissionDenied):  # a clerk writes no agency-wide row
        agency_services.agency_year_save(
            scope=scope_of(clerk), year=2021, headcount=1, building_area=D(1), office_area=D(1)
        )
    assert not AgencyYear.objects.filter(agency=agency, year=2021).exists()


def test_another_agencys_disclosure_cannot_be_published(manager, other_agency):
    disclosure = DisclosureFactory(agency=other_agency)
    with pytest.raises(ScopeViolation):
        disclosures.disclosure_publish(scope=scope_of(manager), disclosure=disclosure)
    disclosure.refresh_from_db()
    assert disclosure.status == DisclosureStatus.DRAFT
    assert Disclosure.objects.filter(status=DisclosureStatus.PUBLISHED).count() == 0
    assert disclosures.disclosure_reopen is not None and Quarter(2020, 4)


def test_an_import_cannot_be_started_or_confirmed_in_another_agency(
    manager, other_agency, tmp_path, settings
):
    settings.IMPORT_STORAGE_DIR = str(tmp_path)
    path = tmp_path / "years.csv"
    path.write_text("年度,用能人数,建筑面积,办公面积\n2021,40,1000,500\n", encoding="utf-8")
    with pytest.raises(ScopeViolation):
        import_job_create(agency=other_agency, kind="agency_years", upload=path, filename="y.csv", by=manager)
    job = import_job_create(agency=other_agency, kind="agency_years", upload=path, filename="y.csv")
    with pytest.raises(ScopeViolation):
        import_confirm(job=job, by=manager)


def test_the_system_scope_of_an_agency_stays_in_that_agency(agency, other_agency, theirs):
    with pytest.raises(ScopeViolation):
        _bill(Scope.system(agency), theirs)
    assert _bill(Scope.system(other_agency), theirs).meter == theirs


def test_bound_forms_narrow_their_choices_before_validating(manager, clerk, mine, theirs, next_door):
    """The cause of the hole: a shared mixin validated bound forms before they narrowed choices."""
    post = {"meter": theirs.pk, "period_start": "2020-01-01", "period_end": "2020-01-31", "quantity": "1"}
    post["amount"] = "1"
    form = BillForm(post, scope=scope_of(manager))
    assert not form.is_valid() and "meter" in form.errors
    assert "is-invalid" in form.fields["meter"].widget.attrs["class"]
    assert not BillForm({**post, "meter": next_door.pk}, scope=scope_of(clerk)).is_valid()
    assert BillForm({**post, "meter": mine.pk}, scope=scope_of(clerk)).is_valid()
    meter_post = {"code": "N-1", "name": "n", "kind": "electricity", "parent": theirs.pk, "multiplier": "1"}
    meter_post.update(share="1", dial_digits="6")
    assert "parent" in MeterForm(meter_post, scope=scope_of(manager)).errors


def test_every_model_of_the_project_says_which_agency_its_rows_belong_to():
    from django.apps import apps

    ours = {"agencies", "ledger", "reporting", "imports", "vehicles", "waste", "campaigns"}
    global_models = {Agency, Membership}  # the root, and who belongs where (the admin's to write)
    unscoped = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in ours
        and model not in global_models
        and not model._meta.label.split(".")[1].startswith("Historical")
        and not is_scoped(model)
        and not getattr(model, "scope_global", False)
    ]
    assert not unscoped, (
        f"{unscoped}: give each a foreign key to Agency (or one agency-owned row), declare "
        "scope_path = ('<lookup to agency>', '<lookup to department> or None'), or mark it "
        "scope_global = True with a comment saying why no agency owns its rows"
    )
    assert scope_path(Reading) == ("meter__agency", "meter__department")
    assert scope_path(Bill) == ("meter__agency", "meter__department")


@isolate_apps("agencies")
def test_a_model_that_cannot_say_where_it_belongs_is_an_error():
    class Loose(models.Model):
        class Meta:
            app_label = "agencies"

        def __str__(self):
            return "loose"

    with pytest.raises(ImproperlyConfigured) as error:
        scope_path(Loose)
    assert str(error.value) == (
        "agencies.Loose does not say which agency its rows belong to: give it a foreign key to Agency, "
        "or declare scope_path = ('<lookup to the agency>', '<lookup to the department> or None') on the "
        "model (docs/architecture.md, 'Writes check scope')."
    )

"""The vehicles pages in Chinese, through the scope: a clerk sees their section's vehicles; the
accounting page flags a vehicle over its standard with the percentage."""

import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from vehicles.models import FuelLog

from .factories import FuelLogFactory, VehicleFactory

pytestmark = pytest.mark.django_db


def test_a_clerk_sees_only_the_vehicles_and_logs_of_their_section(
    login, clerk, agency, department, other_department
):
    own = VehicleFactory(agency=agency, department=department, plate="鲁Q11111")
    other = VehicleFactory(agency=agency, department=other_department, plate="鲁Q22222")
    FuelLogFactory(vehicle=own, station="本科室加油")
    FuelLogFactory(vehicle=other, station="别科室加油")
    client = login(clerk)
    page = client.get(reverse("vehicles:vehicle_list")).content.decode()
    assert "鲁Q11111" in page and "鲁Q22222" not in page
    page = client.get(reverse("vehicles:fuel_list")).content.decode()
    assert "本科室加油" in page and "别科室加油" not in page
    assert "未定点" in page  # neither station is a designated one
    assert (
        client.get(reverse("vehicles:fuel_list") + f"?vehicle={other.pk}")
        .content.decode()
        .count("别科室加油")
        == 0
    )
    page = client.get(reverse("vehicles:accounting")).content.decode()
    assert "鲁Q11111" in page and "鲁Q22222" not in page


def test_the_clerk_logs_a_fill_in_chinese_and_a_backwards_odometer_is_refused(
    login, clerk, agency, department
):
    vehicle = VehicleFactory(agency=agency, department=department)
    FuelLogFactory(vehicle=vehicle, date=date(2020, 3, 1), odometer=D(10000))
    client = login(clerk)
    data = {
        "vehicle": vehicle.pk,
        "date": "2020-03-10",
        "grade": "92",
        "quantity": "40",
        "unit_price": "6.5",
        "amount": "",
        "odometer": "9990",
        "full": "on",
        "station": "",
        "fuel_card": "",
        "note": "",
    }
    page = client.post(reverse("vehicles:fuel_create"), data).content.decode()
    assert "里程表读数不能倒退" in page
    data["odometer"] = "10400"
    response = client.post(reverse("vehicles:fuel_create"), data)
    assert response.status_code == 302
    assert FuelLog.objects.get(odometer=D(10400)).amount == D("260.00")


def test_the_accounting_page_names_the_vehicle_over_its_standard_and_by_how_much(login, manager, agency):
    thirsty = VehicleFactory(agency=agency, plate="鲁Q66666", standard=D(9))
    fine = VehicleFactory(agency=agency, plate="鲁Q77777", standard=D(9))
    for vehicle, litres in ((thirsty, D(60)), (fine, D(45))):
        FuelLogFactory(
            vehicle=vehicle, date=date(2020, 7, 1), odometer=D(10000), quantity=D(40), amount=D(260)
        )
        FuelLogFactory(
            vehicle=vehicle,
            date=date(2020, 7, 20),
            odometer=D(10300),
            quantity=D(20),
            amount=D(130),
            full=False,
        )
        FuelLogFactory(
            vehicle=vehicle,
            date=date(2020, 8, 30),
            odometer=D(10500),
            quantity=litres - 20,
            amount=(litres - 20) * D("6.5"),
        )
    page = login(manager).get(reverse("vehicles:accounting") + "?year=2020&quarter=3").content.decode()
    assert "2020年第三季度" in page
    # 鲁Q66666: 60 L / 500 km = 12 L/100 km against 9: over by 33.3 %; 鲁Q77777: 9.0, within
    assert 'data-plate="鲁Q66666" class="table-warning" data-over="33.3"' in page
    assert "超标33.3%" in page
    assert 'data-plate="鲁Q77777" class="table-warning"' not in page


def test_the_vehicle_page_shows_its_months_against_the_standard(login, manager, agency):
    vehicle = VehicleFactory(agency=agency, plate="鲁Q66666", standard=D(9))
    FuelLogFactory(vehicle=vehicle, date=date(2020, 7, 1), odometer=D(10000), quantity=D(40), amount=D(260))
    FuelLogFactory(
        vehicle=vehicle,
        date=date(2020, 7, 20),
        odometer=D(10500),
        quantity=D(60),
        amount=D(390),
        station="某民营加油站",
    )
    page = (
        login(manager)
        .get(reverse("vehicles:vehicle_detail", args=[vehicle.pk]) + "?year=2020")
        .content.decode()
    )
    assert "2020年：12.00 升/百公里，控制标准9.00 升/百公里" in page and "超标33.3%" in page
    assert 'id="vehicle-chart"' in page and "某民营加油站" in page


def test_an_electric_vehicles_standard_is_in_kwh_per_100_km_wherever_it_is_shown(login, manager, agency):
    """A fleet of petrol and electric cars: each standard and rate with its own unit — an electric
    car's 14 is kWh per 100 km, never read as 14 litres beside the petrol cars' 9.5."""
    VehicleFactory(agency=agency, plate="鲁Q12378", fuel_type="92", standard=D("9.5"))
    electric = VehicleFactory(
        agency=agency, plate="鲁QD05126", fuel_type="electric", new_energy=True, standard=D(14)
    )
    client = login(manager)
    listing = client.get(reverse("vehicles:vehicle_list")).content.decode()
    assert "9.50 升/百公里" in listing and "14.00 千瓦时/百公里" in listing
    detail = client.get(reverse("vehicles:vehicle_detail", args=[electric.pk]) + "?year=2020")
    sentence = re.search(r'data-testid="vehicle-year">(.*?)</p>', detail.content.decode(), re.S).group(1)
    assert "控制标准14.00 千瓦时/百公里" in sentence and "油耗" not in sentence
    accounting = client.get(reverse("vehicles:accounting") + "?year=2020&quarter=3").content.decode()
    rows = dict(re.findall(r'data-plate="([^"]+)"(.*?)</tr>', accounting, re.S))
    assert "千瓦时/百公里" in rows["鲁QD05126"] and "升/百公里" in rows["鲁Q12378"]
    assert "千瓦时" not in rows["鲁Q12378"]


def test_the_monthly_accounting_of_the_year_exports_to_excel_with_text_cells_as_text(login, manager, agency):
    from io import BytesIO

    from openpyxl import load_workbook

    from tests.factories import DepartmentFactory

    section = DepartmentFactory(agency=agency, name="=1+1科")  # typed text that starts like a formula
    vehicle = VehicleFactory(agency=agency, department=section, plate="鲁Q66666", standard=D(9))
    FuelLogFactory(vehicle=vehicle, date=date(2020, 7, 1), odometer=D(10000), quantity=D(40), amount=D(260))
    FuelLogFactory(vehicle=vehicle, date=date(2020, 7, 20), odometer=D(10500), quantity=D(60), amount=D(390))
    response = login(manager).get(reverse("vehicles:accounting_export") + "?year=2020")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    july = next(r for r in rows if r[2] == "2020-07")
    assert july[0] == "鲁Q66666" and july[3] == 500 and july[5] == 12.0 and july[7] == 33.3
    assert july[1] == "=1+1科"
    cell = next(c for c in sheet["B"] if c.value == "=1+1科")
    assert cell.data_type == "s"  # text, not a formula
    year = next(r for r in rows if r[2] == "2020")
    assert year[4] == 60.0

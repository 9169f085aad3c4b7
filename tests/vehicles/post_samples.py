"""POST samples for the write walk (tests/test_write_walk.py): valid submissions built in ``ctx``."""

from tests.vehicles.factories import VehicleFactory
from tests.writewalk import PostSample


def _fuel(ctx):
    vehicle = VehicleFactory(agency=ctx.agency, department=ctx.department)
    return {
        "vehicle": vehicle.pk,
        "date": "2020-03-10",
        "grade": "92",
        "quantity": "40.00",
        "unit_price": "6.50",
        "amount": "260.00",
        "odometer": "12000",
        "full": "on",
        "station": "中石化临沂兰山站",
        "fuel_card": "1000113700012345",
        "note": "走查",
    }


def _vehicle(ctx):
    return {
        "plate": "鲁Q8W123",
        "make_model": "别克GL8",
        "fuel_type": "95",
        "tank_capacity": "65",
        "standard": "10.5",
        "department": ctx.department.pk,
        "in_use_from": "2019-01-01",
        "note": "",
    }


def _dispatch(ctx):
    vehicle = VehicleFactory(agency=ctx.agency, department=ctx.department)
    return {
        "department": ctx.department.pk,
        "applicant": "李鑫",
        "purpose": "走查",
        "destination": "临沂市人民医院",
        "passengers": "2",
        "planned_start": "2020-03-10T09:00",
        "planned_end": "2020-03-10T12:00",
        "vehicle": vehicle.pk,
        "driver": "王师傅",
        "note": "",
    }


POST_SAMPLES = {
    "vehicles:dispatch_create": PostSample(_dispatch),
    "vehicles:dispatch_edit": PostSample(_dispatch),
    "vehicles:dispatch_approve": PostSample(lambda ctx: {}),
    "vehicles:dispatch_complete": PostSample(lambda ctx: {"odometer_out": "12000", "odometer_in": "12085"}),
    "vehicles:dispatch_cancel": PostSample(lambda ctx: {}),
    "vehicles:seal_create": PostSample(
        lambda ctx: {"name": "单位封存", "start": "2020-08-01", "end": "2020-08-03"}
    ),
    "vehicles:seal_edit": PostSample(
        lambda ctx: {"name": "单位封存", "start": "2020-08-01", "end": "2020-08-03"}
    ),
    "vehicles:vehicle_create": PostSample(_vehicle),
    "vehicles:vehicle_edit": PostSample(_vehicle),
    "vehicles:station_create": PostSample(
        lambda ctx: {"name": "走查加油站", "address": "", "is_active": "on"}
    ),
    "vehicles:station_edit": PostSample(lambda ctx: {"name": "走查加油站", "address": "", "is_active": "on"}),
    "vehicles:fuel_create": PostSample(_fuel),
    "vehicles:fuel_edit": PostSample(_fuel),
    "vehicles:fuel_delete": PostSample(lambda ctx: {}),
}

"""Samples for the permission walk: objects of ``ctx.agency`` in ``ctx.department``."""

from tests.ledger.url_samples import png_upload
from tests.vehicles.factories import FuelLogFactory, StationFactory, VehicleFactory


def _vehicle(ctx):
    return VehicleFactory(agency=ctx.agency, department=ctx.department)


SAMPLES = {
    "vehicles:vehicle_edit": lambda ctx: {"pk": _vehicle(ctx).pk},
    "vehicles:station_edit": lambda ctx: {"pk": StationFactory(agency=ctx.agency).pk},
    "vehicles:fuel_edit": lambda ctx: {"pk": FuelLogFactory(vehicle=_vehicle(ctx)).pk},
    "vehicles:fuel_delete": lambda ctx: {"pk": FuelLogFactory(vehicle=_vehicle(ctx)).pk},
    "vehicles:fuel_receipt": lambda ctx: {
        "pk": FuelLogFactory(vehicle=_vehicle(ctx), receipt=png_upload()).pk
    },
}

"""Samples for the permission walk: objects of ``ctx.agency`` in ``ctx.department``."""

from tests.ledger.url_samples import png_upload
from tests.vehicles.factories import (
    DispatchOrderFactory,
    FuelLogFactory,
    SealPeriodFactory,
    StationFactory,
    VehicleFactory,
)


def _vehicle(ctx):
    return VehicleFactory(agency=ctx.agency, department=ctx.department)


def _order(ctx, **fields):
    return DispatchOrderFactory(agency=ctx.agency, department=ctx.department, **fields)


SAMPLES = {
    "vehicles:dispatch_edit": lambda ctx: {"pk": _order(ctx).pk},
    "vehicles:dispatch_approve": lambda ctx: {"pk": _order(ctx, vehicle=_vehicle(ctx)).pk},
    "vehicles:dispatch_complete": lambda ctx: {
        "pk": _order(ctx, vehicle=_vehicle(ctx), status="approved").pk
    },
    "vehicles:dispatch_cancel": lambda ctx: {"pk": _order(ctx).pk},
    "vehicles:seal_edit": lambda ctx: {"pk": SealPeriodFactory(agency=ctx.agency).pk},
    "vehicles:vehicle_edit": lambda ctx: {"pk": _vehicle(ctx).pk},
    "vehicles:station_edit": lambda ctx: {"pk": StationFactory(agency=ctx.agency).pk},
    "vehicles:fuel_edit": lambda ctx: {"pk": FuelLogFactory(vehicle=_vehicle(ctx)).pk},
    "vehicles:fuel_delete": lambda ctx: {"pk": FuelLogFactory(vehicle=_vehicle(ctx)).pk},
    "vehicles:fuel_receipt": lambda ctx: {
        "pk": FuelLogFactory(vehicle=_vehicle(ctx), receipt=png_upload()).pk
    },
}

SAMPLES["vehicles:vehicle_detail"] = lambda ctx: {"pk": _vehicle(ctx).pk}

"""Samples for the permission walk: objects of ``ctx.agency`` in ``ctx.department``."""

from tests.ledger.url_samples import png_upload
from tests.waste.factories import CollectionPointFactory, HazardousStorageFactory, WasteCollectionFactory


def _collection(ctx):
    return WasteCollectionFactory(agency=ctx.agency, department=ctx.department)


SAMPLES = {
    "waste:collection_edit": lambda ctx: {"pk": _collection(ctx).pk},
    "waste:collection_delete": lambda ctx: {"pk": _collection(ctx).pk},
    "waste:collection_photo": lambda ctx: {
        "pk": WasteCollectionFactory(agency=ctx.agency, department=ctx.department, photo=png_upload()).pk
    },
    "waste:point_edit": lambda ctx: {"pk": CollectionPointFactory(agency=ctx.agency).pk},
    "waste:storage_edit": lambda ctx: {
        "pk": HazardousStorageFactory(agency=ctx.agency, department=ctx.department).pk
    },
}

"""POST samples for the write walk (tests/test_write_walk.py): valid submissions built in ``ctx``."""

from tests.waste.factories import HazardousStorageFactory
from tests.writewalk import PostSample
from waste.models import CollectionPoint


def _collection(ctx):
    # A collection point is agency-wide: every section of the agency may use the same one.
    point, _created = CollectionPoint.objects.get_or_create(
        agency=ctx.agency, name="走查收集点", defaults={"categories": ["other"]}
    )
    return {
        "date": "2020-03-10",
        "category": "other",
        "weight": "12.50",
        "containers": "2",
        "company": "临沂市环卫清运公司",
        "point": point.pk,
        "department": ctx.department.pk,
        "licence_number": "",
        "manifest_number": "",
        "note": "走查",
    }


def _point(ctx):
    return {
        "name": "走查新收集点",
        "location": "七楼",
        "categories": ["recyclable", "other"],
        "is_active": "on",
    }


def _lot(ctx):
    return {
        "stored_on": "2020-03-02",
        "kind": "lamps",
        "weight": "1.50",
        "pieces": "6",
        "place": "库房",
        "department": ctx.department.pk,
        "note": "",
    }


def _handover(ctx):
    lot = HazardousStorageFactory(agency=ctx.agency, department=ctx.department)
    return {
        "date": "2020-03-10",
        "lots": [lot.pk],
        "company": "山东某危废处置有限公司",
        "licence_number": "鲁危证37130001",
        "manifest_number": "37130000777",
        "department": ctx.department.pk,
    }


POST_SAMPLES = {
    "waste:collection_create": PostSample(_collection),
    "waste:collection_edit": PostSample(_collection),
    "waste:collection_delete": PostSample(lambda ctx: {}),
    "waste:point_create": PostSample(_point),
    "waste:point_edit": PostSample(_point),
    "waste:storage_create": PostSample(_lot),
    "waste:storage_edit": PostSample(_lot),
    "waste:handover_create": PostSample(_handover),
}

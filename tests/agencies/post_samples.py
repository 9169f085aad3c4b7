"""POST samples for the write walk: the agency profile and the agency switch."""

from tests.writewalk import PostSample

POST_SAMPLES = {
    "agencies:year_save": PostSample(
        lambda ctx: {"year": "2021", "headcount": "40", "building_area": "1000", "office_area": "500"}
    ),
    "agencies:department_add": PostSample(lambda ctx: {"name": "走查科", "parent": ctx.department.pk}),
    "agencies:switch": PostSample(
        lambda ctx: {"agency": ctx.agency.code}, writes=False, note="changes the session only"
    ),
}

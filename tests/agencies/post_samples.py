"""POST samples for the write walk: the agency profile and the agency switch."""

from tests.writewalk import PostSample

POST_SAMPLES = {
    "agencies:year_save": PostSample(
        lambda ctx: {"year": "2021", "headcount": "40", "building_area": "1000", "office_area": "500"}
    ),
    "agencies:department_add": PostSample(lambda ctx: {"name": "走查科", "parent": ctx.department.pk}),
    "agencies:notice_save": PostSample(
        lambda ctx: {
            "plan_title": "节约型机关创建工作实施方案",
            "plan_number": "临医保字〔2020〕30号",
            "notice_contact": "李鑫",
            "notice_phone": "0539-0000000",
            "notice_days": "5",
        }
    ),
    "agencies:switch": PostSample(
        lambda ctx: {"agency": ctx.agency.code}, writes=False, note="changes the session only"
    ),
}

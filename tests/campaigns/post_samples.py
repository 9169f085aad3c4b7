"""POST samples for the write walk (tests/test_write_walk.py): valid submissions built in ``ctx``."""

from tests.campaigns.factories import scored_creation
from tests.ledger.url_samples import png_upload
from tests.writewalk import PostSample


def _event(ctx):
    return {
        "kind": "lecture",
        "date": "2020-06-30",
        "end_date": "",
        "title": "走查讲座",
        "channels": ["meeting", "wechat"],
        "participants": "40",
        "department": ctx.department.pk,
        "summary": "走查",
    }


def _check(ctx):
    return {
        "department": ctx.department.pk,
        "date": "2020-07-15",
        "time": "10:00",
        "inspector": "高述刚",
        "rooms": "701",
        "ac_mode": "off",
        "ac_setpoint": "",
        "findings": ["lights_empty"],
        "notes": "",
        "rectify_by": "2020-07-20",
    }


def _repair(ctx):
    return {
        "kind": "dripping_tap",
        "location": "七楼卫生间",
        "problem": "水龙头滴水",
        "department": ctx.department.pk,
        "reported_on": "2020-07-01",
        "reported_to": "物业",
        "fixed_on": "",
        "fix_note": "",
    }


ITEM_CODES = [
    "targets",
    "organisation",
    "rules",
    "metering",
    "statistics",
    "green-office",
    "facilities",
    "waste",
    "food",
    "publicity",
    "vehicles",
]


def _member(ctx):
    return {
        "year": "2020",
        "body": "group",
        "position": "member",
        "name": "示例人员",
        "post": "办公室主任",
        "order": "3",
    }


# The creations the POST samples post to are of other years than the URL samples' (2020): the
# hostile walk builds both for one agency, and an agency has one creation a year.
POST_SAMPLES = {
    "campaigns:creation_apply": PostSample(
        lambda ctx: {
            "year": "2020",
            "plan_title": "关于深入开展创建节约型机关实施方案",
            "applied_on": "2020-06-29",
        }
    ),
    "campaigns:creation_assess": PostSample(
        lambda ctx: {
            "organisation-points": "9.5",
            "organisation-evidence": "领导小组已成立",
            "targets-passed": "yes",
        }
    ),
    "campaigns:creation_submit": PostSample(
        lambda ctx: {},
        url=lambda ctx: {"pk": scored_creation(ctx.agency, year=2021).pk},
        note="a creation with every item marked: an incomplete one is refused and writes nothing",
    ),
    "campaigns:creation_reopen": PostSample(
        lambda ctx: {}, url=lambda ctx: {"pk": scored_creation(ctx.agency, stage="assessed", year=2022).pk}
    ),
    "campaigns:creation_verify": PostSample(
        lambda ctx: {
            **{f"{code}-verdict": "confirmed" for code in ITEM_CODES},
            "publicity-verdict": "adjusted",
            "publicity-points": "10",
            "publicity-comment": "宣传记录缺两次",
            "result": "meets",
            "comment": "",
        },
        url=lambda ctx: {"pk": scored_creation(ctx.agency, stage="assessed", year=2023).pk},
        note="the city verifier's one write; a creation of ctx.agency, submitted with full marks",
    ),
    "campaigns:member_create": PostSample(_member),
    "campaigns:member_edit": PostSample(_member),
    "campaigns:member_delete": PostSample(lambda ctx: {}),
    "campaigns:office_edit": PostSample(
        lambda ctx: {"year": "2020", "duties": "负责编制创建节约型机关实施方案。"}
    ),
    "campaigns:event_create": PostSample(_event),
    "campaigns:event_edit": PostSample(_event),
    "campaigns:event_delete": PostSample(lambda ctx: {}),
    "campaigns:event_file_add": PostSample(lambda ctx: {"file": png_upload()}),
    "campaigns:event_file_delete": PostSample(lambda ctx: {}),
    "campaigns:spot_check_create": PostSample(_check),
    "campaigns:spot_check_edit": PostSample(_check),
    "campaigns:spot_check_close": PostSample(
        lambda ctx: {"rectified_on": "2020-07-16", "rectification": "已整改"}
    ),
    "campaigns:repair_create": PostSample(_repair),
    "campaigns:repair_edit": PostSample(_repair),
    "campaigns:repair_fix": PostSample(lambda ctx: {"fixed_on": "2020-07-03", "fix_note": "已更换"}),
}

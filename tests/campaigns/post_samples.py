"""POST samples for the write walk (tests/test_write_walk.py): valid submissions built in ``ctx``."""

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


POST_SAMPLES = {
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

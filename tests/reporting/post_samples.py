"""POST samples for the write walk: targets and the disclosure actions of a manager."""

from tests.writewalk import PostSample

POST_SAMPLES = {
    "reporting:target_save": PostSample(
        lambda ctx: {
            "indicator": "electricity",
            "year": "2021",
            "baseline_year": "2019",
            "reduction_percent": "3",
            "basis": "total",
            "note": "",
        }
    ),
    "reporting:target_delete": PostSample(lambda ctx: {}),
    "reporting:disclosure_compute": PostSample(
        lambda ctx: {"quarter": "2020Q4"},
        note="records the background job (reporting.jobs) and sends it on commit",
    ),
    "reporting:job_retry": PostSample(lambda ctx: {}, note="a failed job of ctx.agency is sent again"),
    "reporting:disclosure_publish": PostSample(lambda ctx: {"correction": ""}),
    "reporting:disclosure_reopen": PostSample(lambda ctx: {"reason": "走查：电表读数录错"}),
}

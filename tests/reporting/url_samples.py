"""Samples for the permission walk: objects of ctx.agency for every reporting URL with arguments."""

from reporting.models import DisclosureStatus
from tests.reporting.factories import DisclosureFactory, TargetFactory


def _draft(ctx):
    return {"pk": DisclosureFactory(agency=ctx.agency).pk}


def _published(ctx):
    return {"pk": DisclosureFactory(agency=ctx.agency, status=DisclosureStatus.PUBLISHED).pk}


def _failed_job(ctx):
    from reporting.models import BackgroundJob, JobState

    job = BackgroundJob.objects.create(
        agency=ctx.agency,
        task="reporting.tasks.compute_disclosure",
        label="计算 2020Q4 公示草稿",
        kwargs={"agency_id": ctx.agency.pk, "quarter": "2020Q4"},
        state=JobState.FAILED,
        error="数据库无法连接。",
    )
    return {"pk": job.pk}


SAMPLES = {
    "reporting:job_retry": _failed_job,
    "reporting:target_delete": lambda ctx: {"pk": TargetFactory(agency=ctx.agency).pk},
    "reporting:disclosure_detail": _draft,
    "reporting:disclosure_publish": _draft,
    "reporting:disclosure_reopen": _published,
    "reporting:disclosure_pdf": _draft,
    "reporting:disclosure_xlsx": _draft,
    "reporting:public_notice": _published,
    "reporting:public_notice_pdf": _published,
}

"""Point 7 of issue 18: failed or stuck background jobs, for a manager (their agency) and the admin (all)."""

import time
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from reporting.jobs import job_enqueue
from reporting.models import BackgroundJob, Disclosure, JobState
from reporting.tasks import compute_disclosure


def _job(agency, state, *, label, minutes_ago=0, **fields):
    job = BackgroundJob.objects.create(
        agency=agency,
        task="reporting.tasks.compute_disclosure",
        label=label,
        kwargs={"agency_id": agency.pk, "quarter": "2020Q4"},
        state=state,
        **fields,
    )
    past = timezone.now() - timedelta(minutes=minutes_ago)
    BackgroundJob.objects.filter(pk=job.pk).update(
        updated_at=past, started_at=past if state == "running" else None
    )
    return job


def test_a_manager_sees_the_failed_and_stuck_jobs_of_their_agency_only(manager, agency, other_agency, login):
    _job(agency, JobState.FAILED, label="失败的任务", error="数据库无法连接。")
    _job(agency, JobState.RUNNING, label="卡住的任务", minutes_ago=60)
    _job(agency, JobState.QUEUED, label="没人接的任务", minutes_ago=20)
    _job(agency, JobState.WAITING, label="等待代理的任务", minutes_ago=5)
    _job(agency, JobState.RUNNING, label="运行中乙", minutes_ago=1)
    _job(agency, JobState.DONE, label="已办结甲")
    _job(other_agency, JobState.FAILED, label="外单位丙", error="x")

    page = login(manager).get(reverse("reporting:job_list")).content.decode()

    for shown in ["失败的任务", "数据库无法连接。", "卡住的任务", "没人接的任务", "等待代理的任务"]:
        assert shown in page
    for hidden in ["运行中乙", "已办结甲", "外单位丙"]:
        assert hidden not in page
    assert page.count("重试") >= 4


def test_retry_sends_a_failed_job_again_and_it_completes(manager, agency, login):
    job = _job(agency, JobState.FAILED, label="计算公示", error="数据库无法连接。")

    response = login(manager).post(reverse("reporting:job_retry", args=[job.pk]))

    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.attempts == 1 and job.error == ""
    assert Disclosure.objects.filter(agency=agency).count() == 1


def test_a_manager_cannot_retry_another_agencys_job(manager, other_agency, login):
    job = _job(other_agency, JobState.FAILED, label="别的单位", error="x")

    assert login(manager).post(reverse("reporting:job_retry", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.state == JobState.FAILED


def test_a_job_failing_on_a_real_worker_is_recorded_with_its_error_in_words(
    postgres_only, manager, agency, login, real_worker
):
    from django.db import transaction

    with transaction.atomic():
        job = job_enqueue(
            compute_disclosure,
            agency_id=agency.pk,
            label="计算 2020Q9",
            kwargs={"agency_id": agency.pk, "quarter": "2020Q9"},  # no such quarter: the task raises
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and BackgroundJob.objects.get(pk=job.pk).state != JobState.FAILED:
        time.sleep(0.25)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.attempts == 1
    assert job.error == "运行出错：2020Q9 不是有效的季度，请按 2020Q4 的格式填写。"

    page = login(manager).get(reverse("reporting:job_list")).content.decode()
    assert "计算 2020Q9" in page and job.error in page  # no quotes to escape


def test_the_admin_sees_every_agencys_jobs_and_retries_them(admin_client, agency, other_agency):
    mine = _job(agency, JobState.FAILED, label="本单位", error="x")
    theirs = _job(other_agency, JobState.FAILED, label="别的单位", error="x")

    changelist = admin_client.get(reverse("admin:reporting_backgroundjob_changelist")).content.decode()
    assert "本单位" in changelist and "别的单位" in changelist
    admin_client.post(
        reverse("admin:reporting_backgroundjob_changelist"),
        {"action": "retry", "_selected_action": [mine.pk, theirs.pk]},
    )
    assert set(BackgroundJob.objects.values_list("state", flat=True)) == {JobState.DONE}
    assert Disclosure.objects.count() == 2

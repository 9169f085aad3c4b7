"""Point 2 of issue 18: with Redis down, entry and reading pages work, background work is kept and
the user is told it is delayed; pointed back at the real Redis, the kept work runs."""

import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ledger.models import Reading
from reporting.models import BackgroundJob, Disclosure, JobState, MonthlyFigure, StaleFigure
from tests.ledger.factories import MeterFactory, ReadingFactory

from .conftest import CLOSED_PORT, database_url, run_django

BROKER_DOWN = f"redis://127.0.0.1:{CLOSED_PORT}/0"
DELAYED = "后台服务暂时不可用"

WORK_WITHOUT_REDIS = """
from django.contrib.auth import get_user_model
from django.test import Client
from linyi_ecoagency.celery import app
app.conf.task_always_eager = False  # as in production: tasks go to the (unreachable) broker
users = get_user_model().objects
clerk, manager = Client(), Client()
clerk.force_login(users.get(username="clerk"))
manager.force_login(users.get(username="manager"))
saved = clerk.post("/ledger/round/", {"date": "%(day)s", "value-%(meter)d": "150"}, follow=True)
computed = manager.post("/reporting/disclosures/compute/", {"quarter": "2020Q4"}, follow=True)
pages = {url: manager.get(url).status_code for url in
         ["/ledger/meters/", "/ledger/round/", "/reporting/dashboard/", "/reporting/disclosures/", "/"]}
print(json.dumps({
    "round": saved.status_code, "round_page": saved.content.decode(),
    "compute": computed.status_code, "compute_page": computed.content.decode(), "pages": pages,
}))
"""


def _wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return condition()


@pytest.fixture
def meter(agency, department):
    meter = MeterFactory(agency=agency, department=department, code="E-REDIS")
    ReadingFactory(meter=meter, date=date(2026, 10, 31), value=Decimal("100"))
    return meter


def _work_while_redis_is_down(meter, clerk, manager):
    day = timezone.localdate().replace(day=1)
    code = WORK_WITHOUT_REDIS % {"day": day.isoformat(), "meter": meter.pk}
    return day, run_django(
        code, DATABASE_URL=database_url(), CELERY_BROKER_URL=BROKER_DOWN, CELERY_RESULT_BACKEND=BROKER_DOWN
    )


def test_entry_and_reading_pages_work_and_the_user_is_told_work_is_delayed(
    postgres_only, transactional_db, meter, clerk, manager
):
    day, seen = _work_while_redis_is_down(meter, clerk, manager)

    assert seen["round"] == 200 and DELAYED in seen["round_page"]
    assert Reading.objects.filter(meter=meter, date=day, value=Decimal("150")).exists()
    assert StaleFigure.objects.filter(agency=meter.agency, indicator="electricity").exists()
    assert seen["compute"] == 200 and DELAYED in seen["compute_page"]
    job = BackgroundJob.objects.get(task="reporting.tasks.compute_disclosure")
    assert job.state == JobState.WAITING and job.agency == meter.agency
    assert seen["pages"] == dict.fromkeys(seen["pages"], 200)


def test_the_work_kept_while_redis_was_down_runs_once_it_is_back(
    postgres_only, meter, clerk, manager, real_worker
):
    from reporting.tasks import refresh_figures_backlog, send_waiting_jobs

    day, seen = _work_while_redis_is_down(meter, clerk, manager)
    assert seen["round"] == 200 and not Disclosure.objects.exists()
    # The five-minute backlog takes stale records older than two minutes: these are, by now.
    StaleFigure.objects.update(marked_at=timezone.now() - timedelta(minutes=3))

    # Back on the real Redis: the beat's two tasks go through the broker to a real worker.
    refresh_figures_backlog.delay()
    send_waiting_jobs.delay()

    job = BackgroundJob.objects.get(task="reporting.tasks.compute_disclosure")
    assert _wait_for(lambda: not StaleFigure.objects.exists()), "the stale month was not refreshed"
    assert MonthlyFigure.objects.get(agency=meter.agency, indicator="electricity", month=day, department=None)
    assert _wait_for(lambda: BackgroundJob.objects.get(pk=job.pk).state == JobState.DONE), (
        BackgroundJob.objects.get(pk=job.pk).state
    )
    assert Disclosure.objects.filter(agency=meter.agency).count() == 1

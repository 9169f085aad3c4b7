"""Point 1 of issue 18: a real worker process SIGKILLed in the middle of a task.

Each test holds a lock on the table the task is about to write, so that the worker is caught
mid-transaction (its other work done, nothing committed); it then kills the worker with SIGKILL,
lets the lock go and starts a second worker. The message, never acknowledged, is delivered
again (``acks_late``, the Redis visibility timeout); the result must be complete, once.
"""

import csv
from datetime import date
from decimal import Decimal

from django.urls import reverse

from imports.models import ImportJob, ImportStatus
from imports.services import import_confirm, import_job_create, import_validate
from ledger.models import Reading
from reporting.disclosures.services import disclosure_compute
from reporting.figures.refresh import figures_refresh
from reporting.models import Disclosure, MonthlyFigure, StaleFigure
from reporting.periods import Quarter
from reporting.tasks import compute_city_disclosures, refresh_figures
from tests.factories import AgencyFactory, AgencyYearFactory
from tests.ledger.factories import MeterFactory, ReadingFactory
from tests.reporting.helpers import ELECTRICITY_2019, ELECTRICITY_2020, write_year

from .conftest import TableLock, wait_until


def test_a_citys_disclosures_survive_a_worker_killed_mid_computation(worker_processes):
    agencies = [AgencyFactory() for _ in range(3)]
    for agency in agencies:
        AgencyYearFactory(agency=agency, year=2020, headcount=40)
        write_year(agency, "electricity", 2019, ELECTRICITY_2019)
        write_year(agency, "electricity", 2020, ELECTRICITY_2020)
    first = worker_processes("first")
    lock = TableLock("reporting_disclosure")

    compute_city_disclosures.delay("2020Q4")
    lock.wait_for_a_waiter()  # the first agency's computation is writing its draft
    first.kill()
    lock.release()
    assert not Disclosure.objects.exists(), "a killed computation left a row"
    worker_processes("second")

    assert wait_until(lambda: Disclosure.objects.count() == 3), Disclosure.objects.count()

    def content(data):
        return {key: value for key, value in data.items() if key != "computed_at"}

    drafts = {d.agency_id: content(d.data) for d in Disclosure.objects.all()}
    assert sorted(drafts) == sorted(a.pk for a in agencies)
    for agency in agencies:  # complete: what an undisturbed computation gives
        again = disclosure_compute(agency=agency.pk, quarter=Quarter.parse("2020Q4"))
        assert content(again.data) == drafts[agency.pk]
    assert Disclosure.objects.count() == 3


def test_a_figure_refresh_survives_a_worker_killed_mid_write(worker_processes, agency):
    meter = MeterFactory(agency=agency, code="E-KILL")
    for month, value in [(1, 100), (2, 160), (3, 250), (4, 400)]:
        ReadingFactory(meter=meter, date=date(2020, month, 28), value=Decimal(value))
    months = [date(2020, m, 1) for m in (2, 3, 4)]
    StaleFigure.objects.bulk_create(
        StaleFigure(agency=agency, month=m, indicator="electricity") for m in months
    )
    first = worker_processes("first")
    lock = TableLock("reporting_monthlyfigure")

    refresh_figures.delay(
        agency_ids=[agency.pk], months=[m.isoformat() for m in months], indicator_keys=["electricity"]
    )
    lock.wait_for_a_waiter()
    first.kill()
    lock.release()
    assert not MonthlyFigure.objects.exists(), "a killed refresh left rows"
    worker_processes("second")

    assert wait_until(lambda: not StaleFigure.objects.exists()), "the refresh never ran again"
    after_kill = sorted(MonthlyFigure.objects.values_list("indicator", "department", "month", "value"))
    figures_refresh(agency_ids=[agency.pk], months=months, indicator_keys=["electricity"])
    undisturbed = sorted(MonthlyFigure.objects.values_list("indicator", "department", "month", "value"))
    assert after_kill == undisturbed and after_kill


def _readings_file(path, meter_code: str, count: int):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["表号", "抄表日期", "读数"])
        for day in range(count):
            when = date.fromordinal(date(2015, 1, 1).toordinal() + day)
            writer.writerow([meter_code, when.isoformat(), 1000 + 3 * day])
    return path


def test_an_import_survives_a_worker_killed_mid_write_and_its_page_tells_the_truth(
    worker_processes, agency, manager, login, tmp_path
):
    count = 1500
    MeterFactory(agency=agency, code="E-IMPORT", dial_digits=8)
    source = _readings_file(tmp_path / "readings.csv", "E-IMPORT", count)
    job = import_job_create(agency=agency, kind="readings", upload=source, filename="读数.csv", by=manager)
    ImportJob.objects.filter(pk=job.pk).update(background=True)
    job.refresh_from_db()
    job = import_validate(job=job)
    assert job.status == ImportStatus.VALIDATED, (job.message, job.errors[:3])
    client = login(manager)
    first = worker_processes("first")
    lock = TableLock("reporting_stalefigure")

    import_confirm(job=job, by=manager)  # queued for the worker on the imports queue
    lock.wait_for_a_waiter()  # every reading is written in the worker's transaction
    job.refresh_from_db()
    assert job.status == ImportStatus.WRITING
    assert "正在写入" in client.get(reverse("imports:job_progress", args=[job.pk])).content.decode()
    first.kill()
    lock.release()

    assert wait_until(lambda: ImportJob.objects.get(pk=job.pk).runner_stopped)
    page = client.get(reverse("imports:job_progress", args=[job.pk])).content.decode()
    assert 'data-testid="runner-stopped"' in page and 'data-testid="rows-written">0<' in page
    assert not Reading.objects.exists()
    worker_processes("second")

    assert wait_until(lambda: ImportJob.objects.get(pk=job.pk).status == ImportStatus.DONE)
    job.refresh_from_db()
    assert Reading.objects.count() == count and job.rows_written == count
    assert Reading.objects.values("date").distinct().count() == count  # no duplicate

"""Point 2 of issue 18, for every ledger that landed after it: with Redis down, a fuel log, a
requisition, a waste collection and a bill are saved, their figures are recorded stale and the
user is told the work is delayed; back on the real Redis, the beat's backlog task brings every
one of those figures up to date."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.models import MonthlyFigure, StaleFigure
from tests.writewalk import post_samples

from .conftest import CLOSED_PORT, database_url, run_django
from .test_redis_down import DELAYED, _wait_for

BROKER_DOWN = f"redis://127.0.0.1:{CLOSED_PORT}/0"

# route → (the table it writes, an indicator its write makes stale)
LEDGER_WRITES = {
    "vehicles:fuel_create": ("vehicles_fuellog", "vehicles.fuel"),
    "ledger:consumables_requisition_create": ("ledger_requisition", "consumables_quantity"),
    "waste:collection_create": ("waste_wastecollection", "waste"),
    "ledger:bill_create": ("ledger_bill", "energy_cost"),
}

POST_WITHOUT_REDIS = """
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from linyi_ecoagency.celery import app
app.conf.task_always_eager = False  # as in production: tasks go to the (unreachable) broker
manager = Client()
manager.force_login(get_user_model().objects.get(username="manager"))
answers = {}
for url, data, table in %(posts)r:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        before = cursor.fetchone()[0]
    page = manager.post(url, data, follow=True)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        after = cursor.fetchone()[0]
    answers[url] = {"status": page.status_code, "delayed": %(delayed)r in page.content.decode(),
                    "added": after - before}
print(json.dumps(answers))
"""


@pytest.fixture
def posts(agency, department, manager):
    """Each ledger's own POST sample (tests/<app>/post_samples.py) for the manager's agency."""
    ctx = SimpleNamespace(agency=agency, department=department, manager=manager)
    samples = post_samples()
    found = []
    for route, (table, _key) in LEDGER_WRITES.items():
        data = {k: v for k, v in samples[route].data(ctx).items() if not hasattr(v, "read")}  # no files
        found.append((reverse(route), data, table))
    return found


def _post_while_redis_is_down(posts):
    code = POST_WITHOUT_REDIS % {"posts": posts, "delayed": DELAYED}
    return run_django(
        code, DATABASE_URL=database_url(), CELERY_BROKER_URL=BROKER_DOWN, CELERY_RESULT_BACKEND=BROKER_DOWN
    )


def test_every_ledger_saves_with_redis_down_and_its_figures_wait_stale(
    postgres_only, posts, agency, manager, real_worker
):
    from reporting.tasks import refresh_figures_backlog

    seen = _post_while_redis_is_down(posts)

    for url, _data, _table in posts:
        assert seen[url] == {"status": 200, "delayed": True, "added": 1}, url
    stale = set(StaleFigure.objects.filter(agency=agency).values_list("indicator", flat=True))
    for _table, key in LEDGER_WRITES.values():
        assert key in stale, (key, sorted(stale))

    # Back on the real Redis: the beat's backlog task goes through the broker to a real worker.
    StaleFigure.objects.update(marked_at=timezone.now() - timedelta(minutes=3))
    refresh_figures_backlog.delay()
    assert _wait_for(lambda: not StaleFigure.objects.exists()), sorted(
        StaleFigure.objects.values_list("indicator", flat=True)
    )
    computed = set(MonthlyFigure.objects.filter(agency=agency).values_list("indicator", flat=True))
    for _table, key in LEDGER_WRITES.values():
        assert key in computed, (key, sorted(computed))

"""The copied demo (tests/demo_snapshot.py) is the demo the command writes, and is used only when
the database is in the state the copy was taken from."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction

from ledger.models import Reading
from reporting.models import Disclosure, MonthlyFigure
from tests import demo_snapshot
from tests.demo_snapshot import seed_demo
from tests.factories import AgencyFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
DAY = "2020-03-15"  # the shortest demo (the round-trip tests seed the same)


@pytest.fixture(autouse=True)
def _postgres_with_copies():
    if not demo_snapshot.enabled():
        pytest.skip("copies are made on PostgreSQL only, with DEMO_SNAPSHOTS unset")


def state():
    """Every table's row count, and what the demo's main tables hold, without ids or the times they
    were written (a disclosure's ``computed_at``)."""
    counts = {model._meta.db_table: model.objects.count() for model in apps.get_models()}
    figures = set(
        MonthlyFigure.objects.values_list("agency__code", "indicator", "month", "department__name", "value")
    )
    readings = set(
        Reading.objects.values_list("meter__agency__code", "meter__code", "date", "value", "event")
    )
    disclosures = sorted(
        repr((*row, {key: value for key, value in data.items() if key != "computed_at"}))
        for *row, data in Disclosure.objects.values_list(
            "agency__code", "year", "quarter", "version", "status", "data"
        )
    )
    return counts, figures, readings, disclosures


def in_savepoint(action):
    """Run ``action``, read the state, and roll it all back."""
    savepoint = transaction.savepoint()
    out = StringIO()
    action(out)
    seen = (state(), out.getvalue())
    transaction.savepoint_rollback(savepoint)
    return seen


def test_the_copy_holds_exactly_what_the_command_writes(settings):
    settings.DEMO_ALLOWED = True
    real = in_savepoint(lambda out: call_command("seed_demo", "--today", DAY, stdout=out))
    in_savepoint(lambda out: seed_demo("--today", DAY, stdout=out))  # makes the copy if there is none
    copied_before = demo_snapshot.calls["copied"]
    copied = in_savepoint(lambda out: seed_demo("--today", DAY, stdout=out))
    assert demo_snapshot.calls["copied"] == copied_before + 1
    assert copied[0][0] == real[0][0]  # every table's count
    assert copied == real
    assert real[0][0]["reporting_monthlyfigure"] > 0


def test_after_a_copy_new_rows_get_new_ids_and_a_second_run_adds_nothing(settings):
    settings.DEMO_ALLOWED = True
    in_savepoint(lambda out: seed_demo("--today", DAY, stdout=out))
    seed_demo("--today", DAY)  # copied: the copy exists now
    counts = state()[0]
    call_command("seed_demo", "--today", DAY, stdout=StringIO())  # the real command, on the copied rows
    # (a re-run saves the demo's rows again, so their history tables grow, as after a real first run)
    assert {t: n for t, n in state()[0].items() if "historical" not in t} == {
        t: n for t, n in counts.items() if "historical" not in t
    }
    AgencyFactory(code="NEW")  # the sequences were moved past the copied ids
    with connection.cursor() as cursor:  # and the foreign keys hold (checked now, not at commit)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_a_database_in_another_state_is_seeded_for_real(settings):
    settings.DEMO_ALLOWED = True
    in_savepoint(lambda out: seed_demo("--today", DAY, stdout=out))
    AgencyFactory(code="FIRST")  # something written before the demo
    before = dict(demo_snapshot.calls)
    in_savepoint(lambda out: seed_demo("--today", DAY, stdout=out))
    assert demo_snapshot.calls["seeded"] == before["seeded"] + 1
    assert demo_snapshot.calls["copied"] == before["copied"]


def test_a_call_the_command_would_refuse_runs_the_command(settings):
    settings.DEBUG = False
    settings.DEMO_ALLOWED = False
    with pytest.raises(Exception, match="demonstration sites only"):
        seed_demo("--today", DAY)


def test_a_copy_another_process_left_is_read_from_the_runs_file(settings, tmp_path, monkeypatch):
    """Under xdist a process that meets a demo another one seeded reads that one's file."""
    settings.DEMO_ALLOWED = True
    real = in_savepoint(lambda out: call_command("seed_demo", "--today", DAY, stdout=out))
    monkeypatch.setattr(demo_snapshot, "SHARED_DIR", tmp_path)
    monkeypatch.setattr(demo_snapshot, "_SNAPSHOTS", {})  # "the other process": nothing in memory
    in_savepoint(lambda out: seed_demo("--today", DAY, stdout=out))  # seeds, and leaves the file
    assert len(list(tmp_path.glob("*.lock"))) == 1 and len(list(tmp_path.iterdir())) == 2
    monkeypatch.setattr(demo_snapshot, "_SNAPSHOTS", {})  # "this process": nothing in memory either
    before = dict(demo_snapshot.calls)
    copied = in_savepoint(lambda out: seed_demo("--today", DAY, stdout=out))
    assert demo_snapshot.calls == {"seeded": before["seeded"], "copied": before["copied"] + 1}
    assert copied == real


@pytest.mark.django_db(transaction=True)
def test_after_a_flush_the_content_types_have_new_ids_and_the_demo_is_copied_all_the_same(settings):
    """A transactional test ends with a flush, after which post_migrate makes the content types and
    permissions again with new ids; the next transactional test's demo is a copy all the same."""
    from django.contrib.contenttypes.models import ContentType

    settings.DEMO_ALLOWED = True

    def flush():  # as pytest-django does at the end of a transactional test
        call_command("flush", verbosity=0, interactive=False, reset_sequences=False)

    flush()
    call_command("seed_demo", "--today", DAY, stdout=StringIO())
    real = state()
    flush()
    seed_demo("--today", DAY)  # makes the copy if there is none
    ids = set(ContentType.objects.values_list("id", flat=True))
    flush()
    assert ids.isdisjoint(ContentType.objects.values_list("id", flat=True))
    before = dict(demo_snapshot.calls)
    seed_demo("--today", DAY)
    assert demo_snapshot.calls == {"seeded": before["seeded"], "copied": before["copied"] + 1}
    assert state() == real

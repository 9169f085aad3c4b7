"""The Celery app as a worker subprocess of the fault tests runs it: tasks it sends go to Redis."""

from linyi_ecoagency.celery import app

app.conf.task_always_eager = False  # tests/settings.py runs tasks in-process; a worker must not

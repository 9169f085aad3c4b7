"""The Celery app as a worker subprocess of the fault tests runs it: tasks it sends go to Redis."""

from linyi_ecoagency.celery import app

app.conf.task_always_eager = False  # tests/settings.py runs tasks in-process; a worker must not
# Kombu looks for unacknowledged messages older than the visibility timeout every
# unacked_restore_interval × unacked_restore_throttle seconds (10 × 10 by default), so a message
# whose worker was killed came back only after ~100 s although the timeout is 5 s here. Looking
# every second makes the redelivery happen when the timeout says, not at the next sweep.
app.conf.broker_transport_options = {
    **app.conf.broker_transport_options,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}

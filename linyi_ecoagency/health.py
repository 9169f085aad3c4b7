"""What the operator's monitoring sees: the database-down page and the health endpoint.

Infrastructure only, no domain code: a request whose database went away answers 503 with a page
in Chinese (no traceback), and ``/healthz`` reports whether the database, the broker and the
Celery workers answer — as words, never as host names, addresses or error texts.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.defaults import server_error

from agencies.scoping import public_view

DATABASE_ERRORS = (OperationalError, InterfaceError)
WORKER_PING_TIMEOUT = 1.0  # seconds the endpoint waits for the workers' answer
RETRY_AFTER = "60"


def database_unavailable_page() -> HttpResponse:
    """The 503 page; rendered without any context processor, since they would need the database."""
    content = loader.get_template("503.html").render()
    response = HttpResponse(content, status=503)
    response["Retry-After"] = RETRY_AFTER
    return response


def server_error_or_unavailable(request, template_name: str = "500.html"):
    """``handler500``: a database that went away is a 503 saying so; anything else the 500 page.

    Django calls it while handling the exception (in a view or any middleware, including the
    session and login checks that read the database first), so ``sys.exc_info`` names it.
    """
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return database_unavailable_page()
    return server_error(request, template_name)


def check_database() -> bool:
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DATABASE_ERRORS:
        connection.close_if_unusable_or_obsolete()
        return False


def check_broker() -> str:
    """ "ok", "down", or "in-process" when no broker is configured (tasks run eagerly)."""
    from linyi_ecoagency.celery import app

    if not settings.CELERY_BROKER_URL:
        return "in-process"
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    except Exception:  # any failure to reach the broker is "down"
        return "down"
    return "ok"


def check_workers(broker: str) -> tuple[str, int]:
    """("ok", n) when n workers answered a ping within the timeout; ("down", 0) otherwise."""
    from linyi_ecoagency.celery import app

    if broker != "ok":
        return (broker if broker == "in-process" else "unknown"), 0
    try:
        answers = app.control.inspect(timeout=WORKER_PING_TIMEOUT).ping() or {}
    except Exception:
        answers = {}
    return ("ok" if answers else "down"), len(answers)


class HealthMiddleware:
    """Answers ``/healthz`` before the session, login and history middleware, which would read
    the database for a request that carries a session cookie: the probe must answer when it is down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTH_PATH:
            return healthz(request)
        return self.get_response(request)


HEALTH_PATH = "/healthz"


@public_view
@never_cache
def healthz(request):
    """Monitoring: 200 while the portal can serve and queue work, 503 when the database or the
    broker is down. Worker liveness is in the body ("worker": "down" means queued work waits)."""
    database = "ok" if check_database() else "down"
    broker = check_broker()
    worker, workers = check_workers(broker)
    healthy = database == "ok" and broker in ("ok", "in-process")
    body = {
        "status": "ok" if healthy else "down",
        "database": database,
        "broker": broker,
        "worker": worker,
        "workers": workers,
    }
    return JsonResponse(body, status=200 if healthy else 503)

"""Point 3 of issue 18: a database that is down gives a 503 page in Chinese; /healthz tells monitoring."""

import json

from django.urls import reverse

from .conftest import CLOSED_PORT, database_url, run_django

REQUEST = """
from django.test import Client
client = Client(raise_request_exception=False)
client.cookies["sessionid"] = "a-session-the-database-would-have-to-load"
page = client.get("/")
health = client.get("/healthz")
print(json.dumps({
    "page_status": page.status_code,
    "page": page.content.decode(),
    "retry_after": page.get("Retry-After"),
    "health_status": health.status_code,
    "health": health.content.decode(),
}))
"""


def test_a_signed_in_page_answers_503_in_chinese_when_the_database_is_down(postgres_only):
    seen = run_django(REQUEST, DATABASE_URL=database_url("linyi", port=CLOSED_PORT))

    assert seen["page_status"] == 503
    assert "数据库暂时无法连接" in seen["page"]
    assert "Traceback" not in seen["page"] and "OperationalError" not in seen["page"]
    assert seen["retry_after"] == "60"


def test_health_reports_the_database_down_without_naming_where_it_is(postgres_only):
    seen = run_django(REQUEST, DATABASE_URL=database_url("linyi", port=CLOSED_PORT))

    assert seen["health_status"] == 503
    health = json.loads(seen["health"])
    assert health["database"] == "down" and health["status"] == "down"
    assert "127.0.0.1" not in seen["health"] and "5432" not in seen["health"]
    assert set(health) == {"status", "database", "broker", "worker", "workers"}


def test_health_reports_the_broker_down_while_the_database_answers(postgres_only, transactional_db):
    seen = run_django(
        REQUEST, DATABASE_URL=database_url(), CELERY_BROKER_URL=f"redis://127.0.0.1:{CLOSED_PORT}/0"
    )

    health = json.loads(seen["health"])
    assert seen["health_status"] == 503
    assert health == {"status": "down", "database": "ok", "broker": "down", "worker": "unknown", "workers": 0}


def test_health_reports_database_broker_and_a_live_worker(postgres_only, real_worker, client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    health = response.json()
    assert health["database"] == "ok" and health["broker"] == "ok"
    assert health["worker"] == "ok" and health["workers"] >= 1
    assert response["Cache-Control"].startswith("max-age=0")


def test_health_needs_no_sign_in_and_shows_no_data(db, client, agency):
    response = client.get(reverse("healthz"))

    assert response.status_code < 500
    assert agency.name not in response.content.decode()

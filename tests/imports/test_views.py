"""The manager's pages: upload, preview, confirm, result, templates; and who may open them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from agencies.models import AgencyYear
from imports.models import ImportJob, ImportStatus

from .conftest import years_rows
from .files import csv_file, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    settings.IMPORT_STORAGE_DIR = tmp_path / "stored"


def _upload(client, path, *, kind="agency_years", dry_run=False):
    data = {"kind": kind, "file": SimpleUploadedFile(path.name, path.read_bytes())}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("imports:index"), data)


def test_a_manager_uploads_a_ledger_sees_the_preview_confirms_and_sees_the_result(
    agency, manager, login, tmp_path
):
    client = login(manager)
    path = xlsx(
        tmp_path / "机关基本情况.xlsx",
        years_rows([2021, 44, 1942.42, 1024], [2022, 43, "1,942.42", "1024"]),
        title="临沂市医疗保障局基本情况",
        merge_title_over=4,
    )
    response = _upload(client, path)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "imports:job_detail", args=[job.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "所有行均有效：新增 2 条，更新 0 条，未变 0 条。尚未写入任何数据。" in page
    assert "2021" in page and "建筑面积(㎡)" in page
    assert not AgencyYear.objects.filter(agency=agency, year=2021).exists()

    response = client.post(reverse("imports:job_confirm", args=[job.pk]))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "新增 2 条，更新 0 条，未变 0 条。" in page
    assert AgencyYear.objects.get(agency=agency, year=2022).headcount == 43
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.uploaded_by == manager and job.committed_by == manager


def test_a_broken_ledger_shows_every_error_with_row_column_and_reason_and_writes_nothing(
    agency, manager, login, tmp_path
):
    client = login(manager)
    path = csv_file(
        tmp_path / "years.csv",
        years_rows(
            ["2021", "四十", "1942.42", "1024"], ["2022", "43", "abc", "1024"], ["2023", "", "1", "1"]
        ),
    )
    response = _upload(client, path)
    page = client.get(response["Location"]).content.decode()
    assert "部分行有错误，未写入任何数据。" in page
    for row, column, reason in [
        ("2", "用能人数", "“四十”不是整数。"),
        ("3", "建筑面积(㎡)", "“abc”不是数字。"),
        ("4", "用能人数", "此项必填。"),
    ]:
        assert f"<td>{row}</td><td>{column}</td><td>{reason}</td>" in page
    assert "确认并写入" not in page
    assert not AgencyYear.objects.filter(agency=agency, year__gte=2021).exists()


def test_the_pages_speak_english_when_asked(agency, manager, login, tmp_path):
    client = login(manager)
    client.cookies["django_language"] = "en"
    path = csv_file(tmp_path / "years.csv", years_rows(["2021", "forty", "1942.42", "1024"]))
    response = _upload(client, path)
    page = client.get(response["Location"]).content.decode()
    assert "<td>2</td><td>用能人数</td><td>“forty” is not a whole number.</td>" in page
    assert "Some rows have errors; nothing was written." in page


def test_a_zip_bomb_upload_is_refused_with_a_clear_message(agency, manager, login, tmp_path):
    from .files import zip_bomb

    client = login(manager)
    response = _upload(client, zip_bomb(tmp_path / "bomb.xlsx", inflated_mb=420))
    page = client.get(response["Location"]).content.decode()
    assert "压缩炸弹" in page


def test_an_upload_above_the_size_limit_is_refused_on_the_form(agency, manager, login, settings, tmp_path):
    settings.IMPORT_MAX_UPLOAD_BYTES = 50
    response = _upload(
        login(manager), csv_file(tmp_path / "years.csv", years_rows(["2021", "44", "1942.42", "1024"]))
    )
    assert response.status_code == 400
    assert "超过上限" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_dry_run_shows_the_preview_without_a_confirm_button(agency, manager, login, tmp_path):
    client = login(manager)
    response = _upload(
        client, csv_file(tmp_path / "y.csv", years_rows(["2021", "44", "1942.42", "1024"])), dry_run=True
    )
    page = client.get(response["Location"]).content.decode()
    assert "试运行：已逐行校验，未写入任何数据。" in page
    assert "确认并写入" not in page


def test_another_agencys_job_is_not_found(agency, other_agency, manager, outsider, login, tmp_path):
    job = ImportJob.objects.create(agency=other_agency, kind="agency_years", original_filename="x.csv")
    client = login(manager)
    for name in ("imports:job_detail", "imports:job_progress", "imports:job_confirm"):
        response = (
            client.post(reverse(name, args=[job.pk]))
            if name.endswith("confirm")
            else client.get(reverse(name, args=[job.pk]))
        )
        assert response.status_code == 404, name


@pytest.mark.parametrize("persona", ["leader", "city_user"])
def test_only_managers_and_clerks_may_import(agency, request, login, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("imports:index")).status_code == 403
    assert client.get(reverse("imports:template") + "?kind=agency_years").status_code == 403


def test_a_clerk_is_offered_only_the_kinds_that_allow_clerks_and_cannot_post_another(
    agency, clerk, login, tmp_path
):
    client = login(clerk)
    page = client.get(reverse("imports:index"))
    offered = {value for value, _label in page.context["form"].fields["kind"].choices}
    assert "readings" in offered and "meters" not in offered and "agency_years" not in offered
    rows = [["年度", "用能人数", "建筑面积", "办公面积"], [2020, 45, 1942, 1024]]
    path = xlsx(tmp_path / "years.xlsx", rows)
    with path.open("rb") as handle:
        response = client.post(reverse("imports:index"), {"kind": "agency_years", "file": handle})
    assert response.status_code == 400
    assert not ImportJob.objects.exists()
    assert client.get(reverse("imports:template") + "?kind=meters").status_code == 404


def test_the_kinds_are_offered_ledger_by_ledger_with_what_each_depends_on_first(agency, manager, login):
    """Not by the code points of their Chinese names (公务用车 first, 计量表 last): the meters, their
    readings and bills together, each kind after the ones it needs, then each other ledger's."""
    offered = [value for value, _label in login(manager).get(reverse("imports:index")).context["form"]
               .fields["kind"].choices if value]  # fmt: skip
    position = {key: offered.index(key) for key in offered}
    assert position["meters"] < position["readings"] < position["bills"] < position["vehicles"]
    assert position["vehicles"] < position["fuel"] < position["trips"]
    assert position["items"] < position["purchases"] < position["requisitions"]
    for ledger in (["meters", "readings", "bills"], ["vehicles", "fuel", "trips"]):
        indexes = sorted(position[key] for key in ledger)
        assert indexes == list(range(indexes[0], indexes[0] + len(ledger)))  # together


def test_the_template_has_chinese_headers_and_examples_and_imports_back(agency, manager, login, tmp_path):
    client = login(manager)
    response = client.get(reverse("imports:template") + "?kind=agency_years")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert rows[0] == ["年度", "用能人数", "建筑面积", "办公面积"]
    assert rows[1] == [2019.0, 46.0, 1942.42, 1024.0]
    path = tmp_path / "template.xlsx"
    path.write_bytes(response.content)
    _upload(client, path)
    job = ImportJob.objects.get()
    # The examples are the seed bureau's own 2019 and 2020 facts (tests/conftest.py): unchanged.
    assert job.status == ImportStatus.VALIDATED and job.unchanged_count == 2


def test_an_unknown_template_kind_is_not_found(agency, manager, login):
    assert login(manager).get(reverse("imports:template") + "?kind=nothing").status_code == 404


def test_the_progress_partial_polls_while_pending_and_asks_for_a_reload_when_done(agency, manager, login):
    client = login(manager)
    job = ImportJob.objects.create(
        agency=agency,
        kind="agency_years",
        original_filename="big.csv",
        background=True,
        status=ImportStatus.VALIDATING,
        rows_total=10_000,
        rows_read=10_000,
        rows_validated=2_500,
    )
    response = client.get(reverse("imports:job_progress", args=[job.pk]))
    html = response.content.decode()
    assert 'hx-trigger="every 1s"' in html and 'value="25"' in html and "2500" in html
    assert "HX-Refresh" not in response
    detail = client.get(reverse("imports:job_detail", args=[job.pk])).content.decode()
    main = detail.split("<main", 1)[1].split("</main>", 1)[0]
    assert 'data-testid="import-progress"' in main
    assert "<script" not in main and "style=" not in main  # the CSP allows neither inline
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.VALIDATED)
    response = client.get(reverse("imports:job_progress", args=[job.pk]))
    assert response["HX-Refresh"] == "true"


def test_the_admin_uploads_through_the_same_services(agency, admin_client, tmp_path):
    path = csv_file(tmp_path / "years.csv", years_rows(["2021", "44", "1942.42", "1024"]))
    response = admin_client.post(
        reverse("admin:imports_importjob_upload"),
        {
            "agency": agency.pk,
            "kind": "agency_years",
            "file": SimpleUploadedFile(path.name, path.read_bytes()),
        },
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == ImportStatus.VALIDATED
    response = admin_client.post(
        reverse("admin:imports_importjob_changelist"),
        {"action": "confirm_jobs", "_selected_action": [job.pk]},
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert AgencyYear.objects.get(agency=agency, year=2021).headcount == 44
    assert admin_client.get(reverse("admin:imports_importjob_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:imports_importjob_change", args=[job.pk])).status_code == 200

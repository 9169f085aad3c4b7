"""Safe reading: what is refused before any parser runs, and what is read."""

import datetime as dt
import zipfile

import pytest
from django.test import override_settings
from django.utils import translation

from imports.reader import ImportFileError, read_workbook

from .files import csv_file, xls, xlsx, zip_bomb

HEADER = ["表号", "抄表日期", "读数(kWh)", "备注"]


def test_an_xlsx_is_read_with_cached_values_and_real_dates(tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [HEADER, ["M1", dt.date(2020, 3, 31), 12.5, '=HYPERLINK("http://x")']])
    (sheet,) = read_workbook(path)
    assert sheet.rows[0] == HEADER
    # A formula is never evaluated: without a cached value the cell is empty.
    assert sheet.rows[1] == ["M1", dt.date(2020, 3, 31), 12.5, ""]


def test_a_file_above_the_size_limit_is_refused_before_reading(tmp_path):
    path = csv_file(tmp_path / "big.csv", [HEADER] + [["M1", "2020-03-31", "1", "x" * 100]] * 200)
    with override_settings(IMPORT_MAX_UPLOAD_BYTES=10_000), pytest.raises(ImportFileError) as error:
        read_workbook(path)
    with translation.override("en"):
        assert "limit" in str(error.value.message)
    with translation.override("zh-hans"):
        assert "上限" in str(error.value.message)


def test_a_zip_bomb_is_refused_before_any_parser_runs(tmp_path):
    path = zip_bomb(tmp_path / "bomb.xlsx", inflated_mb=420)
    assert path.stat().st_size < 600 * 1024  # about 0.4 MB on disk
    assert sum(m.file_size for m in zipfile.ZipFile(path).infolist()) > 400 * 1024 * 1024
    with pytest.raises(ImportFileError) as error, translation.override("en"):
        read_workbook(path)
    with translation.override("en"):
        assert "zip bomb" in str(error.value.message)


def test_a_moderately_compressed_archive_above_the_inflated_cap_is_refused(tmp_path):
    path = zip_bomb(tmp_path / "bomb.xlsx", inflated_mb=30)
    with (
        override_settings(
            IMPORT_MAX_UNCOMPRESSED_BYTES=10 * 1024 * 1024,
            IMPORT_MAX_MEMBER_RATIO=10**6,
            IMPORT_MAX_TOTAL_RATIO=10**6,
        ),
        pytest.raises(ImportFileError),
    ):
        read_workbook(path)


def test_an_archive_with_too_many_members_is_refused(tmp_path):
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for n in range(30):
            archive.writestr(f"xl/media/{n}.bin", b"x")
    with override_settings(IMPORT_MAX_ZIP_MEMBERS=20), pytest.raises(ImportFileError):
        read_workbook(path)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200),
        ("report.csv", b"%PDF-1.7\n1 0 obj<<>>endobj\n"),
        ("page.xlsx", b"<html><body><table><tr><td>1</td></tr></table></body></html>"),
        ("archive.xlsx", None),
        ("empty.csv", b""),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused_whatever_its_extension(tmp_path, name, content):
    path = tmp_path / name
    if content is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("readme.txt", "hello")
    else:
        path.write_bytes(content)
    with pytest.raises(ImportFileError) as error:
        read_workbook(path)
    with translation.override("zh-hans"):
        assert str(error.value.message)


def test_an_ole_file_that_is_not_a_workbook_is_refused_clearly(tmp_path):
    path = tmp_path / "fake.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048)
    with pytest.raises(ImportFileError):
        read_workbook(path)


def test_a_renamed_xlsx_is_read_by_its_content_not_its_extension(tmp_path):
    path = xlsx(tmp_path / "ledger.csv", [HEADER, ["M1", dt.date(2020, 3, 31), 1, ""]])
    (sheet,) = read_workbook(path)
    assert sheet.rows[1][0] == "M1"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_and_in_gbk_is_read(tmp_path, encoding):
    path = csv_file(
        tmp_path / "a.csv", [HEADER, ["电表一", "2020年3月31日", "1,234", "东侧七楼"]], encoding=encoding
    )
    (sheet,) = read_workbook(path)
    assert sheet.rows == [HEADER, ["电表一", "2020年3月31日", "1,234", "东侧七楼"]]


def test_an_xls_workbook_is_read(tmp_path):
    path = xls(tmp_path / "old.xls", [HEADER, ["M1", dt.date(2020, 3, 31), 12.5, "东侧"]])
    (sheet,) = read_workbook(path)
    assert sheet.rows[0] == HEADER
    assert sheet.rows[1] == ["M1", dt.date(2020, 3, 31), 12.5, "东侧"]


def test_an_archive_that_lies_about_its_sizes_is_refused_as_damaged(tmp_path):
    """A member declaring 1 KB that really inflates to 30 MB: the streaming check stops at the
    declared size and the CRC gives the lie away, so calamine never sees it."""
    import struct

    path = tmp_path / "liar.xlsx"
    name = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr(name, b" " * (30 * 1024 * 1024))
    data = bytearray(path.read_bytes())
    # Rewrite the 4-byte uncompressed size in the member's local header and central directory entry.
    for signature, size_at, name_len_at, name_at in (
        (b"PK\x03\x04", 22, 26, 30),
        (b"PK\x01\x02", 24, 28, 46),
    ):
        start = 0
        while (start := data.find(signature, start)) != -1:
            name_len = struct.unpack_from("<H", data, start + name_len_at)[0]
            if bytes(data[start + name_at : start + name_at + name_len]) == name.encode():
                struct.pack_into("<I", data, start + size_at, 1024)
            start += 4
    path.write_bytes(bytes(data))
    assert {m.filename: m.file_size for m in zipfile.ZipFile(path).infolist()}[name] == 1024
    with pytest.raises(ImportFileError) as error:
        read_workbook(path)
    with translation.override("en"):
        assert "damaged" in error.value.message

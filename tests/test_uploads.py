"""Attachments are what their content says (#10.9): every upload field of every POST endpoint
refuses a program or a web page renamed .jpg or .pdf, stores a real photo or PDF under the
extension of what it is, whatever its name, and every stored file is served with its real type,
``X-Content-Type-Options: nosniff`` and a Content-Disposition.

The upload fields are found, not listed: the file inputs of each POST endpoint's page and the
file fields of the forms its POST sample binds (tests/writewalk.py).
"""

import io
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from PIL import Image

from ledger.models import Bill
from tests.ledger.factories import BillFactory, MeterFactory
from tests.urlwalk import routes, samples
from tests.writewalk import post_samples, probe, table_state

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("indicators_registered")]

ROUTES = {route.name: route for route in routes()}
URL_SAMPLES = samples()
POST_SAMPLES = post_samples()
# The import pipeline's upload is a spreadsheet, sniffed by its own reader (tests/imports/test_reader.py).
ENDPOINTS = sorted(name for name in POST_SAMPLES if name in ROUTES and not name.startswith("imports:"))

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 54 + b"This program cannot be run in DOS mode.\r\n"
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"/>'
HOSTILE = {
    "a program renamed .jpg": ("dial.jpg", EXE, "image/jpeg"),
    "a program renamed .pdf": ("invoice.pdf", EXE, "application/pdf"),
    "a web page renamed .jpg": ("photo.jpg", HTML, "image/jpeg"),
    "a web page renamed .pdf": ("scan.pdf", HTML, "application/pdf"),
    "an SVG with a script renamed .png": ("slip.png", SVG, "image/png"),
}
REFUSAL = "文件内容不是照片（JPEG、PNG、WebP 或 GIF）或 PDF"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
GENUINE = {
    "a photo named .html": ("evil.html", _png(), "text/html", "png"),
    "a PDF named .jpg": ("scan.jpg", PDF, "image/jpeg", "pdf"),
}
# A reading's voucher is a photo of its dial (#12.7): there a PDF is refused like any non-photo.
PHOTOS_ONLY = {"ledger:round", "ledger:reading_add", "ledger:reading_edit"}


@pytest.fixture
def indicators_registered():
    from tests.reporting.helpers import fake_indicators

    with fake_indicators():
        yield


@pytest.fixture
def ctx(agency, department, manager, clerk):
    return SimpleNamespace(agency=agency, department=department, manager=manager, clerk=clerk)


def _client(route, login, manager, clerk):
    return login(manager if "manager" in (route.roles or ()) else clerk)


def _url(route, ctx, sample) -> str:
    if not route.has_args:
        return reverse(route.name)
    return reverse(route.name, kwargs=((sample.url or URL_SAMPLES[route.name])(ctx)))


_INPUT = re.compile(r"<input\b[^>]*>")
_NAME = re.compile(r'\bname="([^"]+)"')


def _upload_fields(client, url, data) -> set[str]:
    """The file inputs of the endpoint's page and the file fields of the forms a POST binds."""
    names = set()
    page = client.get(url)
    if page.status_code == 200 and page["Content-Type"].startswith("text/html"):
        for tag in _INPUT.findall(page.content.decode()):
            if 'type="file"' in tag and (name := _NAME.search(tag)):
                names.add(name.group(1))
    from django import forms

    for form in probe(client, url, data, changes=False).forms:  # only the forms it binds
        names |= {form.add_prefix(n) for n, f in form.fields.items() if isinstance(f, forms.FileField)}
    return names


def _stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


class _Undo(Exception):
    pass


def _check_endpoint(name, client, url, data) -> bool:
    """False when the endpoint takes no file; otherwise every upload field is checked."""
    fields = _upload_fields(client, url, data)
    plain = {key: value for key, value in data.items() if key not in fields}
    state = table_state() if fields else None  # every probe is rolled back: the state before each
    for field in sorted(fields):
        for label, (filename, content, content_type) in HOSTILE.items():
            upload = SimpleUploadedFile(filename, content, content_type)
            result = probe(client, url, {**plain, field: upload}, before=state)
            # refused: a form error (200) or a message and a redirect, and nothing written
            assert result.status < 400 and not result.changed, (
                f"{name} {field}: {label} was not refused ({result.status}, changed {result.changed})"
            )
        for label, (filename, content, content_type, extension) in GENUINE.items():
            if name in PHOTOS_ONLY and extension == "pdf":
                upload = SimpleUploadedFile(filename, content, content_type)
                result = probe(client, url, {**plain, field: upload}, before=state)
                assert result.status < 400 and not result.changed, f"{name} {field}: a PDF as a dial photo"
                continue
            before = _stored_files()
            upload = SimpleUploadedFile(filename, content, content_type)
            result = probe(client, url, {**plain, field: upload}, before=state)
            assert result.status == 302 and result.changed, f"{name} {field}: {label} was refused"
            stored = _stored_files() - before
            assert stored and all(path.suffix == f".{extension}" for path in stored), (label, stored)
            assert all(path.read_bytes() == content for path in stored)
    assert state is None or table_state() == state
    return bool(fields)


def test_every_upload_field_refuses_what_is_not_a_photo_or_a_pdf_and_stores_the_real_type(
    ctx, login, manager, clerk
):
    """One test over every POST endpoint (each in a transaction that is undone): an endpoint that
    takes no file is passed over, and the walk must find at least the upload fields known today."""
    checked = []
    for name in ENDPOINTS:
        route, sample = ROUTES[name], POST_SAMPLES[name]
        client = _client(route, login, manager, clerk)
        try:
            with transaction.atomic():
                if _check_endpoint(name, client, _url(route, ctx, sample), sample.data(ctx)):
                    checked.append(name)
                raise _Undo
        except _Undo:
            pass
    known = {
        "ledger:bill_create",
        "ledger:round",
        "ledger:consumables_purchase_create",
        "waste:collection_create",
    }
    assert known <= set(checked), checked


def test_the_refusal_says_why_in_chinese(ctx, login, manager):
    meter = MeterFactory(agency=ctx.agency, department=ctx.department)
    data = {
        "meter": meter.pk,
        "period_start": "2020-01-01",
        "period_end": "2020-01-31",
        "quantity": "100",
        "amount": "80",
        "voucher": SimpleUploadedFile("invoice.pdf", HTML, content_type="application/pdf"),
    }
    response = login(manager).post(reverse("ledger:bill_create"), data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and not Bill.objects.exists()
    assert REFUSAL in response.content.decode()


def _serving_routes():
    """Routes whose view serves a stored attachment: their URL samples store one."""
    return sorted(name for name in URL_SAMPLES if name in ROUTES and not ROUTES[name].is_public)


def test_every_stored_file_is_served_with_its_real_type_nosniff_and_a_disposition(ctx, login, manager):
    client = login(manager)
    served = []
    for name in _serving_routes():
        sid = transaction.savepoint()  # each sample's objects are its own
        try:
            response = client.get(reverse(name, kwargs=URL_SAMPLES[name](ctx)))
        finally:
            transaction.savepoint_rollback(sid)
        if getattr(response, "streaming", False) and response.status_code == 200:
            served.append(name)
            content = b"".join(response.streaming_content)
            assert response["X-Content-Type-Options"] == "nosniff", name
            assert response["Content-Disposition"].startswith("attachment"), name
            real = "image/png" if content.startswith(b"\x89PNG") else "application/pdf"
            assert response["Content-Type"] == real, (name, response["Content-Type"])
    assert {"ledger:voucher", "ledger:consumables_voucher", "waste:collection_photo"} <= set(served)


@pytest.mark.parametrize(
    ("stored_as", "content", "served_type", "served_name"),
    [
        ("legacy.html", _png(), "image/png", "legacy.html"),
        ("legacy.jpg", HTML, "application/octet-stream", "legacy.bin"),
        ("legacy.png", PDF, "application/pdf", "legacy.png"),
    ],
    ids=["a photo named .html", "a web page named .jpg", "a PDF named .png"],
)
def test_a_file_stored_under_a_lying_name_is_served_as_what_it_is(
    ctx, login, manager, stored_as, content, served_type, served_name
):
    bill = BillFactory(meter=MeterFactory(agency=ctx.agency, department=ctx.department))
    name = default_storage.save(f"vouchers/bill/{stored_as}", ContentFile(content))
    Bill.objects.filter(pk=bill.pk).update(voucher=name)  # as a file stored before the check was
    response = login(manager).get(reverse("ledger:voucher", args=["bill", bill.pk]))
    assert response["Content-Type"] == served_type
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment") and Path(name).stem.split("_")[0] in disposition
    assert disposition.endswith(Path(served_name).suffix + '"'), disposition


def test_every_stored_file_of_every_model_is_an_attachment_checked_by_its_content():
    """Forms check uploads, but the admin and the shell save models directly: each file field is
    an AttachmentField, so whatever route brings a file, its content is checked and its stored
    name takes the extension of what it is."""
    from django.apps import apps
    from django.db import models

    from ledger.uploads import AttachmentField

    plain = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if not model._meta.label.startswith("django") and "Historical" not in model.__name__
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField) and not isinstance(field, AttachmentField)
    ]
    assert plain == []


def test_a_file_saved_through_the_admins_route_gets_the_extension_of_its_content(agency, manager):
    """The model path the admin takes (full_clean, then save) for a waste collection's photo."""
    from django.core.exceptions import ValidationError

    from waste.models import WasteCollection

    collection = WasteCollection(
        agency=agency,
        date="2020-03-10",
        category="other",
        weight="1.00",
        company="清运公司",
        created_by=manager,
    )
    collection.photo = SimpleUploadedFile("slip.html", _png(), "text/html")
    collection.save()
    assert collection.photo.name.endswith(".png")
    collection.photo = SimpleUploadedFile("slip.jpg", EXE, "image/jpeg")
    with pytest.raises(ValidationError):
        collection.full_clean()

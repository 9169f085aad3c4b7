"""Photos and files attached to waste records, events and spot checks: checked like vouchers.

A file is accepted when its *content* is an image (JPEG, PNG, WebP, GIF — the voucher check)
or a PDF, and it is no larger than VOUCHER_MAX_UPLOAD_BYTES. It is stored under a random name
with the extension of what it really is, and served with that type, whatever its name said.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

from ledger.services import voucher_validate

PDF_MAGIC = b"%PDF-"
IMAGE_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}


def upload_check(upload) -> str:
    """The real extension of an accepted upload ("jpg", "png", "pdf" …); ValidationError otherwise."""
    limit = settings.VOUCHER_MAX_UPLOAD_BYTES
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head == PDF_MAGIC:
        if upload.size > limit:
            raise ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": round(limit / 1024 / 1024, 1)},
                code="file_too_large",
            )
        return "pdf"
    try:
        voucher_validate(upload)
    except ValidationError as error:
        if error.code == "voucher_not_image":
            raise ValidationError(_("The file is neither an image nor a PDF."), code="file_type") from None
        raise
    try:
        with Image.open(upload) as image:
            extension = IMAGE_EXTENSIONS.get(image.format or "")
    finally:
        upload.seek(0)
    if extension is None:
        raise ValidationError(_("The file is neither an image nor a PDF."), code="file_type")
    return extension


def upload_prepare(upload):
    """Check ``upload`` and rename it after its real type; None stays None."""
    if upload is None:
        return None
    upload.name = f"upload.{upload_check(upload)}"
    return upload


def stored_type(handle) -> str:
    """The type a stored file really is, read from its content: a PDF, an image, or opaque bytes."""
    head = handle.read(len(PDF_MAGIC))
    handle.seek(0)
    if head == PDF_MAGIC:
        return "application/pdf"
    try:
        with Image.open(handle) as image:
            return IMAGE_TYPES.get(image.format or "", "application/octet-stream")
    except Exception:
        return "application/octet-stream"
    finally:
        handle.seek(0)


def upload_response(field_file):
    """Serve a stored attachment as a download with the type its content says (404 when empty),
    whatever name or route brought it in (the form, the admin, an import)."""
    from django.http import FileResponse, Http404

    if not field_file:
        raise Http404
    handle = field_file.open("rb")
    filename = field_file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=stored_type(handle))

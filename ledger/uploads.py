"""Files people attach — vouchers, waste slips, spot-check and event photos: what a file is comes
from its content, never from its name or the type the browser sent.

A file is accepted when its content is an image Pillow can open and verify (JPEG, PNG, WebP,
GIF) or a PDF (it starts with ``%PDF-``), and it is no larger than VOUCHER_MAX_UPLOAD_BYTES;
anything else — a program or a web page renamed ``.jpg`` or ``.pdf`` — is refused with one
message. An accepted file is stored under a random name with the extension of what it is
(``upload_prepare``; ``AttachmentField`` does it again on save, whatever route brought the file
in), and served with the type read from its content, ``X-Content-Type-Options: nosniff`` and a
Content-Disposition that makes the browser download it (``upload_response``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from PIL import Image

PDF_MAGIC = b"%PDF-"
PDF_TYPE = "application/pdf"
OPAQUE_TYPE = "application/octet-stream"
IMAGE_FORMATS = {  # Pillow's format → (extension, content type)
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
    "GIF": ("gif", "image/gif"),
}


def _refused() -> ValidationError:
    return ValidationError(
        _("The file is not a photo (JPEG, PNG, WebP or GIF) or a PDF, whatever its name says."),
        code="file_type",
    )


def _image_format(handle) -> str | None:
    """Pillow's name for the image ``handle`` holds if it opens and verifies, else None."""
    try:
        handle.seek(0)
        with Image.open(handle) as image:
            image.verify()
            return image.format
    except Exception:
        return None
    finally:
        handle.seek(0)


def upload_check(upload) -> str:
    """The real extension of an acceptable upload ("jpg", "png", "pdf" …); ValidationError otherwise."""
    limit = settings.VOUCHER_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(mb)s MB.") % {"mb": round(limit / 1024 / 1024, 1)},
            code="file_too_large",
        )
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head == PDF_MAGIC:
        return "pdf"
    found = IMAGE_FORMATS.get(_image_format(upload) or "")
    if found is None:
        raise _refused()
    return found[0]


def upload_prepare(upload):
    """Check ``upload`` and name it after what it really is; None stays None."""
    if upload is None:
        return None
    upload.name = f"upload.{upload_check(upload)}"
    return upload


def _validate_new_file(value) -> None:
    """A model field validator: a file not yet stored is checked (a stored one was when it came)."""
    if value and not getattr(value, "_committed", True):
        upload_check(value.file)


class AttachmentField(models.FileField):
    """A photo or a PDF: its content is checked when a form or ``full_clean`` validates it, and
    its stored name takes the extension of what it is when it is saved, whatever route brought it
    (a form, the admin, an import, the shell)."""

    default_validators = [_validate_new_file]

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            file.name = f"upload.{upload_check(file.file)}"
        return super().pre_save(model_instance, add)


def stored_type(handle) -> str:
    """The type a stored file really is, read from its content: a PDF, an image, or opaque bytes."""
    handle.seek(0)
    head = handle.read(len(PDF_MAGIC))
    handle.seek(0)
    if head == PDF_MAGIC:
        return PDF_TYPE
    found = IMAGE_FORMATS.get(_image_format(handle) or "")
    return found[1] if found else OPAQUE_TYPE


def upload_response(field_file):
    """Serve a stored attachment as a download with the type its content says (404 when empty),
    whatever name it was stored under (files kept from before this check included)."""
    from django.http import FileResponse, Http404

    if not field_file:
        raise Http404
    handle = field_file.open("rb")
    filename = field_file.name.rsplit("/", 1)[-1]
    content_type = stored_type(handle)
    if content_type == OPAQUE_TYPE:
        filename = filename.rsplit(".", 1)[0] + ".bin"  # never a name a browser would run or render
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response

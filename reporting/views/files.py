"""What the pages of reporting share: the roles that read, a file response, the ?year= parameter."""

from django.http import HttpResponse

from agencies import params
from agencies.models import Role

READERS = (Role.MANAGER, Role.LEADER, Role.CITY)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def year_param(request, default: int) -> int:
    """``?year=`` if it is a year of the portal's calendar, else ``default``."""
    return params.year_param(request.GET.get("year"), default)


def file_response(content: bytes, content_type: str, filename: str, *, inline=False) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{filename}"
    return response

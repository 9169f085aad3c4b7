"""The public notices: every agency's published disclosures, for anyone (HTML and PDF)."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from agencies.scoping import public_view

from ..disclosures import queries
from ..disclosures.services import disclosure_notice_pdf
from ..disclosures.snapshot import notice_items
from ..models import Disclosure, DisclosureStatus
from .files import PDF, file_response


@public_view
def public_notices(request):
    return render(request, "reporting/public_notices.html", {"notices": queries.published_notices()})


def _published(pk) -> Disclosure:
    disclosure = (
        Disclosure.objects.select_related("agency").filter(pk=pk, status=DisclosureStatus.PUBLISHED).first()
    )
    if disclosure is None:
        raise Http404(_("No published notice has this number."))
    return disclosure


@public_view
def public_notice(request, pk):
    disclosure = _published(pk)
    context = queries.disclosure_page(disclosure=disclosure)
    context["items"] = notice_items(disclosure.data)  # the notice leaves out indicators with no data
    return render(request, "reporting/public_notice.html", context)


@public_view
def public_notice_pdf(request, pk):
    disclosure = _published(pk)
    name = f"{disclosure.agency.code}-{disclosure.period}-v{disclosure.version}.pdf"
    return file_response(disclosure_notice_pdf(disclosure=disclosure), PDF, name, inline=True)

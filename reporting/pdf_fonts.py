"""The CJK TrueType font every PDF of the portal embeds (reportlab), registered once per process.

``settings.NOTICE_FONT_PATH`` names a TrueType font or collection (Debian: fonts-wqy-zenhei,
fonts-arphic-uming, installed by scripts/setup.sh). reportlab cannot embed CFF/OpenType-CFF fonts
(Noto Sans CJK), and its built-in ``STSong-Light`` is not embedded (viewers substitute a font and
text extraction may fail), so it is only a last resort, with a warning in the log.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from django.conf import settings
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

logger = logging.getLogger(__name__)

CJK_FONT = "PortalCJK"
FALLBACK_FONT = "STSong-Light"


@cache
def cjk_font_name() -> str:
    """Register the configured CJK font (first face of a .ttc) and return its reportlab name."""
    path = Path(getattr(settings, "NOTICE_FONT_PATH", "") or "")
    if path.is_file():
        try:
            pdfmetrics.registerFont(TTFont(CJK_FONT, str(path), subfontIndex=0))
            return CJK_FONT
        except TTFError as error:
            logger.warning("Cannot embed the CJK font %s (%s); using %s.", path, error, FALLBACK_FONT)
    else:
        logger.warning("No CJK font at NOTICE_FONT_PATH=%s; using %s (not embedded).", path, FALLBACK_FONT)
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FALLBACK_FONT

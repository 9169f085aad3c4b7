"""The TrueType faces the portal's PDFs draw with, one per GB/T 9704-2012 role, all embedded.

GB/T 9704-2012 sets the title in a Song face (2号小标宋体), the body in FangSong (3号仿宋体),
level-1 headings in Hei (黑体) and level-2 headings in Kai (楷体); page numbers in a Song face.
``settings.NOTICE_FONTS`` names a TrueType file per role. The defaults are free faces that
cover GB 2312 (Debian packages installed by ``scripts/setup.sh``):

* title, page numbers — AR PL SungtiL GB (``fonts-arphic-gbsn00lp``), a Song face;
* body and tables — AR PL KaitiM GB (``fonts-arphic-gkai00mp``), the stand-in for FangSong;
* level-1 headings, table headers — WenQuanYi Zen Hei (``fonts-wqy-zenhei``);
* level-2 headings — AR PL KaitiM GB;
* fallback — DejaVu Sans (``fonts-dejavu-core``) for the few characters a GB 2312 face lacks
  (U+2212 MINUS SIGN above all), so no character is ever drawn as a missing glyph.

An office points each role at its own licensed files (simfang.ttf, simhei.ttf, simkai.ttf,
a 小标宋 .ttf) with ``NOTICE_FONT_TITLE`` … ``NOTICE_FONT_FALLBACK``; a .ttc takes its face
index after ``#`` (``simsun.ttc#0``). reportlab embeds every TrueType face as a subset, so a
PDF carries the fonts it uses and the text stays extractable.
"""

from __future__ import annotations

import threading
import zlib
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

ROLES = ("title", "body", "heading1", "heading2", "fallback")
# Which Debian package gives the default face of a role (for the error message).
PACKAGES = {
    "title": "fonts-arphic-gbsn00lp",
    "body": "fonts-arphic-gkai00mp",
    "heading1": "fonts-wqy-zenhei",
    "heading2": "fonts-arphic-gkai00mp",
    "fallback": "fonts-dejavu-core",
}

_lock = threading.Lock()
_registered: dict[str, str] = {}  # role → the file it was registered from
_names: dict[str, str] = {}  # role → the name reportlab knows its face by
_seen: dict[str, str] = {}  # the NOTICE_FONTS setting the faces were last registered for


def _name(role: str, spec: str) -> str:
    """A reportlab font name per role and file: reportlab never replaces a registered name, so a
    role pointed at another file (settings changed) gets a name of its own."""
    return f"Notice-{role}-{zlib.crc32(str(spec).encode()):08x}"


class NoticeFontMissing(ImproperlyConfigured):
    pass


def _open(path_spec: str, name: str) -> TTFont:
    path, _, index = str(path_spec).partition("#")
    kwargs = {}
    if Path(path).suffix.lower() == ".ttc":
        kwargs["subfontIndex"] = int(index or 0)
    return TTFont(name, path, **kwargs)


def register_fonts() -> dict[str, str]:
    """Register every role's face once per process (again when the settings point elsewhere);
    a clear error naming the setting and the Debian package when a file is not there."""
    configured = settings.NOTICE_FONTS
    if _seen == configured:  # the usual call: the faces are registered (a drawing asks thousands of times)
        return _names
    wanted = {role: configured[role] for role in ROLES}
    with _lock:
        for role, spec in wanted.items():
            if _registered.get(role) == spec:
                continue
            path = Path(str(spec).partition("#")[0])
            if not path.is_file():
                setting = f"NOTICE_FONT_{role.upper()}"
                raise NoticeFontMissing(
                    f"公示 PDF 需要 TrueType 字体文件，但 {setting}={path} 不存在。"
                    f"请安装 Debian 软件包 {PACKAGES[role]}（scripts/setup.sh 会安装），"
                    f"或把 {setting} 设为本单位的 .ttf/.ttc 字体文件。"
                    f" (The notice PDF needs a TrueType font: {setting}={path} does not exist; "
                    f"install the Debian package {PACKAGES[role]} or point {setting} at a .ttf/.ttc.)"
                )
            name = _name(role, spec)
            pdfmetrics.registerFont(_open(spec, name))
            _registered[role], _names[role] = spec, name
        _seen.clear()
        _seen.update(configured)
    return _names


def font(role: str) -> str:
    """The registered name of a role's face (registering the faces first)."""
    return register_fonts()[role]


@lru_cache(maxsize=16)
def _covered(name: str) -> frozenset[int]:
    return frozenset(pdfmetrics.getFont(name).face.charToGlyph)


def covers(name: str, char: str) -> bool:
    """Whether the registered face ``name`` has a glyph for ``char`` (its cmap maps it)."""
    return ord(char) in _covered(name)


def runs(text: str, name: str) -> list[tuple[str, str]]:
    """``text`` as (face, part) runs: each character in ``name`` where that face has it, in the
    fallback face otherwise (and in ``name`` still when neither has it: never dropped)."""
    return _runs(text, name, font("fallback"))


def _runs(text: str, name: str, fallback: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for char in text:
        face = name if covers(name, char) or not covers(fallback, char) else fallback
        if out and out[-1][0] == face:
            out[-1] = (face, out[-1][1] + char)
        else:
            out.append((face, char))
    return out


def width(text: str, name: str, size: float) -> float:
    """The width of ``text`` in points, each character measured in the face that draws it."""
    return _width(text, name, size, font("fallback"))


@lru_cache(maxsize=32768)
def _width(text: str, name: str, size: float, fallback: str) -> float:
    # The line breaker measures the same words and characters over and over (a notice asks for
    # about 6,000 widths); a face's name stands for its file, so the width of a text in it is fixed.
    return sum(pdfmetrics.stringWidth(part, face, size) for face, part in _runs(text, name, fallback))


def draw_string(canvas, x: float, y: float, text: str, name: str, size: float) -> None:
    """``canvas.drawString`` with the fallback face for the characters ``name`` lacks."""
    for face, part in runs(text, name):
        canvas.setFont(face, size)
        canvas.drawString(x, y, part)
        x += pdfmetrics.stringWidth(part, face, size)


def markup(text: str, name: str) -> str:
    """``text`` escaped for a reportlab ``Paragraph`` in ``name``, the characters that face lacks
    wrapped in ``<font>`` tags of the fallback face."""
    return "".join(
        escape(part) if face == name else f'<font name="{face}">{escape(part)}</font>'
        for face, part in runs(str(text), name)
    )

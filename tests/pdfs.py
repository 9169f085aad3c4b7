"""Reading a rendered PDF back: its fonts (as poppler's pdffonts lists them), the text each font
draws, and the characters a font draws without having a glyph for them."""

from __future__ import annotations

import subprocess
import tempfile
from collections import defaultdict
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics


def pdffonts(pdf: bytes) -> list[dict[str, str]]:
    """``pdffonts`` (poppler-utils) rows: name, type, embedded ("yes"/"no")."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name, type (one or two words), encoding, emb, sub, uni, object, generation
        emb = parts[-5]
        rows.append({"name": parts[0], "type": " ".join(parts[1:-6]), "embedded": emb})
    return rows


def assert_every_font_embedded(pdf: bytes) -> list[dict[str, str]]:
    fonts = pdffonts(pdf)
    assert fonts, "the PDF names no font"
    not_embedded = [f["name"] for f in fonts if f["embedded"] != "yes"]
    assert not not_embedded, f"fonts not embedded: {not_embedded}"
    return fonts


def text_by_font(pdf: bytes) -> dict[str, str]:
    """The text each font draws, by its PDF BaseFont without the subset tag (AAAAAA+)."""
    drawn: dict[str, list[str]] = defaultdict(list)

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip() and font_dict:
            drawn[str(font_dict["/BaseFont"]).lstrip("/").split("+")[-1]].append(text)

    for page in PdfReader(BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return {name: "".join(parts) for name, parts in drawn.items()}


def registered_faces() -> dict[str, object]:
    """The TrueType faces registered with reportlab, by their PostScript name (the BaseFont)."""
    faces = {}
    for name in pdfmetrics.getRegisteredFontNames():
        face = getattr(pdfmetrics.getFont(name), "face", None)
        if face is not None and hasattr(face, "charToGlyph"):
            ps_name = face.name.decode() if isinstance(face.name, bytes) else str(face.name)
            faces[ps_name] = face
    return faces


def missing_glyphs(pdf: bytes) -> dict[str, set[str]]:
    """Characters a font draws that its TrueType cmap does not map (drawn as .notdef boxes)."""
    faces = registered_faces()
    missing: dict[str, set[str]] = {}
    for font, text in text_by_font(pdf).items():
        if font not in faces and font.rsplit("-", 1)[-1].isdigit():
            font = font.rsplit("-", 1)[0]  # a face of a .ttc is named after its index: WenQuanYiZenHei-0
        assert font in faces, f"{font} draws text but is not a registered TrueType face: {sorted(faces)}"
        lacking = {c for c in text if not c.isspace() and ord(c) not in faces[font].charToGlyph}
        if lacking:
            missing[font] = lacking
    return missing

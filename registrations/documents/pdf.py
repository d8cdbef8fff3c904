"""The PDF foundation every document of the app is built on (letters, badges, table cards, lists).

- One font for Latin, Chinese and Korean, read from a local file (settings.PDF_FONT_FILE: Noto Sans CJK
  from Debian's fonts-noto-cjk) and embedded as a subset of the glyphs used: nothing is fetched from
  another host, and a PDF with a page of names stays in the tens of kilobytes.
- ``PdfDocument``: an A4 fpdf2 document with that font in regular and bold, and vector QR codes.
- ``table_pdf``: a titled table of rows (header repeated on every page, page numbers), for lists.
- ``pdf_split`` and ``zip_bytes``: one file per person out of a batch rendered once (the font is
  parsed once per batch, not once per person).
"""

import io
import zipfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from fontTools.ttLib import TTCollection
from fpdf import FPDF
from fpdf.fonts import FontFace
from pypdf import PdfReader, PdfWriter

from registrations.core import qr

FONT = "body"  # the family name of the embedded font inside every document
PREFERRED_FACE = "CJK SC"  # the face of a collection (.ttc) with Simplified Chinese glyph forms; all carry Hangul and Latin
INK, GREY, RULE = (20, 20, 20), (90, 90, 90), (180, 180, 180)


class PdfFontMissing(ImproperlyConfigured):
    """The font file is not there: PDFs cannot be made (the message says what to install)."""


def font_files() -> tuple[str, str]:
    """The regular and bold font files; the bold falls back to the regular one when it is missing."""
    regular = settings.PDF_FONT_FILE
    if not Path(regular).is_file():
        raise PdfFontMissing(
            f"PDF font not found: {regular}. Install Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk) "
            "or set PDF_FONT_FILE to a font with Latin, Chinese and Korean glyphs."
        )
    bold = settings.PDF_FONT_BOLD_FILE
    return regular, bold if bold and Path(bold).is_file() else regular


@lru_cache
def face_number(path: str) -> int:
    """Which face of a font collection to use (0 for a single font file)."""
    if not path.lower().endswith((".ttc", ".otc")):
        return 0
    for number, font in enumerate(TTCollection(path, lazy=True).fonts):
        if PREFERRED_FACE in (font["name"].getDebugName(4) or ""):
            return number
    return 0


class PdfDocument(FPDF):
    """An A4 document (millimetres) with the embedded font as FONT, regular ("") and bold ("B")."""

    def __init__(self, *, title: str, orientation: str = "portrait", footer: str = ""):
        super().__init__(orientation=orientation, unit="mm", format="A4")
        regular, bold = font_files()
        self.add_font(FONT, "", regular, collection_font_number=face_number(regular))
        self.add_font(FONT, "B", bold, collection_font_number=face_number(bold))
        self.set_font(FONT, size=10)
        self.set_text_color(*INK)
        self.set_title(title)
        self.set_creator(settings.SITE_URL)
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=16)
        self.footer_text = footer

    def footer(self) -> None:
        if not self.footer_text:
            return
        self.set_y(-11)
        self.set_font(FONT, size=7.5)
        self.set_text_color(*GREY)
        page = _("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}
        self.cell(0, 4, f"{self.footer_text} · {page}", align="C")
        self.set_text_color(*INK)

    def fitted_size(self, text: str, *, width: float, size: float, smallest: float, style: str = "") -> float:
        """The largest font size up to ``size`` at which ``text`` fits ``width`` mm (never below ``smallest``)."""
        self.set_font(FONT, style, size)
        while size > smallest and self.get_string_width(text) > width:
            size -= 0.5
            self.set_font(FONT, style, size)
        return size

    def fitted_text(self, text: str, *, width: float) -> str:
        """``text`` cut (with "…") to fit ``width`` mm in the current font, when even the smallest size is too wide."""
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "…") > width:
            text = text[:-1]
        return text.rstrip() + "…"

    def qr_code(self, text: str, *, x: float, y: float, size: float) -> None:
        """``text`` as a QR code of ``size`` mm (quiet zone included) at x, y: black squares, sharp in print."""
        matrix = qr.matrix(text)
        module = size / len(matrix)
        self.set_fill_color(255, 255, 255)
        self.rect(x, y, size, size, style="F")
        self.set_fill_color(0, 0, 0)
        for row, line in enumerate(matrix):
            column = 0
            while column < len(line):
                if not line[column]:
                    column += 1
                    continue
                start = column
                while column < len(line) and line[column]:
                    column += 1
                # A hair taller than a module, so no seam shows between rows when printed or zoomed.
                self.rect(x + start * module, y + row * module, (column - start) * module, module * 1.02, style="F")

    def bytes(self) -> bytes:
        return bytes(self.output())


def table_pdf(
    *,
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    subtitle: str = "",
    orientation: str = "landscape",
    widths: Sequence[float] | None = None,
) -> bytes:
    """A titled table of rows on A4 (the header repeated on every page, page numbers at the foot)."""
    document = PdfDocument(title=title, orientation=orientation, footer=title)
    document.add_page()
    document.set_font(FONT, "B", 14)
    document.multi_cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    if subtitle:
        document.set_font(FONT, size=9)
        document.set_text_color(*GREY)
        document.multi_cell(0, 5, subtitle, new_x="LMARGIN", new_y="NEXT")
        document.set_text_color(*INK)
    document.ln(3)
    document.set_font(FONT, size=8.5)
    heading = FontFace(emphasis="BOLD", fill_color=(232, 236, 241))
    with document.table(
        col_widths=widths, headings_style=heading, line_height=5, repeat_headings=1, text_align="LEFT", borders_layout="SINGLE_TOP_LINE"
    ) as table:
        table.row([str(label) for label in header])
        for values in rows:
            table.row(["" if value is None else str(value) for value in values])
    return document.bytes()


def pdf_split(content: bytes, page_ranges: Sequence[range]) -> list[bytes]:
    """One PDF per range of pages of ``content`` (each keeps the embedded font subset of the batch)."""
    reader = PdfReader(io.BytesIO(content))
    parts = []
    for pages in page_ranges:
        writer = PdfWriter()
        for number in pages:
            writer.add_page(reader.pages[number])
        info = reader.metadata or {}
        writer.add_metadata({key: info[key] for key in ("/Title", "/Creator") if key in info})
        buffer = io.BytesIO()
        writer.write(buffer)
        parts.append(buffer.getvalue())
    return parts


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A ZIP archive of name -> content (PDFs are compressed already: stored, not deflated again)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()

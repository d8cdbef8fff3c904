"""Name badges (A4 sheets of 90 × 55 mm badges with crop marks) and table cards (one folded A4 each).

Each shows the name as the delegate wrote it and in Latin letters (Korean hosts read Latin script),
company, title, field and the delegate's check-in QR code (the same URL as their own check-in QR),
so staff can scan a badge at the door. Which Latin name is printed is the services' decision.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from registrations.documents.pdf import GREY, RULE, PdfDocument

BADGE_WIDTH, BADGE_HEIGHT = 90, 55  # mm: the common badge-holder (and business-card sheet) size
COLUMNS, ROWS = 2, 5  # 10 badges per A4 sheet
SHEET_LEFT, SHEET_TOP = (210 - COLUMNS * BADGE_WIDTH) / 2, (297 - ROWS * BADGE_HEIGHT) / 2
MARK_GAP, MARK_LENGTH = 2, 6  # crop marks: outside the badges, off the cut lines by MARK_GAP
ACCENT = (13, 94, 175)
CARD_WIDTH, PANEL_HEIGHT = 297, 105  # A4 landscape folded in half along its length


@dataclass(frozen=True)
class Card:
    """What one badge or table card shows."""

    name: str
    latin_name: str  # empty when the name is in Latin letters already
    company: str
    job_title: str
    field: str  # in English
    field_ko: str  # in Korean, for the hosts (empty: no translation)
    checkin_url: str


def _crop_marks(document: PdfDocument) -> None:
    document.set_draw_color(0, 0, 0)
    document.set_line_width(0.2)
    right, bottom = SHEET_LEFT + COLUMNS * BADGE_WIDTH, SHEET_TOP + ROWS * BADGE_HEIGHT
    for column in range(COLUMNS + 1):
        x = SHEET_LEFT + column * BADGE_WIDTH
        document.line(x, SHEET_TOP - MARK_GAP - MARK_LENGTH, x, SHEET_TOP - MARK_GAP)
        document.line(x, bottom + MARK_GAP, x, bottom + MARK_GAP + MARK_LENGTH)
    for row in range(ROWS + 1):
        y = SHEET_TOP + row * BADGE_HEIGHT
        document.line(SHEET_LEFT - MARK_GAP - MARK_LENGTH, y, SHEET_LEFT - MARK_GAP, y)
        document.line(right + MARK_GAP, y, right + MARK_GAP + MARK_LENGTH, y)


def _line(
    document: PdfDocument, text: str, *, x: float, y: float, width: float, size: float, smallest: float, style: str = "", color=(0, 0, 0)
) -> float:
    """One line of text shrunk to fit ``width``; returns the y below it."""
    size = document.fitted_size(text, width=width, size=size, smallest=smallest, style=style)
    height = size * 0.3528 * 1.25  # points to millimetres, with leading
    document.set_text_color(*color)
    document.set_xy(x, y)
    document.cell(width, height, document.fitted_text(text, width=width))
    return y + height


def _field(document: PdfDocument, card: Card, *, width: float, size: float, smallest: float) -> str:
    """The field in English and Korean when both fit ``width`` at ``smallest`` or larger, else in English."""
    both = f"{card.field} / {card.field_ko}" if card.field_ko else card.field
    document.fitted_size(both, width=width, size=size, smallest=smallest, style="B")
    return both if document.get_string_width(both) <= width else card.field


def _badge(document: PdfDocument, card: Card, *, event: str, x: float, y: float) -> None:
    pad, qr_size = 5, 25
    text_width = BADGE_WIDTH - 2 * pad - qr_size - 2
    _line(document, event, x=x + pad, y=y + 3.5, width=BADGE_WIDTH - 2 * pad, size=6.5, smallest=5, color=GREY)
    document.set_draw_color(*ACCENT)
    document.set_line_width(0.6)
    document.line(x + pad, y + 8.5, x + BADGE_WIDTH - pad, y + 8.5)
    below = _line(document, card.name, x=x + pad, y=y + 11, width=text_width, size=20, smallest=10, style="B")
    if card.latin_name:
        below = _line(document, card.latin_name, x=x + pad, y=below, width=text_width, size=11, smallest=7, style="B")
    below = _line(document, card.company, x=x + pad, y=below + 1.5, width=text_width, size=8.5, smallest=5.5)
    _line(document, card.job_title, x=x + pad, y=below, width=text_width, size=8, smallest=5.5, color=GREY)
    _line(
        document,
        _field(document, card, width=text_width, size=7.5, smallest=6.5),
        x=x + pad,
        y=y + BADGE_HEIGHT - pad - 4,
        width=text_width,
        size=7.5,
        smallest=6,
        style="B",
        color=ACCENT,
    )
    document.qr_code(card.checkin_url, x=x + BADGE_WIDTH - pad - qr_size + 2, y=y + BADGE_HEIGHT - pad - qr_size + 2, size=qr_size)
    document.set_text_color(0, 0, 0)


def badge_sheets_pdf(*, cards: list[Card], event: str) -> bytes:
    """A4 sheets of 90 × 55 mm badges (2 × 5 a sheet) with crop marks on the cut lines."""
    document = PdfDocument(title=_("Name badges"))
    document.set_auto_page_break(False)
    for number, card in enumerate(cards):
        slot = number % (COLUMNS * ROWS)
        if slot == 0:
            document.add_page()
            _crop_marks(document)
        row, column = divmod(slot, COLUMNS)
        _badge(document, card, event=event, x=SHEET_LEFT + column * BADGE_WIDTH, y=SHEET_TOP + row * BADGE_HEIGHT)
    return document.bytes()


def _panel(document: PdfDocument, card: Card, *, event: str, top: float) -> None:
    """One face of a table card, upright in the band top..top + PANEL_HEIGHT (the fold is its upper edge)."""
    pad, qr_size = 16, 42
    width = CARD_WIDTH - 2 * pad - qr_size - 8
    _line(document, event, x=pad, y=top + 10, width=CARD_WIDTH - 2 * pad, size=11, smallest=7, color=GREY)
    below = _line(document, card.name, x=pad, y=top + 22, width=width, size=54, smallest=22, style="B")
    if card.latin_name:
        below = _line(document, card.latin_name, x=pad, y=below, width=width, size=26, smallest=12, style="B")
    below = _line(document, card.company, x=pad, y=below + 3, width=width, size=17, smallest=9)
    _line(document, card.job_title, x=pad, y=below, width=width, size=14, smallest=8, color=GREY)
    _line(
        document,
        _field(document, card, width=width, size=12, smallest=10),
        x=pad,
        y=top + PANEL_HEIGHT - 16,
        width=width,
        size=12,
        smallest=8,
        style="B",
        color=ACCENT,
    )
    document.qr_code(card.checkin_url, x=CARD_WIDTH - pad - qr_size, y=top + (PANEL_HEIGHT - qr_size) / 2 + 6, size=qr_size)
    document.set_text_color(0, 0, 0)


def table_cards_pdf(*, cards: list[Card], event: str) -> bytes:
    """One A4 landscape page per delegate, folded along the dashed line: the name reads from both sides."""
    document = PdfDocument(title=_("Table cards"), orientation="landscape")
    document.set_auto_page_break(False)
    for card in cards:
        document.add_page()
        with document.rotation(180, x=CARD_WIDTH / 2, y=PANEL_HEIGHT / 2):  # the far face, upside down on the sheet
            _panel(document, card, event=event, top=0)
        _panel(document, card, event=event, top=PANEL_HEIGHT)
        document.set_draw_color(*RULE)
        document.set_line_width(0.3)
        document.set_dash_pattern(dash=2, gap=2)
        document.line(0, PANEL_HEIGHT, CARD_WIDTH, PANEL_HEIGHT)
        document.set_dash_pattern()
    return document.bytes()

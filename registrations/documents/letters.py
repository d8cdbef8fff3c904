"""Visa invitation letters, in English or Korean: one A4 page per delegate, rendered as one batch.

The organizer's part (letterhead, address, signatory, purpose) comes from the delegation, the
delegate's from their registration and their travel document (the passport's Latin name, number,
nationality and date of birth, copied, never retyped). Who may generate them and the access log
are the services' concern (services/documents.py); this module only draws.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import translation
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _

from registrations.core.i18n import localized
from registrations.documents.pdf import FONT, GREY, RULE, PdfDocument
from registrations.models import Delegation

LETTER_LANGUAGES = ("en", "ko")
DATE_FORMATS = {"en": "j F Y", "ko": "Y년 n월 j일"}  # 4 May 1970, 1970년 5월 4일: no abbreviation to misread


@dataclass(frozen=True)
class LetterPerson:
    """What one letter says about its delegate."""

    reference: str
    passport_name: str
    passport_number: str
    nationality: str  # the name of the country, in the letter's language
    date_of_birth: date
    company: str
    job_title: str


def letter_date(value: date, language: str) -> str:
    return format_date(value, DATE_FORMATS[language])


def _letterhead(document: PdfDocument, delegation: Delegation, language: str) -> None:
    lines = localized(delegation, "letter_letterhead", language).strip().splitlines() or [""]
    document.set_font(FONT, "B", 16)
    document.multi_cell(0, 8, lines[0], align="L", new_x="LMARGIN", new_y="NEXT")
    document.set_font(FONT, size=9.5)
    for line in [*lines[1:], *localized(delegation, "letter_address", language).strip().splitlines()]:
        document.set_text_color(*GREY)
        document.multi_cell(0, 4.6, line, align="L", new_x="LMARGIN", new_y="NEXT")
    document.set_text_color(0, 0, 0)
    document.ln(2)
    document.set_draw_color(*RULE)
    document.line(document.l_margin, document.get_y(), document.w - document.r_margin, document.get_y())
    document.ln(6)


def _facts(document: PdfDocument, rows: list[tuple[str, str]]) -> None:
    label_width = 52
    for label, value in rows:
        document.set_font(FONT, size=10)
        document.set_text_color(*GREY)
        document.cell(label_width, 7, label)
        document.set_text_color(0, 0, 0)
        document.set_font(FONT, "B", 10.5)
        document.multi_cell(0, 7, value, align="L", new_x="LMARGIN", new_y="NEXT")
    document.ln(4)


def _letter(document: PdfDocument, delegation: Delegation, person: LetterPerson, *, language: str, issued_on: date) -> None:
    document.add_page()
    _letterhead(document, delegation, language)
    organization = (localized(delegation, "letter_letterhead", language).strip().splitlines() or [""])[0]
    document.set_font(FONT, size=10)
    document.cell(0, 5, _("Date: %(date)s") % {"date": letter_date(issued_on, language)}, align="R", new_x="LMARGIN", new_y="NEXT")
    document.cell(0, 5, _("Reference: %(reference)s") % {"reference": person.reference}, align="R", new_x="LMARGIN", new_y="NEXT")
    document.ln(4)
    document.multi_cell(
        0, 5.5, _("To: the Consular Section, Embassy or Consulate General of the Republic of Korea"), align="L", new_x="LMARGIN", new_y="NEXT"
    )
    document.ln(4)
    document.set_font(FONT, "B", 14)
    document.multi_cell(0, 8, _("Letter of invitation"), align="C", new_x="LMARGIN", new_y="NEXT")
    document.ln(3)
    document.set_font(FONT, size=10.5)
    trip = {
        "organization": organization,
        "delegation": localized(delegation, "title", language),
        "city": localized(delegation, "city", language),
        "start": letter_date(delegation.starts_on, language),
        "end": letter_date(delegation.ends_on, language),
    }
    document.multi_cell(
        0,
        6,
        _(
            "%(organization)s invites the person named below to visit the Republic of Korea from %(start)s to %(end)s "
            'as a member of the delegation "%(delegation)s" in %(city)s.'
        )
        % trip,
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    purpose = localized(delegation, "letter_purpose", language).strip()
    if purpose:
        document.ln(2)
        document.multi_cell(0, 6, _("Purpose of the visit: %(purpose)s") % {"purpose": purpose}, align="L", new_x="LMARGIN", new_y="NEXT")
    document.ln(5)
    _facts(
        document,
        [
            (_("Name (as in the passport)"), person.passport_name),
            (_("Passport number"), person.passport_number),
            (_("Nationality"), person.nationality),
            (_("Date of birth"), letter_date(person.date_of_birth, language)),
            (_("Company"), person.company),
            (_("Title"), person.job_title),
            (_("Period of stay"), _("%(start)s to %(end)s") % trip),
        ],
    )
    document.set_font(FONT, size=10.5)
    document.multi_cell(
        0,
        6,
        _("We kindly ask you to issue the visa needed for this visit. For any question, please contact us at the address above."),
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    document.ln(10)
    document.cell(0, 6, _("Sincerely,"), align="L", new_x="LMARGIN", new_y="NEXT")
    document.ln(14)
    document.set_draw_color(*RULE)
    document.line(document.l_margin, document.get_y(), document.l_margin + 70, document.get_y())
    document.ln(2)
    document.set_font(FONT, "B", 11)
    document.cell(0, 6, localized(delegation, "letter_signatory_name", language), align="L", new_x="LMARGIN", new_y="NEXT")
    document.set_font(FONT, size=10)
    for line in (localized(delegation, "letter_signatory_title", language), organization):
        if line:
            document.cell(0, 5.5, line, align="L", new_x="LMARGIN", new_y="NEXT")


def visa_letters_pdf(*, delegation: Delegation, people: list[LetterPerson], language: str, issued_on: date) -> tuple[bytes, list[range]]:
    """All the letters in one PDF, and the pages of each person's letter (to split per person)."""
    with translation.override(language):
        document = PdfDocument(title=_("Letter of invitation"))
        ranges = []
        for person in people:
            first = document.page_no()
            _letter(document, delegation, person, language=language, issued_on=issued_on)
            ranges.append(range(first, document.page_no()))
        return document.bytes(), ranges

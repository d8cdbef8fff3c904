"""Reading generated PDFs as a person would: the text of each page (PDFium, Chrome's PDF engine) and
the QR codes on a page rendered to an image (zxing-cpp); plus delegates with complete travel documents."""

import io
import zipfile
from datetime import date, timedelta

import pypdfium2
import zxingcpp
from django.contrib.auth.models import Permission, User

from registrations import services
from registrations.models import Registration
from tests.trip_helpers import apply, make_trip

LETTER = {
    "letter_letterhead": "AsianFin Global Business Leaders Club\nTMTPost × American AsianFin",
    "letter_letterhead_ko": "아시안핀 글로벌 비즈니스 리더스 클럽",
    "letter_address": "Incheon Songdo, 123 Convensia-daero, Yeonsu-gu\ndelegation@example.com",
    "letter_signatory_name": "Kim Jiwon",
    "letter_signatory_name_ko": "김지원",
    "letter_signatory_title": "Secretary General",
    "letter_signatory_title_ko": "사무총장",
    "letter_purpose": "to attend Incheon Tech Week and meet Korean companies in biotechnology and logistics",
    "letter_purpose_ko": "인천 테크위크 참가 및 바이오·물류 분야 한국 기업과의 교류",
}


def letter_trip(**overrides):
    return make_trip(**{"seats": 10, "travel_data_recipients": "Incheon Grand Hotel (rooms)", **LETTER, **overrides})


def delegate_with_documents(
    trip, *, full_name: str, passport_name: str, passport_number: str, born: date = date(1975, 3, 14), **fields
) -> Registration:
    """A confirmed delegate who gave consent and entered complete passport details (through the services)."""
    registration = apply(trip, full_name=full_name, **fields)
    assert registration.status == Registration.Status.CONFIRMED
    services.travel_consent_give(registration=registration, recipients=trip.travel_data_recipients)
    services.travel_document_save(
        registration=registration,
        details={
            "passport_name": passport_name,
            "passport_number": passport_number,
            "nationality": "CHN",
            "date_of_birth": born.isoformat(),
            "passport_expires_on": (trip.ends_on + timedelta(days=900)).isoformat(),
        },
    )
    return registration


def staff(username: str, *codenames: str) -> User:
    user = User.objects.create_user(username, password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="registrations", codename__in=codenames))
    return user


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page."""
    document = pypdfium2.PdfDocument(content)
    return [document[number].get_textpage().get_text_range() for number in range(len(document))]


def pdf_qr_codes(content: bytes, *, dpi: int = 200) -> list[str]:
    """Every QR code found on every page rendered at ``dpi``."""
    document = pypdfium2.PdfDocument(content)
    codes = []
    for number in range(len(document)):
        image = document[number].render(scale=dpi / 72).to_pil()
        codes += [result.text for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
    return codes


def zip_files(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}

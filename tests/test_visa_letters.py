"""Visa invitation letters: the batch (ZIP and one file), English and Korean text, permission, access log, private page."""

from datetime import date

import pytest
from django.urls import reverse

from registrations.documents.letters import letter_date
from registrations.models.travel import TravelDocumentAccess
from tests.admin_forms import resubmit
from tests.document_helpers import LETTER, delegate_with_documents, letter_trip, pdf_pages, staff, zip_files
from tests.trip_helpers import apply

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:registrations_registration_changelist"


@pytest.fixture
def trip():
    return letter_trip()


@pytest.fixture
def delegates(trip):
    """Two confirmed delegates with complete documents, one without, one waiting."""
    zhang = delegate_with_documents(
        trip,
        full_name="张伟",
        passport_name="ZHANG WEI",
        passport_number="E12345678",
        company="威海智慧物流有限公司",
        job_title="首席执行官",
        born=date(1975, 3, 14),
    )
    park = delegate_with_documents(
        trip,
        full_name="박서연",
        passport_name="PARK SEOYEON",
        passport_number="M87654321",
        company="Songdo Bio Ventures",
        job_title="COO",
        born=date(1982, 11, 2),
    )
    missing = apply(trip, full_name="刘洋")
    return zhang, park, missing


def run_action(client, action: str, registrations, **extra):
    return client.post(reverse(CHANGELIST), {"action": action, "_selected_action": [r.pk for r in registrations], **extra})


def test_visa_letters_zip_one_pdf_per_complete_delegate_with_passport_facts(client, trip, delegates):
    zhang, park, missing = delegates
    organizer = staff("visa", "view_registration", "view_travel_documents")
    client.force_login(organizer)

    response = run_action(client, "visa_letters_zip", delegates, letter_language="en")

    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="invitation-letters-{trip.slug}-en.zip"'
    files = zip_files(response.content)
    assert sorted(files) == sorted([f"{park.pk}-park-seoyeon-en.pdf", f"{zhang.pk}-zhang-wei-en.pdf"])
    zhang_pages = pdf_pages(files[f"{zhang.pk}-zhang-wei-en.pdf"])
    assert len(zhang_pages) == 1
    for fact in [
        "ZHANG WEI",
        "E12345678",
        "China",
        "14 March 1975",
        "威海智慧物流有限公司",
        "首席执行官",
        letter_date(trip.starts_on, "en"),
        letter_date(trip.ends_on, "en"),
        "Kim Jiwon",
        "Secretary General",
        "AsianFin Global Business Leaders Club",
        f"{trip.slug.upper()}-{zhang.pk}",
        "Letter of invitation",
    ]:
        assert fact in zhang_pages[0], fact
    park_text = pdf_pages(files[f"{park.pk}-park-seoyeon-en.pdf"])[0]
    assert "PARK SEOYEON" in park_text and "M87654321" in park_text and "2 November 1982" in park_text
    assert "ZHANG WEI" not in park_text
    for content in files.values():
        print(f"letter PDF: {len(content)} bytes")
        assert len(content) < 150_000
    log = list(TravelDocumentAccess.objects.values_list("username", "action", "delegation_id", "registration_ids"))
    assert log == [("visa", "visa_letters", trip.pk, ",".join(str(pk) for pk in sorted([zhang.pk, park.pk])))]


def test_visa_letters_one_file_in_korean_has_one_page_per_delegate(client, trip, delegates):
    zhang, park, _missing = delegates
    client.force_login(staff("visa", "view_registration", "view_travel_documents"))

    response = run_action(client, "visa_letters_file", delegates, letter_language="ko")

    assert response["Content-Type"] == "application/pdf"
    pages = pdf_pages(response.content)
    assert len(pages) == 2
    assert "PARK SEOYEON" in pages[0] and "M87654321" in pages[0]  # in the order of the passport names
    assert "ZHANG WEI" in pages[1] and "E12345678" in pages[1]
    for fact in [
        "초청장",
        "여권 번호",
        "중국",
        "1975년 3월 14일",
        letter_date(trip.starts_on, "ko"),
        "김지원",
        "사무총장",
        "아시안핀 글로벌 비즈니스 리더스 클럽",
        "인천 테크위크 참가",
    ]:
        assert fact in pages[1], fact
    print(f"Korean letters, one file: {len(response.content)} bytes")


def test_visa_letters_left_out_are_reported(client, delegates):
    client.force_login(staff("visa", "view_registration", "view_travel_documents"))

    run_action(client, "visa_letters_file", delegates, letter_language="en")
    page = client.get(reverse(CHANGELIST)).content.decode()

    assert "Left out: 刘洋: The travel documents (passport name, number, nationality, date of birth, expiry date) are not complete." in page


def test_visa_letters_refused_without_travel_document_permission(client, delegates):
    client.force_login(staff("plain", "view_registration", "change_registration"))

    listing = client.get(reverse(CHANGELIST)).content.decode()
    response = run_action(client, "visa_letters_zip", delegates, letter_language="en")

    assert "visa_letters_zip" not in listing and "visa_letters_file" not in listing
    assert "badge_sheet" in listing
    assert response.status_code == 302 and response["Content-Type"].startswith("text/html")
    assert not TravelDocumentAccess.objects.exists()


def test_visa_letters_nobody_ready_is_an_error_message(client, trip):
    nobody = apply(trip, full_name="刘洋")
    client.force_login(staff("visa", "view_registration", "view_travel_documents"))

    response = run_action(client, "visa_letters_zip", [nobody], letter_language="en")
    page = client.get(reverse(CHANGELIST)).content.decode()

    assert response.status_code == 302
    assert "刘洋: The travel documents" in page
    assert not TravelDocumentAccess.objects.exists()


def test_visa_letter_private_page_download_when_complete_and_logged(client, delegates):
    zhang, _park, _missing = delegates

    page = client.get(zhang.get_absolute_url()).content.decode()
    response = client.get(reverse("registrations:visa_letter", kwargs={"token": zhang.token, "language": "ko"}))

    assert "Download my invitation letter (Korean)" in page
    assert response["Content-Type"] == "application/pdf"
    assert "private, no-store" in response["Cache-Control"]
    assert response["Content-Disposition"] == 'attachment; filename="invitation-letter-ko.pdf"'
    text = pdf_pages(response.content)
    assert len(text) == 1 and "ZHANG WEI" in text[0] and "E12345678" in text[0]
    log = list(TravelDocumentAccess.objects.values_list("user", "username", "action", "registration_ids"))
    assert log == [(None, "", "own_visa_letter", str(zhang.pk))]


def test_visa_letter_private_page_refused_with_a_clear_page_when_incomplete(client, delegates):
    _zhang, _park, missing = delegates

    response = client.get(reverse("registrations:visa_letter", kwargs={"token": missing.token, "language": "en"}))

    assert response.status_code == 409
    body = response.content.decode()
    assert "The travel documents (passport name, number, nationality, date of birth, expiry date) are not complete." in body
    assert reverse("registrations:travel_document", kwargs={"token": missing.token}) in body
    assert not TravelDocumentAccess.objects.exists()


def test_visa_letter_refused_when_organizer_has_not_prepared_letters(client):
    trip = letter_trip(letter_letterhead="", letter_signatory_name="")
    delegate = delegate_with_documents(trip, full_name="张伟", passport_name="ZHANG WEI", passport_number="E12345678")

    page = client.get(delegate.get_absolute_url()).content.decode()
    response = client.get(reverse("registrations:visa_letter", kwargs={"token": delegate.token, "language": "en"}))

    assert "Download my invitation letter" not in page
    assert response.status_code == 409
    assert "The organizer has not prepared invitation letters for this delegation yet." in response.content.decode()


def test_visa_letter_unknown_language_is_not_found(client, delegates):
    zhang, _park, _missing = delegates

    response = client.get(reverse("registrations:visa_letter", kwargs={"token": zhang.token, "language": "fr"}))

    assert response.status_code == 404


def test_visa_letters_without_the_font_are_a_message_not_an_error(client, settings, delegates):
    zhang, _park, _missing = delegates
    settings.PDF_FONT_FILE = "/nonexistent/font.ttc"
    client.force_login(staff("visa", "view_registration", "view_travel_documents"))

    response = run_action(client, "visa_letters_file", delegates, letter_language="en")
    page = client.get(reverse(CHANGELIST)).content.decode()
    own = client.get(reverse("registrations:visa_letter", kwargs={"token": zhang.token, "language": "en"}))

    assert response.status_code == 302
    assert "PDF font not found: /nonexistent/font.ttc" in page
    assert own.status_code == 409
    assert "The letter cannot be made right now." in own.content.decode()
    assert not TravelDocumentAccess.objects.exists()


def test_delegation_admin_saves_the_letter_fields_as_the_browser_sends_them(admin_client, trip):
    trip = letter_trip(**{name: "" for name in LETTER})
    url = reverse("admin:registrations_delegation_change", args=[trip.pk])

    refused = resubmit(admin_client, url, {"letter_purpose": "to attend Incheon Tech Week"})
    saved = resubmit(
        admin_client,
        url,
        {
            "letter_letterhead": "AsianFin Global Business Leaders Club",
            "letter_signatory_name": "Kim Jiwon",
            "letter_signatory_name_ko": "김지원",
            "letter_purpose": "to attend Incheon Tech Week",
        },
    )

    assert refused.status_code == 200
    assert refused.content.decode().count("Needed for invitation letters (in English; the Korean text may stay empty).") == 2
    assert saved.status_code == 302
    trip.refresh_from_db()
    assert (trip.letter_letterhead, trip.letter_signatory_name, trip.letter_signatory_name_ko) == (
        "AsianFin Global Business Leaders Club",
        "Kim Jiwon",
        "김지원",
    )
    assert trip.has_visa_letter


def test_letter_language_is_offered_only_to_those_who_may_make_letters(client, trip, delegates):
    client.force_login(staff("desk", "view_registration"))
    page = client.get(reverse(CHANGELIST))
    assert page.status_code == 200 and "Letter language" not in page.content.decode()
    assert b"visa_letters_zip" not in page.content
    client.force_login(staff("visa", "view_registration", "view_travel_documents"))
    page = client.get(reverse(CHANGELIST))
    assert page.status_code == 200 and "Letter language" in page.content.decode()
    assert b"visa_letters_zip" in page.content


def test_own_visa_letter_downloads_are_rate_limited_per_address(client, delegates, settings):
    settings.RATELIMIT_DOCUMENT_PER_ADDRESS = "2/600"
    zhang, _park, _missing = delegates
    url = reverse("registrations:visa_letter", kwargs={"token": zhang.token, "language": "en"})

    answers = [client.get(url).status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    assert TravelDocumentAccess.objects.count() == 2

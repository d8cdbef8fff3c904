"""Name badges and table cards: QR codes decode to the check-in URLs, names in own script and Latin letters, access log."""

import pytest
from django.urls import reverse

from registrations.documents.badges import Card, badge_sheets_pdf
from registrations.documents.latin import latin_name
from registrations.documents.pdf import pdf_split
from registrations.models import Registration
from registrations.models.travel import TravelDocumentAccess
from registrations.selectors.links import checkin_url
from tests.document_helpers import delegate_with_documents, letter_trip, pdf_pages, pdf_qr_codes, staff
from tests.trip_helpers import apply

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:registrations_registration_changelist"


@pytest.fixture
def trip():
    return letter_trip(seats=11)


@pytest.fixture
def delegates(trip):
    people = [
        delegate_with_documents(
            trip, full_name="张伟", passport_name="ZHANG WEI", passport_number="E12345678", company="威海智慧物流有限公司", job_title="首席执行官"
        ),
        apply(trip, full_name="박서연", company="Songdo Bio Ventures", job_title="COO"),
        apply(trip, full_name="David Miller", company="Pacific Freight", job_title="CFO", sector=trip.sectors.last()),
    ]
    people += [
        apply(trip, full_name=name, company="宁波港智能装备有限公司", job_title="总经理")
        for name in ["王小明", "赵强", "刘洋", "欧阳娜娜", "陈静", "杨帆", "黄磊", "周敏"]
    ]
    assert all(person.status == Registration.Status.CONFIRMED for person in people)
    return people


def run_action(client, action: str, registrations):
    return client.post(reverse(CHANGELIST), {"action": action, "_selected_action": [r.pk for r in registrations]})


def test_badge_sheet_qr_codes_decode_to_the_check_in_urls(client, delegates):
    waiting = apply(delegates[0].delegation, full_name="排队者")
    assert waiting.status == Registration.Status.WAITLISTED
    client.force_login(staff("desk", "view_registration"))

    response = run_action(client, "badge_sheet", [*delegates, waiting])

    assert response["Content-Type"] == "application/pdf"
    pages = pdf_pages(response.content)
    assert len(pages) == 2  # 11 badges: 10 on the first A4 sheet, 1 on the second
    codes = pdf_qr_codes(response.content)
    assert sorted(codes) == sorted(checkin_url(person) for person in delegates)
    text = "".join(pages)
    for fact in [
        "张伟",
        "ZHANG Wei",
        "박서연",
        "PARK Seoyeon",
        "David Miller",
        "OUYANG Nana",
        "威海智慧物流有限公司",
        "首席执行官",
        "Songdo Bio Ventures",
        "Biotechnology",
        "Clean energy",
    ]:
        assert fact in text, fact
    assert "排队者" not in text
    assert "ZHANG WEI" not in text  # no travel-document permission: the romanized name, not the passport's
    assert not TravelDocumentAccess.objects.exists()
    print(f"badge sheets (2 pages, 11 badges): {len(response.content)} bytes")


def test_badge_sheet_with_travel_permission_prints_passport_names_and_logs(client, delegates):
    zhang = delegates[0]
    client.force_login(staff("visa", "view_registration", "view_travel_documents"))

    response = run_action(client, "badge_sheet", delegates[:2])

    text = pdf_pages(response.content)[0]
    assert "ZHANG WEI" in text and "PARK Seoyeon" in text
    log = list(TravelDocumentAccess.objects.values_list("username", "action", "registration_ids"))
    assert log == [("visa", "badge_names", str(zhang.pk))]


def test_table_cards_one_page_each_name_on_both_faces_qr_decodes(client, delegates):
    client.force_login(staff("desk", "view_registration"))

    response = run_action(client, "table_cards", delegates[:3])

    pages = pdf_pages(response.content)
    assert len(pages) == 3
    codes = pdf_qr_codes(response.content, dpi=100)
    assert sorted(codes) == sorted(checkin_url(person) for person in delegates[:3] for _face in range(2))
    david, zhang = pdf_split(response.content, [range(0, 1), range(2, 3)])  # alphabetical in Latin letters
    assert pages[0].count("David Miller") == 2 and "Pacific Freight" in pages[0] and "Clean energy" in pages[0]
    assert pages[2].count("张伟") == 2 and pages[2].count("ZHANG Wei") == 2
    assert len(pdf_pages(david)) == 1 and len(pdf_pages(zhang)) == 1


def test_badge_actions_refused_without_view_permission(client, delegates):
    client.force_login(staff("nobody"))

    response = run_action(client, "badge_sheet", delegates)

    assert response.status_code == 403


def test_badges_for_none_confirmed_is_an_error_message(client, trip, delegates):
    waiting = apply(trip, full_name="排队者")
    client.force_login(staff("desk", "view_registration"))

    response = run_action(client, "badge_sheet", [waiting])

    assert response.status_code == 302
    assert "Badges and table cards are for confirmed delegates only." in client.get(reverse(CHANGELIST)).content.decode()


@pytest.mark.parametrize(
    ("name", "latin"),
    [
        ("张伟", "ZHANG Wei"),
        ("王小明", "WANG Xiaoming"),
        ("欧阳娜娜", "OUYANG Nana"),
        ("单雄信", "SHAN Xiongxin"),
        ("曾国藩", "ZENG Guofan"),
        ("김민준", "KIM Minjun"),
        ("이지은", "LEE Jieun"),
        ("박서연", "PARK Seoyeon"),
        ("선우정아", "SUNWOO Jeonga"),
        ("정 윤호", "JUNG Yunho"),
        ("David Miller", "David Miller"),
    ],
)
def test_latin_name_romanizes_chinese_and_korean(name, latin):
    assert latin_name(name) == latin


def test_badge_too_long_company_is_cut_not_drawn_over_the_qr_code():
    card = Card(
        name="张伟",
        latin_name="ZHANG Wei",
        company="深圳市前海国际供应链管理与智能物流装备研究院有限公司" * 2,
        job_title="首席执行官",
        field="Smart logistics",
        field_ko="스마트 물류",
        checkin_url="https://delegation.example.com/c/abc/",
    )

    content = badge_sheets_pdf(cards=[card], event="Delegation")

    text = pdf_pages(content)[0]
    assert "深圳市前海国际供应链" in text and "…" in text
    assert pdf_qr_codes(content) == ["https://delegation.example.com/c/abc/"]

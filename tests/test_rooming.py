"""Rooming list: rooms from the hotel, room type and roommate answers (mutual pairs, to pair, singles), the admin page,
CSV/XLSX/PDF of the same table, passport names only with the travel-document permission, every decryption logged."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from registrations import services
from registrations.models import Registration
from registrations.models.travel import TravelDocumentAccess
from registrations.selectors.rooming import rooming_list, rooming_table
from tests.conftest import submit
from tests.document_helpers import pdf_pages
from tests.hostlist_helpers import RECIPIENTS, staff, trip
from tests.question_helpers import Kind, Stage, make_question

pytestmark = pytest.mark.django_db

HOTELS = "sheraton | Sheraton Grand Incheon Hotel | 仁川喜来登大酒店 | 쉐라톤 그랜드 인천 호텔\norakai | Orakai Songdo Park Hotel | 奥拉凯松岛公园酒店 | 오라카이 송도파크 호텔"
ROOM_TYPES = "single | Single room | 单人间 | 싱글룸\ntwin | Shared twin room | 双人标间（合住） | 트윈룸 (2인 1실)"
SHERATON, ORAKAI = "Sheraton Grand Incheon Hotel", "Orakai Songdo Park Hotel"
SINGLE, TWIN = "Single room", "Shared twin room"


def questions(delegation, *, hotel: bool = True) -> dict:
    found = {
        "room_type": make_question(delegation, kind=Kind.SINGLE_CHOICE, choices=ROOM_TYPES, code="room_type"),
        "roommate": make_question(delegation, stage=Stage.TRAVEL, code="roommate"),
    }
    if hotel:
        found["hotel"] = make_question(delegation, kind=Kind.SINGLE_CHOICE, choices=HOTELS, code="hotel")
    return found


def guest(delegation, asked: dict, name: str, *, passport: str = "", **answers) -> Registration:
    """A confirmed delegate with their answers (code: value) and, when ``passport`` is given, passport details."""
    registration = submit(delegation, full_name=name, company=f"{name} Co.")
    assert registration.status == Registration.Status.CONFIRMED
    if passport:
        services.travel_consent_give(registration=registration, recipients=RECIPIENTS)
        services.travel_document_save(
            registration=registration,
            details={
                "passport_name": passport,
                "passport_number": f"E{registration.pk:08d}",
                "nationality": "CHN",
                "date_of_birth": "1971-02-03",
                "passport_expires_on": (delegation.ends_on + timedelta(days=900)).isoformat(),
            },
        )
    services.answers_save(registration=registration, answers={asked[code].pk: value for code, value in answers.items()})
    return registration


@pytest.fixture
def delegation():
    return trip(seats=20)


@pytest.fixture
def guests(delegation):
    asked = questions(delegation)
    return {
        # Mutual, one side through the passport name, typed in lower case with a double space.
        "Wang Fang": guest(delegation, asked, "Wang Fang", passport="WANG FANG", hotel="sheraton", room_type="twin", roommate="li  na"),
        "李娜": guest(delegation, asked, "李娜", passport="LI NA", hotel="sheraton", room_type="twin", roommate="Wang Fang"),
        # One-sided, and a name nobody has.
        "Chen Jie": guest(delegation, asked, "Chen Jie", hotel="sheraton", room_type="twin", roommate="Zhao Lei"),
        "Zhao Lei": guest(delegation, asked, "Zhao Lei", hotel="sheraton", room_type="twin", roommate="Sun Yu"),
        "Zhou Min": guest(delegation, asked, "Zhou Min", hotel="sheraton", room_type="single"),
        "Liu Yang": guest(delegation, asked, "Liu Yang", hotel="orakai", room_type="single", roommate="Ma Lin"),
        # Mutual by registered names, in the other hotel.
        "He Ping": guest(delegation, asked, "He Ping", hotel="orakai", room_type="twin", roommate="GAO YAN"),
        "Gao Yan": guest(delegation, asked, "Gao Yan", hotel="orakai", room_type="twin", roommate="He Ping"),
        "Huang Bo": guest(delegation, asked, "Huang Bo", hotel="orakai", room_type="twin"),
        # Names Zhou Min, who asked for a single room and names nobody back; and someone who chose no room type.
        "Ma Lin": guest(delegation, asked, "Ma Lin", hotel="orakai", room_type="twin", roommate="Liu Yang"),
        "Xu Ke": guest(delegation, asked, "Xu Ke"),
    }


def names(rooms) -> list[tuple]:
    return [(room.hotel, room.room_type, [o.full_name for o in room.occupants], room.note) for room in rooms]


def test_rooming_list_pairs_mutual_requests_and_lists_the_rest_to_pair(delegation, guests):
    rooming = rooming_list(delegation=delegation, with_passport_names=False)

    assert names(rooming.rooms) == [
        (SHERATON, SINGLE, ["Zhou Min"], ""),
        (SHERATON, TWIN, ["Wang Fang", "李娜"], ""),
        (ORAKAI, SINGLE, ["Liu Yang"], ""),
        (ORAKAI, TWIN, ["Gao Yan", "He Ping"], ""),
    ]
    assert names(rooming.to_pair) == [
        (SHERATON, TWIN, ["Chen Jie"], "Zhao Lei has not named them back"),
        (SHERATON, TWIN, ["Zhao Lei"], "“Sun Yu” is not the name of a confirmed delegate"),
        (ORAKAI, TWIN, ["Huang Bo"], "No roommate named"),
        (ORAKAI, TWIN, ["Ma Lin"], "Liu Yang chose another hotel or room type"),
    ]
    assert names(rooming.no_room_type) == [("", "", ["Xu Ke"], "No room type chosen")]
    assert [(c.hotel, c.room_type, c.rooms, c.people) for c in rooming.counts()] == [
        (SHERATON, SINGLE, 1, 1),
        (SHERATON, TWIN, 1, 2),
        (ORAKAI, SINGLE, 1, 1),
        (ORAKAI, TWIN, 1, 2),
    ]
    assert {o.passport_name for room in rooming.rooms for o in room.occupants} == {""}
    assert rooming.read == sorted([guests["Wang Fang"].pk, guests["李娜"].pk])


def test_rooming_list_without_a_hotel_question_is_one_hotel_and_leaves_out_the_unconfirmed(delegation):
    asked = questions(delegation, hotel=False)
    guest(delegation, asked, "Ann Lee", room_type="twin", roommate="Bo Kim")
    guest(delegation, asked, "Bo Kim", room_type="twin", roommate="ann lee")
    cancelled = guest(delegation, asked, "Cy Park", room_type="single")
    services.registration_set_status(registration=cancelled, status=Registration.Status.CANCELLED)

    rooming = rooming_list(delegation=delegation, with_passport_names=True)

    assert names(rooming.rooms) == [("", TWIN, ["Ann Lee", "Bo Kim"], "")]
    assert rooming.to_pair == [] and rooming.no_room_type == [] and rooming.read == []


def test_rooming_table_one_row_per_room_with_passport_names(delegation, guests):
    header, rows = rooming_table(rooming_list(delegation=delegation, with_passport_names=True))

    assert header == [
        "Hotel",
        "Room type",
        "Occupant 1",
        "Name in passport (1)",
        "Company (1)",
        "Occupant 2",
        "Name in passport (2)",
        "Company (2)",
        "Note",
    ]
    assert rows[:2] == [
        [SHERATON, SINGLE, "Zhou Min", "", "Zhou Min Co.", "", "", "", ""],
        [SHERATON, TWIN, "Wang Fang", "WANG FANG", "Wang Fang Co.", "李娜", "LI NA", "李娜 Co.", ""],
    ]
    assert rows[-1] == ["", "", "Xu Ke", "", "Xu Ke Co.", "", "", "", "No room type chosen"]
    assert len(rows) == 4 + 4 + 1


def rooming_url(delegation) -> str:
    return reverse("admin:registrations_registration_rooming", args=[delegation.pk])


def test_rooming_page_needs_the_registration_view_permission(client, delegation, guests):
    client.force_login(staff("view_travel_documents", "view_delegation"))

    response = client.get(rooming_url(delegation))

    assert response.status_code == 403
    assert not TravelDocumentAccess.objects.exists()


def test_rooming_page_without_travel_permission_shows_no_passport_name_and_logs_the_comparison(client, delegation, guests):
    client.force_login(staff("view_registration"))

    page = client.get(rooming_url(delegation))
    csv = client.get(rooming_url(delegation), {"format": "csv"}).content.decode("utf-8-sig")

    html = page.content.decode()
    assert page.status_code == 200 and "Wang Fang" in html and "To pair (4 people)" in html
    assert "LI NA" not in html and "WANG FANG" not in html and "Name in passport" not in html
    assert csv.splitlines()[:3] == [
        "Hotel,Room type,Occupant 1,Company (1),Occupant 2,Company (2),Note",
        f"{SHERATON},{SINGLE},Zhou Min,Zhou Min Co.,,,",
        f"{SHERATON},{TWIN},Wang Fang,Wang Fang Co.,李娜,李娜 Co.,",
    ]
    ids = f"{guests['Wang Fang'].pk},{guests['李娜'].pk}"
    assert list(TravelDocumentAccess.objects.order_by("pk").values_list("action", "registration_ids")) == [
        ("rooming_pairing", ids),
        ("rooming_pairing", ids),
    ]


def test_rooming_page_without_travel_documents_logs_nothing(client, delegation):
    asked = questions(delegation)
    guest(delegation, asked, "Ann Lee", hotel="orakai", room_type="single")
    client.force_login(staff("view_registration"))

    assert client.get(rooming_url(delegation)).status_code == 200
    assert not TravelDocumentAccess.objects.exists()


def test_rooming_page_and_downloads_with_passport_names_are_logged(client, delegation, guests):
    client.force_login(staff("view_registration", "view_travel_documents"))
    url = rooming_url(delegation)

    page = client.get(url)
    csv = client.get(url, {"format": "csv"})
    xlsx = client.get(url, {"format": "xlsx"})
    pdf = client.get(url, {"format": "pdf"})

    html = page.content.decode()
    assert page.status_code == 200 and "LI NA" in html and "Names in passports are shown: this viewing is logged." in html
    assert {"private", "no-store"} <= set(page["Cache-Control"].split(", "))
    assert f"{SHERATON},{TWIN},Wang Fang,WANG FANG,Wang Fang Co.,李娜,LI NA,李娜 Co.," in csv.content.decode("utf-8-sig")
    rows = [[cell.value for cell in row] for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows()]
    assert rows[0][:4] == ["Hotel", "Room type", "Occupant 1", "Name in passport (1)"]
    assert rows[4] == [ORAKAI, TWIN, "Gao Yan", None, "Gao Yan Co.", "He Ping", None, "He Ping Co.", None]
    assert rows[6] == [SHERATON, TWIN, "Zhao Lei", None, "Zhao Lei Co.", None, None, None, "“Sun Yu” is not the name of a confirmed delegate"]
    assert len(rows) == 1 + 9
    assert pdf["Content-Type"] == "application/pdf" and pdf["Content-Disposition"].endswith("rooming-list-" + delegation.slug + '.pdf"')
    text = " ".join(" ".join(pdf_pages(pdf.content)).split())  # cells wrap: compare words
    assert "Rooming list: " in text and "4 rooms, 4 to pair, 1 without a room type" in text
    assert "LI NA" in text and "Huang Bo" in text and "No roommate named" in text
    ids = f"{guests['Wang Fang'].pk},{guests['李娜'].pk}"
    assert list(TravelDocumentAccess.objects.order_by("pk").values_list("action", "registration_ids")) == [
        ("rooming", ids),
        ("rooming_csv", ids),
        ("rooming_xlsx", ids),
        ("rooming_pdf", ids),
    ]


def test_rooming_list_is_linked_from_the_dashboard_and_the_travel_documents(client, delegation, guests):
    client.force_login(staff("view_registration", "view_delegation", "view_travel_documents"))

    dashboard = client.get(reverse("admin:registrations_delegation_dashboard", args=[delegation.pk])).content.decode()
    travel = client.get(reverse("admin:registrations_traveldocument_changelist")).content.decode()

    assert f'href="{rooming_url(delegation)}"' in dashboard and f'href="{rooming_url(delegation)}"' in travel

"""Host lists: freezing a visit's visitors with the host's columns, the host's page and XLSX, expiry, withdrawal, the access log."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from registrations import services
from registrations.models import Registration
from registrations.models.hostlists import HostList, HostListAccess, HostListRow
from registrations.models.travel import TravelDocumentAccess
from registrations.selectors.hostlists import host_list_table
from registrations.selectors.links import host_list_url
from registrations.services.codes import client_hash
from tests.conftest import submit
from tests.document_helpers import pdf_pages
from tests.hostlist_helpers import HOST_LIST_STAFF, delegate_with_passport, freeze_in_admin, host_lists_url, songdo, staff, trip
from tests.test_travel_documents import _every_cell
from tests.visit_helpers import make_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def delegation():
    return trip()


@pytest.fixture
def people(delegation):
    return [
        delegate_with_passport(delegation, full_name="张三丰", passport_name="ZHANG SANFENG", passport_number="E12345678"),
        delegate_with_passport(delegation, full_name="李小龙", passport_name="LI XIAOLONG", passport_number="E87654321"),
    ]


def host_path(host_list: HostList) -> str:
    return reverse("registrations:host_list", kwargs={"token": host_list.token})


def freeze(visit, columns, *, user=None, expires_in=timedelta(days=3), **options) -> HostList:
    user = user or staff(*HOST_LIST_STAFF, "view_travel_documents", username=f"u{HostList.objects.count()}")
    return services.host_list_freeze(visit=visit, fields=columns, expires_at=timezone.now() + expires_in, user=user, **options)


def test_host_link_shows_only_the_chosen_columns_and_stops_after_withdrawal(client, delegation, people):
    client.force_login(staff(*HOST_LIST_STAFF, "view_travel_documents"))
    visit = songdo(delegation)

    freeze_in_admin(client, visit, ["passport_name", "company", "nationality"])
    host_list = HostList.objects.get(visit=visit)
    client.logout()
    page = client.get(host_path(host_list))

    html = page.content.decode()
    assert page.status_code == 200
    assert "ZHANG SANFENG" in html and "LI XIAOLONG" in html and people[0].company in html and "China (CHN)" in html
    assert "여권" in html and "회사" in html  # Korean headings beside the English ones
    for hidden in ["张三丰", "E12345678", people[0].email, people[0].phone, "1971-02-03", "Job title", "Mobile phone"]:
        assert hidden not in html
    assert {"private", "no-store"} <= set(page["Cache-Control"].split(", ")) and page["X-Robots-Tag"] == "noindex, nofollow"

    client.force_login(staff(*HOST_LIST_STAFF, username="second"))
    client.post(host_lists_url(visit), {"withdraw": str(host_list.pk)})
    client.logout()
    after = client.get(host_path(host_list))

    assert after.status_code == 404
    assert "This visitor list link is not valid" in after.content.decode() and "ZHANG" not in after.content.decode()
    assert client.get(reverse("registrations:host_list_xlsx", kwargs={"token": host_list.token})).status_code == 404
    assert list(HostListAccess.objects.order_by("pk").values_list("what", flat=True)) == ["page", "refused", "refused"]


def test_host_list_frozen_values_do_not_follow_later_edits(delegation, people):
    visit = songdo(delegation)
    first = freeze(visit, ["full_name", "company", "passport_number"])

    Registration.objects.filter(pk=people[0].pk).update(company="Renamed Co.")
    services.travel_document_save(registration=people[0], details={**people[0].travel_document.details, "passport_number": "G00000001"})
    latecomer = submit(delegation, full_name="王五")
    second = freeze(visit, ["full_name", "company", "passport_number"])

    assert host_list_table(host_list=first).rows == [
        [1, "张三丰", people[0].company, "E12345678"],
        [2, "李小龙", people[1].company, "E87654321"],
    ]
    assert host_list_table(host_list=second).rows == [
        [1, "张三丰", "Renamed Co.", "G00000001"],
        [2, "李小龙", people[1].company, "E87654321"],
        [3, "王五", latecomer.company, ""],
    ]
    assert (first.version, second.version) == (1, 2)


def test_host_list_passport_values_not_in_the_database_in_plain_text(delegation, people):
    host_list = freeze(songdo(delegation), ["passport_name", "passport_number", "date_of_birth"])

    everything = _every_cell()
    assert HostListRow.objects.filter(host_list=host_list).exclude(protected="").count() == 2
    for plain in ["E12345678", "E87654321", "ZHANG SANFENG", "LI XIAOLONG", "1971-02-03"]:
        assert plain not in everything


def test_host_list_freezing_passport_columns_is_logged_as_travel_document_access(delegation, people):
    user = staff(*HOST_LIST_STAFF, "view_travel_documents")

    freeze(songdo(delegation), ["passport_name"], user=user)
    freeze(songdo(delegation), ["full_name", "company"], user=user)

    log = list(TravelDocumentAccess.objects.values_list("username", "action", "delegation_id", "registration_ids"))
    assert log == [("organizer", "host_list", delegation.pk, f"{people[0].pk},{people[1].pk}")]


def test_host_list_passport_columns_refused_without_the_travel_document_permission(client, delegation, people):
    user = staff(*HOST_LIST_STAFF)
    with pytest.raises(ValidationError) as refused:
        freeze(songdo(delegation), ["full_name", "passport_number"], user=user)
    assert refused.value.messages == ["Passport columns need the permission to view travel documents."]

    client.force_login(user)
    page = client.get(host_lists_url(songdo(delegation))).content.decode()
    answer = freeze_in_admin(client, songdo(delegation), ["full_name", "passport_number"])

    assert 'value="passport_number"' not in page and 'value="company"' in page
    assert "need the permission to view travel documents" in page
    assert "Select a valid choice. passport_number is not one of the available choices." in answer.content.decode()
    assert not HostList.objects.exists() and not TravelDocumentAccess.objects.exists()


def test_host_list_needs_a_name_column(delegation, people):
    with pytest.raises(ValidationError) as refused:
        freeze(songdo(delegation), ["company", "job_title"])
    assert refused.value.messages == ["Choose at least one name column: hosts check visitors by name."]


def test_host_link_expired_is_a_404_and_logged_as_refused(client, delegation, people):
    host_list = freeze(songdo(delegation), ["full_name"])
    HostList.objects.filter(pk=host_list.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    response = client.get(host_path(host_list))

    assert response.status_code == 404
    assert "张三丰" not in response.content.decode()
    assert list(HostListAccess.objects.values_list("what", flat=True)) == ["refused"]


def test_host_link_unknown_or_malformed_token_is_a_404_page(client, db):
    unknown = client.get(reverse("registrations:host_list", kwargs={"token": "A" * 43}))
    malformed = client.get("/h/short/")

    assert unknown.status_code == 404 and "This visitor list link is not valid" in unknown.content.decode()
    assert malformed.status_code == 404
    assert not HostListAccess.objects.exists()


def test_host_link_accesses_logged_with_a_keyed_hash_of_the_address(client, delegation, people):
    host_list = freeze(songdo(delegation), ["full_name"])

    client.get(host_path(host_list), REMOTE_ADDR="203.0.113.7")
    client.get(reverse("registrations:host_list_xlsx", kwargs={"token": host_list.token}), REMOTE_ADDR="203.0.113.8")

    log = list(HostListAccess.objects.order_by("pk").values_list("host_list_id", "what", "client_hash"))
    assert log == [(host_list.pk, "page", client_hash("203.0.113.7")), (host_list.pk, "xlsx", client_hash("203.0.113.8"))]
    assert "203.0.113" not in _every_cell()


def test_host_list_xlsx_has_the_bilingual_header_and_frozen_rows(client, delegation, people):
    host_list = freeze(songdo(delegation), ["passport_name", "company", "passport_number"])

    response = client.get(reverse("registrations:host_list_xlsx", kwargs={"token": host_list.token}))

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["No. / 번호", "Name (Latin letters, as in the passport) / 영문 성명 (여권과 동일)", "Company / 회사", "Passport number / 여권 번호"],
        [1, "LI XIAOLONG", people[1].company, "E87654321"],
        [2, "ZHANG SANFENG", people[0].company, "E12345678"],
    ]


def test_host_list_of_an_optional_visit_has_only_the_people_with_a_place(delegation, people):
    visit = make_visit(delegation, capacity=1)
    services.visit_join(registration=people[1], visits=[visit])
    services.visit_join(registration=people[0], visits=[visit])  # waiting list

    host_list = freeze(visit, ["full_name"])

    assert host_list_table(host_list=host_list).rows == [[1, "李小龙"]]


def test_host_list_of_a_visit_for_everyone_has_every_confirmed_delegate_only(delegation, people):
    delegation.seats = 2
    delegation.save()
    waiting = submit(delegation, full_name="等待者")
    assert waiting.status == Registration.Status.WAITLISTED

    host_list = freeze(songdo(delegation), ["full_name"])

    assert host_list_table(host_list=host_list).rows == [[1, "张三丰"], [2, "李小龙"]]


def test_host_list_new_version_can_withdraw_the_earlier_links(client, delegation, people):
    first = freeze(songdo(delegation), ["full_name"])
    kept = freeze(songdo(delegation), ["full_name"])
    third = freeze(songdo(delegation), ["full_name", "company"], withdraw_earlier=True)

    states = {pk: withdrawn for pk, withdrawn in HostList.objects.values_list("pk", "withdrawn_at")}
    assert states[first.pk] is not None and states[kept.pk] is not None and states[third.pk] is None
    assert client.get(host_path(first)).status_code == 404
    assert client.get(host_path(third)).status_code == 200


def test_host_link_pages_are_rate_limited_per_address(client, delegation, people, settings):
    settings.RATELIMIT_HOST_LIST_PER_ADDRESS = "2/600"
    host_list = freeze(songdo(delegation), ["full_name"])

    answers = [client.get(host_path(host_list)).status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    assert HostListAccess.objects.count() == 2


def test_host_list_link_is_absolute_under_site_url(delegation, people, settings):
    host_list = freeze(songdo(delegation), ["full_name"])

    assert host_list_url(host_list) == f"{settings.SITE_URL}/h/{host_list.token}/"
    assert len(host_list.token) == 43  # 256 bits


def test_host_list_expiry_must_be_in_the_future(delegation, people):
    with pytest.raises(ValidationError) as refused:
        freeze(songdo(delegation), ["full_name"], expires_in=timedelta(minutes=-5))
    assert refused.value.messages == ["The link must work until a moment in the future."]


def test_host_list_pdf_has_only_the_chosen_columns_and_stops_after_withdrawal(client, delegation, people):
    host_list = freeze(songdo(delegation), ["passport_name", "company"])

    response = client.get(reverse("registrations:host_list_pdf", kwargs={"token": host_list.token}))

    text = " ".join(pdf_pages(response.content))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    assert "ZHANG SANFENG" in text and "LI XIAOLONG" in text and people[0].company in text and "회사" in text
    assert "E12345678" not in text and "张三丰" not in text and people[0].email not in text
    services.host_list_withdraw(host_list=host_list, user=staff(*HOST_LIST_STAFF, username="withdrawer"))
    assert client.get(reverse("registrations:host_list_pdf", kwargs={"token": host_list.token})).status_code == 404
    assert list(HostListAccess.objects.order_by("pk").values_list("what", flat=True)) == ["pdf", "refused"]

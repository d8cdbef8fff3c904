"""Host lists in admin (permissions, whole-form saves, messages, the access log) and their passport values' lifecycle
(deleted by the delegate, anonymised, purged after the trip, keys rotated)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from registrations import services
from registrations.models import Delegation, ItineraryItem
from registrations.models.hostlists import HostList, HostListAccess, HostListRow
from registrations.selectors.hostlists import host_list_table
from tests.admin_forms import resubmit
from tests.conftest import submit
from tests.hostlist_helpers import HOST_LIST_STAFF, delegate_with_passport, freeze_in_admin, host_lists_url, songdo, staff, trip
from tests.test_travel_documents import _every_cell
from tests.travel_helpers import OTHER_TEST_KEY, TEST_KEY

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


def freeze(visit, columns) -> HostList:
    user = staff(*HOST_LIST_STAFF, "view_travel_documents", username=f"u{HostList.objects.count()}")
    return services.host_list_freeze(visit=visit, fields=columns, expires_at=timezone.now() + timedelta(days=3), user=user)


def test_itinerary_item_change_page_saves_whole_and_links_to_its_host_lists(admin_client, delegation):
    visit = songdo(delegation)
    url = reverse("admin:registrations_itineraryitem_change", args=[visit.pk])

    page = admin_client.get(url).content.decode()
    response = resubmit(admin_client, url, {"title": "Songdo Bio Park"})

    assert f'href="{host_lists_url(visit)}"' in page
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.title, visit.is_optional, visit.capacity) == ("Songdo Bio Park", False, None)


def test_host_lists_page_freezes_the_whole_form_and_warns_of_missing_passports(client, delegation, people):
    submit(delegation, full_name="无护照")
    client.force_login(staff(*HOST_LIST_STAFF, "view_travel_documents"))

    page = freeze_in_admin(client, songdo(delegation), ["passport_name", "passport_number"])

    html = page.content.decode()
    host_list = HostList.objects.get()
    assert "Version 1 frozen with 3 visitors. Copy its link below and send it to the host." in html
    assert "1 visitor has not entered passport details: their passport columns are empty." in html
    assert host_list.token in html and host_list.fields == ["passport_name", "passport_number"]
    assert host_list.expires_at == timezone.localtime(songdo(delegation).ends_at + timedelta(days=1)).replace(second=0)
    assert host_list_table(host_list=host_list).rows == [[1, "LI XIAOLONG", "E87654321"], [2, "ZHANG SANFENG", "E12345678"], [3, "", ""]]


def test_host_lists_page_refuses_a_past_expiry_beside_the_form(client, delegation, people):
    client.force_login(staff(*HOST_LIST_STAFF))

    page = freeze_in_admin(client, songdo(delegation), ["full_name"], expires_at="2001-01-01T10:00")

    assert page.status_code == 200
    assert "The link must work until a moment in the future." in page.content.decode()
    assert not HostList.objects.exists()


@pytest.mark.parametrize(
    "codenames,status",
    [
        (("view_itineraryitem", "view_registration"), 403),
        (("view_itineraryitem", "view_hostlist"), 403),
        (("view_itineraryitem", "view_registration", "view_hostlist"), 200),
    ],
)
def test_host_lists_page_needs_to_see_host_lists_and_registrations(client, delegation, codenames, status):
    client.force_login(staff(*codenames))

    assert client.get(host_lists_url(songdo(delegation))).status_code == status


def test_host_lists_view_only_staff_cannot_freeze_withdraw_or_see_the_link(client, delegation, people):
    host_list = freeze(songdo(delegation), ["full_name"])
    client.force_login(staff("view_itineraryitem", "view_registration", "view_hostlist"))
    url = host_lists_url(songdo(delegation))

    page = client.get(url).content.decode()
    freezing = client.post(url, {"freeze": "1", "columns": ["full_name"]})
    withdrawing = client.post(url, {"withdraw": str(host_list.pk)})

    assert host_list.token not in page and "Freeze the list now" not in page and 'name="withdraw"' not in page
    assert (freezing.status_code, withdrawing.status_code) == (403, 403)
    assert HostList.objects.get().withdrawn_at is None and HostList.objects.count() == 1


def test_host_list_accesses_listed_in_admin(client, delegation, people):
    host_list = freeze(songdo(delegation), ["full_name"])
    client.get(reverse("registrations:host_list", kwargs={"token": host_list.token}))
    client.force_login(staff(*HOST_LIST_STAFF))

    visit_page = client.get(host_lists_url(songdo(delegation))).content.decode()
    log = client.get(reverse("admin:registrations_hostlistaccess_changelist"))

    assert log.status_code == 200 and "Songdo Bio Industrial Park · v1" in log.content.decode()
    assert 'href="/admin/registrations/hostlistaccess/?host_list__visit__id__exact=' in visit_page
    assert (
        client.get(reverse("admin:registrations_hostlistaccess_changelist"), {"host_list__visit__id__exact": songdo(delegation).pk}).status_code
        == 200
    )
    assert HostListAccess.objects.get().client_hash[:12] in visit_page


def test_host_list_passport_values_blanked_when_the_delegate_deletes_their_travel_documents(delegation, people):
    host_list = freeze(songdo(delegation), ["full_name", "passport_number"])

    services.travel_document_delete(registration=people[0])

    assert host_list_table(host_list=host_list).rows == [[1, "张三丰", ""], [2, "李小龙", "E87654321"]]


def test_host_list_rows_deleted_when_the_registration_is_anonymised(delegation, people):
    host_list = freeze(songdo(delegation), ["full_name", "company"])

    services.registration_anonymise(registration=people[0])

    assert host_list_table(host_list=host_list).rows == [[2, "李小龙", people[1].company]]


def test_host_list_passport_values_purged_with_the_travel_documents(delegation, people, settings):
    settings.TRAVEL_DOCUMENT_RETENTION_DAYS = 7
    ended = freeze(songdo(delegation), ["full_name", "passport_number"])
    recent_trip = trip()
    recent_person = delegate_with_passport(recent_trip, full_name="王五", passport_name="WANG WU", passport_number="G55555555")
    recent = freeze(songdo(recent_trip), ["full_name", "passport_number"])
    today = timezone.localdate()
    Delegation.objects.filter(pk=delegation.pk).update(starts_on=today - timedelta(days=12), ends_on=today - timedelta(days=8))
    ItineraryItem.objects.filter(delegation=delegation).update(
        starts_at=timezone.now() - timedelta(days=11), ends_at=timezone.now() - timedelta(days=11)
    )

    output = StringIO()
    call_command("purge_personal_data", stdout=output)

    assert host_list_table(host_list=ended).rows == [[1, "张三丰", ""], [2, "李小龙", ""]]
    assert host_list_table(host_list=recent).rows == [[1, recent_person.full_name, "G55555555"]]
    assert "Deleted 2 travel document(s)" in output.getvalue()
    assert HostListRow.objects.filter(host_list=ended).exclude(protected="").count() == 0


def test_host_list_passport_values_follow_key_rotation(delegation, people, settings):
    host_list = freeze(songdo(delegation), ["full_name", "passport_number"])
    before = list(HostListRow.objects.order_by("pk").values_list("protected", flat=True))
    settings.TRAVEL_DOCUMENT_KEYS = [OTHER_TEST_KEY, TEST_KEY]

    call_command("rotate_travel_document_keys", stdout=StringIO())

    settings.TRAVEL_DOCUMENT_KEYS = [OTHER_TEST_KEY]
    assert list(HostListRow.objects.order_by("pk").values_list("protected", flat=True)) != before
    assert host_list_table(host_list=host_list).rows == [[1, "张三丰", "E12345678"], [2, "李小龙", "E87654321"]]


def test_host_list_leaves_nothing_personal_once_its_people_are_anonymised(delegation, people):
    freeze(songdo(delegation), ["passport_name", "full_name", "company", "email", "phone", "passport_number"])

    for person in people:
        services.registration_anonymise(registration=person)

    everything = _every_cell()
    for personal in ["张三丰", "李小龙", "ZHANG", "E12345678", people[0].company, people[0].email]:
        assert personal not in everything
    assert HostList.objects.count() == 1 and not HostListRow.objects.exists()

"""Travel documents: consent, validation, encryption at rest, permission, access log, purge, deletion, key rotation."""

import subprocess
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from registrations import services
from registrations.core.backups import database_backup
from registrations.core.travel_crypto import decrypt_json
from registrations.models import Registration
from registrations.models.travel import TravelDocument, TravelDocumentAccess
from tests.travel_helpers import OTHER_TEST_KEY, TEST_KEY
from tests.trip_helpers import apply, make_trip

pytestmark = pytest.mark.django_db

RECIPIENTS = "Incheon Grand Hotel (rooms); Songdo Bio Park (visitor passes)"
PASSPORT_NUMBER = "E98765432"
PASSPORT_NAME = "ZHANG SANFENG"


def details(trip, **overrides) -> dict:
    return {
        "step": "details",
        "passport_name": "Zhang Sanfeng",
        "passport_number": PASSPORT_NUMBER.lower(),
        "nationality": "CHN",
        "date_of_birth": "1970-05-04",
        "passport_expires_on": (trip.ends_on + timedelta(days=400)).isoformat(),
        "arrival_flight": "OZ334",
        "arrival_at": "",
        "departure_flight": "",
        "departure_at": "",
        **overrides,
    }


@pytest.fixture
def trip(db):
    return make_trip(travel_data_recipients=RECIPIENTS, travel_data_recipients_zh_hans="仁川格兰德酒店（客房）")


@pytest.fixture
def delegate(trip) -> Registration:
    registration = apply(trip)
    assert registration.status == Registration.Status.CONFIRMED
    return registration


def travel_url(registration: Registration) -> str:
    return reverse("registrations:travel_document", kwargs={"token": registration.token})


def give_consent(client, registration: Registration):
    return client.post(travel_url(registration), {"step": "consent", "consent": "on"})


def enter(client, registration: Registration, **overrides):
    give_consent(client, registration)
    return client.post(travel_url(registration), details(registration.delegation, **overrides), follow=True)


def test_travel_document_saved_after_consent_encrypted_and_upper_case(client, delegate):
    response = enter(client, delegate)

    document = TravelDocument.objects.get(registration=delegate)
    assert document.consent_version == services.TRAVEL_CONSENT_VERSION
    assert document.consent_recipients == RECIPIENTS
    assert abs(document.consent_given_at - timezone.now()) < timedelta(minutes=1)
    assert document.details["passport_number"] == PASSPORT_NUMBER
    assert document.details["passport_name"] == PASSPORT_NAME
    assert PASSPORT_NUMBER not in document.data
    assert "Your travel documents are saved." in response.content.decode()


def test_travel_document_without_consent_is_refused(client, delegate):
    response = client.post(travel_url(delegate), details(delegate.delegation), follow=True)

    assert not TravelDocument.objects.filter(registration=delegate).exists()
    assert "Please give your consent before entering travel documents." in response.content.decode()


def test_travel_consent_unticked_stores_nothing(client, delegate):
    response = client.post(travel_url(delegate), {"step": "consent"})

    assert response.status_code == 200
    assert not TravelDocument.objects.exists()


def test_travel_consent_page_names_recipients_in_chinese(client, delegate):
    response = client.get(travel_url(delegate), HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert "仁川格兰德酒店（客房）" in response.content.decode()


def test_travel_document_refused_when_not_confirmed(client, trip):
    apply(trip)
    apply(trip)
    waitlisted = apply(trip)
    assert waitlisted.status == Registration.Status.WAITLISTED

    give_consent(client, waitlisted)
    response = client.get(travel_url(waitlisted))

    assert not TravelDocument.objects.exists()
    assert "Only confirmed delegates can enter travel documents." in response.content.decode()


@pytest.mark.parametrize("name", ["张三", "ZHANG 3", "Zhāng San", "ZHANG_SAN"])
def test_travel_document_non_latin_name_rejected(client, delegate, name):
    response = enter(client, delegate, passport_name=name)

    assert "Use Latin letters only (A to Z), as printed in the passport." in response.content.decode()
    assert TravelDocument.objects.get(registration=delegate).data == ""


def test_travel_document_expiring_within_six_months_warns_and_saves(client, delegate):
    expires = delegate.delegation.ends_on + timedelta(days=150)

    response = enter(client, delegate, passport_expires_on=expires.isoformat())

    assert "less than six months after the trip ends" in response.content.decode()
    assert TravelDocument.objects.get(registration=delegate).details["passport_expires_on"] == expires.isoformat()


def test_travel_document_expiring_later_has_no_warning(client, delegate):
    response = enter(client, delegate)

    assert "less than six months after the trip ends" not in response.content.decode()


def _every_cell() -> str:
    cells = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                cells.extend(str(cell) for cell in row)
    return "\n".join(cells)


def test_travel_document_plain_values_nowhere_in_database(client, delegate):
    enter(client, delegate)

    everything = _every_cell()
    assert PASSPORT_NUMBER not in everything and PASSPORT_NUMBER.lower() not in everything
    assert PASSPORT_NAME not in everything and "Zhang Sanfeng" not in everything
    assert "1970-05-04" not in everything


def test_travel_document_keys_rotation_reencrypts(client, delegate, settings):
    enter(client, delegate)
    old = TravelDocument.objects.get(registration=delegate).data
    settings.TRAVEL_DOCUMENT_KEYS = [OTHER_TEST_KEY, TEST_KEY]

    call_command("rotate_travel_document_keys", stdout=StringIO())

    new = TravelDocument.objects.get(registration=delegate).data
    assert new != old
    settings.TRAVEL_DOCUMENT_KEYS = [OTHER_TEST_KEY]
    assert decrypt_json(new)["passport_number"] == PASSPORT_NUMBER


def test_travel_document_deleted_by_delegate_after_confirmation(client, delegate):
    enter(client, delegate)
    delete_url = reverse("registrations:travel_document_delete", kwargs={"token": delegate.token})

    confirmation = client.get(delete_url)
    assert TravelDocument.objects.filter(registration=delegate).exists()
    assert "Yes, delete them" in confirmation.content.decode()
    client.post(delete_url)

    assert not TravelDocument.objects.filter(registration=delegate).exists()


def test_travel_document_deleted_when_registration_anonymised(client, delegate):
    enter(client, delegate)

    services.registration_anonymise(registration=delegate)

    assert not TravelDocument.objects.exists()


def test_travel_documents_purged_days_after_trip_ends_independently(client, settings):
    settings.TRAVEL_DOCUMENT_RETENTION_DAYS = 7
    today = timezone.localdate()
    ended = make_trip(travel_data_recipients=RECIPIENTS)
    recent = make_trip(travel_data_recipients=RECIPIENTS)
    old_delegate, recent_delegate = apply(ended), apply(recent)
    enter(client, old_delegate)
    enter(client, recent_delegate)
    ended.__class__.objects.filter(pk=ended.pk).update(starts_on=today - timedelta(days=12), ends_on=today - timedelta(days=8))
    recent.__class__.objects.filter(pk=recent.pk).update(starts_on=today - timedelta(days=10), ends_on=today - timedelta(days=6))

    call_command("purge_personal_data", stdout=StringIO())

    assert list(TravelDocument.objects.values_list("registration_id", flat=True)) == [recent_delegate.pk]
    old_delegate.refresh_from_db()
    assert old_delegate.anonymised_at is None  # the general retention (180 days) is not reached


def _staff(*codenames: str) -> User:
    user = User.objects.create_user("staffer", password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="registrations", codename__in=codenames))
    return user


def test_travel_documents_admin_forbidden_without_permission(client, delegate):
    enter(client, delegate)
    every_registration_permission = [
        p.codename for p in Permission.objects.filter(content_type__app_label="registrations") if p.codename != "view_travel_documents"
    ]
    client.force_login(_staff(*every_registration_permission))

    list_url = reverse("admin:registrations_traveldocument_changelist")
    assert client.get(list_url).status_code == 403
    assert client.get(f"{list_url}?delegation={delegate.delegation_id}&format=csv").status_code == 403
    pages = [
        reverse("admin:index"),
        reverse("admin:registrations_registration_changelist"),
        reverse("admin:registrations_registration_change", args=[delegate.pk]),
        reverse("admin:registrations_delegation_change", args=[delegate.delegation_id]),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert PASSPORT_NUMBER not in response.content.decode(), page
        assert "Travel documents" not in response.content.decode() or page != reverse("admin:index")
    assert not TravelDocumentAccess.objects.exists()


def test_travel_documents_admin_lists_exports_and_logs(client, delegate):
    enter(client, delegate)
    user = _staff("view_travel_documents")
    client.force_login(user)
    list_url = reverse("admin:registrations_traveldocument_changelist")

    page = client.get(f"{list_url}?delegation={delegate.delegation_id}")
    export = client.get(f"{list_url}?delegation={delegate.delegation_id}&format=csv")
    xlsx = client.get(f"{list_url}?delegation={delegate.delegation_id}&format=xlsx")

    assert PASSPORT_NUMBER in page.content.decode()
    assert PASSPORT_NUMBER in export.content.decode("utf-8-sig")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    log = list(TravelDocumentAccess.objects.order_by("pk").values_list("username", "action", "delegation_id", "registration_ids"))
    assert log == [
        ("staffer", "view", delegate.delegation_id, str(delegate.pk)),
        ("staffer", "export_csv", delegate.delegation_id, str(delegate.pk)),
        ("staffer", "export_xlsx", delegate.delegation_id, str(delegate.pk)),
    ]
    access_list = reverse("admin:registrations_traveldocumentaccess_changelist")
    assert client.get(access_list).status_code == 403


def test_travel_document_access_log_visible_to_superuser_only_read_only(client, delegate):
    TravelDocumentAccess.objects.create(username="someone", action="view", delegation=delegate.delegation, registration_ids="1")
    admin_user = User.objects.create_superuser("root", password="x")
    client.force_login(admin_user)

    response = client.get(reverse("admin:registrations_traveldocumentaccess_changelist"))

    assert response.status_code == 200
    assert "someone" in response.content.decode()
    assert client.get(reverse("admin:registrations_traveldocumentaccess_add")).status_code == 403


def test_travel_document_keys_missing_fails_deploy_check():
    from tests.test_security import manage

    result = manage(
        "check",
        "--deploy",
        DJANGO_DEBUG="0",
        SITE_URL="https://delegation.example.com",
        DJANGO_SECRET_KEY="x" * 60,
        EMAIL_HOST="smtp.example.com",
        TRAVEL_DOCUMENT_KEYS="",
    )

    assert result.returncode != 0
    assert "registrations.E010" in result.stderr + result.stdout


@pytest.mark.django_db(transaction=True)
def test_travel_document_plain_values_not_in_backup(client, tmp_path):
    registration = apply(make_trip(travel_data_recipients=RECIPIENTS))
    enter(client, registration)
    assert TravelDocument.objects.get(registration=registration).data

    path = database_backup(directory=tmp_path / "backups")

    if connection.vendor == "sqlite":
        content = path.read_bytes().decode("utf-8", "replace")
    else:  # the custom format is compressed: read it back as SQL, as a restore would
        content = subprocess.run(["pg_restore", "--data-only", "-f", "-", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Applicant" in content  # the backup holds the registration itself
    assert PASSPORT_NUMBER not in content and PASSPORT_NAME not in content

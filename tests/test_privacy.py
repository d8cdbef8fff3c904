"""Consent versioning, anonymisation (one registration, and the retention purge), exports, backups."""

import csv
import io
import sqlite3
import subprocess
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone

from registrations import services
from registrations.consent import CONSENT_TEXTS, CONSENT_VERSION, consent_text
from registrations.core.backups import backups_prune, database_backup
from registrations.core.exports import csv_safe as spreadsheet_safe
from registrations.models import Registration
from tests.conftest import make_delegation, submit

Status = Registration.Status
# Values that must not survive anywhere in the database once anonymised.
PERSONAL = {
    "full_name": "Zhuge Sentinelname",
    "company": "Sentinelcorp Biologics",
    "job_title": "Chief Sentineltitle",
    "email": "sentinel.person@sentinel-mail.cn",
    "phone": "+86 131 2345 6789",
    "wechat_id": "sentinel_wx_id",
    "note": "Sentinel note: allergic to peanuts",
}


def text_values_in_database() -> str:
    """Every text column of every model's table, concatenated: what a leak would be found in."""
    chunks = []
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))]
        if fields:
            chunks.extend(str(value) for row in model.objects.values_list(*fields) for value in row)
    return "\n".join(chunks)


def ended_delegation(days_ago: int):
    ends = timezone.localdate() - timedelta(days=days_ago)
    return make_delegation(starts_on=ends - timedelta(days=3), ends_on=ends)


# --- Consent -------------------------------------------------------------------------------------


def test_consent_version_and_text_are_recorded_with_each_registration(client, delegation):
    client.post(
        reverse("registrations:register", kwargs={"slug": delegation.slug}),
        {
            **{k: v for k, v in PERSONAL.items()},
            "sector": str(delegation.sectors.first().pk),
            "consent": "on",
        },
    )

    registration = Registration.objects.get()
    assert registration.consent_version == CONSENT_VERSION
    assert registration.consent_text == consent_text() == "I agree that the organizers store and use these details to run this delegation."
    assert registration.consent_at is not None


def test_consent_text_is_recorded_in_the_language_shown(client, delegation):
    from django.utils import translation

    with translation.override("zh-hans"):
        registration = submit(delegation)
        shown = translation.gettext(CONSENT_TEXTS[CONSENT_VERSION])

    assert registration.consent_text == shown


def test_the_form_shows_the_current_consent_text(client, delegation):
    page = client.get(reverse("registrations:register", kwargs={"slug": delegation.slug})).content.decode()

    assert consent_text() in page


# --- Anonymising one registration on request --------------------------------------------------------


def test_anonymise_replaces_every_personal_field_and_keeps_status(db):
    delegation = ended_delegation(days_ago=10)
    registration = submit(delegation, **PERSONAL)
    old_token = registration.token

    services.registration_anonymise(registration=registration)

    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    assert registration.anonymised_at is not None
    assert registration.token != old_token
    assert (registration.full_name, registration.company, registration.job_title, registration.phone, registration.wechat_id, registration.note) == (
        "(anonymised)",
        "",
        "",
        "",
        "",
        "",
    )
    assert registration.email == f"anonymised-{registration.pk}@anonymised.invalid"
    assert all(value not in text_values_in_database() for value in PERSONAL.values())


def test_anonymise_before_the_trip_cancels_and_gives_the_seat_to_the_waiting_list(delegation):
    leaving = submit(delegation, **PERSONAL)
    submit(delegation)
    waiting = submit(delegation)

    services.registration_anonymise(registration=leaving)

    leaving.refresh_from_db()
    waiting.refresh_from_db()
    assert leaving.status == Status.CANCELLED and leaving.anonymised_at is not None
    assert waiting.status == Status.OFFERED


def test_anonymise_scrubs_the_admin_history(db, admin_user):
    registration = submit(ended_delegation(days_ago=1), **PERSONAL)
    LogEntry.objects.log_actions(user_id=admin_user.pk, queryset=[registration], action_flag=CHANGE, change_message="edited")

    services.registration_anonymise(registration=registration)

    entry = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(Registration))
    assert "Sentinelname" not in entry.object_repr


def test_the_old_private_link_stops_working(client, delegation):
    registration = submit(delegation, **PERSONAL)
    url = registration.get_absolute_url()

    services.registration_anonymise(registration=registration)

    assert client.get(url).status_code == 404


def test_admin_anonymise_action_asks_then_anonymises(admin_client, delegation):
    registration = submit(delegation, **PERSONAL)
    changelist = reverse("admin:registrations_registration_changelist")
    selection = {"action": "anonymise_selected", "_selected_action": [registration.pk]}

    confirm = admin_client.post(changelist, selection)
    registration.refresh_from_db()
    assert confirm.status_code == 200 and "cannot be undone" in confirm.content.decode()
    assert registration.anonymised_at is None

    done = admin_client.post(changelist, {**selection, "confirmed": "yes"}, follow=True)

    registration.refresh_from_db()
    assert registration.anonymised_at is not None and registration.status == Status.CANCELLED
    assert "Anonymised 1 registration" in done.content.decode()
    assert "Sentinelname" not in done.content.decode()


# --- Retention purge -----------------------------------------------------------------------------


def test_purge_anonymises_only_delegations_past_retention_and_keeps_counts(db, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    old, recent = ended_delegation(days_ago=31), ended_delegation(days_ago=29)
    for number in range(3):
        submit(old, **{**PERSONAL, "email": f"old{number}@sentinel-mail.cn"})
    kept = submit(recent, full_name="Still Here")

    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)

    kept.refresh_from_db()
    assert "Anonymised 3 registration(s) in total" in out.getvalue()
    assert Registration.objects.filter(delegation=old, anonymised_at__isnull=False).count() == 3
    assert Registration.objects.filter(delegation=old, status=Status.CONFIRMED).count() == 3
    assert kept.full_name == "Still Here" and kept.anonymised_at is None
    assert "Sentinelname" not in text_values_in_database() and "sentinel-mail" not in text_values_in_database()


def test_purge_dry_run_changes_nothing(db, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 0
    registration = submit(ended_delegation(days_ago=5), **PERSONAL)

    out = io.StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)

    registration.refresh_from_db()
    assert "Would anonymise 1 registration(s)" in out.getvalue()
    assert registration.full_name == PERSONAL["full_name"] and registration.anonymised_at is None


def test_purge_twice_is_harmless(db, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 0
    submit(ended_delegation(days_ago=5), **PERSONAL)
    call_command("purge_personal_data", stdout=io.StringIO())

    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)

    assert "Anonymised 0 registration(s) in total" in out.getvalue()


# --- Exports: formula injection, escaping in admin ----------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+86 138", "'+86 138"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Wang", "Wang"),
        ("", ""),
        (None, ""),
        (3, 3),
    ],
)
def test_spreadsheet_safe(value, expected):
    assert spreadsheet_safe(value) == expected


def test_csv_export_neutralises_formulas(admin_client, delegation):
    registration = submit(delegation, full_name="=cmd|' /C calc'!A0", company="@evil", note="-2+3")

    response = admin_client.post(
        reverse("admin:registrations_registration_changelist"), {"action": "export_csv", "_selected_action": [registration.pk]}
    )

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (row["Full name"], row["Company"], row["Note"]) == ("'=cmd|' /C calc'!A0", "'@evil", "'-2+3")
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_html_is_escaped_in_admin_list_and_change_page(admin_client, delegation):
    registration = submit(delegation, full_name="<img src=x onerror=alert(1)>", company="<b>Co</b>")

    pages = [
        admin_client.get(reverse("admin:registrations_registration_changelist")).content.decode(),
        admin_client.get(reverse("admin:registrations_registration_change", args=[registration.pk])).content.decode(),
    ]

    for page in pages:
        assert "<img src=x onerror=alert(1)>" not in page and "<b>Co</b>" not in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page


# --- Backups and restore ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_finds_the_registrations(tmp_path):
    delegation = make_delegation(slug="backup-check")
    names = sorted(submit(delegation, full_name=f"Backed Up {n}").full_name for n in range(3))

    path = database_backup(directory=tmp_path / "backups")

    assert path.stat().st_mode & 0o077 == 0  # owner-only: a backup holds personal data
    assert restored_names(path) == names


def restored_names(path) -> list[str]:
    """Restore the backup the way docs/deploying.md says, and read the registrations back."""
    query = (
        "SELECT r.full_name FROM registrations_registration r JOIN registrations_delegation d "
        "ON d.id = r.delegation_id WHERE d.slug = 'backup-check' ORDER BY r.full_name"
    )
    if connection.vendor == "sqlite":
        with sqlite3.connect(path) as restored:
            return [row[0] for row in restored.execute(query)]
    db = connection.settings_dict
    target = f"{db['NAME']}_restore"
    args = ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"]]
    subprocess.run(["dropdb", *args, "--if-exists", target], check=True)
    subprocess.run(["createdb", *args, target], check=True)
    try:
        subprocess.run(["pg_restore", *args, "--no-owner", "--dbname", target, str(path)], check=True)
        result = subprocess.run(["psql", *args, "-At", "-d", target, "-c", query], check=True, capture_output=True, text=True)
        return result.stdout.split("\n")[:-1]
    finally:
        subprocess.run(["dropdb", *args, "--if-exists", target], check=True)


@pytest.mark.django_db(transaction=True)
def test_prune_keeps_the_newest_backups(tmp_path):
    make_delegation()
    written = [database_backup(directory=tmp_path, now=timezone.now() - timedelta(days=days)) for days in (3, 2, 1)]

    deleted = backups_prune(directory=tmp_path, keep=2)

    assert deleted == [written[0]]
    assert sorted(tmp_path.iterdir()) == written[1:]


@pytest.mark.django_db(transaction=True)
def test_backup_command_reports_the_file(tmp_path):
    out = io.StringIO()

    call_command("backup_database", "--directory", str(tmp_path), stdout=out)

    assert f"Backup written: {next(tmp_path.iterdir())}" in out.getvalue()

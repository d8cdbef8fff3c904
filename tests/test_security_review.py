"""Security review (issue 10), part 1: admin permissions ("view on site", actions), logs, retention, deploy check."""

import re
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from registrations import services
from registrations.models import (
    Delegation,
    Invitation,
    ItineraryItem,
    Registration,
    Source,
    StatusChange,
)
from tests.conftest import make_delegation, submit

User = get_user_model()
PRIVATE_PATH = re.compile(r"^/(r|i|c|h|s)/")  # private page, invitation, check-in code, host list, seat handover


def soon_delegation(*, seats: int = 2, **overrides) -> Delegation:
    """A published, open delegation starting in 30 days, its itinerary moved to the trip's days."""
    starts_on = timezone.localdate() + timedelta(days=30)
    delegation = make_delegation(seats=seats, starts_on=starts_on, ends_on=starts_on + timedelta(days=3), **overrides)
    first = timezone.make_aware(timezone.datetime.combine(starts_on, timezone.datetime.min.time())) + timedelta(hours=9)
    for day, item in enumerate(delegation.itinerary.order_by("order")):
        ItineraryItem.objects.filter(pk=item.pk).update(starts_at=first + timedelta(days=day), ends_at=first + timedelta(days=day, hours=2))
    return delegation


def staff_user(username: str, *codenames: str):
    user = User.objects.create_user(username, password="pw-for-tests-only", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="registrations", codename__in=codenames))
    return user


def viewer():
    """A staff member who may view everything of the app and change nothing."""
    codenames = Permission.objects.filter(content_type__app_label="registrations", codename__startswith="view_")
    return staff_user("viewer", *codenames.values_list("codename", flat=True))


def gate_staff():
    """A staff member with only the check-in permission (admin/checkin.py)."""
    return staff_user("gate", "check_in")


@pytest.fixture
def everything(db, admin_user):
    """One of each kind of row the admin shows: registrations in several statuses, an invitation, a check-in, a source."""
    delegation = soon_delegation(seats=3)
    people = [submit(delegation) for _ in range(3)] + [submit(delegation)]  # three confirmed, one waitlisted
    invitation_delegation = soon_delegation(seats=2)
    invitation = services.invitation_create(
        delegation=invitation_delegation,
        full_name="Guest",
        email="guest@example.com",
        sector=invitation_delegation.sectors.first(),
        expires_at=timezone.now() + timedelta(days=5),
        by=admin_user,
    )
    services.checkin_record(registration=people[0], item=delegation.itinerary.first(), by=admin_user)
    Source.objects.create(delegation=delegation, name="Poster", code="poster")
    return {"delegation": delegation, "people": people, "invitation": invitation}


def every_object_link(client) -> list[tuple[str, int, str]]:
    """(model, status, Location) of /admin/r/<content type>/<id>/ for every content type and every object."""
    answers = []
    for content_type in ContentType.objects.order_by("pk"):
        model = content_type.model_class()
        if model is None:
            continue
        for pk in model._default_manager.order_by("pk").values_list("pk", flat=True):
            response = client.get(f"/admin/r/{content_type.pk}/{pk}/")
            answers.append((model.__name__, response.status_code, response.get("Location", "")))
    return answers


def private_redirects(answers) -> list[tuple[str, int, str]]:
    return [answer for answer in answers if answer[1] in (301, 302) and PRIVATE_PATH.match(urlsplit(answer[2]).path)]


# --- 1. "View on site" never opens a private link for staff who may not change it ---------------


@pytest.mark.parametrize("make_user", [gate_staff, viewer], ids=["check-in only", "view only"])
def test_view_on_site_enumeration_reaches_no_private_link_without_change_permission(client, everything, make_user):
    client.force_login(make_user())

    answers = every_object_link(client)

    assert len(answers) > 20
    assert private_redirects(answers) == []


def test_view_on_site_still_opens_the_private_link_for_who_may_change_it(client, everything):
    client.force_login(staff_user("organizer", "view_registration", "change_registration"))
    person = everything["people"][0]
    content_type = ContentType.objects.get_for_model(Registration)

    response = client.get(f"/admin/r/{content_type.pk}/{person.pk}/")

    assert response.status_code == 302 and response["Location"].endswith(f"/r/{person.token}/")


def test_view_on_site_still_opens_a_public_delegation_page_for_a_viewer(client, everything):
    client.force_login(viewer())
    delegation = everything["delegation"]

    response = client.get(f"/admin/r/{ContentType.objects.get_for_model(Delegation).pk}/{delegation.pk}/")

    assert response.status_code == 302 and response["Location"].endswith(f"/d/{delegation.slug}/")


def test_registration_page_shows_no_private_link_or_token_to_a_viewer(client, everything):
    person = everything["people"][0]
    client.force_login(viewer())

    page = client.get(reverse("admin:registrations_registration_change", args=[person.pk])).content.decode()

    assert person.full_name in page
    assert person.token not in page and "/admin/r/" not in page


def test_registration_page_shows_the_private_link_to_who_may_change_it(admin_client, everything):
    person = everything["people"][0]

    page = admin_client.get(reverse("admin:registrations_registration_change", args=[person.pk])).content.decode()

    assert f"/r/{person.token}/" in page


def test_invitation_list_and_page_show_no_link_to_a_viewer(client, everything):
    invitation = everything["invitation"]
    client.force_login(viewer())

    listing = client.get(reverse("admin:registrations_invitation_changelist")).content.decode()
    page = client.get(reverse("admin:registrations_invitation_change", args=[invitation.pk])).content.decode()

    assert "guest@example.com" in listing and "Guest" in page
    assert invitation.token not in listing and invitation.token not in page


def test_outbox_message_body_with_the_private_link_is_hidden_from_a_viewer(client, everything):
    person = everything["people"][0]
    message = person.emails.first()
    client.force_login(viewer())

    page = client.get(reverse("admin:registrations_outboxemail_change", args=[message.pk])).content.decode()

    assert message.subject in page
    assert person.token not in page


# --- 2. Every admin action needs the permission it exercises ------------------------------------


def every_row() -> dict[str, list[dict]]:
    return {model.__name__: list(model._default_manager.order_by("pk").values()) for model in admin.site._registry}


def every_action(request_user) -> list[tuple[type, str]]:
    """(model, action name) for every action of every registered ModelAdmin, as a superuser sees them."""

    class Request:
        user = request_user
        GET = {}

    return [(model, name) for model, model_admin in admin.site._registry.items() for name in model_admin.get_actions(Request())]


@pytest.mark.parametrize("make_user", [gate_staff, viewer], ids=["check-in only", "view only"])
def test_every_admin_action_changes_nothing_for_staff_without_change_permission(client, everything, admin_user, make_user):
    actions = every_action(admin_user)
    user = make_user()
    client.force_login(user)
    before = every_row()

    answers = []
    for model, name in actions:
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        pks = [str(pk) for pk in model._default_manager.values_list("pk", flat=True)]
        response = client.post(
            changelist,
            {
                "action": name,
                "_selected_action": pks,
                "index": "0",
                "select_across": "0",
                "confirmed": "yes",
                "apply": "1",
                "reason": "by viewer",
                "post": "yes",
            },
        )
        answers.append((model.__name__, name, response.status_code))

    assert {name for _model, name in actions} >= {
        "confirm_selected",
        "waitlist_selected",
        "reject_selected",
        "cancel_selected",
        "rotate_checkin_codes",
        "anonymise_selected",
        "revoke_selected",
        "undo_selected",
        "retry_selected",
        "remove_selected",
    }
    assert every_row() == before
    assert StatusChange.objects.filter(changed_by=user).count() == 0
    assert LogEntry.objects.filter(user=user).count() == 0
    assert Invitation.objects.get().revoked_at is None


def test_every_custom_admin_page_refuses_staff_without_any_permission(client, everything):
    delegation, person = everything["delegation"], everything["people"][0]
    source, item = Source.objects.get(), delegation.itinerary.first()
    client.force_login(staff_user("nobody"))
    urls = [
        reverse("admin:registrations_delegation_dashboard", args=[delegation.pk]),
        reverse("admin:registrations_source_poster", args=[source.pk]),
        reverse("admin:registrations_source_delegation_poster", args=[delegation.pk]),
        reverse("admin:registrations_checkin_attendance"),
        reverse("admin:registrations_checkin_attendance_item", args=[item.pk]),
        reverse("admin:registrations_checkin_attendance_csv", args=[item.pk]),
        reverse("admin:registrations_itineraryitem_attendees", args=[item.pk]),
        reverse("admin:registrations_itineraryitem_attendees_csv", args=[item.pk]),
    ]

    statuses = [client.get(url).status_code for url in urls]
    posted = client.post(reverse("admin:registrations_checkin_attendance_item", args=[item.pk]), {"registration": str(person.pk)})

    assert statuses == [403] * len(urls)
    assert posted.status_code == 403 and person.checkins.count() == 1


# --- 6. Every secret-bearing path is masked in the three logs ------------------------------------

SECRET_PATHS = {
    "/r/AbCdEfGhIjKlMnOpQrStUv1234567890abcdefghijk/cancel/": "/r/<token>/cancel/",
    "/i/ZyXwVuTsRqPoNmLkJiHgFe0987654321zyxwvutsrqp/": "/i/<token>/",
    "/c/Check1nCodeCheck1nCodeCheck1nCodeCheck1nCo/": "/c/<token>/",
    "/h/H0stL1stH0stL1stH0stL1stH0stL1stH0stL1stH0s/visitors.xlsx": "/h/<token>/visitors.xlsx",
}


@pytest.mark.parametrize("path,masked", SECRET_PATHS.items())
def test_django_log_masks_every_secret_path(path, masked):
    import logging

    from registrations.core.log_filters import RedactPersonalData

    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s", (path,), None)

    RedactPersonalData().filter(record)

    assert record.getMessage() == f"Not Found: {masked}"


@pytest.mark.parametrize("path,masked", SECRET_PATHS.items())
def test_gunicorn_access_log_masks_every_secret_path(path, masked):
    from types import SimpleNamespace

    from gunicorn.config import Config

    from incheon_delegation.gunicorn_logging import RedactingLogger

    config = Config()
    config.set("accesslog", None)
    environ = {"PATH_INFO": path, "QUERY_STRING": "", "REQUEST_METHOD": "GET", "RAW_URI": path, "SERVER_PROTOCOL": "HTTP/1.1"}
    response = SimpleNamespace(status="200 OK", sent=10, headers=[], response_length=10)
    request = SimpleNamespace(headers=[], peer_addr="127.0.0.1", method="GET", path=path, query="")

    atoms = RedactingLogger(config).atoms(response, request, environ, SimpleNamespace(seconds=0, microseconds=1000))

    assert atoms["U"] == masked and path not in atoms["r"]


@pytest.mark.parametrize("path,masked", [*SECRET_PATHS.items(), ("/d/trip/register/", "/d/trip/register/"), ("/q/poster", "/q/poster")])
def test_nginx_sample_log_map_masks_every_secret_path(path, masked):
    import re
    from pathlib import Path

    nginx = (Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf").read_text()
    block = re.search(r"map \$uri \$delegation_loggable_uri \{(.*?)\}", nginx, re.S).group(1)
    rules = [line.rstrip("; ").split() for line in block.strip().splitlines() if line.strip().startswith("~")]

    for pattern, replacement in rules:  # nginx (PCRE) syntax -> Python's
        python_pattern = pattern[1:].replace("(?<", "(?P<")
        match = re.match(python_pattern, path)
        if match:
            result = re.sub(r"\$(\w+)", lambda m, match=match: match.group(m.group(1)) or "", replacement)
            break
    else:
        result = path

    assert result == masked


# --- 9. The retention purge and anonymising leave nothing about the person ---------------------


def ended_delegation(days_ago: int) -> Delegation:
    ends = timezone.localdate() - timedelta(days=days_ago)
    return make_delegation(starts_on=ends - timedelta(days=3), ends_on=ends)


def invitation_row(delegation: Delegation, name: str, **fields) -> Invitation:
    """An invitation as it stands after the trip (created directly: the service only invites before the trip)."""
    return Invitation.objects.create(
        delegation=delegation,
        full_name=name,
        email=f"{name.lower()}@guest-mail.cn",
        company=f"{name} Co",
        sector=delegation.sectors.first(),
        expires_at=timezone.now() - timedelta(days=40),
        **fields,
    )


def test_purge_anonymises_unused_invitations_of_delegations_past_retention(db, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    old, recent = ended_delegation(days_ago=31), ended_delegation(days_ago=29)
    expired, withdrawn = invitation_row(old, "Expired"), invitation_row(old, "Withdrawn", revoked_at=timezone.now() - timedelta(days=50))
    kept = invitation_row(recent, "Recent")
    out = StringIO()

    call_command("purge_personal_data", stdout=out)

    rows = {row.pk: (row.full_name, row.email, row.company) for row in Invitation.objects.all()}
    assert rows[expired.pk] == ("(anonymised)", f"anonymised-invitation-{expired.pk}@anonymised.invalid", "")
    assert rows[withdrawn.pk] == ("(anonymised)", f"anonymised-invitation-{withdrawn.pk}@anonymised.invalid", "")
    assert rows[kept.pk] == ("Recent", "recent@guest-mail.cn", "Recent Co")
    assert "Anonymised 2 invitation(s)" in out.getvalue()


def test_purge_dry_run_leaves_invitations_and_reports_them(db, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.PERSONAL_DATA_RETENTION_DAYS = 0
    invitation = invitation_row(ended_delegation(days_ago=5), "Guest")
    out = StringIO()

    call_command("purge_personal_data", "--dry-run", stdout=out)

    invitation.refresh_from_db()
    assert invitation.full_name == "Guest" and "Would anonymise 1 invitation(s)" in out.getvalue()


def test_anonymise_scrubs_the_organizers_reasons(db, admin_user):
    delegation = soon_delegation(seats=5, registration_mode=Delegation.Mode.REVIEW)
    applicant = submit(delegation)
    services.registration_reject(registration=applicant, by=admin_user, reason="Met Wang at the fair: rude, owes us money.")

    services.registration_anonymise(registration=applicant)

    applicant.refresh_from_db()
    assert applicant.decision_reason == ""
    assert list(applicant.status_changes.values_list("reason", flat=True)) == ["", ""]


def test_anonymise_reads_the_status_under_the_lock_not_from_a_stale_copy(db):
    delegation = soon_delegation(seats=2)
    stale = submit(delegation)  # confirmed in this copy
    services.registration_cancel(registration=Registration.objects.get(pk=stale.pk))  # cancelled meanwhile

    services.registration_anonymise(registration=stale)

    stale.refresh_from_db()
    assert stale.anonymised_at is not None and stale.status == Registration.Status.CANCELLED
    assert stale.status_changes.filter(to_status=Registration.Status.CANCELLED).count() == 1


# --- 10. Production never prints e-mails to the log by default -------------------------------------


def deploy_check(**env: str):
    from tests.test_security import manage

    production = {"DJANGO_DEBUG": "0", "SITE_URL": "https://delegation.example.com", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}
    clean_email = {name: "" for name in ("EMAIL_HOST", "EMAIL_BACKEND")}
    return manage("check", "--deploy", "--fail-level", "WARNING", **{**clean_email, **production, **env})


def test_deploy_check_fails_when_debug_is_off_and_emails_would_be_printed():
    result = deploy_check()

    assert result.returncode == 1
    assert "registrations.E001" in result.stderr and "would be printed to the server log" in result.stderr


def test_deploy_check_passes_with_an_smtp_host_or_the_console_chosen_on_purpose():
    with_smtp = deploy_check(EMAIL_HOST="smtp.example.com")
    console_on_purpose = deploy_check(EMAIL_BACKEND="console")

    assert with_smtp.returncode == 0, with_smtp.stderr
    assert console_on_purpose.returncode == 0, console_on_purpose.stderr


def test_the_service_runs_the_deploy_check_before_starting():
    from pathlib import Path

    unit = (Path(__file__).resolve().parent.parent / "deploy" / "delegation.service").read_text()

    assert "ExecStartPre=/srv/delegation/.venv/bin/python manage.py check --deploy --fail-level ERROR" in unit


def test_make_serve_chooses_the_console_only_without_smtp_and_says_where_emails_go():
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    probe = "probe:\n\t@echo EMAIL_BACKEND=$$EMAIL_BACKEND\n"
    makefile = (root / "Makefile").read_text()
    serve_exports = [line.replace("serve:", "probe:", 1) for line in makefile.splitlines() if line.startswith("serve: export")]
    answers = {}
    for host in ("", "smtp.example.com"):
        result = subprocess.run(
            ["make", "-s", "-f", "-", "probe", f"EMAIL_HOST={host}"],
            input="\n".join(serve_exports) + "\n" + probe,
            cwd=root,
            capture_output=True,
            text=True,
            timeout=60,
        )
        answers[host] = result.stdout.strip()

    assert answers == {"": "EMAIL_BACKEND=console", "smtp.example.com": "EMAIL_BACKEND="}
    assert "E-mails: printed to this console" in makefile and "E-mails: sent through SMTP" in makefile

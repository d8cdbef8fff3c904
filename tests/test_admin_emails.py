"""The message log in admin: per registration (inline) and the outbox with filters and "retry"."""

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from registrations.models import OutboxEmail
from tests.conftest import submit
from tests.smtp import free_port, use_smtp

Status = OutboxEmail.Status
CHANGELIST = "admin:registrations_outboxemail_changelist"


@pytest.fixture
def failed_email(settings, delegation, django_capture_on_commit_callbacks):
    """A message that could not be sent (mail server down) and was given up on."""
    use_smtp(settings, free_port())
    settings.EMAIL_OUTBOX_MAX_ATTEMPTS = 1
    with django_capture_on_commit_callbacks(execute=True):
        registration = submit(delegation)
    return OutboxEmail.objects.get(registration=registration)


def test_registration_page_shows_its_message_log(admin_client, delegation, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registration = submit(delegation)
    submit(delegation, full_name="Someone Else")

    page = admin_client.get(reverse("admin:registrations_registration_change", args=[registration.pk])).content.decode()

    assert "E-mails sent to this person" in page
    assert f"Registration received (Confirmed): {delegation.title}" in page
    assert re.search(r'<td class="field-status">\s*<p>Sent</p>', page)
    assert page.count('<td class="field-kind">') == 1
    assert 'name="emails-0-subject"' not in page  # read-only: no form fields


def test_registration_page_still_saves_with_the_log_inline(admin_client, delegation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registration = submit(delegation)
    url = reverse("admin:registrations_registration_change", args=[registration.pk])
    data = {
        "delegation": delegation.pk,
        "full_name": "New Name",
        "company": registration.company,
        "job_title": "CTO",
        "sector": registration.sector_id,
        "email": registration.email,
        "phone": registration.phone,
        "wechat_id": "",
        "note": "",
        "source": "",
        "emails-TOTAL_FORMS": "1",
        "emails-INITIAL_FORMS": "1",
        "emails-MIN_NUM_FORMS": "0",
        "emails-MAX_NUM_FORMS": "0",
        "language": "en",
        "status_changes-TOTAL_FORMS": "1",
        "status_changes-INITIAL_FORMS": "1",
        "status_changes-MIN_NUM_FORMS": "0",
        "status_changes-MAX_NUM_FORMS": "0",
        "detail_changes-TOTAL_FORMS": "0",
        "detail_changes-INITIAL_FORMS": "0",
        "detail_changes-MIN_NUM_FORMS": "0",
        "detail_changes-MAX_NUM_FORMS": "0",
        "status_changes-0-id": registration.status_changes.get().pk,
        "status_changes-0-registration": registration.pk,
        "emails-0-id": registration.emails.get().pk,
        "emails-0-registration": registration.pk,
        "answers-TOTAL_FORMS": "0",
        "answers-INITIAL_FORMS": "0",
        "answers-MIN_NUM_FORMS": "0",
        "answers-MAX_NUM_FORMS": "0",
    }

    response = admin_client.post(url, data)

    registration.refresh_from_db()
    assert response.status_code == 302
    assert registration.full_name == "New Name"
    assert OutboxEmail.objects.get().status == Status.SENT


def test_outbox_changelist_filters_by_kind_and_status(admin_client, delegation, failed_email, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        submit(delegation)

    everything = admin_client.get(reverse(CHANGELIST)).context["cl"].result_count
    failed = admin_client.get(reverse(CHANGELIST), {"status__exact": "failed"}).context["cl"]
    received = admin_client.get(reverse(CHANGELIST), {"kind__exact": "received", "status__exact": "sent"}).context["cl"]

    assert everything == 2
    assert [email.pk for email in failed.result_list] == [failed_email.pk]
    assert received.result_count == 1
    page = admin_client.get(reverse(CHANGELIST)).content.decode()
    assert "By kind" in page and "By status" in page and "ConnectionRefusedError" in page


def test_outbox_message_page_is_read_only(admin_client, failed_email):
    page = admin_client.get(reverse("admin:registrations_outboxemail_change", args=[failed_email.pk])).content.decode()

    assert failed_email.subject in page and "ConnectionRefusedError" in page
    assert 'name="_save"' not in page


def retry(admin_client, emails):
    return admin_client.post(
        reverse(CHANGELIST),
        {"action": "retry_selected", ACTION_CHECKBOX_NAME: [e.pk for e in emails]},
        follow=True,
    )


def test_retry_action_sends_a_failed_message(admin_client, settings, failed_email, mailoutbox):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the mail server is back

    response = retry(admin_client, [failed_email])

    failed_email.refresh_from_db()
    assert [str(m) for m in response.context["messages"]] == ["Sent 1 e-mail."]
    assert (failed_email.status, failed_email.attempts) == (Status.SENT, 2)
    assert [m.to for m in mailoutbox] == [[failed_email.recipient]]


def test_retry_action_reports_a_failure_and_skips_sent_messages(admin_client, delegation, settings, failed_email, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        sent = OutboxEmail.objects.get(registration=submit(delegation))
    use_smtp(settings, free_port())  # down again

    response = retry(admin_client, [failed_email, sent])

    failed_email.refresh_from_db()
    assert [str(m) for m in response.context["messages"]] == [
        "1 e-mail could not be sent; see its last error. It stays in the log and can be retried.",
        "1 e-mail was skipped: it is already sent or being sent.",
    ]
    assert (failed_email.status, failed_email.attempts) == (Status.FAILED, 2)

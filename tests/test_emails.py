"""Messages at each step: queued with the change that causes them, rendered in the registrant's language."""

from datetime import UTC

import icalendar
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from registrations import services
from registrations.models import Announcement, OutboxEmail, Registration
from registrations.services import emails, outbox
from tests.conftest import submit
from tests.helpers import sent, trip_day, trip_time

Kind = OutboxEmail.Kind


def private_url(registration):
    return f"{settings.SITE_URL}/r/{registration.token}/"


def ics_attachment(message):
    [(filename, content, mimetype)] = message.attachments
    return filename, icalendar.Calendar.from_ical(content), mimetype


def test_registration_submit_sends_received_with_confirmed_status_after_commit(delegation, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        registration = submit(delegation, full_name="Wang Xiaoming")

    email = OutboxEmail.objects.get()
    sends = [c for c in callbacks if getattr(c, "func", None) is outbox.outbox_email_send]
    assert len(sends) == 1
    assert (email.kind, email.status, email.attempts, email.recipient) == (Kind.RECEIVED, "sent", 1, registration.email)
    assert email.sent_at is not None and email.last_error == ""
    [message] = mailoutbox
    assert message.to == [registration.email]
    assert message.subject == f"Registration received (Confirmed): {delegation.title}"
    assert "Dear Wang Xiaoming," in message.body
    assert "Your seat in the delegation is confirmed." in message.body
    assert private_url(registration) in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html" and f'href="{private_url(registration)}"' in html
    filename, calendar, mimetype = ics_attachment(message)
    assert (filename, mimetype) == (f"{delegation.slug}-itinerary.ics", "text/calendar")
    assert len(list(calendar.walk("VEVENT"))) == 2


def test_registration_submit_records_message_but_sends_nothing_before_commit(delegation, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(delegation)

    assert len([c for c in callbacks if getattr(c, "func", None) is outbox.outbox_email_send]) == 1
    assert OutboxEmail.objects.get().status == "queued"
    assert mailoutbox == []


def test_registration_submit_to_waiting_list_says_position_without_attachment(delegation, mailoutbox, django_capture_on_commit_callbacks):
    submit(delegation), submit(delegation)

    with django_capture_on_commit_callbacks(execute=True):
        third = submit(delegation)

    [message] = mailoutbox
    assert message.subject == f"Registration received (On the waiting list): {delegation.title}"
    assert "you are number 1 on the waiting list" in message.body
    assert message.attachments == []
    assert OutboxEmail.objects.get(registration=third).attach_itinerary is False


def test_refused_submission_queues_nothing(delegation):
    submit(delegation, email="ceo@example.com")

    with pytest.raises(ValidationError):
        submit(delegation, email="CEO@example.com")

    assert OutboxEmail.objects.count() == 1


def test_message_is_not_recorded_when_the_change_rolls_back(delegation, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        with transaction.atomic():
            submit(delegation)
            raise RuntimeError("something later in the same transaction failed")

    assert Registration.objects.count() == 0
    assert OutboxEmail.objects.count() == 0
    assert callbacks == [] and mailoutbox == []


def test_registration_cancel_sends_cancelled_and_the_next_person_gets_an_offer(delegation, mailoutbox, django_capture_on_commit_callbacks):
    first, _second, waiting = submit(delegation), submit(delegation), submit(delegation)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first)

    kinds = dict(OutboxEmail.objects.exclude(kind=Kind.RECEIVED).values_list("registration_id", "kind"))
    assert kinds == {first.pk: Kind.CANCELLED, waiting.pk: Kind.OFFER}
    cancelled, offer = sorted(mailoutbox, key=lambda m: m.to != [first.email])
    assert cancelled.subject == f"Your registration is cancelled: {delegation.title}"
    assert f"http://127.0.0.1:8000/d/{delegation.slug}/register/" in cancelled.body
    assert cancelled.attachments == []
    waiting.refresh_from_db()
    deadline = timezone.localtime(waiting.offer_expires_at)
    assert offer.to == [waiting.email]
    assert offer.subject == f"A seat is held for you: {delegation.title}"
    assert private_url(waiting) in offer.body
    assert deadline.strftime("%Y-%m-%d %H:%M") in offer.body


def test_accepting_an_offer_sends_the_confirmation_with_the_itinerary(delegation, mailoutbox, django_capture_on_commit_callbacks):
    first, _second, waiting = submit(delegation), submit(delegation), submit(delegation)
    services.registration_cancel(registration=first)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_offer_accept(registration=waiting)

    (confirmed,) = mailoutbox
    assert confirmed.subject == f"Your seat is confirmed: {delegation.title}"
    assert private_url(waiting) in confirmed.body and "Songdo Bio Industrial Park" in confirmed.body
    assert ics_attachment(confirmed)[0] == f"{delegation.slug}-itinerary.ics"


def test_delegation_set_seats_sends_an_offer_to_everyone_offered(delegation, django_capture_on_commit_callbacks, mailoutbox):
    submit(delegation), submit(delegation)
    waiting = [submit(delegation), submit(delegation), submit(delegation)]
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.delegation_set_seats(delegation=delegation, seats=4)

    assert sorted(m.to[0] for m in mailoutbox) == sorted(r.email for r in waiting[:2])
    assert OutboxEmail.objects.filter(kind=Kind.OFFER, status="sent").count() == 2


def test_waitlisted_message_names_the_position(delegation):
    submit(delegation), submit(delegation), submit(delegation)
    fourth = submit(delegation)

    email = emails.registration_email_queue(registration=fourth, kind=Kind.WAITLISTED)

    assert email.subject == f"You are on the waiting list: {delegation.title}"
    assert "at number 2." in email.body_text and "at number 2." in email.body_html
    assert email.attach_itinerary is False


def test_offer_message_gives_the_deadline_in_korea_time(delegation):
    registration = submit(delegation)
    deadline = trip_time(-40, 12).astimezone(UTC)
    expected = f"before {trip_day(-40).isoformat()} 12:00 (Korea time, UTC+9)"

    email = emails.registration_email_queue(registration=registration, kind=Kind.OFFER, deadline=deadline)

    assert email.subject == f"A seat is held for you: {delegation.title}"
    assert expected in email.body_text
    assert expected in email.body_html
    assert private_url(registration) in email.body_text


def test_rejected_message_shows_the_reason_when_given(delegation):
    registration = submit(delegation)

    with_reason = emails.registration_email_queue(registration=registration, kind=Kind.REJECTED, reason="All seats in Clean energy\nare taken.")
    without = emails.registration_email_queue(registration=registration, kind=Kind.REJECTED)

    assert "The organizers' note:\nAll seats in Clean energy\nare taken." in with_reason.body_text
    assert "All seats in Clean energy" in with_reason.body_html
    assert "note" not in without.body_text and "cannot offer you a seat this time" in without.body_text


def test_visits_message_lists_chosen_and_waitlisted_visits(delegation):
    registration = submit(delegation)
    opening, songdo = delegation.itinerary.order_by("starts_at")

    email = emails.registration_email_queue(registration=registration, kind=Kind.VISITS, visits=[songdo], waitlisted_visits=[opening])

    assert email.subject == f"Your site visits: {delegation.title}"
    assert f"- {trip_day(1).isoformat()} 09:00–12:00 Songdo Bio Industrial Park\n" in email.body_text
    assert f"You are on the waiting list for:\n- {trip_day(0).isoformat()} 09:00 Opening\n" in email.body_text
    assert "<strong>Songdo Bio Industrial Park</strong>" in email.body_html


# Without the private link by design: a guest's invitation (test_invitation_admin.py), the colleague's handover request
# and the old seat holder's "handed over" notice (test_substitution_views.py).
NO_PRIVATE_LINK = (Kind.INVITATION, Kind.HANDOVER_REQUEST, Kind.HANDED_OVER)


@pytest.mark.parametrize("kind", [kind for kind in Kind if kind not in NO_PRIVATE_LINK])
def test_every_kind_has_text_and_html_with_the_private_link(delegation, kind):
    registration = submit(delegation)
    about = {  # the kinds about one thing: the organizers' announcement, the visit reminded of
        Kind.ANNOUNCEMENT: {"announcement": Announcement(delegation=delegation, subject="News", body="Text")},
        Kind.VISIT_REMINDER: {"item": delegation.itinerary.first()},
    }.get(kind, {})

    email = emails.registration_email_queue(
        registration=registration,
        kind=kind,
        deadline=trip_time(-40, 12),
        visits=[],
        **about,
    )

    assert private_url(registration) in email.body_text
    assert f'href="{private_url(registration)}"' in email.body_html
    assert email.body_html.startswith("<!doctype html>")
    assert "\n\n\n" not in email.body_text and "{%" not in email.body_text + email.body_html


def test_names_are_plain_in_text_and_escaped_in_html(delegation):
    registration = submit(delegation, full_name="Li & <b>Wei</b>")

    email = sent(OutboxEmail.objects.get(registration=registration))

    assert "Dear Li & <b>Wei</b>," in email.body_text
    assert "Dear Li &amp; &lt;b&gt;Wei&lt;/b&gt;," in email.body_html


def test_message_is_rendered_in_the_registrants_language(delegation):
    registration = submit(delegation)
    registration.language = "zh-hans"  # Registration.language arrives from another branch; getattr reads it

    with translation.override("ko"):
        email = emails.registration_email_queue(registration=registration, kind=Kind.CONFIRMED)
        assert translation.get_language() == "ko"

    assert email.language == "zh-hans"
    assert '<html lang="zh-hans">' in email.body_html


def test_message_without_a_language_uses_the_site_default(delegation):
    registration = submit(delegation)

    with translation.override("ko"):
        email = emails.registration_email_queue(registration=registration, kind=Kind.CANCELLED)

    assert email.language == settings.LANGUAGE_CODE == "en"
    assert '<html lang="en">' in email.body_html


def test_status_without_a_message_queues_nothing(delegation):
    registration = submit(delegation)
    registration.status = "pending"  # announced by the "received" message, not by the status change

    assert emails.registration_email_queue_for_status(registration=registration) is None
    assert OutboxEmail.objects.count() == 1


def test_waitlisted_email_has_no_checkin_code(delegation):
    submit(delegation), submit(delegation)
    waiting = submit(delegation)

    message = emails.registration_email_render(registration=waiting, kind=Kind.WAITLISTED)

    assert "check-in code" not in message["body_text"] + message["body_html"]


def test_rejecting_sends_the_reason_once(db, mailoutbox, django_capture_on_commit_callbacks):
    from registrations.models import Delegation
    from tests.conftest import make_delegation

    review = make_delegation(seats=2, registration_mode=Delegation.Mode.REVIEW)
    application = submit(review)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_reject(registration=application, reason="All seats in your field are taken.")

    (message,) = mailoutbox
    assert message.subject == f"Your application: {review.title}"
    assert "All seats in your field are taken." in message.body


def test_confirmation_email_carries_the_checkin_code(delegation, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registration = submit(delegation)

    (message,) = mailoutbox
    html = message.alternatives[0][0]
    assert f"/c/{registration.checkin_code}/" in message.body
    assert f"/r/{registration.token}/checkin.png" in html


def test_html_in_a_name_is_escaped_in_the_html_email(delegation):
    registration = submit(delegation, full_name="<script>alert(1)</script>")

    message = emails.registration_email_render(registration=registration, kind=Kind.CONFIRMED)

    assert "<script>alert(1)</script>" not in message["body_html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in message["body_html"]


def test_with_sending_after_commit_off_the_request_only_records_and_the_command_sends(
    delegation, settings, mailoutbox, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    settings.EMAIL_SEND_AFTER_COMMIT = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        registration = submit(delegation)

    assert [c for c in callbacks if getattr(c, "func", None) is outbox.outbox_email_send] == []
    assert mailoutbox == [] and OutboxEmail.objects.get().status == "queued"

    call_command("send_pending_emails", verbosity=0)

    assert [m.to for m in mailoutbox] == [[registration.email]]
    assert OutboxEmail.objects.get().status == "sent"


def test_subject_names_the_delegation_in_the_registrants_language(delegation):
    delegation.title_zh_hans = "仁川科技周代表团"
    delegation.save(update_fields=["title_zh_hans"])
    registration = submit(delegation)
    registration.language = "zh-hans"

    message = emails.registration_email_render(registration=registration, kind=Kind.CONFIRMED)

    assert "仁川科技周代表团" in message["subject"]

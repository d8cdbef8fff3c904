"""Announcements in admin, as an organizer's browser sends them: write, preview in each language, send, see who got it."""

import re
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from registrations import services
from registrations.models import Announcement, ItineraryItem, OutboxEmail
from tests.admin_forms import form_fields, form_with, post_like_a_browser, resubmit
from tests.announcement_helpers import Audience, make_trip, recipient_counts, write
from tests.conftest import make_delegation

Status = Announcement.Status
Kind = OutboxEmail.Kind
TEXTS = {
    "subject": "Bus to Songdo leaves at 07:30",
    "subject_zh_hans": "前往松岛的大巴07:30出发",
    "subject_ko": "송도행 버스 07:30 출발",
    "body": "Meet in the hotel lobby at 07:15.",
    "body_zh_hans": "请于07:15在酒店大堂集合。",
    "body_ko": "07:15에 호텔 로비에서 모입니다.",
}


@pytest.fixture
def trip(db):
    return make_trip()


def preview_url(announcement: Announcement) -> str:
    return reverse("admin:registrations_announcement_preview", args=[announcement.pk])


def change_url(announcement: Announcement) -> str:
    return reverse("admin:registrations_announcement_change", args=[announcement.pk])


def press(client, url: str, action: str, *, follow: bool = True):
    """Press one of the "Preview and send" page's buttons, sending the form as the browser does."""
    form = form_with(client.get(url).content.decode(), action="")
    assert ("action", action) in form.buttons, form.buttons
    return post_like_a_browser(client, url, form.data(button=("action", action)), follow=follow)


def announcement_messages(mailoutbox) -> list:
    """The announcement e-mails among those sent (the trip's own set-up messages left out)."""
    ids = set(OutboxEmail.objects.filter(kind=Kind.ANNOUNCEMENT).values_list("pk", flat=True))
    return [message for message in mailoutbox if int(message.extra_headers["X-Outbox-Id"]) in ids]


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# --- Done when: one visit's attendees, exactly them, once, in their languages ------------------


def test_announcement_to_one_visits_attendees_reaches_exactly_them_once_in_their_languages(
    admin_client, trip, mailoutbox, django_capture_on_commit_callbacks
):
    add = reverse("admin:registrations_announcement_add") + f"?delegation={trip.delegation.pk}&audience=visit&visit={trip.visit.pk}"

    written = resubmit(admin_client, add, TEXTS)
    announcement = Announcement.objects.get()
    preview = admin_client.get(written["Location"])
    with django_capture_on_commit_callbacks(execute=True):
        sent = press(admin_client, preview_url(announcement), "send_now")
    call_command("send_scheduled_messages", verbosity=0)
    call_command("send_pending_emails", verbosity=0)
    messages = announcement_messages(mailoutbox)
    delivered = admin_client.get(preview_url(announcement))

    assert written.status_code == 302 and written["Location"] == preview_url(announcement)
    assert "2 people (Simplified Chinese: 1 · Korean: 1 · English: 0)" in text_of(preview)
    assert "Sent to 2 people" in text_of(sent)
    assert sorted((message.to[0], message.subject) for message in messages) == sorted(
        [
            (trip.zh.email, "前往松岛的大巴07:30出发"),
            (trip.ko.email, "송도행 버스 07:30 출발"),
        ]
    )
    assert "请于07:15在酒店大堂集合。" in next(m.body for m in messages if m.to == [trip.zh.email])
    assert recipient_counts(Kind.ANNOUNCEMENT) == {trip.zh.email: 1, trip.ko.email: 1}
    assert sent.content.decode().count('<tr class="delivery-queued">') == 2  # sent once the request's transaction commits
    assert delivered.content.decode().count('<tr class="delivery-sent">') == 2
    assert "王小明" in text_of(delivered) and "박서준" in text_of(delivered)
    assert "Emily Zhang" not in text_of(delivered) and "Li Na" not in text_of(delivered)


# --- the form, whole, as a browser sends it ----------------------------------------------------


def test_draft_saves_unchanged_as_a_browser_submits_it(admin_client, trip):
    announcement = write(trip.delegation, audience=Audience.VISIT, visit=trip.visit)
    before = model_to_dict(announcement)

    response = resubmit(admin_client, change_url(announcement))

    announcement.refresh_from_db()
    assert response.status_code == 302
    assert model_to_dict(announcement) == before
    assert LogEntry.objects.get(object_id=str(announcement.pk)).get_change_message() == "No fields changed."


def test_draft_saves_one_changed_text(admin_client, trip):
    announcement = write(trip.delegation)

    response = resubmit(admin_client, change_url(announcement), {"body_ko": "로비에서 07:15에 모입니다."})

    announcement.refresh_from_db()
    assert response.status_code == 302
    assert (announcement.body_ko, announcement.body_zh_hans, announcement.status) == (
        "로비에서 07:15에 모입니다.",
        "请在酒店大堂集合。",
        Status.DRAFT,
    )


def test_new_announcement_with_one_delegation_has_it_chosen_and_records_its_writer(admin_client, admin_user, trip):
    response = resubmit(admin_client, reverse("admin:registrations_announcement_add"), TEXTS)

    announcement = Announcement.objects.get()
    assert response.status_code == 302
    assert (announcement.delegation, announcement.audience, announcement.created_by) == (trip.delegation, Audience.CONFIRMED, admin_user)


def test_visit_audience_without_a_visit_is_refused_beside_the_field(admin_client, trip):
    add = reverse("admin:registrations_announcement_add")

    response = resubmit(admin_client, add, {**TEXTS, "audience": "visit"})

    assert response.status_code == 200
    assert "Choose the visit whose attendees get it." in response.content.decode()
    assert Announcement.objects.count() == 0


def test_a_visit_of_another_delegation_is_refused(admin_client, trip):
    other_visit = make_delegation().itinerary.first()

    response = resubmit(
        admin_client,
        reverse("admin:registrations_announcement_add"),
        {**TEXTS, "delegation": trip.delegation.pk, "audience": "visit", "visit": other_visit.pk},
    )

    assert response.status_code == 200
    assert "This visit belongs to another delegation." in response.content.decode()


def test_another_audience_drops_a_visit_chosen_before(admin_client, trip):
    announcement = write(trip.delegation, audience=Audience.VISIT, visit=trip.visit)

    resubmit(admin_client, change_url(announcement), {"audience": "waitlisted"})

    announcement.refresh_from_db()
    assert (announcement.audience, announcement.visit) == (Audience.WAITLISTED, None)


def test_a_send_time_in_the_past_is_refused_beside_the_field(admin_client, trip):
    past = timezone.localtime() - timedelta(hours=1)

    response = resubmit(
        admin_client,
        reverse("admin:registrations_announcement_add"),
        {**TEXTS, "send_at_0": past.date().isoformat(), "send_at_1": past.strftime("%H:%M")},
    )

    assert response.status_code == 200
    assert "This time has passed. Leave it empty to send the announcement now." in response.content.decode()


# --- preview, schedule, stop -------------------------------------------------------------------


def test_preview_shows_the_count_and_the_email_in_each_language(admin_client, trip):
    announcement = write(trip.delegation, subject_ko="", body_ko="")

    page = text_of(admin_client.get(preview_url(announcement)))

    assert "3 people (Simplified Chinese: 1 · Korean: 1 · English: 1)" in page
    assert "大巴07:30出发" in page and "请在酒店大堂集合。" in page
    assert page.count("Bus leaves at 07:30") == 3  # the breadcrumb, English, and Korean falling back to it
    assert "Not translated: these readers get the English text." in page
    assert "Send now to 3 people" in page


def test_schedule_from_the_preview_page_then_stop_it(admin_client, trip):
    at = timezone.now() + timedelta(days=1)
    announcement = write(trip.delegation, send_at=at)

    scheduled = press(admin_client, preview_url(announcement), "send")
    announcement.refresh_from_db()
    state_scheduled = (announcement.status, announcement.send_at)
    stopped = press(admin_client, preview_url(announcement), "unschedule")

    announcement.refresh_from_db()
    assert state_scheduled == (Status.SCHEDULED, at)
    assert "Scheduled: it goes out at" in text_of(scheduled)
    assert "Back to draft" in text_of(stopped) and announcement.status == Status.DRAFT
    assert OutboxEmail.objects.filter(kind=Kind.ANNOUNCEMENT).count() == 0


def test_send_now_instead_of_the_scheduled_time(admin_client, trip):
    announcement = write(trip.delegation, send_at=timezone.now() + timedelta(days=1))

    press(admin_client, preview_url(announcement), "send_now")

    announcement.refresh_from_db()
    assert announcement.status == Status.SENT
    assert OutboxEmail.objects.filter(kind=Kind.ANNOUNCEMENT).count() == 3


def test_sending_an_empty_audience_is_refused_with_a_message(admin_client, trip):
    announcement = write(trip.delegation, audience=Audience.WAITLISTED)
    services.registration_cancel(registration=trip.waiting)

    response = post_like_a_browser(admin_client, preview_url(announcement), {"action": ["send_now"]}, follow=True)  # a page opened before

    assert "Nobody is in this audience now" in text_of(response)
    announcement.refresh_from_db()
    assert announcement.status == Status.DRAFT


def test_a_sent_announcement_is_read_only_and_cannot_be_deleted(admin_client, trip):
    announcement = write(trip.delegation)
    press(admin_client, preview_url(announcement), "send_now")

    page = admin_client.get(change_url(announcement)).content.decode()
    posted = admin_client.post(change_url(announcement), {**TEXTS, "delegation": trip.delegation.pk, "audience": "confirmed"})
    deleted = admin_client.post(reverse("admin:registrations_announcement_delete", args=[announcement.pk]), {"post": "yes"})

    announcement.refresh_from_db()
    assert 'name="_save"' not in page and "Bus leaves at 07:30" in page
    assert (posted.status_code, deleted.status_code) == (403, 403)
    assert announcement.subject == "Bus leaves at 07:30"


# --- who got it ----------------------------------------------------------------------------------


def test_each_persons_delivery_status_shows_on_the_preview_and_change_pages_and_the_list(admin_client, trip):
    announcement = write(trip.delegation)
    press(admin_client, preview_url(announcement), "send_now")
    OutboxEmail.objects.filter(recipient=trip.zh.email, kind=Kind.ANNOUNCEMENT).update(status="failed", last_error="SMTPRecipientsRefused: 550")
    OutboxEmail.objects.filter(recipient=trip.ko.email, kind=Kind.ANNOUNCEMENT).update(status="sent", sent_at=timezone.now())

    preview = text_of(admin_client.get(preview_url(announcement)))
    change = text_of(admin_client.get(change_url(announcement)))
    listing = text_of(admin_client.get(reverse("admin:registrations_announcement_changelist")))

    for page in (preview, change):
        assert "Failed (gave up)" in page and "SMTPRecipientsRefused: 550" in page
        assert page.count("Queued") == 1 and "Sent" in page
    assert "1 of 3 sent · 1 failed" in listing


def test_organizers_group_can_write_and_send(client, trip):
    organizer = User.objects.create_user("organizer", password="pw-for-tests-only", is_staff=True)
    organizer.groups.add(Group.objects.get(name="Organizers"))
    client.force_login(organizer)

    written = resubmit(client, reverse("admin:registrations_announcement_add"), TEXTS)
    sent = press(client, written["Location"], "send_now")

    assert sent.status_code == 200
    assert Announcement.objects.get().status == Status.SENT


# --- the itinerary item's reminder ----------------------------------------------------------------


def test_reminder_and_meeting_point_save_from_the_item_page(admin_client, trip):
    day_before = timezone.localtime(trip.visit.starts_at) - timedelta(days=1)

    response = resubmit(
        admin_client,
        reverse("admin:registrations_itineraryitem_change", args=[trip.visit.pk]),
        {
            "reminder_at_0": day_before.date().isoformat(),
            "reminder_at_1": "18:00",
            "meeting_point": "Hotel lobby",
            "meeting_point_zh_hans": "酒店大堂",
            "meeting_point_ko": "호텔 로비",
        },
    )

    item = ItineraryItem.objects.get(pk=trip.visit.pk)
    assert response.status_code == 302
    assert timezone.localtime(item.reminder_at).strftime("%H:%M") == "18:00"
    assert (item.meeting_point, item.meeting_point_zh_hans, item.meeting_point_ko) == ("Hotel lobby", "酒店大堂", "호텔 로비")


def test_reminder_after_the_start_is_refused_beside_the_field(admin_client, trip):
    after = timezone.localtime(trip.visit.starts_at) + timedelta(hours=1)

    response = resubmit(
        admin_client,
        reverse("admin:registrations_itineraryitem_change", args=[trip.visit.pk]),
        {"reminder_at_0": after.date().isoformat(), "reminder_at_1": after.strftime("%H:%M")},
    )

    assert response.status_code == 200
    assert "The reminder must go out before the visit starts." in response.content.decode()


def test_item_page_lists_who_got_the_reminder(admin_client, trip):
    ItineraryItem.objects.filter(pk=trip.visit.pk).update(reminder_at=timezone.now() - timedelta(minutes=5))
    services.visit_reminders_send()

    page = text_of(admin_client.get(reverse("admin:registrations_itineraryitem_change", args=[trip.visit.pk])))

    assert "Reminder sent to" in page and "王小明" in page and "박서준" in page and page.count("Queued") == 2


def test_write_to_them_link_on_the_itinerary_opens_the_form_for_that_visit(admin_client, trip):
    page = admin_client.get(reverse("admin:registrations_itineraryitem_changelist")).content.decode()
    link = re.search(r'href="([^"]*announcement/add/[^"]*visit=%d[^"]*)"' % trip.visit.pk, page).group(1).replace("&amp;", "&")

    fields = dict(form_fields(admin_client.get(link).content.decode(), "announcement_form"))

    assert (fields["delegation"], fields["audience"], fields["visit"]) == (str(trip.delegation.pk), "visit", str(trip.visit.pk))

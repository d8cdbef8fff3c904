"""E-mail confirmation holds: a first-come seat is held until the address is proven, then confirmed or released."""

import threading
import time
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Permission, User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from registrations import selectors, services
from registrations.models import Delegation, Invitation, OutboxEmail, Registration, StatusChange
from registrations.services.codes import client_hash, email_confirm_code
from tests.conftest import make_delegation, submission, submit
from tests.helpers import sent

Status = Registration.Status
Kind = OutboxEmail.Kind


def confirming_delegation(*, seats: int = 2, hours: int = 24, starts_in: timedelta = timedelta(days=30), **overrides) -> Delegation:
    """A first-come delegation asking for e-mail confirmation, with a trip ``starts_in`` from now."""
    starts_on = (timezone.now() + starts_in).date()
    return make_delegation(
        seats=seats,
        email_confirmation_hours=hours,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=3),
        **overrides,
    )


@pytest.fixture
def holding(db) -> Delegation:
    return confirming_delegation(seats=2)


def received_email(registration: Registration) -> OutboxEmail:
    """The "received" message as sent (it is recorded at submission and rendered by its sender)."""
    return sent(OutboxEmail.objects.get(registration=registration, kind=Kind.RECEIVED))


# --- submission -------------------------------------------------------------------


def test_submission_with_a_free_seat_holds_it_until_the_deadline(holding):
    before = timezone.now()

    registration = submit(holding)

    assert registration.status == Status.UNCONFIRMED
    assert before + timedelta(hours=24) <= registration.email_confirm_by <= timezone.now() + timedelta(hours=24)
    counts = selectors.seat_counts(delegation=holding)
    assert (counts.unconfirmed, counts.confirmed, counts.taken, counts.left) == (1, 0, 1, 1)


def test_submission_deadline_never_passes_the_trip_start(db):
    delegation = confirming_delegation(hours=72, starts_in=timedelta(days=2))  # midnight in Seoul, within 72 h

    registration = submit(delegation)

    assert registration.email_confirm_by == delegation.starts_at()


def test_submission_after_the_trip_started_still_gets_the_full_window(db):
    delegation = confirming_delegation(hours=24, starts_in=timedelta(days=-1))  # registration left open
    before = timezone.now()

    registration = submit(delegation)

    assert registration.status == Status.UNCONFIRMED
    assert registration.email_confirm_by >= before + timedelta(hours=24)


def test_received_email_carries_the_link_and_the_code_and_no_itinerary(holding):
    registration = submit(holding)

    email = received_email(registration)
    code = email_confirm_code(registration)
    assert len(code) == 6 and code.isdigit()
    assert f"/r/{registration.token}/confirm/{code}/" in email.body_text
    assert code in email.body_html
    assert email.attach_itinerary is False


def test_received_email_is_written_in_the_registrants_language(holding):
    registration = services.registration_submit(**submission(holding), language="ko")

    email = received_email(registration)
    assert "이메일 주소를 확인해 주세요" in email.body_text
    assert email_confirm_code(registration) in email.body_text


def test_unconfirmed_holds_count_against_the_sector_cap(db):
    delegation = confirming_delegation(seats=5)
    sector = delegation.sectors.first()
    sector.seat_cap = 1
    sector.save()

    first = submit(delegation, sector=sector)
    second = submit(delegation, sector=sector)

    assert (first.status, second.status) == (Status.UNCONFIRMED, Status.WAITLISTED)


def test_waitlisted_submissions_must_confirm_too(holding):
    submit(holding)
    submit(holding)

    third = submit(holding)

    assert third.status == Status.WAITLISTED
    assert third.waitlist_position == 1
    assert abs(third.email_confirm_by - (third.created_at + timedelta(hours=24))) < timedelta(seconds=5)
    assert email_confirm_code(third) in received_email(third).body_text


def test_review_mode_applications_stay_pending_without_a_hold(db):
    delegation = confirming_delegation(registration_mode=Delegation.Mode.REVIEW)

    registration = submit(delegation)

    assert registration.status == Status.PENDING
    assert registration.email_confirm_by is None


def test_invited_guest_is_confirmed_at_once(holding):
    invitation = services.invitation_create(
        delegation=holding,
        full_name="Kim",
        email="kim@example.kr",
        sector=holding.sectors.first(),
        expires_at=timezone.now() + timedelta(days=2),
    )

    registration = submit(holding, invitation=invitation, email="kim@example.kr")

    assert registration.status == Status.CONFIRMED


def test_confirmation_off_confirms_at_once(db):
    delegation = confirming_delegation(hours=0)

    assert submit(delegation).status == Status.CONFIRMED


# --- confirming ---------------------------------------------------------------------


def test_right_code_confirms_with_history_and_the_confirmation_email(holding):
    registration = submit(holding)

    services.registration_email_confirm(registration=registration, code=email_confirm_code(registration))

    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    assert registration.email_confirm_by is None
    change = StatusChange.objects.filter(registration=registration).last()
    assert (change.from_status, change.to_status, change.reason) == (Status.UNCONFIRMED, Status.CONFIRMED, "E-mail address confirmed.")
    confirmation = OutboxEmail.objects.get(registration=registration, kind=Kind.CONFIRMED)
    assert confirmation.attach_itinerary is True


def test_code_with_spaces_is_accepted(holding):
    registration = submit(holding)
    code = email_confirm_code(registration)

    services.registration_email_confirm(registration=registration, code=f" {code[:3]} {code[3:]} ")

    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


def test_wrong_codes_are_counted_and_lock_after_five(holding):
    registration = submit(holding)
    wrong = "000000" if email_confirm_code(registration) != "000000" else "111111"

    messages = []
    for _ in range(5):
        with pytest.raises(ValidationError) as refused:
            services.registration_email_confirm(registration=registration, code=wrong)
        messages.append(refused.value.messages[0])
    with pytest.raises(ValidationError) as locked:
        services.registration_email_confirm(registration=registration, code=email_confirm_code(registration))

    registration.refresh_from_db()
    assert messages[0] == "This code is not right. 4 more tries are allowed."
    assert messages[3] == "This code is not right. 1 more try is allowed."
    assert messages[4].startswith("Too many wrong codes.")
    assert locked.value.messages[0].startswith("Too many wrong codes.")
    assert registration.email_confirm_attempts == 5
    assert registration.status == Status.UNCONFIRMED


def test_organizer_confirms_by_hand_without_a_code_even_when_locked(holding, admin_user):
    registration = submit(holding)
    Registration.objects.filter(pk=registration.pk).update(email_confirm_attempts=5)

    services.registration_email_confirm(registration=registration, by=admin_user)

    change = StatusChange.objects.filter(registration=registration).last()
    assert (change.to_status, change.changed_by, change.reason) == (
        Status.CONFIRMED,
        admin_user,
        "E-mail address confirmed by hand by an organizer.",
    )


def test_confirming_twice_is_refused_with_a_clear_message(holding):
    registration = submit(holding)
    code = email_confirm_code(registration)
    services.registration_email_confirm(registration=registration, code=code)

    with pytest.raises(ValidationError) as refused:
        services.registration_email_confirm(registration=registration, code=code)

    assert "not waiting for an e-mail confirmation" in refused.value.messages[0]


# --- expiry and reminder ----------------------------------------------------------


def test_hold_past_its_deadline_is_released_and_offered_on(holding):
    late = submit(holding)
    submit(holding)
    waiting = submit(holding)
    services.registration_email_confirm(registration=waiting, code=email_confirm_code(waiting))

    offers = services.seats_settle(delegation=holding, now=late.email_confirm_by + timedelta(seconds=1))

    late.refresh_from_db()
    waiting.refresh_from_db()
    assert late.status == Status.CANCELLED
    assert StatusChange.objects.filter(registration=late).last().reason == "E-mail not confirmed in time."
    assert OutboxEmail.objects.filter(registration=late, kind=Kind.CANCELLED).count() == 1
    assert [r.pk for r in offers] == [waiting.pk]
    assert waiting.status == Status.OFFERED


def test_confirming_after_the_deadline_is_refused_and_releases_the_seat(holding):
    registration = submit(holding)

    with pytest.raises(ValidationError):
        services.registration_email_confirm(
            registration=registration,
            code=email_confirm_code(registration),
            now=registration.email_confirm_by,
        )

    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED


def test_expired_hold_is_released_lazily_by_the_next_submission(db):
    delegation = confirming_delegation(seats=1)
    late = submit(delegation)
    Registration.objects.filter(pk=late.pk).update(email_confirm_by=timezone.now() - timedelta(minutes=1))

    newcomer = submit(delegation)

    late.refresh_from_db()
    assert (late.status, newcomer.status) == (Status.CANCELLED, Status.UNCONFIRMED)


def test_reminder_goes_out_once_at_half_time(holding):
    registration = submit(holding)
    half = registration.created_at + (registration.email_confirm_by - registration.created_at) / 2

    early = services.email_confirm_reminders_send(delegation=holding, now=half - timedelta(minutes=1))
    on_time = services.email_confirm_reminders_send(delegation=holding, now=half)
    again = services.email_confirm_reminders_send(delegation=holding, now=half + timedelta(hours=1))

    assert (early, on_time, again) == (0, 1, 0)
    reminder = OutboxEmail.objects.get(registration=registration, kind=Kind.CONFIRM_REMINDER)
    assert email_confirm_code(registration) in reminder.body_text
    assert reminder.subject == f"Please confirm your e-mail address: {holding.title}"


def test_expire_offers_command_releases_holds_and_sends_reminders(holding, capsys):
    late = submit(holding)
    halfway = submit(holding)
    Registration.objects.filter(pk=late.pk).update(email_confirm_by=timezone.now() - timedelta(minutes=1))
    Registration.objects.filter(pk=halfway.pk).update(
        created_at=timezone.now() - timedelta(hours=13),
        email_confirm_by=timezone.now() + timedelta(hours=11),
    )

    call_command("expire_offers")
    call_command("expire_offers")

    late.refresh_from_db()
    assert late.status == Status.CANCELLED
    assert OutboxEmail.objects.filter(registration=halfway, kind=Kind.CONFIRM_REMINDER).count() == 1
    out = capsys.readouterr().out
    assert "Sent 1 confirmation reminder(s)." in out
    assert "Sent 0 confirmation reminder(s)." in out


# --- pages --------------------------------------------------------------------------


def test_link_from_the_email_shows_one_button_with_the_code_filled_in(client, holding):
    registration = submit(holding)
    code = email_confirm_code(registration)

    page = client.get(reverse("registrations:email_confirm_link", kwargs={"token": registration.token, "code": code}))

    assert page.status_code == 200
    assert f'value="{code}"' in page.content.decode()
    registration.refresh_from_db()
    assert registration.status == Status.UNCONFIRMED  # a GET changes nothing (mail scanners follow links)


def test_code_form_confirms_and_returns_to_the_private_page(client, holding):
    registration = submit(holding)

    response = client.post(
        reverse("registrations:email_confirm", kwargs={"token": registration.token}),
        {"code": email_confirm_code(registration)},
    )

    assert response.status_code == 302
    assert response["Location"] == registration.get_absolute_url()
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


def test_wrong_code_shows_the_error_beside_the_field(client, holding):
    registration = submit(holding)
    wrong = "000000" if email_confirm_code(registration) != "000000" else "111111"

    page = client.post(reverse("registrations:email_confirm", kwargs={"token": registration.token}), {"code": wrong})

    assert page.status_code == 200
    assert 'id="id_code_error"' in page.content.decode()
    assert "This code is not right. 4 more tries are allowed." in page.content.decode()
    registration.refresh_from_db()
    assert registration.email_confirm_attempts == 1


@pytest.mark.parametrize("typed", ["", "abc", "1234567", "１２３４５６", "12345\x00"])
def test_malformed_code_is_refused_without_counting_an_attempt(client, holding, typed):
    registration = submit(holding)

    page = client.post(reverse("registrations:email_confirm", kwargs={"token": registration.token}), {"code": typed})

    assert page.status_code in (200, 400)
    registration.refresh_from_db()
    assert (registration.status, registration.email_confirm_attempts) == (Status.UNCONFIRMED, 0)


def test_private_page_of_a_hold_has_the_code_form(client, holding):
    registration = submit(holding)

    page = client.get(registration.get_absolute_url()).content.decode()

    assert "Awaiting e-mail confirmation" in page
    assert reverse("registrations:email_confirm", kwargs={"token": registration.token}) in page
    assert 'name="code"' in page


def test_public_page_counts_holds_as_taken(client, holding):
    submit(holding)
    submit(holding)

    delegation = selectors.delegation_page(slug=holding.slug)

    assert selectors.seat_counts_annotated(delegation=delegation).left == 0
    assert delegation.unconfirmed_count == 2


# --- admin --------------------------------------------------------------------------


class ChangelistForm(HTMLParser):
    """Every field of the changelist's action form, as the browser would send it."""

    def __init__(self):
        super().__init__()
        self.inside, self.fields, self.actions = False, {}, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "changelist-form":
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and attrs.get("type") in ("hidden", "text", "number") and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value", "")
        if tag == "option" and attrs.get("value"):
            self.actions.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def run_action(client, action: str, registrations: list[Registration]):
    url = reverse("admin:registrations_registration_changelist")
    form = ChangelistForm()
    form.feed(client.get(url).content.decode())
    assert action in form.actions
    data = {**form.fields, "action": action, "_selected_action": [r.pk for r in registrations]}
    return client.post(url, data, follow=True)


def test_admin_action_confirms_email_by_hand(admin_client, admin_user, holding):
    registration = submit(holding)

    page = run_action(admin_client, "confirm_email_by_hand", [registration])

    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    assert "Confirmed the e-mail address of 1 registration." in page.content.decode()
    assert StatusChange.objects.filter(registration=registration).last().changed_by == admin_user


def test_admin_action_reports_a_registration_not_awaiting_confirmation(admin_client, db):
    registration = submit(make_delegation(seats=2))  # confirmation off: confirmed at once

    page = run_action(admin_client, "confirm_email_by_hand", [registration])

    assert "is not waiting for an e-mail confirmation" in page.content.decode()


def test_admin_action_needs_the_change_permission(client, holding):
    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_registration"))
    client.force_login(viewer)
    submit(holding)

    form = ChangelistForm()
    form.feed(client.get(reverse("admin:registrations_registration_changelist")).content.decode())

    assert "confirm_email_by_hand" not in form.actions


def test_delegation_list_shows_holds_and_counts_them_as_taken(admin_client, holding):
    submit(holding)

    page = admin_client.get(reverse("admin:registrations_delegation_changelist")).content.decode()

    assert '<td class="field-unconfirmed">1</td>' in page
    assert '<td class="field-left">1</td>' in page


def test_client_address_is_stored_as_a_keyed_hash_only(holding):
    registration = services.registration_submit(**submission(holding), client_address="203.0.113.9")

    assert registration.client_hash == client_hash("203.0.113.9")
    assert len(registration.client_hash) == 32
    assert "203.0.113.9" not in registration.client_hash
    assert client_hash("203.0.113.9") != client_hash("203.0.113.10")


def test_burst_filter_lists_many_submissions_from_one_address_and_blocks_nobody(admin_client, db):
    delegation = make_delegation(seats=20)
    hall = [services.registration_submit(**submission(delegation), client_address="198.51.100.1") for _ in range(6)]
    others = [services.registration_submit(**submission(delegation), client_address=f"198.51.100.{n}") for n in (2, 3)]
    few = [services.registration_submit(**submission(delegation), client_address="198.51.100.4") for _ in range(5)]

    page = admin_client.get(reverse("admin:registrations_registration_changelist") + "?burst=yes").content.decode()

    assert all(r.status == Status.CONFIRMED for r in hall + others + few)
    for registration in hall:
        assert f'value="{registration.pk}"' in page
    for registration in others + few:
        assert f'value="{registration.pk}"' not in page
    assert '<td class="field-burst_count">6</td>' in page


def test_burst_filter_ignores_submissions_more_than_ten_minutes_apart(db):
    delegation = make_delegation(seats=20)
    rows = [services.registration_submit(**submission(delegation), client_address="198.51.100.7") for _ in range(6)]
    for hours, registration in enumerate(rows):
        Registration.objects.filter(pk=registration.pk).update(created_at=timezone.now() - timedelta(hours=hours))

    assert selectors.registrations_in_bursts(Registration.objects.all()).count() == 0


# --- concurrency --------------------------------------------------------------------


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_holds_confirmations_and_expiries_never_exceed_the_seats():
    seats = 10
    delegation = confirming_delegation(seats=seats)
    holds = [submit(delegation) for _ in range(seats)]
    expired, live = holds[:5], holds[5:]
    Registration.objects.filter(pk__in=[r.pk for r in expired]).update(email_confirm_by=timezone.now() - timedelta(seconds=1))
    jobs = (
        [lambda: services.registration_submit(**submission(delegation)) for _ in range(20)]
        + [lambda r=r: services.registration_email_confirm(registration=r, code=email_confirm_code(r)) for r in holds]
        + [lambda: services.seats_settle(delegation=delegation) for _ in range(5)]
    )
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def worker(job):
        try:
            barrier.wait(timeout=30)
            job()
        except ValidationError:
            pass  # confirming an expired hold is refused: expected
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    rows = Registration.objects.filter(delegation=delegation)
    waiting = sorted(rows.filter(status=Status.WAITLISTED).values_list("waitlist_position", flat=True))
    assert errors == []
    assert rows.taking_seats().count() + Invitation.objects.holding().filter(delegation=delegation).count() == seats
    assert set(rows.filter(pk__in=[r.pk for r in live]).values_list("status", flat=True)) == {Status.CONFIRMED}
    assert set(rows.filter(pk__in=[r.pk for r in expired]).values_list("status", flat=True)) == {Status.CANCELLED}
    assert waiting == list(range(1, len(waiting) + 1))
    assert rows.count() == seats + 20


def test_demo_delegation_asks_for_email_confirmation(db):
    call_command("seed_demo", verbosity=0)

    assert Delegation.objects.get(slug="incheon-tech-week").email_confirmation_hours == 24


def test_anonymising_erases_the_client_address_hash(holding):
    registration = services.registration_submit(**submission(holding), client_address="203.0.113.9")

    services.registration_anonymise(registration=registration)

    registration.refresh_from_db()
    assert registration.client_hash == ""


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_holds_without_the_lock_exceed_the_seats(monkeypatch):
    """The same burst with the row lock removed overfills: the lock is what keeps holds within the seats."""
    if connections["default"].vendor != "postgresql":
        pytest.skip("SQLite serialises every write transaction (BEGIN IMMEDIATE); the row lock is a no-op there.")
    from registrations.services import seats as seat_services

    delegation = confirming_delegation(seats=5)
    real_counts = selectors.delegation_submission_state  # what a submission counts with (seats.delegation_lock_counted)

    def slow_counts(**kwargs):
        counts = real_counts(**kwargs)
        time.sleep(0.05)  # widen the window between counting and writing
        return counts

    monkeypatch.setattr(seat_services, "_row_lock_statement", lambda connection: None)
    monkeypatch.setattr(seat_services.selectors, "delegation_submission_state", slow_counts)
    payloads = [submission(delegation) for _ in range(30)]
    barrier = threading.Barrier(len(payloads))

    def worker(payload):
        try:
            barrier.wait(timeout=30)
            services.registration_submit(**payload)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(payload,)) for payload in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert Registration.objects.filter(delegation=delegation).taking_seats().count() > 5

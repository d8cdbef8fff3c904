"""Completeness of delegates' details (one selector), reminders through the outbox in each language, the deadline reminder command."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from registrations import services
from registrations.models import OutboxEmail, Registration
from registrations.models.travel import TravelDocument
from registrations.selectors import questions as questions_selectors
from tests.conftest import make_delegation, submit
from tests.question_helpers import Kind, Stage, make_question
from tests.visit_helpers import make_visit

pytestmark = pytest.mark.django_db
Kind_ = OutboxEmail.Kind


@pytest.fixture
def trip():
    return make_delegation(seats=10)


def missing(registration: Registration) -> int:
    return questions_selectors.with_completeness(Registration.objects.filter(pk=registration.pk)).get().questions_missing


def give_travel_document(registration: Registration) -> None:
    services.travel_consent_give(registration=registration, recipients="Hotel")
    services.travel_document_save(registration=registration, details={"passport_name": "LI WEI", "passport_number": "E1234567"})


def test_questions_missing_counts_required_questions_put_to_each(trip):
    songdo = make_visit(trip, title="Songdo Bio")
    pickup = make_question(trip, stage=Stage.TRAVEL, kind=Kind.YES_NO, required=True)
    make_question(trip, stage=Stage.TRAVEL)  # optional: never missing
    topics = make_question(trip, stage=Stage.VISIT, visit=songdo, required=True)
    going, staying = submit(trip), submit(trip)
    services.visit_join(registration=going, visits=[songdo])

    before = (missing(going), missing(staying))
    services.answers_save(registration=going, answers={pickup.pk: "yes", topics.pk: "ADC"})

    assert before == (2, 1)
    assert (missing(going), missing(staying)) == (0, 1)


def test_details_incomplete_includes_travel_documents_only_when_collected(trip):
    submit(trip), submit(trip)  # nothing asked here: nothing is due
    other = make_delegation(seats=5, travel_data_recipients="Incheon Grand Hotel")
    given, not_given = submit(other), submit(other)
    give_travel_document(given)
    incomplete = questions_selectors.with_completeness(Registration.objects.all()).filter(questions_selectors.details_incomplete())

    assert sorted(incomplete.values_list("pk", flat=True)) == [not_given.pk]


def test_details_progress_per_stage(trip):
    trip.travel_data_recipients = "Incheon Grand Hotel"
    trip.save()
    pickup = make_question(trip, stage=Stage.TRAVEL, kind=Kind.YES_NO, required=True)
    both, answers_only, passport_only, nothing = (submit(trip) for _ in range(4))
    for person in (both, answers_only):
        services.answers_save(registration=person, answers={pickup.pk: "no"})
    for person in (both, passport_only):
        give_travel_document(person)
    trip.seats = 4
    trip.save()
    submit(trip)  # waitlisted: not counted

    progress = questions_selectors.details_progress(delegation=trip)

    assert (progress.confirmed, progress.questions_complete, progress.travel_complete, progress.complete, progress.incomplete) == (4, 2, 2, 1, 3)
    assert TravelDocument.objects.count() == 2 and nothing.status == Registration.Status.CONFIRMED


def test_reminder_action_queues_one_email_per_incomplete_person_in_their_language(admin_client, trip):
    pickup = make_question(trip, stage=Stage.TRAVEL, kind=Kind.YES_NO, required=True)
    chinese, korean, english, done = (submit(trip, language=language) for language in ("zh-hans", "ko", "en", "en"))
    services.answers_save(registration=done, answers={pickup.pk: "yes"})
    OutboxEmail.objects.all().delete()
    ids = [chinese.pk, korean.pk, english.pk, done.pk]

    response = admin_client.post(
        reverse("admin:registrations_registration_changelist"), {"action": "remind_to_complete_details", "_selected_action": ids}, follow=True
    )

    page = response.content.decode()
    mails = {mail.registration_id: mail for mail in OutboxEmail.objects.filter(kind=Kind_.DETAILS_REMINDER)}
    assert sorted(mails) == sorted([chinese.pk, korean.pk, english.pk])
    assert (mails[chinese.pk].language, mails[korean.pk].language, mails[english.pk].language) == ("zh-hans", "ko", "en")
    assert mails[chinese.pk].subject.startswith("请完善您的信息")
    assert mails[korean.pk].subject.startswith("세부 정보를 완성해 주십시오")
    assert mails[english.pk].subject == f"Please complete your details: {trip.title}"
    answers_url = reverse("registrations:registration_answers", kwargs={"token": english.token})
    assert "1 question to answer:" in mails[english.pk].body_text and answers_url in mails[english.pk].body_text
    assert "Queued reminders to 3 people." in page
    assert "1 selected registration was not reminded: not confirmed, or its details are complete." in page


def test_reminder_names_travel_documents_and_deadline(trip):
    trip.travel_data_recipients = "Incheon Grand Hotel"
    trip.details_due_at = timezone.now() + timedelta(days=2)
    trip.save()
    person = submit(trip)

    sent = services.details_reminders_send(registrations=Registration.objects.filter(pk=person.pk))

    mail = OutboxEmail.objects.get(kind=Kind_.DETAILS_REMINDER)
    assert sent == 1
    assert "your travel documents (passport details):" in mail.body_text
    assert reverse("registrations:travel_document", kwargs={"token": person.token}) in mail.body_text
    assert "Please complete them by" in mail.body_text
    assert "question to answer" not in mail.body_text


def run_command() -> str:
    out = StringIO()
    call_command("send_details_reminders", stdout=out)
    return out.getvalue()


def test_deadline_reminder_sent_once_within_three_days_before(trip):
    pickup = make_question(trip, stage=Stage.TRAVEL, kind=Kind.YES_NO, required=True)
    trip.details_due_at = timezone.now() + timedelta(days=2, hours=20)
    trip.save()
    due, done = submit(trip, language="zh-hans"), submit(trip)
    services.answers_save(registration=done, answers={pickup.pk: "yes"})

    first, second = run_command(), run_command()

    mails = OutboxEmail.objects.filter(kind=Kind_.DETAILS_REMINDER)
    assert (first, second) == ("Queued 1 details reminder(s).\n", "Queued 0 details reminder(s).\n")
    assert list(mails.values_list("registration_id", "language")) == [(due.pk, "zh-hans")]
    due.refresh_from_db()
    assert due.details_reminder_sent_at is not None


@pytest.mark.parametrize("due_in", [timedelta(days=3, hours=1), timedelta(hours=-1)])
def test_deadline_reminder_not_sent_too_early_or_after_the_deadline(trip, due_in):
    make_question(trip, stage=Stage.TRAVEL, required=True)
    trip.details_due_at = timezone.now() + due_in
    trip.save()
    submit(trip)

    assert run_command() == "Queued 0 details reminder(s).\n"
    assert OutboxEmail.objects.filter(kind=Kind_.DETAILS_REMINDER).count() == 0


def test_deadline_reminder_skips_anonymised_and_cancelled(trip):
    make_question(trip, stage=Stage.TRAVEL, required=True)
    trip.details_due_at = timezone.now() + timedelta(days=1)
    trip.save()
    cancelled, kept = submit(trip), submit(trip)
    services.registration_cancel(registration=cancelled)

    assert services.details_due_reminders_send() == 1
    assert list(OutboxEmail.objects.filter(kind=Kind_.DETAILS_REMINDER).values_list("registration_id", flat=True)) == [kept.pk]


def test_anonymising_deletes_answers(trip):
    roommate = make_question(trip, stage=Stage.TRAVEL)
    person = submit(trip)
    services.answers_save(registration=person, answers={roommate.pk: "Li Wei"})

    services.registration_anonymise(registration=person)

    assert person.answers.count() == 0

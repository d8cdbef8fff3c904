"""core.inserts.insert saves a new row exactly as Model.save(force_insert=True) does, with a kept statement."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.signals import post_save, pre_save
from django.forms.models import model_to_dict
from django.utils import timezone

from registrations.core import inserts
from registrations.core.inserts import insert
from registrations.models import OutboxEmail, Registration, StatusChange
from tests.conftest import make_delegation

Status = Registration.Status


def a_registration(delegation, email: str) -> Registration:
    return Registration(
        delegation=delegation,
        sector=delegation.sectors.first(),
        full_name="李雷",
        company="Kept Statement Co.",
        job_title="CTO",
        email=email,
        phone="+86 138 0000 0000",
        consent_at=timezone.now(),
        status=Status.CONFIRMED,
    )


def row(instance) -> dict:
    """The row as the database holds it, without what differs between two rows by nature."""
    values = model_to_dict(type(instance).objects.get(pk=instance.pk))
    return {name: value for name, value in values.items() if name not in {"id", "email", "token", "checkin_code", "registration"}}


@pytest.mark.django_db
def test_insert_writes_the_same_row_as_save_and_sends_the_same_signals():
    delegation = make_delegation()
    sent = []
    record = lambda sender, **kwargs: sent.append((kwargs.get("created"), sender))  # noqa: E731
    pre_save.connect(record, weak=False)
    post_save.connect(record, weak=False)
    try:
        saved = a_registration(delegation, "saved@example.com")
        saved.save(force_insert=True)
        by_save, sent[:] = list(sent), []
        for _ in range(2):  # the second time from the kept statement
            inserted = insert(a_registration(delegation, f"inserted{_}@example.com"))
            assert list(sent) == by_save
            sent.clear()
    finally:
        pre_save.disconnect(record)
        post_save.disconnect(record)
    assert inserted.pk and not inserted._state.adding and inserted._state.db == "default"
    fresh = Registration.objects.get(pk=inserted.pk)
    assert (fresh.created_at, fresh.token) == (inserted.created_at, inserted.token)
    assert {k: v for k, v in row(inserted).items() if k not in {"created_at", "updated_at", "consent_at", "status_changed_at"}} == {
        k: v for k, v in row(saved).items() if k not in {"created_at", "updated_at", "consent_at", "status_changed_at"}
    }
    change = insert(StatusChange(registration=inserted, from_status="", to_status=inserted.status, changed_at=inserted.created_at))
    email = insert(OutboxEmail(registration=inserted, recipient=inserted.email, kind="received", render_state={"status": "confirmed"}))
    assert StatusChange.objects.get(pk=change.pk).registration_id == inserted.pk
    assert OutboxEmail.objects.get(pk=email.pk).render_state == {"status": "confirmed"}
    assert any(key[1] is Registration for key in inserts._statements)


@pytest.mark.django_db
def test_a_failed_insert_leaves_the_transaction_to_roll_back():
    delegation = make_delegation()
    insert(a_registration(delegation, "twice@example.com"))
    with pytest.raises(IntegrityError), transaction.atomic():
        insert(a_registration(delegation, "twice@example.com"))  # one active registration per address
    assert Registration.objects.filter(email="twice@example.com").count() == 1


@pytest.mark.django_db
def test_an_expression_as_a_value_is_left_to_django():
    delegation = make_delegation()
    registration = a_registration(delegation, "expression@example.com")
    registration.company = Value("From an expression")
    insert(registration)
    assert Registration.objects.get(pk=registration.pk).company == "From an expression"


@pytest.mark.django_db
def test_insert_linked_writes_the_parent_and_its_rows_as_one_by_one_inserts_would():
    """One statement on PostgreSQL (WITH ... INSERT), one insert each elsewhere: the same rows, ids and signals."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from registrations.core.inserts import insert_linked

    delegation = make_delegation()
    created = []
    record = lambda sender, instance, **kwargs: created.append((sender, kwargs.get("created")))  # noqa: E731
    post_save.connect(record, weak=False)
    try:
        registration = a_registration(delegation, "linked@example.com")
        with CaptureQueriesContext(connection) as queries:
            change, email = insert_linked(
                registration,
                lambda saved: [
                    (StatusChange(registration=saved, from_status="", to_status=saved.status, changed_at=saved.created_at), "registration"),
                    (OutboxEmail(registration=saved, recipient=saved.email, kind="received", render_state={"status": saved.status}), "registration"),
                ],
            )
    finally:
        post_save.disconnect(record)
    assert len(queries.captured_queries) == (1 if connection.vendor == "postgresql" else 3)
    assert created == [(Registration, True), (StatusChange, True), (OutboxEmail, True)]
    assert registration.pk and change.registration_id == email.registration_id == registration.pk
    stored = StatusChange.objects.get(pk=change.pk)
    assert (stored.registration_id, stored.to_status, stored.changed_at) == (registration.pk, Status.CONFIRMED, registration.created_at)
    assert OutboxEmail.objects.get(pk=email.pk).render_state == {"status": "confirmed"}
    assert Registration.objects.get(pk=registration.pk).email == "linked@example.com"


@pytest.mark.django_db
def test_insert_linked_writes_nulls_into_the_statement_and_the_same_row_as_save():
    """A None value is written as NULL in the statement (psycopg keeps its conversion of statements with at most
    50 parameters); the row, with its empty columns, is the one save() writes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from registrations.core.inserts import insert_linked

    delegation = make_delegation()
    by_save = a_registration(delegation, "saved-nulls@example.com")
    by_save.save()
    StatusChange(registration=by_save, from_status="", to_status=by_save.status, changed_at=by_save.created_at, changed_by=None).save()
    linked = a_registration(delegation, "linked-nulls@example.com")
    with CaptureQueriesContext(connection) as queries:
        [change] = insert_linked(
            linked,
            lambda saved: [
                (
                    StatusChange(registration=saved, from_status="", to_status=saved.status, changed_at=saved.created_at, changed_by=None),
                    "registration",
                )
            ],
        )
    moments = {"created_at", "updated_at", "consent_at", "status_changed_at"}
    assert {key: value for key, value in row(linked).items() if key not in moments} == {
        key: value for key, value in row(by_save).items() if key not in moments
    }
    assert row(change) | {"changed_at": None} == row(by_save.status_changes.get()) | {"changed_at": None}
    assert linked.offer_expires_at is None and Registration.objects.get(pk=linked.pk).offer_expires_at is None
    if connection.vendor == "postgresql":
        [statement] = queries.captured_queries
        assert "NULL" in statement["sql"]


@pytest.mark.django_db
def test_a_row_prepared_before_the_lock_takes_its_late_fields_again_and_keeps_the_rest():
    """row_prepared takes every value at once; insert_linked takes again only the late ones, so a field decided
    later (under the seat lock) is written as it is then, and one not named keeps the value it had."""
    from django.db import connection

    from registrations.core.inserts import insert_linked, row_prepared

    delegation, later = make_delegation(), make_delegation(slug="later-delegation")
    registration = a_registration(delegation, "prepared@example.com")
    registration.status = Status.PENDING
    prepared = row_prepared(registration, late=("delegation_id", "status", "waitlist_position"))
    if connection.vendor != "postgresql":
        assert prepared is None  # one row after the other, with save(): every value is taken at the insert
        return
    registration.delegation, registration.status, registration.waitlist_position = later, Status.WAITLISTED, 7
    registration.company = "Changed after the values were taken"
    insert_linked(registration, lambda saved: [], prepared=prepared)

    stored = Registration.objects.get(pk=registration.pk)
    assert (stored.delegation_id, stored.status, stored.waitlist_position) == (later.pk, Status.WAITLISTED, 7)
    assert stored.company == "Kept Statement Co."
    with pytest.raises(ValueError):
        insert_linked(a_registration(delegation, "other@example.com"), lambda saved: [], prepared=prepared)


@pytest.mark.django_db
def test_children_prepared_before_the_lock_take_their_late_fields_again_and_keep_the_rest():
    """child_prepared takes a child's values before the lock, its parent not inserted yet; insert_linked links it to
    the parent and takes again only its late fields. Elsewhere than PostgreSQL the rows go one by one, every value
    taken at the insert."""
    from django.db import connection

    from registrations.core.inserts import child_prepared, insert_linked

    delegation = make_delegation()
    registration = a_registration(delegation, "prepared-children@example.com")
    registration.status = Status.PENDING
    moment = timezone.now()
    change = StatusChange(registration=registration, from_status="", to_status=registration.status, changed_at=moment)
    email = OutboxEmail(registration=registration, recipient=registration.email, kind="received", render_state={"status": "pending"})
    children = [child_prepared(change, "registration", late=("to_status",)), child_prepared(email, "registration", late=("render_state",))]
    registration.status = change.to_status = Status.CONFIRMED  # decided under the lock
    email.render_state = {"status": "confirmed"}
    change.reason = "Changed after the values were taken"

    assert insert_linked(registration, children) == [change, email]

    stored_change, stored_email = StatusChange.objects.get(pk=change.pk), OutboxEmail.objects.get(pk=email.pk)
    assert stored_change.registration_id == stored_email.registration_id == registration.pk
    assert (stored_change.to_status, stored_change.changed_at) == (Status.CONFIRMED, moment)
    assert stored_email.render_state == {"status": "confirmed"}
    assert stored_change.reason == ("" if connection.vendor == "postgresql" else "Changed after the values were taken")


@pytest.mark.django_db
def test_every_submission_path_writes_the_registration_as_the_service_left_it():
    """registration_submit takes the row's values before the seat lock and only DECIDED_UNDER_THE_LOCK again under
    it: a field set under the lock and missing from that list would be written with its earlier value. Every path
    (free seat, full, e-mail hold on both, review, invitation) stores exactly what the returned instance holds."""
    from datetime import timedelta

    from registrations import services
    from registrations.services import emails
    from tests.conftest import submit

    def stored_as_left(registration: Registration) -> None:
        assert model_to_dict(Registration.objects.get(pk=registration.pk)) == model_to_dict(registration)
        # Its first history line and its message were prepared before the lock too: they say what was decided.
        [line] = registration.status_changes.all()
        assert (line.from_status, line.to_status, line.changed_at) == ("", registration.status, registration.status_changed_at)
        [message] = OutboxEmail.objects.filter(registration=registration)
        assert message.render_state == emails.render_state(registration)

    first_come = make_delegation(seats=1, email_confirmation_hours=0)
    holding = make_delegation(seats=1, email_confirmation_hours=24)
    review = make_delegation(seats=1, registration_mode="review")
    invitation = services.invitation_create(
        delegation=first_come,
        full_name="Kim",
        email="kim@example.kr",
        sector=first_come.sectors.first(),
        expires_at=timezone.now() + timedelta(days=2),
    )
    made = [
        submit(first_come, invitation=invitation, email="kim@example.kr"),
        submit(first_come, email="full@example.com"),
        submit(holding, email="held@example.com"),
        submit(holding, email="held-waiting@example.com"),
        submit(review, email="reviewed@example.com"),
    ]

    assert [registration.status for registration in made] == [
        Status.CONFIRMED,
        Status.WAITLISTED,
        Status.UNCONFIRMED,
        Status.WAITLISTED,
        Status.PENDING,
    ]
    assert made[1].waitlist_position == 1 and made[3].email_confirm_by is not None
    for registration in made:
        stored_as_left(registration)

"""E-mail confirmation: a first-come seat is held until the person proves the address is theirs.

``registration_submit`` gives a free seat the status ``unconfirmed`` with a deadline
(``email_confirm_by``); the "received" e-mail carries a link and a 6-digit code. Confirming
moves it to confirmed (``registration_email_confirm``); a hold past its deadline is released
by ``_settle`` like an expired offer; one reminder goes out at half time.

A waitlisted first-come submission gets the same deadline and code: it is offered no seat
until confirmed (the place is kept), and it is cancelled if the deadline passes. Confirming
on the waiting list keeps status and position, clears the deadline and records a history row
(waitlisted -> waitlisted, reason "E-mail address confirmed.").
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from registrations.models import Delegation, Registration, StatusChange
from registrations.services import emails
from registrations.services.codes import email_code_matches, email_confirm_context
from registrations.services.messages import Messages
from registrations.services.seats import _settle, delegation_lock, registration_set_status

Status = Registration.Status

MAX_CODE_ATTEMPTS = 5
AWAITING = (Status.UNCONFIRMED, Status.WAITLISTED)  # with email_confirm_by set: the address is still to be proven


def registration_email_confirm(*, registration: Registration, code: str = "", by=None, now: datetime | None = None) -> Registration:
    """Confirm an e-mail address (held seat or waiting list): with the right code, or by an organizer (``by``) without one."""
    now = now or timezone.now()
    with transaction.atomic():
        delegation = delegation_lock(registration.delegation_id)
        _settle(delegation=delegation, now=now)  # a hold past its deadline is released first
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if not registration.awaits_email_confirmation:
            refusal = Messages.email_nothing_to_confirm()
        elif by is None and registration.email_confirm_attempts >= MAX_CODE_ATTEMPTS:
            refusal = Messages.email_code_locked()
        elif by is None and not email_code_matches(registration, code):
            registration.email_confirm_attempts += 1
            registration.save(update_fields=["email_confirm_attempts", "updated_at"])  # kept: the refusal is raised after commit
            left = MAX_CODE_ATTEMPTS - registration.email_confirm_attempts
            refusal = Messages.email_code_locked() if left <= 0 else Messages.email_code_wrong(left)
        else:
            reason = Messages.email_confirmed_by_hand_reason() if by is not None else Messages.email_confirmed_reason()
            if registration.status == Status.UNCONFIRMED:
                return registration_set_status(registration=registration, status=Status.CONFIRMED, by=by, reason=reason)
            return _waitlisted_confirm(registration=registration, delegation=delegation, by=by, reason=reason, now=now)
    raise ValidationError(refusal)


def _waitlisted_confirm(*, registration: Registration, delegation: Delegation, by, reason: str, now: datetime) -> Registration:
    """With the delegation locked: the place is kept, the deadline goes, and a free seat may now be offered."""
    registration.email_confirm_by = None
    registration.save(update_fields=["email_confirm_by", "updated_at"])
    StatusChange.objects.create(
        registration=registration,
        from_status=registration.status,
        to_status=registration.status,
        reason=reason,
        changed_by=by if getattr(by, "pk", None) else None,
        changed_at=now,
    )
    _settle(delegation=delegation, now=now)  # a seat skipped while the address was unproven goes out now
    registration.refresh_from_db()
    return registration


def _reminder_due(registration: Registration, now: datetime) -> bool:
    """Half of the confirmation window has passed."""
    return now >= registration.created_at + (registration.email_confirm_by - registration.created_at) / 2


def email_confirm_reminders_send(*, delegation: Delegation, now: datetime | None = None) -> int:
    """Send the one reminder to each registration awaiting e-mail confirmation at half time; never twice. Returns how many."""
    now = now or timezone.now()
    sent = 0
    waiting = Registration.objects.filter(
        delegation=delegation,
        status__in=AWAITING,
        email_reminder_sent_at__isnull=True,
        email_confirm_by__gt=now,
    ).select_related("delegation")
    for registration in waiting:
        if not _reminder_due(registration, now):
            continue
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=registration.pk,
                status__in=AWAITING,
                email_confirm_by__isnull=False,
                email_reminder_sent_at__isnull=True,
            ).update(email_reminder_sent_at=now)
            if claimed:  # the conditional update is the "never twice", even with two cron runs at once
                registration.email_reminder_sent_at = now
                emails.registration_email_queue(
                    registration=registration,
                    kind=emails.Kind.CONFIRM_REMINDER,
                    **email_confirm_context(registration),
                )
                sent += 1
    return sent

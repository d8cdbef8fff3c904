"""Personal data: anonymising a registration on request, and after the retention period.

Every personal field is listed once, in PERSONAL_FIELDS; data about the person kept elsewhere
(other tables) is erased in ``_erase_related``. A feature that stores more about a person adds
a line to one of the two.
"""

from collections.abc import Callable
from datetime import date, timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from registrations import selectors
from registrations.models import Delegation, DetailChange, Invitation, OutboxEmail, Registration, SeatHandover, StatusChange, new_token
from registrations.models.hostlists import HostListRow
from registrations.models.questions import Answer
from registrations.models.travel import TravelDocument
from registrations.services.seats import delegation_lock, registration_cancel

ANONYMISED_NAME = "(anonymised)"

# field -> the value it gets when the registration is anonymised.
PERSONAL_FIELDS: dict[str, Callable[[Registration], object]] = {
    "full_name": lambda registration: ANONYMISED_NAME,
    "company": lambda registration: "",
    "job_title": lambda registration: "",
    "email": lambda registration: f"anonymised-{registration.pk}@anonymised.invalid",
    "phone": lambda registration: "",
    "wechat_id": lambda registration: "",
    "note": lambda registration: "",
    "decision_reason": lambda registration: "",  # the organizer's free text about the person
    "token": lambda registration: new_token(),  # the old private link stops working
    "checkin_code": lambda registration: new_token(),  # and so does a photo of the check-in QR code
    "client_hash": lambda registration: "",  # keyed hash of the client address (burst flag)
}


def _anonymise_invitation(invitation_id: int) -> None:
    OutboxEmail.objects.filter(invitation_id=invitation_id).delete()  # the invitation e-mail names the person
    Invitation.objects.filter(pk=invitation_id).update(
        full_name=ANONYMISED_NAME,
        email=f"anonymised-invitation-{invitation_id}@anonymised.invalid",
        company="",
    )


def _erase_related(registration: Registration) -> None:
    """Personal data about this registration kept outside its row: e-mails, travel documents, host lists, the invitation, its histories, the admin log."""
    OutboxEmail.objects.filter(registration=registration).delete()  # bodies name the person; unsent ones go too
    TravelDocument.objects.filter(registration=registration).delete()  # passport details and their consent
    HostListRow.objects.filter(registration=registration).delete()  # frozen copies on visitor lists given to hosts
    SeatHandover.objects.filter(registration=registration).delete()  # a colleague's details waiting to take the seat
    Answer.objects.filter(registration=registration).delete()  # answers to the organizers' questions (diet, roommate...)
    if registration.invitation_id:
        _anonymise_invitation(registration.invitation_id)
    StatusChange.objects.filter(registration=registration).update(reason="")  # the organizer's free text
    DetailChange.objects.filter(registration=registration).update(old_value="", new_value="")  # earlier names, numbers
    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Registration), object_id=str(registration.pk)).update(
        object_repr=f"{Registration._meta.verbose_name} #{registration.pk} {ANONYMISED_NAME}"
    )


def registration_anonymise(*, registration: Registration, today: date | None = None) -> Registration:
    """Replace every personal field; an active registration for a trip not yet over is cancelled first (its seat is freed)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        # The status is read under the delegation lock (as every seat change is), not from the caller's copy.
        delegation_lock(registration.delegation_id)
        registration = Registration.objects.select_for_update().select_related("delegation").get(pk=registration.pk)
        if registration.anonymised_at is not None:
            return registration
        if registration.is_active and registration.delegation.ends_on >= today:
            registration_cancel(registration=registration)
            registration = Registration.objects.select_for_update().get(pk=registration.pk)
        for field, value in PERSONAL_FIELDS.items():
            setattr(registration, field, value(registration))
        registration.anonymised_at = timezone.now()
        registration.save(update_fields=[*PERSONAL_FIELDS, "anonymised_at", "updated_at"])
        _erase_related(registration)
    return registration


def personal_data_cutoff(*, today: date | None = None) -> date:
    """Delegations that ended before this day are past the retention period."""
    return (today or timezone.localdate()) - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)


def personal_data_purge(*, today: date | None = None, dry_run: bool = False) -> dict[Delegation, int]:
    """Anonymise every registration and invitation of delegations that ended more than the retention period ago; counts are kept."""
    cutoff = personal_data_cutoff(today=today)
    due = selectors.registrations_due_for_anonymisation(ended_before=cutoff)
    counts: dict[Delegation, int] = {}
    for registration in due.select_related("delegation").order_by("delegation_id", "pk"):
        counts[registration.delegation] = counts.get(registration.delegation, 0) + 1
        if not dry_run:
            registration_anonymise(registration=registration, today=today)
    if not dry_run:
        # Invitations never used (withdrawn, expired) name a guest too; used ones went with their registration.
        for invitation_id in selectors.invitations_due_for_anonymisation(ended_before=cutoff).values_list("pk", flat=True):
            _anonymise_invitation(invitation_id)
    return counts

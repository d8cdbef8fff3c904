"""The delegate's own record: when they may still change it, and every change of it, recorded.

A delegate (``by=None``) corrects their name, job title, phone, WeChat ID and note from their
private page until the cutoff (``registration_edit_refusal_reason``); an organizer (``by`` a
user) also the company and the e-mail address, at any time. The field (sector) changes under the
delegation lock, within its seat cap. Each changed field is kept in ``DetailChange`` (old -> new,
who, when). The values are checked by the rules every form applies to a person's fields
(``models.person_values_clean``).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from registrations import selectors
from registrations.models import DetailChange, Registration, Sector, person_values_clean
from registrations.services.cutoff import registration_edit_refusal_reason
from registrations.services.messages import Messages
from registrations.services.seats import DUPLICATE_EMAIL, delegation_lock, seats_settle

Status = Registration.Status

# What a delegate may correct themselves; an organizer also these two. The e-mail address is proven
# (the private link goes to it): only an organizer changes it.
DELEGATE_FIELDS = ("full_name", "job_title", "phone", "wechat_id", "note")
ORGANIZER_FIELDS = (*DELEGATE_FIELDS, "company", "email")
# Statuses whose field may change: a confirmed seat moves within the caps; pending and waiting hold no seat.
SECTOR_CHANGE_STATUSES = (Status.CONFIRMED, Status.PENDING, Status.WAITLISTED)


def _clean_values(changes: dict, *, allowed: tuple[str, ...]) -> dict:
    """``changes`` checked by the registration form's own field rules; a ValidationError per field otherwise."""
    if "email" in changes and "email" not in allowed:
        raise ValidationError({"email": Messages.email_not_changeable()})
    unknown = set(changes) - {*allowed, "sector"}
    if unknown:
        raise ValueError(f"not a changeable detail: {', '.join(sorted(unknown))}")
    text = {name: value for name, value in changes.items() if name != "sector"}
    return {**person_values_clean(text), **({"sector": changes["sector"]} if "sector" in changes else {})}


def registration_details_check(*, registration: Registration, changes: dict, by=None) -> dict:
    """The changes that differ from the record, checked: form rules, the delegate's cutoff and fields, a free e-mail address."""
    if by is None and (reason := registration_edit_refusal_reason(registration=registration)):
        raise ValidationError(reason, code="details_locked")
    cleaned = _clean_values(changes, allowed=DELEGATE_FIELDS if by is None else ORGANIZER_FIELDS)
    differing = {name: value for name, value in cleaned.items() if getattr(registration, name) != value}
    email = differing.get("email")
    if email is not None and selectors.email_is_registered(delegation=registration.delegation, email=email, other_than=registration.pk):
        raise ValidationError({"email": ValidationError(Messages.duplicate_email(), code=DUPLICATE_EMAIL)})
    if "sector" in differing:
        _check_sector_choice(registration, differing["sector"])
    return differing


def _check_sector_choice(registration: Registration, sector: Sector) -> None:
    if sector.delegation_id != registration.delegation_id:
        raise ValidationError({"sector": Messages.wrong_sector()})
    if registration.status not in SECTOR_CHANGE_STATUSES:
        raise ValidationError({"sector": Messages.sector_change_refused(registration.get_status_display())})


def _check_sector_cap_locked(registration: Registration, sector: Sector) -> None:
    """With the delegation locked: a seat moves into ``sector`` only below its cap (no seat, no cap to check)."""
    if registration.status not in Registration.SEAT_STATUSES or sector.seat_cap is None:
        return
    if selectors.sector_seats_taken(delegation=registration.delegation)[sector.pk] >= sector.seat_cap:
        raise ValidationError({"sector": Messages.sector_full(sector.local.name)})


def _as_text(value) -> str:
    if isinstance(value, Sector):
        return value.name  # the English name: the history reads the same in every language
    return "" if value is None else str(value)


def registration_details_change(*, registration: Registration, changes: dict, by=None) -> list[DetailChange]:
    """Change details as the registration form checks them; every changed field is recorded (old, new, who, when)."""
    with transaction.atomic():
        if "sector" in changes:  # the field's seats are counted under the lock (order: delegation -> registration)
            delegation_lock(registration.delegation_id)
        # of=("self",): only this row; the delegation row is locked above, and only when seats are counted.
        current = Registration.objects.select_for_update(of=("self",)).select_related("delegation", "sector").get(pk=registration.pk)
        differing = registration_details_check(registration=current, changes=changes, by=by)
        if "sector" in differing:
            _check_sector_cap_locked(current, differing["sector"])
        now = timezone.now()
        records = [
            DetailChange(
                registration=current,
                field=name,
                old_value=_as_text(getattr(current, name)),
                new_value=_as_text(value),
                by_delegate=by is None,
                changed_by=by if getattr(by, "pk", None) else None,
                changed_at=now,
            )
            for name, value in differing.items()
        ]
        if not records:
            return []
        for name, value in differing.items():
            setattr(current, name, value)
        current.save(update_fields=[*differing, "updated_at"])
        DetailChange.objects.bulk_create(records)
        if "sector" in differing:  # a seat left a capped field: someone waiting for it may be offered one
            seats_settle(delegation=current.delegation)
    return records

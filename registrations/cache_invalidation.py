"""Cached seat counts of public pages are forgotten as soon as something changes.

Connected in apps.RegistrationsConfig.ready(). Infrastructure only: no business rule runs here, and
no query. Every status change saves the registration (services.registration_set_status), so
post_save sees it. The entry is dropped at once and again after commit, so that a page read
between the two cannot keep the old counts for more than SEAT_STATE_SECONDS.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Delegation, Invitation, Registration
from .page_shells import forget_seat_state


def _forget_now_and_after_commit(**keys) -> None:
    forget_seat_state(**keys)
    transaction.on_commit(lambda: forget_seat_state(**keys))


@receiver([post_save, post_delete], sender=Registration, dispatch_uid="forget_seat_state_registration")
def registration_changed(sender, instance: Registration, **kwargs) -> None:
    _forget_now_and_after_commit(delegation_id=instance.delegation_id)


@receiver([post_save, post_delete], sender=Delegation, dispatch_uid="forget_seat_state_delegation")
def delegation_changed(sender, instance: Delegation, **kwargs) -> None:
    _forget_now_and_after_commit(delegation_id=instance.pk, slug=instance.slug)


@receiver([post_save, post_delete], sender=Invitation, dispatch_uid="forget_seat_state_invitation")
def invitation_changed(sender, instance: Invitation, **kwargs) -> None:
    _forget_now_and_after_commit(delegation_id=instance.delegation_id)

"""Cached parts of public pages are never stale: every change bumps the delegation's content version.

Connected in apps.RegistrationsConfig.ready(). Infrastructure only: no business rule runs here.

* Content (page_shells.fragments): any save or delete of a delegation, one of its sectors, one of
  its itinerary items or one of its questions, whatever saves it (its admin page, an inline, the ORM, a command), bumps
  ``Delegation.content_version`` in the same transaction; cached fragments are keyed on it, so the
  next page after the commit is rendered from the new content, in every language. After commit the
  form content each process keeps for POSTs (selectors.form_content) is read again.
* Seat counts (selectors.seat_state): every status change saves the registration
  (services.registration_set_status), so post_save sees it. The cached seat state is dropped at
  once and again after commit, so that a page read between the two cannot keep the old counts (or
  the old content version) for more than SEAT_STATE_SECONDS. A submission drops it just before it
  takes the seat lock instead of at its save (``seat_state_forgotten_before_the_lock``), so that no
  cache round trip runs while the lock is held.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from registrations.models import Delegation, Invitation, ItineraryItem, Question, Registration, Sector
from registrations.selectors.form_content import content_changed, forget_kept
from registrations.selectors.seat_state import forget_seat_state

_locked_write = threading.local()
_DELEGATION = Registration._meta.get_field("delegation")


@contextmanager
def seat_state_forgotten_before_the_lock(delegation_id: int, slug: str | None = None) -> Iterator[None]:
    """For a write under the delegation's seat lock: its cached seat state is dropped now, before the lock is taken,
    instead of by each save under it (a cache round trip while every other submission waits); after commit as always.

    The same two drops around the change as the saves' own: a page read in between keeps the old counts until the commit.
    """
    forget_seat_state(delegation_id=delegation_id, current_slug=slug)
    previous = getattr(_locked_write, "delegation_id", None)
    _locked_write.delegation_id = delegation_id
    try:
        yield
    finally:
        _locked_write.delegation_id = previous


def _forget_now_and_after_commit(**keys) -> None:
    if keys.get("slug") is not None or getattr(_locked_write, "delegation_id", None) != keys["delegation_id"]:
        forget_seat_state(**keys)
    transaction.on_commit(lambda: forget_seat_state(**keys, committed=True))


def _bump_content_version(delegation_id: int) -> None:
    Delegation.objects.filter(pk=delegation_id).update(content_version=F("content_version") + 1)
    transaction.on_commit(lambda: content_changed(delegation_id))  # the form content kept by each process (selectors.form_content)


@receiver([post_save, post_delete], sender=Registration, dispatch_uid="forget_seat_state_registration")
def registration_changed(sender, instance: Registration, **kwargs) -> None:
    known = _DELEGATION.is_cached(instance) and instance.delegation.pk == instance.delegation_id
    _forget_now_and_after_commit(delegation_id=instance.delegation_id, **({"current_slug": instance.delegation.slug} if known else {}))


@receiver([post_save, post_delete], sender=Delegation, dispatch_uid="forget_seat_state_delegation")
def delegation_changed(sender, instance: Delegation, **kwargs) -> None:
    forget_kept()
    if not kwargs.get("raw") and kwargs["signal"] is post_save:
        _bump_content_version(instance.pk)
    elif kwargs["signal"] is post_delete:
        transaction.on_commit(lambda: content_changed(instance.pk))
    _forget_now_and_after_commit(delegation_id=instance.pk, slug=instance.slug)


@receiver([post_save, post_delete], sender=Sector, dispatch_uid="bump_content_version_sector")
@receiver([post_save, post_delete], sender=ItineraryItem, dispatch_uid="bump_content_version_itinerary")
@receiver([post_save, post_delete], sender=Question, dispatch_uid="bump_content_version_question")  # the form's questions
def delegation_content_changed(sender, instance: Sector | ItineraryItem | Question, **kwargs) -> None:
    forget_kept()
    if not kwargs.get("raw"):
        _bump_content_version(instance.delegation_id)
    _forget_now_and_after_commit(delegation_id=instance.delegation_id)


@receiver([post_save, post_delete], sender=Invitation, dispatch_uid="forget_seat_state_invitation")
def invitation_changed(sender, instance: Invitation, **kwargs) -> None:
    _forget_now_and_after_commit(delegation_id=instance.delegation_id)

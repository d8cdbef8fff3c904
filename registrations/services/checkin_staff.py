"""Check-in staff accounts: an organizer adds one with a generated password shown once.

The account is an active staff user in the "Check-in staff" group and nothing else: never a
superuser, no permission of its own, and an existing account is never changed (so this cannot be
used to take over or promote anyone).
"""

import logging
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from registrations.services.checkin import CHECKIN_PERMISSION
from registrations.services.messages import Messages

logger = logging.getLogger("registrations.checkin")

CHECKIN_STAFF_GROUP = "Check-in staff"
ADD_STAFF_PERMISSION = "auth.add_user"
# No 0/o, 1/l/i: read aloud or copied from a screen onto a phone without mistakes.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def checkin_staff_password() -> str:
    """A new password: four groups of four characters (about 79 random bits)."""
    groups = ["".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(4)]
    return "-".join(groups)


def checkin_staff_group() -> Group:
    """The "Check-in staff" group (created by a migration; made again here if someone deleted it)."""
    group, created = Group.objects.get_or_create(name=CHECKIN_STAFF_GROUP)
    if created:
        app_label, codename = CHECKIN_PERMISSION.split(".")
        group.permissions.set(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
    return group


def is_checkin_only(user: AbstractBaseUser) -> bool:
    """Staff whose only permission is checking delegates in (they start on the visits of the day)."""
    if not (user.is_active and user.is_staff) or user.is_superuser:
        return False
    return user.get_all_permissions() == {CHECKIN_PERMISSION}


def checkin_staff_create(*, username: str, display_name: str = "", by: AbstractBaseUser | None) -> tuple[AbstractBaseUser, str]:
    """Create an active staff user in the check-in staff group; returns it and its password (shown once, never kept)."""
    User = get_user_model()
    if User.objects.filter(**{f"{User.USERNAME_FIELD}__iexact": username}).exists():
        raise ValidationError(Messages.checkin_staff_username_taken())
    password = checkin_staff_password()
    try:
        with transaction.atomic():
            user = User(**{User.USERNAME_FIELD: username}, first_name=display_name, is_staff=True, is_active=True, is_superuser=False)
            user.set_password(password)
            user.save()
            user.groups.add(checkin_staff_group())
    except IntegrityError:  # the same name submitted twice at once
        raise ValidationError(Messages.checkin_staff_username_taken()) from None
    logger.info("Check-in staff account %s created by user %s", user.pk, getattr(by, "pk", None))
    return user, password

"""A confirmed seat on its way to a colleague of the same company (services/substitution.py).

The colleague's details wait here until they accept with their own consent, from the link e-mailed
to them (which proves the address); then the registration takes them over and this row goes.
Unaccepted, it expires (and is purged); nothing of it is kept after.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from registrations.core.email_address import validate_plain_email


def _new_token() -> str:
    from registrations.models import new_token  # models imports this module at its end

    return new_token()


class SeatHandover(models.Model):
    registration = models.OneToOneField(
        "registrations.Registration",
        on_delete=models.CASCADE,
        related_name="handover",
        verbose_name=_("registration"),
    )
    full_name = models.CharField(_("full name"), max_length=120)
    company = models.CharField(_("company"), max_length=200)
    job_title = models.CharField(_("job title"), max_length=120)
    email = models.EmailField(_("e-mail"), max_length=254, validators=[validate_plain_email])
    phone = models.CharField(_("mobile phone"), max_length=32)
    wechat_id = models.CharField(_("WeChat ID"), max_length=64, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    token = models.CharField(_("acceptance token"), max_length=64, unique=True, default=_new_token, editable=False)
    # Who asked: an organizer (requested_by) or the delegate holding the seat (requested_by empty).
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    by_delegate = models.BooleanField(_("asked by the delegate"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("to be accepted by"))

    class Meta:
        verbose_name = _("seat handover")
        verbose_name_plural = _("seat handovers")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"

    def new_person(self) -> dict:
        """The colleague's details, as ``registration_substitute`` takes them."""
        return {name: getattr(self, name) for name in ("full_name", "company", "job_title", "email", "phone", "wechat_id", "language")}

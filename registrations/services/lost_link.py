"""Sending a registrant's private link again ("Lost your link?").

Whoever asks sees the same answer whether or not the address is registered; only the owner of a
registered address receives anything, at most ``RATELIMIT_LINK_PER_EMAIL`` times per window, sent
by the next ``send_pending_emails`` run rather than inside the request.
"""

from django.core.exceptions import ValidationError

from registrations import selectors
from registrations.core.email_address import email_normalise
from registrations.core.ratelimit import link_email_limit, ratelimit_hit
from registrations.models import Delegation, OutboxEmail
from registrations.services import emails


def registration_link_send(*, delegation: Delegation, email: str) -> bool:
    """E-mail its private link to ``email`` if an active registration here uses it (rate limited per address)."""
    try:
        email = email_normalise(email)
    except ValidationError:
        return False
    if not ratelimit_hit(scope="link-email", value=email.lower(), limit=link_email_limit()).allowed:
        return False
    registration = selectors.registration_active_by_email(delegation=delegation, email=email)
    if registration is None:
        return False
    # Recorded only: ``send_pending_emails`` (cron, every minute) sends it. Sending inside the request
    # would make the answer slower for a registered address than for any other, and so tell which it is.
    OutboxEmail.objects.create(
        registration=registration,
        recipient=registration.email,
        **emails.registration_email_render(registration=registration, kind=emails.Kind.LINK),
    )
    return True

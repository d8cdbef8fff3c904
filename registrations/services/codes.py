"""Keyed codes: the 6-digit e-mail confirmation code and the hash of a client address (no state, no writes)."""

import hashlib
import hmac

from django.conf import settings
from django.urls import reverse

from registrations.models import Registration


def _keyed(purpose: str, value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def email_confirm_code(registration: Registration) -> str:
    """The registration's 6-digit confirmation code, derived from its private token (never stored)."""
    return f"{int(_keyed('email-confirm', registration.token), 16) % 1_000_000:06d}"


def email_code_matches(registration: Registration, code: str) -> bool:
    """Constant-time comparison of a typed code (spaces ignored) with the registration's code."""
    typed = "".join(str(code).split())
    return hmac.compare_digest(typed.encode(), email_confirm_code(registration).encode())


def email_confirm_url(registration: Registration) -> str:
    """The link in the e-mail that confirms the address (opens a page with one button)."""
    path = reverse("registrations:email_confirm_link", kwargs={"token": registration.token, "code": email_confirm_code(registration)})
    return settings.SITE_URL + path


def email_confirm_context(registration: Registration) -> dict:
    """What the "received" and reminder e-mails show to confirm the address (nothing unless awaiting it: held seat or waiting list)."""
    if not registration.awaits_email_confirmation:
        return {}
    return {
        "confirm_code": email_confirm_code(registration),
        "confirm_url": email_confirm_url(registration),
        "confirm_by": registration.email_confirm_by,
    }


def client_hash(address: str) -> str:
    """A keyed hash of the client address (HMAC with SECRET_KEY): equal addresses match, none can be read back."""
    return _keyed("client-address", address)[:32] if address else ""

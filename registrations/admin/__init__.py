"""Django admin for organizers, one module per concern."""

from . import delegations, emails, registrations  # noqa: F401  (registers the ModelAdmins)

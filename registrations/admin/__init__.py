"""Django admin for organizers, one module per concern."""

from . import delegations, emails, invitations, registrations  # noqa: F401  (registers the ModelAdmins)

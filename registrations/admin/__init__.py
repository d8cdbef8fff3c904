"""Django admin for organizers, one module per concern."""

from . import campaigns, checkin, delegations, registrations  # noqa: F401  (registers the ModelAdmins)

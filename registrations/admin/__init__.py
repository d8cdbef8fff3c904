"""Django admin for organizers, one module per concern."""

from . import announcements, campaigns, checkin, delegations, emails, hostlists, invitations, registrations, travel, visits  # noqa: F401  (registers the ModelAdmins)

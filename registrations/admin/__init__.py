"""Django admin for organizers, one module per concern."""

from registrations.admin import announcements, checkin, delegations, emails, hostlists, invitations, registrations, sources, travel, visits  # noqa: F401  (registers the ModelAdmins)

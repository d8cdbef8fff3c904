from django.contrib.admin.apps import AdminConfig


class DelegationAdminConfig(AdminConfig):
    """django.contrib.admin, with the site in ``incheon_delegation.admin_site``."""

    default_site = "incheon_delegation.admin_site.DelegationAdminSite"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "registrations"
    verbose_name = _("Delegation registrations")

    def ready(self) -> None:
        from registrations import cache_invalidation  # noqa: F401  (connects the receivers)
        from registrations.core import checks  # noqa: F401  (registers the deploy checks)

"""Admin for registrations. Status changes go through services (actions), never list_editable."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import services
from ..models import Registration
from .exports import export_csv
from .privacy import anonymise_selected


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["full_name", "company", "job_title", "sector", "status", "waitlist_position", "source", "created_at"]
    list_filter = ["delegation", "status", "sector", "source"]
    list_select_related = ["sector", "delegation"]
    search_fields = ["full_name", "company", "email", "phone"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    readonly_fields = ["status", "waitlist_position", "token", "private_link", "consent_at", "status_changed_at", "created_at", "updated_at",
                       "consent_version", "consent_text", "anonymised_at"]
    fieldsets = [
        (None, {"fields": ["delegation", "status", "waitlist_position", "private_link"]}),
        (_("Person"), {"fields": ["full_name", "company", "job_title", "sector", "email", "phone", "wechat_id", "note"]}),
        (_("Record"), {"fields": ["source", "consent_at", "status_changed_at", "created_at", "updated_at", "token"]}),
        (_("Consent and privacy"), {"fields": ["consent_version", "consent_text", "anonymised_at"]}),
    ]
    actions = ["cancel_selected", export_csv, anonymise_selected]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # New registrations come through the public form, which takes seats under the lock.
        return False

    @admin.display(description=_("private link"))
    def private_link(self, obj: Registration) -> str:
        if obj.pk is None:
            return "—"
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', obj.get_absolute_url(), _("Open the registrant's page"))

    @admin.action(description=_("Cancel selected registrations (the waiting list moves up)"))
    def cancel_selected(self, request: HttpRequest, queryset: QuerySet[Registration]) -> None:
        done, refused = 0, []
        for registration in queryset.order_by("pk"):
            try:
                services.registration_cancel(registration=registration)
                done += 1
            except ValidationError as error:
                refused.append(f"{registration.full_name}: {' '.join(error.messages)}")
        if done:
            self.message_user(request, ngettext("Cancelled %(count)d registration.", "Cancelled %(count)d registrations.", done) % {"count": done}, messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.WARNING)

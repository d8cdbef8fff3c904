"""Admin for the e-mail outbox: a read-only log, per registration and in all, with a retry action."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from registrations.admin.read_only import ReadOnlyTabularInline
from registrations.models import OutboxEmail
from registrations.services import outbox

LOG_FIELDS = ["created_at", "kind", "subject", "status", "attempts", "last_error", "sent_at"]


class OutboxEmailInline(ReadOnlyTabularInline):
    """The message log on a registration's page (read-only)."""

    model = OutboxEmail
    fields = LOG_FIELDS
    readonly_fields = LOG_FIELDS
    ordering = ["-created_at", "-pk"]
    show_change_link = True
    verbose_name_plural = _("e-mails sent to this person")


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "status", "attempts", "sent_at", "registration_link", "short_error"]
    list_filter = ["kind", "status", "registration__delegation"]
    list_select_related = ["registration", "invitation"]
    search_fields = ["recipient", "subject", "registration__full_name", "registration__company"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]
    fields = [
        "registration",
        "invitation",
        "recipient",
        "kind",
        "language",
        "subject",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "claimed_at",
        "created_at",
        "sent_at",
        "attach_itinerary",
        "body_text",
        "body_html",
    ]
    readonly_fields = fields
    actions = ["retry_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Messages are queued by the services that change registrations, never by hand.
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutboxEmail | None = None) -> bool:
        # Each message is read-only; the changelist keeps the permission so "retry" can be offered.
        return obj is None and super().has_change_permission(request)

    def get_fields(self, request: HttpRequest, obj: OutboxEmail | None = None) -> list[str]:
        # A message's body holds the person's private link: only for staff who may change registrations.
        if request.user.has_perm("registrations.change_registration"):
            return self.fields
        return [name for name in self.fields if name not in ("body_text", "body_html")]

    @admin.display(description=_("registration"), ordering="registration__full_name")
    def registration_link(self, obj: OutboxEmail) -> str:
        if obj.registration_id is None:  # the e-mail carrying an invitation
            url = reverse("admin:registrations_invitation_change", args=[obj.invitation_id])
            return format_html('<a href="{}">{}</a>', url, obj.invitation.full_name)
        url = reverse("admin:registrations_registration_change", args=[obj.registration_id])
        return format_html('<a href="{}">{}</a>', url, obj.registration.full_name)

    @admin.display(description=_("last error"))
    def short_error(self, obj: OutboxEmail) -> str:
        return obj.last_error[:80]

    @admin.action(description=_("Retry selected e-mails now"), permissions=["change"])
    def retry_selected(self, request: HttpRequest, queryset: QuerySet[OutboxEmail]) -> None:
        summary = outbox.outbox_retry(emails=queryset.order_by("pk"))
        if summary.sent:
            self.message_user(
                request, ngettext("Sent %(count)d e-mail.", "Sent %(count)d e-mails.", summary.sent) % {"count": summary.sent}, messages.SUCCESS
            )
        failed = summary.retrying + summary.gave_up
        if failed:
            self.message_user(
                request,
                ngettext(
                    "%(count)d e-mail could not be sent; see its last error. It stays in the log and can be retried.",
                    "%(count)d e-mails could not be sent; see their last error. They stay in the log and can be retried.",
                    failed,
                )
                % {"count": failed},
                messages.ERROR,
            )
        if summary.skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d e-mail was skipped: it is already sent or being sent.",
                    "%(count)d e-mails were skipped: they are already sent or being sent.",
                    summary.skipped,
                )
                % {"count": summary.skipped},
                messages.WARNING,
            )

"""Admin for announcements: write (three languages), "Preview and send", and who got each one (per-person status)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from registrations import services
from registrations.admin.read_only import ReadOnlyTabularInline
from registrations.core.i18n import content_fieldsets, translation_fields
from registrations.forms.announcements import AnnouncementAdminForm
from registrations.models import Announcement, AnnouncementDelivery, Delegation, OutboxEmail
from registrations.selectors import audiences
from registrations.services import emails

Status = Announcement.Status
Mail = OutboxEmail.Status


def _sent_at(email: OutboxEmail) -> str:
    return date_format(localtime(email.sent_at), "SHORT_DATETIME_FORMAT") if email.sent_at else "—"


class DeliveryInline(ReadOnlyTabularInline):
    """Read-only: one row per person with their e-mail's status in the outbox (queued, sent, failed)."""

    fields = ["person", "language", "email_status", "email_sent_at", "email_error"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("registration", "email")

    @admin.display(description=gettext_lazy("person"))
    def person(self, delivery) -> str:
        url = reverse("admin:registrations_registration_change", args=[delivery.registration_id])
        return format_html('<a href="{}">{}</a> · {}', url, delivery.registration.full_name, delivery.email.recipient)

    @admin.display(description=gettext_lazy("language"))
    def language(self, delivery) -> str:
        return delivery.email.language

    @admin.display(description=gettext_lazy("e-mail"))
    def email_status(self, delivery) -> str:
        url = reverse("admin:registrations_outboxemail_change", args=[delivery.email_id])
        return format_html('<a href="{}">{}</a>', url, delivery.email.get_status_display())

    @admin.display(description=gettext_lazy("sent at"))
    def email_sent_at(self, delivery) -> str:
        return _sent_at(delivery.email)

    @admin.display(description=gettext_lazy("last error"))
    def email_error(self, delivery) -> str:
        return delivery.email.last_error[:120]


def delivery_table(deliveries: QuerySet) -> str:
    """A read-only table of deliveries (person, language, e-mail status, sent at, last error), for a readonly field."""
    rows = [
        (
            delivery.registration.full_name,
            delivery.email.language,
            reverse("admin:registrations_outboxemail_change", args=[delivery.email_id]),
            delivery.email.get_status_display(),
            _sent_at(delivery.email),
            delivery.email.last_error[:120],
        )
        for delivery in deliveries.select_related("registration", "email").order_by("registration__full_name", "pk")
    ]
    if not rows:
        return _("Nobody yet.")
    head = "".join(f"<th>{label}</th>" for label in (_("Name"), _("Language"), _("Status"), _("Sent at"), _("Last error")))
    body = format_html_join("", '<tr><td>{}</td><td>{}</td><td><a href="{}">{}</a></td><td>{}</td><td>{}</td></tr>', rows)
    return format_html('<table class="delivery-list"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>', mark_safe(head), body)


class AnnouncementDeliveryInline(DeliveryInline):
    model = AnnouncementDelivery
    verbose_name_plural = gettext_lazy("who got it")


def _delivery_counts() -> dict:
    """Per announcement: people it went to, and how many of their e-mails are sent and failed (annotations)."""
    status = "deliveries__email__status"
    return {
        "delivery_count": Count("deliveries"),
        "sent_count": Count("deliveries", filter=Q(**{status: Mail.SENT})),
        "failed_count": Count("deliveries", filter=Q(**{status: Mail.FAILED})),
    }


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    form = AnnouncementAdminForm
    list_display = ["subject", "delegation", "audience_label", "status", "when", "delivered", "preview_link"]
    list_filter = ["status", "audience", "delegation"]
    list_select_related = ["delegation", "visit"]
    search_fields = translation_fields("subject")
    radio_fields = {"audience": admin.VERTICAL}
    readonly_fields = ["status", "sent_at", "created_by", "scheduled_by", "preview_link"]
    inlines = [AnnouncementDeliveryInline]
    # The desk's order: who gets it, the text (English is the fallback), when; then what happened.
    fieldsets = [
        (gettext_lazy("Who gets it"), {"fields": ["delegation", "audience", "visit"]}),
        *content_fieldsets(Announcement.TRANSLATED_FIELDS),
        (gettext_lazy("When"), {"fields": ["send_at"]}),
    ]
    status_fieldset = (gettext_lazy("Status"), {"fields": ["preview_link", ("status", "sent_at"), ("created_by", "scheduled_by")]})

    def get_queryset(self, request: HttpRequest) -> QuerySet[Announcement]:
        return super().get_queryset(request).annotate(**_delivery_counts())

    def get_inlines(self, request: HttpRequest, obj: Announcement | None = None):
        return self.inlines if obj is not None and obj.status == Status.SENT else []  # before that, nobody got it

    def get_fieldsets(self, request: HttpRequest, obj: Announcement | None = None):
        return self.fieldsets if obj is None else [self.status_fieldset, *self.fieldsets]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial = super().get_changeform_initial_data(request)
        delegations = list(Delegation.objects.values_list("pk", flat=True)[:2])
        if "delegation" not in initial and len(delegations) == 1:
            initial["delegation"] = delegations[0]  # one trip: nothing to choose
        return initial

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # it would delete sent ones too; a draft is deleted from its page
        return actions

    def has_change_permission(self, request: HttpRequest, obj: Announcement | None = None) -> bool:
        # Scheduled and sent announcements are a record: "Preview and send" puts a scheduled one back to draft.
        return super().has_change_permission(request, obj) and (obj is None or obj.status == Status.DRAFT)

    def has_delete_permission(self, request: HttpRequest, obj: Announcement | None = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or obj.status == Status.DRAFT)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            obj.save()
            return
        # Only the form's own fields: a status set meanwhile by "Preview and send" is never written back.
        obj.save(update_fields=list(form.fields))

    def _preview_redirect(self, request: HttpRequest, obj: Announcement, response: HttpResponse) -> HttpResponse:
        if isinstance(response, HttpResponseRedirect) and not {"_continue", "_addanother", "_popup"} & set(request.POST):
            return HttpResponseRedirect(reverse("admin:registrations_announcement_preview", args=[obj.pk]))
        return response

    def response_add(self, request, obj, post_url_continue=None):
        return self._preview_redirect(request, obj, super().response_add(request, obj, post_url_continue))

    def response_change(self, request, obj):
        return self._preview_redirect(request, obj, super().response_change(request, obj))

    @admin.display(description=gettext_lazy("send to"), ordering="audience")
    def audience_label(self, obj: Announcement) -> str:
        if obj.visit_id is None:
            return obj.get_audience_display()
        return format_html("{}:<br>{}", obj.get_audience_display(), obj.visit.local.title)

    @admin.display(description=gettext_lazy("when"), ordering="send_at")
    def when(self, obj: Announcement) -> str:
        moment = obj.sent_at or obj.send_at
        return date_format(localtime(moment), "SHORT_DATETIME_FORMAT") if moment else "—"

    @admin.display(description=gettext_lazy("e-mails sent / failed"))
    def delivered(self, obj: Announcement) -> str:
        if obj.status != Status.SENT:
            return "—"
        return _("%(sent)d of %(total)d sent · %(failed)d failed") % {
            "sent": obj.sent_count,
            "total": obj.delivery_count,
            "failed": obj.failed_count,
        }

    @admin.display(description=gettext_lazy("preview"))
    def preview_link(self, obj: Announcement) -> str:
        if obj.pk is None:
            return "—"
        label = _("Preview and send") if obj.status == Status.DRAFT else _("Preview and delivery")
        return format_html('<a href="{}">{}</a>', reverse("admin:registrations_announcement_preview", args=[obj.pk]), label)

    # --- "Preview and send" ----------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view(self.preview_view)
        return [path("<int:object_id>/preview/", view, name="registrations_announcement_preview"), *super().get_urls()]

    def preview_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        announcement = get_object_or_404(Announcement.objects.select_related("delegation", "visit"), pk=object_id)
        if not self.has_view_permission(request, announcement):
            raise PermissionDenied
        if request.method == "POST":
            return self._preview_action(request, announcement)
        return TemplateResponse(
            request,
            "admin/registrations/announcement/preview.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Preview and send"),
                "announcement": announcement,
                "recipients": list(audiences.announcement_recipients(announcement=announcement)),
                "languages": audiences.recipients_by_language(announcement=announcement),
                "previews": emails.announcement_email_previews(announcement=announcement),
                "deliveries": announcement.deliveries.select_related("registration", "email").order_by("registration__full_name", "pk"),
                "can_send": super().has_change_permission(request, announcement),
                "scheduled_later": announcement.send_at is not None and announcement.send_at > timezone.now(),
            },
        )

    def _preview_action(self, request: HttpRequest, announcement: Announcement) -> HttpResponse:
        if not super().has_change_permission(request, announcement):
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "unschedule":
                services.announcement_unschedule(announcement=announcement)
                self.message_user(request, _("Back to draft: it will not go out until you send it again."), messages.SUCCESS)
            elif action in ("send", "send_now"):
                send_at = None if action == "send_now" else announcement.send_at
                scheduled = services.announcement_schedule(announcement=announcement, send_at=send_at, by=request.user)
                self._report_sent(request, scheduled, services.announcement_send(announcement=scheduled))
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        return HttpResponseRedirect(request.path)

    def _report_sent(self, request: HttpRequest, announcement: Announcement, delivered: int | None) -> None:
        if delivered is None:
            when = date_format(localtime(announcement.send_at), "DATETIME_FORMAT")
            self.message_user(
                request, _("Scheduled: it goes out at %(when)s (Korea time) to the audience of that moment.") % {"when": when}, messages.SUCCESS
            )
            return
        self.message_user(
            request,
            ngettext(
                "Sent to %(count)d person: the e-mail is in the outbox, in their language.",
                "Sent to %(count)d people: the e-mails are in the outbox, each in its reader's language.",
                delivered,
            )
            % {"count": delivered},
            messages.SUCCESS,
        )

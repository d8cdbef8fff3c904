"""Admin for invitations: seats reserved for named guests, their link, QR code and e-mail."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from registrations import services
from registrations.core import qr
from registrations.core.email_address import email_normalise
from registrations.models import Delegation, Invitation
from registrations.selectors.links import invitation_url


class InvitationAdminForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["delegation", "full_name", "email", "company", "sector", "expires_at", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "language" in self.fields:  # absent for a viewer: every field is read-only then
            self.fields["language"].required = False  # left out: the site's default language

    def clean_language(self) -> str:
        return self.cleaned_data["language"] or settings.LANGUAGE_CODE

    def clean_email(self) -> str:
        return email_normalise(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not self.errors:
            # Locks the delegation until the admin's transaction ends, so the seat cannot go elsewhere meanwhile.
            services.invitation_check_and_lock(delegation=cleaned["delegation"], sector=cleaned["sector"], expires_at=cleaned["expires_at"])
        return cleaned


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    form = InvitationAdminForm
    list_display = ["guest", "email", "sector", "delegation", "language", "expires_at", "state", "link"]
    list_filter = ["delegation", "sector", "language"]
    list_select_related = ["sector", "delegation"]
    search_fields = ["full_name", "email", "company"]
    actions = ["send_selected", "revoke_selected"]
    change_form_template = "admin/registrations/invitation/change_form.html"

    # The invitation link lets its holder register on the held seat: shown only to who may change it.
    view_on_site = False

    @admin.display(description=_("guest"), ordering="full_name")
    def guest(self, obj: Invitation) -> str:
        return format_html('{}<br><span class="quiet">{}</span>', obj.full_name, obj.company)

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        return shown if self.has_change_permission(request) else [name for name in shown if name != "link"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["link"]
        return ["delegation", "sector", "expires_at", "state", "used_at", "revoked_at", "created_by", "link", "qr_code"]

    def get_fields(self, request, obj=None):
        base = ["delegation", "full_name", "email", "company", "sector", "expires_at", "language"]
        if obj is None:
            return base
        link = ["link", "qr_code"] if self.has_change_permission(request, obj) else []
        return [*base, "state", "used_at", "revoked_at", "created_by", *link]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial = super().get_changeform_initial_data(request)
        only = list(Delegation.objects.values_list("pk", flat=True)[:2])
        if "delegation" not in initial and len(only) == 1:
            initial["delegation"] = only[0]  # the only delegation: nothing to choose
        return initial

    @admin.display(description=_("state"))
    def state(self, obj: Invitation) -> str:
        if obj.used_at:
            return _("used")
        if obj.revoked_at:
            return _("withdrawn")
        if obj.expires_at <= timezone.now():
            return _("expired")
        return _("holding a seat")

    @admin.display(description=_("invitation link"))
    def link(self, obj: Invitation) -> str:
        if obj.pk is None:
            return _("The link appears once the invitation is saved.")
        url = invitation_url(obj)
        return format_html('<a href="{}">{}</a>', url, url)

    @admin.display(description=_("QR code (for WeChat)"))
    def qr_code(self, obj: Invitation) -> str:
        png = reverse("admin:registrations_invitation_qr", args=[obj.pk])
        return format_html(
            '<img src="{}?size=256" width="256" height="256" alt="{}"><br><a href="{}?size=1024" download="invitation-{}.png">{}</a>',
            png,
            _("QR code"),
            png,
            obj.pk,
            _("Download PNG"),
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/qr.png", view(self.qr_view), name="registrations_invitation_qr"),
            path("<int:pk>/send/", view(require_POST(self.send_view)), name="registrations_invitation_send"),
            *super().get_urls(),
        ]

    def qr_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        invitation = get_object_or_404(Invitation, pk=pk)
        if not self.has_view_permission(request, invitation):
            raise PermissionDenied
        try:
            size = qr.clamp_size(int(request.GET.get("size", qr.DEFAULT_SIZE)))
        except ValueError:
            size = qr.DEFAULT_SIZE
        response = HttpResponse(qr.png_bytes(invitation_url(invitation), size=size), content_type="image/png")
        response["Cache-Control"] = "private, no-store"  # the image is the guest's personal link
        return response

    def send_view(self, request: HttpRequest, pk: int) -> HttpResponseRedirect:
        invitation = get_object_or_404(Invitation, pk=pk)
        if not self.has_change_permission(request, invitation):
            raise PermissionDenied
        self.send_selected(request, Invitation.objects.filter(pk=pk))
        return HttpResponseRedirect(reverse("admin:registrations_invitation_change", args=[pk]))

    def save_model(self, request: HttpRequest, obj: Invitation, form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.invitation_create(
            delegation=obj.delegation,
            full_name=obj.full_name,
            email=obj.email,
            company=obj.company,
            sector=obj.sector,
            expires_at=obj.expires_at,
            by=request.user,
            language=obj.language,
        )
        obj.pk, obj.token, obj.created_by, obj.created_at = created.pk, created.token, created.created_by, created.created_at
        obj._state.adding = False

    def delete_model(self, request: HttpRequest, obj: Invitation) -> None:
        self._report_offers(request, services.invitation_delete(invitation=obj))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        offers = []
        for invitation in queryset.order_by("pk"):
            offers += services.invitation_delete(invitation=invitation)
        self._report_offers(request, offers)

    def _report_offers(self, request: HttpRequest, offers: list) -> None:
        if offers:
            self.message_user(
                request,
                ngettext(
                    "%(count)d person on the waiting list was offered a seat.",
                    "%(count)d people on the waiting list were offered a seat.",
                    len(offers),
                )
                % {"count": len(offers)},
                messages.SUCCESS,
            )

    @admin.action(description=_("Send selected invitations by e-mail (in each invitation's language)"), permissions=["change"])
    def send_selected(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        done = 0
        for invitation in queryset.order_by("pk"):
            try:
                services.invitation_send(invitation=invitation)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{invitation.full_name}: {' '.join(error.messages)}", messages.ERROR)
        if done:
            self.message_user(
                request,
                ngettext("Queued %(count)d invitation e-mail.", "Queued %(count)d invitation e-mails.", done) % {"count": done},
                messages.SUCCESS,
            )

    @admin.action(description=_("Withdraw selected invitations (releases their seats)"), permissions=["change"])
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        done = 0
        for invitation in queryset.order_by("pk"):
            try:
                services.invitation_revoke(invitation=invitation)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{invitation.full_name}: {' '.join(error.messages)}", messages.ERROR)
        if done:
            self.message_user(
                request, ngettext("Withdrew %(count)d invitation.", "Withdrew %(count)d invitations.", done) % {"count": done}, messages.SUCCESS
            )

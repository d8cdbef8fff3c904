"""Admin for invitations: seats reserved for named guests."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import services
from ..email_address import email_normalise
from ..models import Invitation


class InvitationAdminForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["delegation", "full_name", "email", "company", "sector", "expires_at"]

    def clean_email(self) -> str:
        return email_normalise(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not self.errors:
            # Locks the delegation until the admin's transaction ends, so the seat cannot go elsewhere meanwhile.
            services.invitation_check(delegation=cleaned["delegation"], sector=cleaned["sector"], expires_at=cleaned["expires_at"])
        return cleaned


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    form = InvitationAdminForm
    list_display = ["full_name", "email", "company", "sector", "delegation", "expires_at", "state", "link"]
    list_filter = ["delegation", "sector"]
    list_select_related = ["sector", "delegation"]
    search_fields = ["full_name", "email", "company"]
    actions = ["revoke_selected"]

    # The invitation link lets its holder register on the held seat: shown only to who may change it.
    view_on_site = False

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        return shown if self.has_change_permission(request) else [name for name in shown if name != "link"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["link"]
        return ["delegation", "sector", "expires_at", "state", "used_at", "revoked_at", "created_by", "link"]

    def get_fields(self, request, obj=None):
        base = ["delegation", "full_name", "email", "company", "sector", "expires_at"]
        if obj is None:
            return base
        link = ["link"] if self.has_change_permission(request, obj) else []
        return [*base, "state", "used_at", "revoked_at", "created_by", *link]

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
        url = settings.SITE_URL + obj.get_absolute_url()
        return format_html('<a href="{}">{}</a>', url, url)

    def save_model(self, request: HttpRequest, obj: Invitation, form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.invitation_create(
            delegation=obj.delegation, full_name=obj.full_name, email=obj.email, company=obj.company,
            sector=obj.sector, expires_at=obj.expires_at, by=request.user,
        )
        obj.pk, obj.token, obj.created_by, obj.created_at = created.pk, created.token, created.created_by, created.created_at
        obj._state.adding = False

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
            self.message_user(request, ngettext("Withdrew %(count)d invitation.", "Withdrew %(count)d invitations.", done) % {"count": done}, messages.SUCCESS)

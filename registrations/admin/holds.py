"""Admin pieces for e-mail confirmation holds: confirm by hand, and the "many from one address" flag.

Plugged into RegistrationAdmin (admin/registrations.py) as one action, one list filter and one column.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from registrations import selectors, services
from registrations.models import Registration


@admin.action(description=_("Confirm e-mail address by hand"), permissions=["change"])
def confirm_email_by_hand(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Registration]) -> None:
    done, refused = 0, []
    for registration in queryset.order_by("pk"):
        try:
            services.registration_email_confirm(registration=registration, by=request.user)
            done += 1
        except ValidationError as error:
            refused.append(f"{registration.full_name}: {' '.join(error.messages)}")
    if done:
        modeladmin.message_user(
            request,
            ngettext("Confirmed the e-mail address of %(count)d registration.", "Confirmed the e-mail addresses of %(count)d registrations.", done)
            % {"count": done},
            messages.SUCCESS,
        )
    for message in refused:
        modeladmin.message_user(request, message, messages.ERROR)


class BurstFilter(admin.SimpleListFilter):
    """Registrations from one client address sending many submissions in a few minutes (a hall can: it only informs)."""

    title = _("many submissions from one client address")
    parameter_name = "burst"

    def lookups(self, request, model_admin):
        return [
            (
                "yes",
                _("More than %(count)d within %(minutes)d minutes")
                % {
                    "count": selectors.BURST_THRESHOLD,
                    "minutes": int(selectors.BURST_WINDOW.total_seconds() // 60),
                },
            )
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return selectors.registrations_in_bursts(queryset).order_by("client_hash", "created_at")
        return queryset


@admin.display(description=_("same address, 10 min"))
def burst_count(obj: Registration) -> int | str:
    """Shown when the burst filter is on (it annotates the count); blank otherwise."""
    return getattr(obj, "burst_count", "")


class EmailUnconfirmedFilter(admin.SimpleListFilter):
    """Held seats and waiting-list places whose e-mail address is still to be confirmed (no offer goes to the latter)."""

    title = _("e-mail address")
    parameter_name = "email_unconfirmed"

    def lookups(self, request, model_admin):
        return [("yes", _("address not confirmed"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(email_confirm_by__isnull=False)
        return queryset

"""Admin action: anonymise registrations on a person's request, after a confirmation page."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from registrations import services
from registrations.models import Registration


@admin.action(description=_("Anonymise selected registrations (on request; cannot be undone)"), permissions=["change"])
def anonymise_selected(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Registration]):
    queryset = queryset.filter(anonymised_at__isnull=True).select_related("delegation")
    if request.POST.get("confirmed") != "yes":
        return TemplateResponse(
            request,
            "admin/registrations/registration/anonymise_confirmation.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": _("Anonymise registrations?"),
                "opts": modeladmin.model._meta,
                "registrations": list(queryset.order_by("pk")),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )
    done = 0
    for registration in queryset.order_by("pk"):
        services.registration_anonymise(registration=registration)
        done += 1
    modeladmin.message_user(
        request,
        ngettext(
            "Anonymised %(count)d registration. Its personal details are erased; an active seat was released.",
            "Anonymised %(count)d registrations. Their personal details are erased; active seats were released.",
            done,
        )
        % {"count": done},
        messages.SUCCESS,
    )
    return None

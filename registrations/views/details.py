"""The delegate corrects their own details (/r/<token>/edit/); the delegation's privacy notice (/d/<slug>/privacy/)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from registrations import selectors, services
from registrations.consent import consent_text
from registrations.forms import DetailsEditForm
from registrations.services.details import SECTOR_CHANGE_STATUSES
from registrations.views.helpers import delegation_or_404, private, registration_or_404


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def registration_edit(request: HttpRequest, token: str) -> HttpResponse:
    registration = registration_or_404(token)
    delegation = registration.delegation
    refusal = services.registration_edit_refusal_reason(registration=registration)
    form = None
    if refusal is None:
        form = DetailsEditForm(
            request.POST or None,
            registration=registration,
            full_sectors=selectors.sectors_full(delegation=delegation),
            sector_changeable=registration.status in SECTOR_CHANGE_STATUSES,
        )
        if request.method == "POST" and form.is_valid():
            try:
                changed = services.registration_details_change(registration=registration, changes=form.changes())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your details are saved.") if changed else _("Nothing was changed."))
                return redirect(registration)
        if form.is_bound:
            registration.refresh_from_db(fields=["full_name", "sector"])  # the page shows the record as saved, not as typed
    return private(
        render(
            request,
            "registrations/registration_edit.html",
            {
                "registration": registration,
                "delegation": delegation,
                "form": form,
                "refusal": refusal,
                "deadline": delegation.details_edit_deadline(),
            },
        )
    )


def privacy_notice(request: HttpRequest, slug: str) -> HttpResponse:
    delegation = delegation_or_404(request, slug)
    return render(
        request,
        "registrations/privacy.html",
        {
            "delegation": delegation,
            "consent_text": consent_text(),
            "retention_days": settings.PERSONAL_DATA_RETENTION_DAYS,
            "travel_retention_days": settings.TRAVEL_DOCUMENT_RETENTION_DAYS,
        },
    )

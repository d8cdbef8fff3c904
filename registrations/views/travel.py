"""The delegate's travel documents page: consent first, then passport details; deletion on request."""

from datetime import date, datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from registrations import services
from registrations.core import exports
from registrations.core.middleware import document_rate_limited
from registrations.documents.letters import LETTER_LANGUAGES
from registrations.documents.pdf import PdfFontMissing
from registrations.forms.travel import TravelConsentForm, TravelDocumentForm, passport_expiry_warning
from registrations.models.travel import TravelDocument
from registrations.views.helpers import private, registration_or_404


def _initial(details: dict) -> dict:
    initial = dict(details)
    for name in ("date_of_birth", "passport_expires_on"):
        if initial.get(name):
            initial[name] = date.fromisoformat(initial[name])
    for name in ("arrival_at", "departure_at"):
        if initial.get(name):
            initial[name] = datetime.fromisoformat(initial[name]).strftime("%Y-%m-%dT%H:%M")
    return initial


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def travel_document(request: HttpRequest, token: str) -> HttpResponse:
    registration = registration_or_404(token)
    delegation = registration.delegation
    refusal = services.travel_document_refusal_reason(registration=registration)
    document = TravelDocument.objects.filter(registration=registration).first()
    consent_form, form = TravelConsentForm(), None
    if refusal is None and request.method == "POST":
        try:
            if request.POST.get("step") == "consent":
                consent_form = TravelConsentForm(request.POST)
                if consent_form.is_valid():
                    services.travel_consent_give(registration=registration, recipients=delegation.local.travel_data_recipients)
                    return redirect("registrations:travel_document", token=registration.token)
            else:
                form = TravelDocumentForm(request.POST)
                if form.is_valid():
                    services.travel_document_save(registration=registration, details=form.details())
                    # The page then says so, with the expiry warning when due (no flash message repeating it).
                    return redirect("registrations:travel_document", token=registration.token)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("registrations:travel_document", token=registration.token)
    details = document.details if document else {}
    if form is None and document is not None:
        form = TravelDocumentForm(initial=_initial(details))
    expires_on = date.fromisoformat(details["passport_expires_on"]) if details.get("passport_expires_on") else None
    response = render(
        request,
        "registrations/travel_document.html",
        {
            "registration": registration,
            "delegation": delegation,
            "refusal": refusal,
            "document": document,
            "consent_form": consent_form,
            "form": form,
            "has_details": bool(details),
            "expiry_warning": passport_expiry_warning(expires_on=expires_on, trip_ends_on=delegation.ends_on),
            "retention_days": settings.TRAVEL_DOCUMENT_RETENTION_DAYS,
        },
    )
    return private(response)


@never_cache
@require_http_methods(["GET", "POST"])
def travel_document_delete(request: HttpRequest, token: str) -> HttpResponse:
    registration = registration_or_404(token)
    if request.method == "POST":
        services.travel_document_delete(registration=registration)
        messages.success(request, _("Your travel documents and your consent are deleted."))
        return redirect(registration)
    has_document = TravelDocument.objects.filter(registration=registration).exists()
    response = render(
        request,
        "registrations/travel_document_delete.html",
        {
            "registration": registration,
            "delegation": registration.delegation,
            "has_document": has_document,
        },
    )
    return private(response)


@never_cache
@require_GET
def visa_letter(request: HttpRequest, token: str, language: str) -> HttpResponse:
    """The delegate's own invitation letter (PDF), once confirmed with complete travel documents; logged."""
    if limited := document_rate_limited(request):
        return limited
    registration = registration_or_404(token)
    if language not in LETTER_LANGUAGES:
        raise Http404
    refusal = services.visa_letter_refusal_reason(registration=registration)
    if refusal is None:
        try:
            generated = services.visa_letters_generate(registrations=[registration], language=language)
        except PdfFontMissing:
            refusal = _("The letter cannot be made right now. Please try again later or ask the organizer.")
    if refusal:
        return private(
            render(
                request,
                "registrations/visa_letter_refused.html",
                {
                    "registration": registration,
                    "delegation": registration.delegation,
                    "refusal": refusal,
                },
                status=409,
            )
        )
    return private(exports.file_response(filename=generated.filename, content_type=generated.content_type, content=generated.content))

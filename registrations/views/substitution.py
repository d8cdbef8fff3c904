"""Seat substitution, the delegate's side: handing the seat on (/r/<token>/substitute/), the colleague's acceptance (/s/<token>/)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from registrations import selectors, services
from registrations.forms.substitution import ColleagueForm, HandoverAcceptForm
from registrations.services.lost_link import registration_link_send
from registrations.views.helpers import private, registration_or_404


def _add_errors(form, error: ValidationError) -> None:
    """Service errors beside their fields; an address already registered is answered as the public form does."""
    for field, errors in (error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}).items():
        for item in errors:
            if item.code == services.DUPLICATE_EMAIL:
                registration_link_send(delegation=form.delegation, email=form.cleaned_data["email"])
                form.add_error("email", services.Messages.duplicate_email_public())
            else:
                form.add_error(field if field in form.fields else None, item)


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def registration_substitute(request: HttpRequest, token: str) -> HttpResponse:
    """The form, then a confirmation step (the delegate cannot undo it), then the request e-mailed to the colleague."""
    registration = registration_or_404(token)
    refusal = services.seat_handover_refusal_reason(registration=registration, by_delegate=True)
    form = ColleagueForm(request.POST if request.method == "POST" else None, initial={"language": translation.get_language()})
    form.delegation = registration.delegation
    confirming = False
    if request.method == "POST" and refusal is None and form.is_valid():
        if request.POST.get("confirm") != "yes":
            confirming = not request.POST.get("edit")  # "Change the details" shows the form again, filled in
        else:
            try:
                handover = services.seat_handover_request(registration=registration, new_person=form.new_person())
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request, _("We e-mailed %(name)s a link to accept your seat. It stays yours until they do.") % {"name": handover.full_name}
                )
                return redirect(registration)
    return private(
        render(
            request,
            "registrations/registration_substitute.html",
            {
                "registration": registration,
                "delegation": registration.delegation,
                "form": form,
                "refusal": refusal,
                "confirming": confirming,
                "pending": services.seat_handover_pending(registration=registration),
                "deadline": registration.delegation.details_edit_deadline(),
            },
        )
    )


@never_cache
@require_http_methods(["GET", "POST"])
def handover_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The colleague's link: their details, the consent, one button; the seat becomes theirs."""
    handover = selectors.seat_handover_by_token(token=token)
    if handover is None:
        return private(render(request, "registrations/handover_invalid.html", status=404))
    form = HandoverAcceptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.seat_handover_accept(handover=handover, language=translation.get_language())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Welcome: the seat is yours and confirmed. This is your private page; we e-mailed you its link."))
            return redirect(registration)
    return private(
        render(
            request,
            "registrations/handover_accept.html",
            {
                "handover": handover,
                "registration": handover.registration,
                "delegation": handover.registration.delegation,
                "form": form,
            },
        )
    )

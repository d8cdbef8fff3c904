"""Thin views: form -> service -> redirect / render."""

import hashlib
import logging
import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from registrations import selectors, services
from registrations.core import qr
from registrations.core.client_address import client_address
from registrations.core.middleware import qr_rate_limited
from registrations.core.shared_cache import cache_get_or_compute
from registrations.documents import ics
from registrations.forms import EmailConfirmForm, RegistrationForm
from registrations.models import Delegation, Invitation, Registration, is_valid_source_code
from registrations.selectors import questions as questions_selectors
from registrations.selectors.form_content import FormContent, registration_form_content
from registrations.selectors.links import qr_target_url, register_url  # noqa: F401  (register_url: kept importable from here)
from registrations.services.lost_link import registration_link_send
from registrations.views import page_memo, page_shells
from registrations.views.helpers import delegation_or_404, private, registration_or_404

logger = logging.getLogger(__name__)


def _bad_request(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "400.html", {"message": message}, status=400)


def home(request: HttpRequest) -> HttpResponse:
    delegations = list(selectors.published_delegations())
    if len(delegations) == 1:
        return redirect(delegations[0])
    return render(request, "registrations/home.html", {"delegations": delegations})


def delegation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    delegation = delegation_or_404(request, slug)
    intro, about = page_shells.fragments(
        delegation=delegation,
        templates=["registrations/_delegation_intro.html", "registrations/_delegation_about.html"],
        context=lambda: {
            "delegation": delegation,
            "sectors": list(delegation.sectors.all()),
            "days": selectors.itinerary_by_day(delegation=delegation),
        },
    )
    registration_open = delegation.is_registration_open()
    page_memo.memo_key_set(request, page_memo.memo_key(page="delegation", delegation=delegation, registration_open=registration_open))
    return render(
        request,
        "registrations/delegation_detail.html",
        {
            "delegation": delegation,
            "counts": selectors.seat_counts_annotated(delegation=delegation),
            "registration_open": registration_open,
            "intro": intro,
            "about": about,
        },
    )


def _register(
    request: HttpRequest,
    delegation: Delegation,
    *,
    counts,
    initial: dict,
    invitation: Invitation | None = None,
    content: FormContent | None = None,
) -> HttpResponse:
    """The form -> registration_submit -> private page flow shared by the QR link and invitations.

    ``content``: the delegation's sectors and questions as already read (selectors.form_content)."""
    known = {"sectors": content.sectors, "questions": content.questions} if content is not None else {}
    form = RegistrationForm(request.POST or None, delegation=delegation, initial=initial, invitation=invitation, **known)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_submit(
                delegation=delegation,
                invitation=invitation,
                language=translation.get_language(),
                client_address=client_address(request),
                **form.submission(),
            )
        except ValidationError as error:
            if not _duplicate_answered(delegation, form, error):
                form.add_error(None, error)
        else:
            return redirect(registration)
    # The person's own input and errors: rendered for them alone.
    context = {"delegation": delegation, "counts": counts, "invitation": invitation, "form": form}
    return render(request, "registrations/register.html", context)


def _duplicate_answered(delegation: Delegation, form: RegistrationForm, error: ValidationError) -> bool:
    """An address already registered: its owner gets the private link by e-mail; the form says only that it may have."""
    email_errors = getattr(error, "error_dict", {}).get("email", [])
    if not any(item.code == services.DUPLICATE_EMAIL for item in email_errors):
        return False
    registration_link_send(delegation=delegation, email=form.cleaned_data["email"])
    form.add_error("email", services.Messages.duplicate_email_public())
    return True


def _posted_form_content_or_404(request: HttpRequest, slug: str) -> FormContent:
    """For a POST: the delegation row without its seat counts (the service counts under the lock; a page shown
    again counts then, see ``_register``), its sectors and its form's questions, as this process keeps them."""
    content = registration_form_content(slug=slug, include_unpublished=request.user.is_staff)
    if content is None:
        raise Http404
    return content


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def registration_create(request: HttpRequest, slug: str) -> HttpResponse:
    content = None
    if request.method == "POST":
        content = _posted_form_content_or_404(request, slug)
        delegation = content.delegation
        counts = SimpleLazyObject(lambda: selectors.seat_counts(delegation=delegation))  # only if a page is rendered
    else:
        delegation = delegation_or_404(request, slug)
        counts = selectors.seat_counts_annotated(delegation=delegation)
    source = request.GET.get("src", "").lower()
    if source and not is_valid_source_code(source):
        return _bad_request(request, _("This registration link is not valid. Open the link without the part after “?”."))
    if not delegation.is_registration_open():
        return render(request, "registrations/registration_closed.html", {"delegation": delegation, "counts": counts})
    if request.method == "POST":
        return _register(request, delegation, counts=counts, initial={}, content=content)
    page_memo.memo_key_set(request, page_memo.memo_key(page="register", delegation=delegation, registration_open=True))
    facts, blank_form = page_shells.fragments(
        delegation=delegation,
        templates=["registrations/_delegation_facts.html", "registrations/_blank_form.html"],
        context=lambda: {"delegation": delegation, "form": RegistrationForm(delegation=delegation)},
    )
    return render(
        request,
        "registrations/register.html",
        {
            "delegation": delegation,
            "counts": counts,
            "facts": facts,
            "blank_form": blank_form,
            "source": source,
        },
    )


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def invitation_register(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_by_token(token=token)
    if invitation is None:
        raise Http404
    if not invitation.is_holding():
        return render(request, "registrations/invitation_invalid.html", {"invitation": invitation, "delegation": invitation.delegation})
    initial = {"full_name": invitation.full_name, "email": invitation.email, "company": invitation.company, "sector": invitation.sector_id}
    counts = selectors.seat_counts(delegation=invitation.delegation)
    return private(_register(request, invitation.delegation, counts=counts, initial=initial, invitation=invitation))


@never_cache
def registration_detail(request: HttpRequest, token: str) -> HttpResponse:
    registration = registration_or_404(token)
    delegation = registration.delegation
    response = render(
        request,
        "registrations/registration_detail.html",
        {
            "registration": registration,
            "delegation": delegation,
            "days": selectors.itinerary_by_day(delegation=delegation),
            "counts": selectors.seat_counts(delegation=delegation),
            "visits": selectors.visit_choices(registration=registration),
            "edit_refusal": services.registration_edit_refusal_reason(registration=registration),
            "progress": questions_selectors.own_progress(registration=registration) if registration.status == Registration.Status.CONFIRMED else None,
        },
    )
    return private(response)


@never_cache
@require_http_methods(["GET", "POST"])
def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    registration = registration_or_404(token)
    if request.method == "POST":
        _apply(request, services.registration_cancel, registration, _("Your registration is cancelled. Your seat has been released."))
        return redirect(registration)
    response = render(request, "registrations/registration_cancel.html", {"registration": registration, "delegation": registration.delegation})
    return private(response)


def _apply(request: HttpRequest, action, registration: Registration, success: str) -> None:
    """Run a self-service action and tell the person what happened."""
    try:
        action(registration=registration)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)


@never_cache
@require_http_methods(["GET", "POST"])
def email_confirm(request: HttpRequest, token: str, code: str = "") -> HttpResponse:
    """The e-mail's link (GET: one button, the code filled in) and the code form of the private page (POST)."""
    registration = registration_or_404(token)
    if request.method == "POST":
        form = EmailConfirmForm(request.POST)
        if form.is_valid():
            try:
                registration = services.registration_email_confirm(registration=registration, code=form.cleaned_data["code"])
            except ValidationError as error:
                form.add_error("code", error)
            else:
                if registration.status == Registration.Status.CONFIRMED:
                    messages.success(request, _("Thank you: your e-mail address is confirmed, and so is your seat."))
                else:
                    messages.success(
                        request,
                        _(
                            "Thank you: your e-mail address is confirmed. You keep your place on the waiting list, and a free seat can now be offered to you."
                        ),
                    )
                return redirect(registration)
    else:
        form = EmailConfirmForm(initial={"code": code[:12]})
    response = render(
        request,
        "registrations/email_confirm.html",
        {
            "registration": registration,
            "delegation": registration.delegation,
            "form": form,
        },
    )
    return private(response)


@require_POST
def offer_respond(request: HttpRequest, token: str, answer: str) -> HttpResponse:
    registration = registration_or_404(token)
    _apply(request, services.registration_offer_accept, registration, _("Your seat is confirmed. Welcome to the delegation!"))
    return redirect(registration)


@never_cache
@require_http_methods(["GET", "POST"])
def offer_decline(request: HttpRequest, token: str) -> HttpResponse:
    """Declining gives the seat away for good: a page asks first (GET), the POST from it declines."""
    registration = registration_or_404(token)
    if request.method == "POST":
        _apply(
            request, services.registration_offer_decline, registration, _("You declined the seat. It goes to the next person on the waiting list.")
        )
        return redirect(registration)
    context = {"registration": registration, "delegation": registration.delegation}
    return private(render(request, "registrations/offer_decline.html", context))


def itinerary_ics(request: HttpRequest, slug: str) -> HttpResponse:
    delegation = delegation_or_404(request, slug)
    items = delegation.itinerary.order_by("starts_at", "order", "pk")
    response = HttpResponse(ics.itinerary_ics(delegation=delegation, items=items), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{delegation.slug}-itinerary.ics"'
    return response


def _qr_source(request: HttpRequest) -> str | None:
    source = request.GET.get("src", "").lower()
    return source if not source or is_valid_source_code(source) else None


QR_CACHE_SECONDS = 24 * 60 * 60
QR_SIZE_RE = re.compile(r"[0-9]{1,6}")  # ASCII digits only: str.isdigit() also accepts "²", which int() refuses


def _qr_image(target: str, kind: str, compute) -> bytes:
    """A QR image from the shared cache by its parameters; only links the site issued are cached (bounded keys)."""
    if "?" in target:  # an unknown ?src= code: any string, so not worth a cache entry
        return compute()
    key = "qr:" + hashlib.sha256(f"{kind}:{target}".encode()).hexdigest()[:32]
    return cache_get_or_compute(key, compute, timeout=QR_CACHE_SECONDS)


def qr_png(request: HttpRequest, slug: str) -> HttpResponse:
    if limited := qr_rate_limited(request):
        return limited
    delegation = delegation_or_404(request, slug)
    source = _qr_source(request)
    raw_size = request.GET.get("size", str(qr.DEFAULT_SIZE))
    if source is None or not QR_SIZE_RE.fullmatch(raw_size):
        return _bad_request(request, _("Ask for a size in pixels between 128 and 2048 and a short source code."))
    size, target = qr.clamp_size(int(raw_size)), qr_target_url(delegation, source)
    png = _qr_image(target, f"png:{size}", lambda: qr.png_bytes(target, size=size))
    return HttpResponse(png, content_type="image/png")


def qr_svg(request: HttpRequest, slug: str) -> HttpResponse:
    if limited := qr_rate_limited(request):
        return limited
    delegation = delegation_or_404(request, slug)
    source = _qr_source(request)
    if source is None:
        return _bad_request(request, _("Ask for a short source code."))
    target = qr_target_url(delegation, source)
    return HttpResponse(_qr_image(target, "svg", lambda: qr.svg_bytes(target)), content_type="image/svg+xml")


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: database unreachable")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A request Django refuses before any view (too many form fields, a body too large): a clear 400 page."""
    return _bad_request(request, _("This request could not be read (a form may have sent more than this site accepts). Go back and try again."))

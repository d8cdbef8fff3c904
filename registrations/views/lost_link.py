""" "Lost your link?": the private link e-mailed again to a registered address, the same answer for any address."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from registrations import selectors
from registrations.core.client_address import client_address
from registrations.core.middleware import too_many_requests
from registrations.core.ratelimit import link_address_limit, ratelimit_hit
from registrations.forms import LostLinkForm
from registrations.services.lost_link import registration_link_send


@never_cache
@require_http_methods(["GET", "POST"])
def lost_link(request: HttpRequest, slug: str) -> HttpResponse:
    delegation = selectors.delegation_page(slug=slug, include_unpublished=request.user.is_staff)
    if delegation is None:
        raise Http404
    form = LostLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verdict = ratelimit_hit(scope="link-address", value=client_address(request), limit=link_address_limit())
        if not verdict.allowed:
            return too_many_requests(request, verdict)
        registration_link_send(delegation=delegation, email=form.cleaned_data["email"])
        # The same page whether or not the address is registered: it tells no one who registered.
        return render(request, "registrations/lost_link_sent.html", {"delegation": delegation})
    return render(request, "registrations/lost_link.html", {"delegation": delegation, "form": form})

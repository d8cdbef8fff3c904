from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from registrations.admin.view_on_site import view_on_site

admin.site.site_header = _("Delegation administration")
admin.site.site_title = _("Delegation admin")
admin.site.index_title = _("Run the delegation")

urlpatterns = [
    # Before admin.site.urls: replaces admin's "view on site" redirect with one that checks permissions.
    path("admin/r/<int:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the language switcher's form posts here
    # Browsers ask for /favicon.ico on pages without an icon link (the admin); answer instead of a 404.
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}favicon.svg", permanent=True)),
    path("", include("registrations.urls")),
]

handler400 = "registrations.views.public.bad_request"
handler404 = "registrations.views.public.page_not_found"
handler500 = "registrations.views.public.server_error"

"""The admin site: check-in staff start on the visits of the day, not on the admin index."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


class DelegationAdminSite(admin.AdminSite):
    def index(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        from registrations import services

        if services.is_checkin_only(request.user):
            return redirect("registrations:checkin_today")
        extra = {**(extra_context or {})}
        if request.user.has_perm(services.ADD_STAFF_PERMISSION):
            extra["add_checkin_staff_url"] = reverse("admin:registrations_checkin_add_staff")
        return super().index(request, extra)

    def get_app_list(self, request: HttpRequest, app_label=None) -> list[dict]:
        """Leave out models the user may only add, never see (Users for organizers: they add check-in staff only)."""
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            app["models"] = [model for model in app["models"] if model["perms"].get("view") or model["perms"].get("change")]
        return [app for app in app_list if app["models"]]

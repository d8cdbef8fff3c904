"""Admin page "Add check-in staff": an organizer types a username, the page shows a password once.

Needs ``auth.add_user`` (the Organizers group has it). The account made is check-in staff and
nothing else (``services.checkin_staff_create``); this page cannot change an existing account.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registrations import services


class CheckInStaffForm(forms.Form):
    username = forms.CharField(
        label=gettext_lazy("Username"),
        max_length=150,
        help_text=gettext_lazy("What they type to log in: letters, digits and @ . + - _ (for example gate1 or minji.kim)."),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off", "spellcheck": "false"}),
    )
    display_name = forms.CharField(
        label=gettext_lazy("Display name (optional)"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("Shown beside each check-in they make, for example “Minji Kim (gate)”."),
    )

    def clean_username(self) -> str:
        username = get_user_model().normalize_username(self.cleaned_data["username"].strip())
        for validator in get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD).validators:
            validator(username)
        return username


def staff_members():
    """The check-in staff accounts, newest first, for the page's list."""
    return get_user_model().objects.filter(groups__name=services.CHECKIN_STAFF_GROUP).order_by("-date_joined", "-pk")


class CheckInStaffAdminMixin:
    """Adds ``…/checkin/staff/add/`` to the check-in admin."""

    def staff_urls(self) -> list:
        return [path("staff/add/", self.admin_site.admin_view(self.add_staff_view), name="registrations_checkin_add_staff")]

    def add_staff_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm(services.ADD_STAFF_PERMISSION):
            raise PermissionDenied
        form = CheckInStaffForm(request.POST if request.method == "POST" else None)
        created, password = None, ""
        if request.method == "POST" and form.is_valid():
            try:
                created, password = services.checkin_staff_create(
                    username=form.cleaned_data["username"],
                    display_name=form.cleaned_data["display_name"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error("username", error)
        # admin_view() marks the response never_cache (no-store): the password is on this page once.
        return render(
            request,
            "admin/registrations/checkin/add_staff.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Add check-in staff"),
                "opts": self.model._meta,
                "form": form if created is None else CheckInStaffForm(),
                "created": created,
                "password": password,
                "staff_members": staff_members(),
            },
        )

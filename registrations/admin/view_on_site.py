"""Admin's "view on site" (/admin/r/<content type>/<id>/), refusing private links to staff who may not change them.

Django's own shortcut view only asks for a staff login, then redirects to the object's
``get_absolute_url``: for a registration that is its private page, for an invitation its
invitation link. This view asks the object's ModelAdmin first: a link to a public page needs
"view", a link carrying a secret (``registrations.core.tokens.is_private_path``) needs "change".
"""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse

from registrations.core.tokens import is_private_path


def may_open_link(request: HttpRequest, obj) -> bool:
    """True when this user may follow the object's "view on site" link (private links: change permission)."""
    try:
        model_admin = admin.site.get_model_admin(type(obj))
    except admin.sites.NotRegistered:
        return False
    if not hasattr(obj, "get_absolute_url"):
        return False
    if is_private_path(obj.get_absolute_url()):
        return model_admin.has_change_permission(request, obj)
    return model_admin.has_view_permission(request, obj)


def view_on_site(request: HttpRequest, content_type_id: int, object_id: str) -> HttpResponse:
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        obj = model._default_manager.get(pk=object_id) if model is not None else None
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError):
        obj = None
    if obj is None:
        raise Http404
    if not may_open_link(request, obj):
        raise PermissionDenied
    return shortcut(request, content_type_id, object_id)

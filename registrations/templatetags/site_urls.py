"""Absolute URLs on the site's own domain (SITE_URL), for links to copy and share cards."""

from django import template
from django.conf import settings
from django.templatetags.static import static

register = template.Library()


@register.simple_tag
def site_url(path: str) -> str:
    """``path`` (already a URL path) on SITE_URL."""
    return settings.SITE_URL + path


@register.simple_tag
def site_static(path: str) -> str:
    """A static file's absolute URL on SITE_URL (share cards need absolute image URLs)."""
    url = static(path)
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + url

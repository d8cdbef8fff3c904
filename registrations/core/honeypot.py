"""A honeypot field: invisible to people, filled in by naive bots, and then refused."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "website"


class HoneypotField(forms.CharField):
    """Rendered off-screen (CSS class ``hp``) with a label asking people to leave it empty."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Leave this field empty"))
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value:
            raise ValidationError(_("Leave this field empty."), code="honeypot")
        return value

"""The admin form that freezes a host list: the columns the host asked for, and until when the link works."""

from django import forms
from django.utils.translation import gettext_lazy as _

from registrations.models.hostlists import HOST_LIST_FIELDS


class HostListFreezeForm(forms.Form):
    columns = forms.MultipleChoiceField(
        label=_("Columns the host asked for"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one column.")},
    )
    expires_at = forms.DateTimeField(
        label=_("The link works until (Korea time)"),
        widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"}),
    )
    withdraw_earlier = forms.BooleanField(label=_("Withdraw the earlier links of this visit"), required=False, initial=True)

    def __init__(self, *args, with_passport: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["columns"].choices = [(field.key, field.label) for field in HOST_LIST_FIELDS if with_passport or not field.from_passport]

"""The organizer's announcement form: who gets it, the text in three languages, when. No business rules."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from registrations.models import Announcement, ItineraryItem
from registrations.services.messages import Messages

Audience = Announcement.Audience


class VisitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, item: ItineraryItem) -> str:
        return f"{date_format(timezone.localtime(item.starts_at), 'D j M, H:i')} · {item.local.title}"


class AnnouncementAdminForm(forms.ModelForm):
    """Only drafts change; a visit only for the visit audience, and one of the announcement's delegation."""

    class Meta:
        model = Announcement
        fields = "__all__"
        field_classes = {"visit": VisitChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("delegation", "visit"):  # a plain choice: no edit, add or view buttons beside it
            widget = self.fields[name].widget if name in self.fields else None
            if hasattr(widget, "can_add_related"):
                widget.can_add_related = widget.can_change_related = widget.can_delete_related = widget.can_view_related = False
        if "visit" in self.fields:
            items = ItineraryItem.objects.select_related("delegation").order_by("delegation", "starts_at", "order", "pk")
            delegation = self.instance.delegation_id or self.initial.get("delegation")
            self.fields["visit"].queryset = items.filter(delegation_id=delegation) if delegation else items

    def clean_send_at(self):
        send_at = self.cleaned_data.get("send_at")
        if send_at is not None and send_at <= timezone.now():
            raise ValidationError(_("This time has passed. Leave it empty to send the announcement now."))
        return send_at

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and Announcement.objects.filter(pk=self.instance.pk).exclude(status=Announcement.Status.DRAFT).exists():
            raise ValidationError(Messages.announcement_not_draft())
        audience, visit, delegation = cleaned.get("audience"), cleaned.get("visit"), cleaned.get("delegation")
        if audience != Audience.VISIT:
            cleaned["visit"] = None  # chosen, then another audience picked: the visit no longer applies
        elif visit is None:
            self.add_error("visit", Messages.announcement_visit_needed())
        elif delegation is not None and visit.delegation_id != delegation.pk:
            self.add_error("visit", Messages.announcement_visit_other_delegation())
        return cleaned

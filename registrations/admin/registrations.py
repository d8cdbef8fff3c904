"""Admin for registrations. Status changes go through services (actions), never list_editable."""

from itertools import groupby

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from registrations import selectors, services
from registrations.admin.checkin import rotate_checkin_codes
from registrations.admin.documents import RegistrationDocumentsMixin
from registrations.admin.emails import OutboxEmailInline
from registrations.admin.holds import BurstFilter, EmailUnconfirmedFilter, burst_count, confirm_email_by_hand
from registrations.admin.privacy import anonymise_selected
from registrations.admin.questions import AnswerFilter, AnswerInline, DetailsFilter, details_state, remind_to_complete_details
from registrations.admin.read_only import ReadOnlyTabularInline
from registrations.admin.review import RegistrationReviewMixin
from registrations.admin.rooming import RoomingMixin
from registrations.admin.substitution import RegistrationSubstitutionMixin
from registrations.core import exports
from registrations.forms import PersonFieldsMixin
from registrations.models import DetailChange, Registration, StatusChange
from registrations.selectors import questions as questions_selectors
from registrations.services.details import ORGANIZER_FIELDS


class StatusChangeInline(ReadOnlyTabularInline):
    model = StatusChange
    fields = ["changed_at", "from_status", "to_status", "reason", "changed_by"]
    readonly_fields = fields
    verbose_name_plural = _("status history")


class DetailChangeInline(ReadOnlyTabularInline):
    """Every change of the person's details, by the delegate (their private page) or an organizer (this page)."""

    model = DetailChange
    fields = ["changed_at", "field_name", "old_value", "new_value", "who"]
    readonly_fields = fields
    verbose_name_plural = _("history of details")

    @admin.display(description=_("field"))
    def field_name(self, obj: DetailChange) -> str:
        return obj.field_label

    @admin.display(description=_("by"))
    def who(self, obj: DetailChange) -> str:
        return gettext("the delegate (private page)") if obj.by_delegate else str(obj.changed_by or gettext("an organizer"))


class RegistrationAdminForm(PersonFieldsMixin, forms.ModelForm):
    """The registration form's rules for the person's fields; changes are checked by the service that records them."""

    organizer = None  # set per request by RegistrationAdmin.get_form

    class Meta:
        model = Registration
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_person_validators()

    def detail_changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data if name in ORGANIZER_FIELDS}

    def clean(self):
        cleaned = super().clean()
        self.refuse_control_characters_in(cleaned)
        if self.instance.pk is not None and not self.errors:
            try:
                services.registration_details_check(registration=self.instance, changes=self.detail_changes(), by=self.organizer)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason shown to the person (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
    )


@admin.register(Registration)
class RegistrationAdmin(RoomingMixin, RegistrationDocumentsMixin, RegistrationSubstitutionMixin, RegistrationReviewMixin, admin.ModelAdmin):
    form = RegistrationAdminForm
    list_display = [
        "full_name",
        "company_and_title",  # the job title under the company: one column less, so that names wrap only between words at 1366 px
        "sector",
        "status",
        "waitlist_position",
        details_state,
        "source",
        "created_at",
        burst_count,
    ]
    list_filter = ["delegation", "status", DetailsFilter, AnswerFilter, "sector", "source", "language", BurstFilter, EmailUnconfirmedFilter]
    list_select_related = ["sector", "delegation"]
    search_fields = ["full_name", "company", "email", "phone"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    readonly_fields = [
        "status",
        "waitlist_position",
        "offer_expires_at",
        "decision_reason",
        "invitation",
        "token",
        "private_link",
        "consent_at",
        "status_changed_at",
        "created_at",
        "updated_at",
        "consent_version",
        "consent_text",
        "anonymised_at",
    ]
    fieldsets = [
        (None, {"fields": ["delegation", "status", "waitlist_position", "offer_expires_at", "decision_reason", "private_link"]}),
        (_("Person"), {"fields": ["full_name", "company", "job_title", "sector", "email", "phone", "wechat_id", "note"]}),
        (_("Record"), {"fields": ["source", "language", "invitation", "consent_at", "status_changed_at", "created_at", "updated_at", "token"]}),
        (_("Consent and privacy"), {"fields": ["consent_version", "consent_text", "anonymised_at"]}),
    ]
    inlines = [AnswerInline, StatusChangeInline, DetailChangeInline, OutboxEmailInline]
    actions = [
        "confirm_selected",
        "waitlist_selected",
        "reject_selected",
        "cancel_selected",
        "export_csv",
        "export_xlsx",
        rotate_checkin_codes,
        anonymise_selected,
        confirm_email_by_hand,
        remind_to_complete_details,
        *RegistrationDocumentsMixin.document_actions,
    ]

    # The page's address is the person's private link: shown (private_link) only to who may change it.
    view_on_site = False
    PRIVATE_FIELDS = ("private_link", "token")

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return fieldsets
        return [(name, {**options, "fields": [f for f in options["fields"] if f not in self.PRIVATE_FIELDS]}) for name, options in fieldsets]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.organizer = request.user  # a new class per request (modelform_factory)
        return form

    def save_model(self, request, obj, form, change):
        # The person's details through the one service that checks and records them (the delegate's page uses it too).
        if change and (changes := form.detail_changes()):
            services.registration_details_change(registration=obj, changes=changes, by=request.user)
        super().save_model(request, obj, form, change)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Registration]:
        return questions_selectors.with_completeness(super().get_queryset(request))  # the details column and filter

    def has_add_permission(self, request: HttpRequest) -> bool:
        # New registrations come through the public form (or an invitation), which takes seats under the lock.
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # A raw delete would free a seat without offering it on; cancel (or anonymise) instead.
        return False

    def get_readonly_fields(self, request, obj=None):
        # The delegation of an existing registration never moves: its seat belongs to that delegation.
        return [*self.readonly_fields, "delegation", "sector"] if obj else self.readonly_fields

    @admin.display(description=Registration._meta.get_field("company").verbose_name, ordering="company")
    def company_and_title(self, obj: Registration) -> str:
        if not obj.job_title:
            return obj.company
        return format_html('{}<br><span class="quiet">{}</span>', obj.company, obj.job_title)

    @admin.display(description=_("private link"))
    def private_link(self, obj: Registration) -> str:
        if obj.pk is None:
            return "—"
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', obj.get_absolute_url(), _("Open the registrant's page"))

    def _report(self, request: HttpRequest, done: int, refused: list[str], done_message: str) -> None:
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.ERROR)

    def _each(self, request, queryset, action, **kwargs) -> tuple[int, list[str]]:
        done, refused = 0, []
        for registration in queryset.select_related("delegation").order_by("pk"):
            try:
                action(registration=registration, by=request.user, **kwargs)
                done += 1
            except ValidationError as error:
                refused.append(f"{registration.full_name}: {' '.join(error.messages)}")
        return done, refused

    @admin.action(description=_("Confirm selected (pending, waiting list or offered): all or none"), permissions=["change"])
    def confirm_selected(self, request: HttpRequest, queryset: QuerySet[Registration]) -> None:
        done, refused = 0, []
        rows = queryset.select_related("delegation", "sector").order_by("delegation_id", "pk")
        for delegation, group in groupby(rows, key=lambda r: r.delegation):
            group = list(group)
            try:
                done += len(services.registrations_confirm(delegation=delegation, registrations=group, by=request.user))
            except ValidationError as error:
                refused.append(f"{delegation}: {' '.join(error.messages)}")
        self._report(request, done, refused, ngettext("Confirmed %(count)d registration.", "Confirmed %(count)d registrations.", done))

    @admin.action(description=_("Put selected pending applications on the waiting list"), permissions=["change"])
    def waitlist_selected(self, request: HttpRequest, queryset: QuerySet[Registration]) -> None:
        done, refused = self._each(request, queryset, services.registration_waitlist)
        self._report(
            request,
            done,
            refused,
            ngettext("Put %(count)d registration on the waiting list.", "Put %(count)d registrations on the waiting list.", done),
        )

    @admin.action(description=_("Reject selected (with an optional reason)"), permissions=["change"])
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[Registration]):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            done, refused = self._each(request, queryset, services.registration_reject, reason=form.cleaned_data["reason"])
            self._report(request, done, refused, ngettext("Rejected %(count)d registration.", "Rejected %(count)d registrations.", done))
            return None
        return TemplateResponse(
            request,
            "admin/registrations/registration/reject.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Reject registrations"),
                "opts": self.model._meta,
                "queryset": queryset,
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("Cancel selected registrations (the seat goes to the waiting list)"), permissions=["change"])
    def cancel_selected(self, request: HttpRequest, queryset: QuerySet[Registration]) -> None:
        done, refused = self._each(request, queryset, services.registration_cancel)
        self._report(request, done, refused, ngettext("Cancelled %(count)d registration.", "Cancelled %(count)d registrations.", done))

    @admin.action(description=_("Export selected to CSV"), permissions=["view"])
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Registration]):
        header, rows = exports.registration_table(selectors.export_queryset(queryset))
        return exports.csv_response(filename="registrations.csv", header=header, rows=rows)

    @admin.action(description=_("Export selected to Excel (XLSX)"), permissions=["view"])
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[Registration]):
        header, rows = exports.registration_table(selectors.export_queryset(queryset))
        return exports.xlsx_response(filename="registrations.xlsx", header=header, rows=rows)

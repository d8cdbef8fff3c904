"""Registration list actions that make PDFs: visa invitation letters, badge sheets, table cards.

Letter actions exist only for users with the travel-document permission (Django then refuses them
to anyone else, and the letter language beside the actions is shown only to them); the services log
every generation.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from registrations import services
from registrations.core import exports
from registrations.documents.pdf import PdfFontMissing
from registrations.models import Registration
from registrations.models.travel import VIEW_TRAVEL_DOCUMENTS


class DocumentActionForm(ActionForm):
    letter_language = forms.ChoiceField(
        label=_("Letter language"),
        required=False,
        initial="en",
        choices=[("en", _("English")), ("ko", _("Korean"))],
    )


class RegistrationDocumentsMixin:
    """For RegistrationAdmin: the four document actions."""

    action_form = DocumentActionForm
    document_actions = ["visa_letters_zip", "visa_letters_file", "badge_sheet", "table_cards"]

    def has_travel_documents_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.has_perm(VIEW_TRAVEL_DOCUMENTS)

    def changelist_view(self, request: HttpRequest, extra_context=None):
        """The letter language is offered only to those who may make letters."""
        response = super().changelist_view(request, extra_context)
        action_form = getattr(response, "context_data", {}).get("action_form")
        if action_form is not None and not self.has_travel_documents_permission(request):
            action_form.fields.pop("letter_language", None)
        return response

    def _document(self, request: HttpRequest, make) -> HttpResponse | None:
        try:
            generated = make()
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        except PdfFontMissing as error:
            self.message_user(request, str(error), messages.ERROR)
            return None
        if generated.left_out:
            self.message_user(request, _("Left out: %(people)s") % {"people": "; ".join(generated.left_out)}, messages.WARNING)
        return exports.file_response(filename=generated.filename, content_type=generated.content_type, content=generated.content)

    def _letters(self, request: HttpRequest, queryset: QuerySet[Registration], *, one_file: bool) -> HttpResponse | None:
        language = request.POST.get("letter_language") or "en"
        return self._document(
            request,
            lambda: services.visa_letters_generate(
                registrations=list(queryset.select_related("delegation")), language=language, user=request.user, one_file=one_file
            ),
        )

    def _cards(self, request: HttpRequest, queryset: QuerySet[Registration], kind: str) -> HttpResponse | None:
        return self._document(
            request,
            lambda: services.name_cards_generate(registrations=list(queryset.select_related("delegation", "sector")), user=request.user, kind=kind),
        )

    @admin.action(description=_("Visa letters (one PDF per delegate, ZIP)"), permissions=["travel_documents"])
    def visa_letters_zip(self, request: HttpRequest, queryset: QuerySet[Registration]):
        return self._letters(request, queryset, one_file=False)

    @admin.action(description=_("Visa letters (one file)"), permissions=["travel_documents"])
    def visa_letters_file(self, request: HttpRequest, queryset: QuerySet[Registration]):
        return self._letters(request, queryset, one_file=True)

    @admin.action(description=_("Badge sheet (A4)"), permissions=["view"])
    def badge_sheet(self, request: HttpRequest, queryset: QuerySet[Registration]):
        return self._cards(request, queryset, "badges")

    @admin.action(description=_("Table cards"), permissions=["view"])
    def table_cards(self, request: HttpRequest, queryset: QuerySet[Registration]):
        return self._cards(request, queryset, "table_cards")

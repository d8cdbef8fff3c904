"""Admin for custom questions: the inline on the delegation, answers on a registration, completeness, counts without names."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from registrations import services
from registrations.admin.read_only import ReadOnlyTabularInline
from registrations.core import exports
from registrations.models import Delegation, ItineraryItem, Registration
from registrations.models.questions import Answer, Question
from registrations.selectors import questions as questions_selectors


class QuestionInline(admin.StackedInline):
    """One compact block per question: texts in the three languages side by side."""

    model = Question
    extra = 0
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("text", "text_zh_hans", "text_ko"),
                    ("kind", "required", "stage", "visit"),
                    "choices",
                    ("help_text", "help_text_zh_hans", "help_text_ko"),
                    ("order", "code"),
                ]
            },
        )
    ]

    def get_formset(self, request, obj=None, **kwargs):
        self.parent_delegation = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "choices":
            kwargs["widget"] = admin.widgets.AdminTextareaWidget(attrs={"rows": 4, "cols": 60})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "visit":  # the visits of this delegation only
            kwargs["queryset"] = ItineraryItem.objects.filter(delegation=getattr(self, "parent_delegation", None)).order_by("starts_at")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AnswerInline(ReadOnlyTabularInline):
    """The person's answers, read-only (they change them on their questions page)."""

    model = Answer
    fields = ["question", "answer", "answered_at"]
    readonly_fields = fields
    verbose_name_plural = _("answers to the organizers' questions")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question")

    @admin.display(description=_("answer"))
    def answer(self, obj: Answer) -> str:
        return obj.question.answer_text(obj.value)


class DetailsFilter(admin.SimpleListFilter):
    """Confirmed delegates by whether they have given every required answer (and their travel documents when collected)."""

    title = _("details (questions, travel documents)")
    parameter_name = "details"

    def lookups(self, request, model_admin):
        return [("incomplete", _("details incomplete")), ("complete", _("details complete"))]

    def queryset(self, request, queryset):
        if self.value() == "incomplete":
            return queryset.filter(questions_selectors.details_incomplete())
        if self.value() == "complete":
            return queryset.filter(questions_selectors.details_complete())
        return queryset


class AnswerFilter(admin.SimpleListFilter):
    """Registrations by their answer to a choice or yes/no question (of the delegation filtered on, else of all)."""

    title = _("answer")
    parameter_name = "answer"

    def _questions(self, request) -> list[Question]:
        questions = Question.objects.filter(kind__in=[*Question.CHOICE_KINDS, Question.Kind.YES_NO]).order_by("delegation", "order", "pk")
        delegation = request.GET.get("delegation__id__exact")
        return list(questions.filter(delegation_id=delegation) if delegation and delegation.isdigit() else questions)

    def lookups(self, request, model_admin):
        options = []
        for question in self._questions(request):
            values = (
                [("yes", gettext("Yes")), ("no", gettext("No"))]
                if question.kind == Question.Kind.YES_NO
                else [(choice.value, choice.label) for choice in question.choice_list()]
            )
            options += [(f"{question.pk}:{value}", f"{question.local.text}: {label}") for value, label in values]
        return options

    def queryset(self, request, queryset):
        question_id, _sep, value = (self.value() or "").partition(":")
        if not question_id.isdigit() or not value:
            return queryset
        picked = Q(value=value) | Q(value__startswith=f"{value}\n") | Q(value__endswith=f"\n{value}") | Q(value__contains=f"\n{value}\n")
        return queryset.filter(pk__in=Answer.objects.filter(picked, question_id=int(question_id)).values("registration"))


@admin.display(description=_("details"))
def details_state(obj: Registration) -> str:
    """Confirmed delegates: required answers still due and travel documents (when collected); one annotated query."""
    if obj.status != Registration.Status.CONFIRMED:
        return "—"
    parts = [
        gettext("answers ✓")
        if not obj.questions_missing
        else ngettext("%(count)d answer due", "%(count)d answers due", obj.questions_missing) % {"count": obj.questions_missing}
    ]
    if obj.collects_travel:
        parts.append(gettext("passport ✓") if obj.travel_given else gettext("passport due"))
    return format_html_join(mark_safe("<br>"), "{}", ((part,) for part in parts))


@admin.action(description=_("Remind to complete their details (e-mail, in each person's language)"), permissions=["change"])
def remind_to_complete_details(model_admin, request: HttpRequest, queryset: QuerySet[Registration]) -> None:
    sent = services.details_reminders_send(registrations=queryset)
    skipped = queryset.count() - sent
    if sent:
        model_admin.message_user(
            request, ngettext("Queued a reminder to %(count)d person.", "Queued reminders to %(count)d people.", sent) % {"count": sent}
        )
    if skipped:
        model_admin.message_user(
            request,
            ngettext(
                "%(count)d selected registration was not reminded: not confirmed, or its details are complete.",
                "%(count)d selected registrations were not reminded: not confirmed, or their details are complete.",
                skipped,
            )
            % {"count": skipped},
            "warning",
        )


class DelegationQuestionsMixin:
    """The dashboard's "details" card and the answer counts without names (CSV, XLSX) for caterers and hotels."""

    def questions_urls(self) -> list:
        view = self.admin_site.admin_view
        return [path("<int:pk>/answer-counts.<str:fmt>", view(self.answer_counts_view), name="registrations_delegation_answer_counts")]

    def questions_dashboard_context(self, delegation: Delegation) -> dict:
        changelist = reverse("admin:registrations_registration_changelist")
        return {
            "details_progress": questions_selectors.details_progress(delegation=delegation),
            "answer_counts": questions_selectors.answer_counts(delegation=delegation),
            "incomplete_url": f"{changelist}?delegation__id__exact={delegation.pk}&status__exact=confirmed&details=incomplete",
        }

    def answer_counts_view(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
        delegation = get_object_or_404(Delegation, pk=pk)
        if fmt not in ("csv", "xlsx"):
            raise Http404
        if not self.has_view_permission(request, delegation):
            raise PermissionDenied
        header = [gettext("Question"), gettext("Answer"), gettext("Confirmed delegates")]
        rows = []
        for counts in questions_selectors.answer_counts(delegation=delegation):
            rows += [[counts.question.local.text, answer, number] for answer, number in counts.rows]
            rows.append([counts.question.local.text, gettext("(no answer)"), counts.unanswered])
        filename = f"{delegation.slug}-answer-counts.{fmt}"
        response = exports.csv_response if fmt == "csv" else exports.xlsx_response
        return response(filename=filename, header=header, rows=rows)

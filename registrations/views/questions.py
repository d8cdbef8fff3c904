"""The delegate's questions page: the questions put to them after confirmation (and the form's), answered until the cutoff."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from registrations import services
from registrations.forms.questions import AnswersForm
from registrations.models.questions import Answer
from registrations.views.helpers import private, registration_or_404


@never_cache
@require_http_methods(["GET", "POST"])
def registration_answers(request: HttpRequest, token: str) -> HttpResponse:
    registration = registration_or_404(token)
    refusal = services.answers_refusal_reason(registration=registration)
    questions = services.questions_applying(registration=registration) if registration.status == registration.Status.CONFIRMED else []
    saved = dict(Answer.objects.filter(registration=registration).values_list("question_id", "value"))
    form = AnswersForm(request.POST if request.method == "POST" and refusal is None else None, questions=questions, answers=saved)
    if form.is_bound and form.is_valid():
        try:
            services.answers_save(registration=registration, answers=form.answers())
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return redirect("registrations:registration_answers", token=registration.token)
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Your answers are saved. You can change them here until %(when)s (Korea time).") % {"when": _when(registration)}
            )
            return redirect("registrations:registration_answers", token=registration.token)
    response = render(
        request,
        "registrations/answers.html",
        {
            "registration": registration,
            "delegation": registration.delegation,
            "refusal": refusal,
            "form": form,
            "answered": [(question, question.answer_text(saved[question.pk])) for question in questions if question.pk in saved],
            "unanswered": [question for question in questions if question.pk not in saved],
        },
    )
    return private(response)


def _when(registration) -> str:
    return date_format(localtime(registration.delegation.details_edit_deadline()), "DATETIME_FORMAT")

"""Custom questions: which apply to whom, which answers are valid, saving them.

Registration-stage questions are answered on the public form and saved with the registration
(``registration_submit`` checks them before the seat lock and writes them under it). Travel-stage
questions, and visit-stage ones for those going on that visit, are answered by confirmed delegates
on their details page until ``registration_edit_refusal_reason`` says no more.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from registrations.core.countries import CODES
from registrations.models import Registration, VisitBooking
from registrations.models.questions import Answer, Question
from registrations.selectors.questions import registration_questions
from registrations.services.cutoff import registration_edit_refusal_reason

Kind, Stage = Question.Kind, Question.Stage
MAX_TEXT = {Kind.SHORT_TEXT: 200, Kind.LONG_TEXT: 2000}


def answer_value_check(*, question: Question, value: str) -> str:
    """A stored answer must fit its kind: text up to its length, yes/no, an ISO date, a country code, only offered choices."""
    value = value.strip() if question.kind != Kind.LONG_TEXT else value.strip("\n ")
    if not value:
        if question.required:
            raise ValidationError(_("Please answer this question."), code="required")
        return ""
    if question.kind in MAX_TEXT and len(value) > MAX_TEXT[question.kind]:
        raise ValidationError(_("Please keep it under %(count)d characters.") % {"count": MAX_TEXT[question.kind]}, code="too_long")
    if question.kind == Kind.YES_NO and value not in ("yes", "no"):
        raise ValidationError(_("Answer yes or no."), code="invalid_choice")
    if question.kind == Kind.DATE:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ValidationError(_("Enter a date, for example 2027-04-13."), code="invalid_date") from None
    if question.kind == Kind.COUNTRY and value not in CODES:
        raise ValidationError(_("Choose a country from the list."), code="invalid_choice")
    if question.is_choice:
        offered = {choice.value for choice in question.choice_list()}
        picked = value.splitlines()
        if not set(picked) <= offered or (question.kind == Kind.SINGLE_CHOICE and len(picked) != 1) or len(set(picked)) != len(picked):
            raise ValidationError(_("Choose among the answers offered."), code="invalid_choice")
    return value


def answers_check(*, questions: Iterable[Question], answers: dict[int, str]) -> dict[Question, str]:
    """Every question checked (the required ones answered); errors keyed by field name ``q_<id>``. Returns the non-empty answers."""
    checked, errors = {}, {}
    for question in questions:
        try:
            value = answer_value_check(question=question, value=answers.get(question.pk, ""))
        except ValidationError as error:
            errors[question_field_name(question)] = error
        else:
            if value:
                checked[question] = value
    if errors:
        raise ValidationError(errors)
    return checked


def question_field_name(question: Question) -> str:
    return f"q_{question.pk}"


def questions_applying(*, registration: Registration) -> list[Question]:
    """Every question put to this person: the form's, the travel ones once confirmed, a visit's when they go on it."""
    if registration.status != Registration.Status.CONFIRMED:
        return list(registration_questions(delegation=registration.delegation))
    booked = VisitBooking.objects.filter(registration=registration, status=VisitBooking.Status.BOOKED).values("visit")
    return list(
        Question.objects.filter(delegation_id=registration.delegation_id)
        .filter(~Q(stage=Stage.VISIT) | Q(visit__is_optional=False) | Q(visit__in=booked))
        .select_related("visit")
        .order_by("order", "pk")
    )


def answers_refusal_reason(*, registration: Registration) -> str | None:
    """Why the delegate cannot change their answers now (None: they can): confirmed only, until the details cutoff."""
    if registration.status != Registration.Status.CONFIRMED:
        return _("Only confirmed delegates answer these questions.")
    return registration_edit_refusal_reason(registration=registration)


def answers_unsaved(*, registration: Registration, answers: dict[Question, str]) -> list[Answer]:
    """Already checked answers of a new registration, as rows to insert with it (services.seats.registration_submit)."""
    return [Answer(registration=registration, question=question, value=value) for question, value in answers.items()]


def answers_save(*, registration: Registration, answers: dict[int, str]) -> dict[Question, str]:
    """The delegate's answers to every question put to them: all checked first, then all saved (an emptied optional one is removed)."""
    reason = answers_refusal_reason(registration=registration)
    if reason:
        raise ValidationError(reason)
    questions = questions_applying(registration=registration)
    checked = answers_check(questions=questions, answers=answers)
    with transaction.atomic():
        Answer.objects.filter(registration=registration, question__in=[q for q in questions if q not in checked]).delete()
        for question, value in checked.items():
            Answer.objects.update_or_create(registration=registration, question=question, defaults={"value": value})
    return checked

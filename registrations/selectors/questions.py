"""Reads for custom questions: completeness of each delegate's details, answer counts without names.

Completeness is defined once, here, as annotations usable in lists, filters and counts (one query,
none per row). A confirmed delegate's *questions* are complete when every required question put to
them (the form's, the travel ones, a visit's when they go on it: services.questions_applying) has an
answer; their *travel documents* are complete when the delegation collects them and they are
entered (a saved TravelDocument always holds every required passport field).
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from registrations.models import Delegation, Registration, TravelDocument, VisitBooking
from registrations.models.questions import Answer, Question

Status = Registration.Status


def _questions_put(*, required_unanswered: bool) -> Coalesce:
    """How many questions are put to the outer (confirmed) registration; or how many required ones it has not answered."""
    going = VisitBooking.objects.filter(registration=OuterRef(OuterRef("pk")), visit=OuterRef("visit"), status=VisitBooking.Status.BOOKED)
    questions = Question.objects.filter(delegation=OuterRef("delegation")).filter(
        ~Q(stage=Question.Stage.VISIT) | Q(visit__is_optional=False) | Exists(going)
    )
    if required_unanswered:
        answered = Answer.objects.filter(registration=OuterRef(OuterRef("pk")), question=OuterRef("pk"))
        questions = questions.filter(required=True).exclude(Exists(answered))
    counted = questions.order_by().values("delegation").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), Value(0))


def with_completeness(queryset: QuerySet[Registration]) -> QuerySet[Registration]:
    """Annotate ``questions_missing`` (required answers still due), ``travel_given`` and ``collects_travel``."""
    return queryset.annotate(
        questions_missing=_questions_put(required_unanswered=True),
        travel_given=Exists(TravelDocument.objects.filter(registration=OuterRef("pk")).exclude(data="")),
        collects_travel=ExpressionWrapper(~Q(delegation__travel_data_recipients=""), output_field=BooleanField()),
    )


def details_incomplete() -> Q:
    """On a queryset ``with_completeness``: confirmed delegates with a required answer or their travel documents still due."""
    return Q(status=Status.CONFIRMED) & (Q(questions_missing__gt=0) | Q(collects_travel=True, travel_given=False))


def details_complete() -> Q:
    return Q(status=Status.CONFIRMED, questions_missing=0) & (Q(collects_travel=False) | Q(travel_given=True))


@dataclass(frozen=True)
class DetailsProgress:
    confirmed: int
    questions_complete: int
    travel_complete: int
    complete: int
    collects_travel: bool
    has_required: bool

    @property
    def incomplete(self) -> int:
        return self.confirmed - self.complete


def details_progress(*, delegation: Delegation) -> DetailsProgress:
    """Per stage, how many confirmed delegates have completed it (one query)."""
    confirmed = with_completeness(Registration.objects.filter(delegation=delegation, status=Status.CONFIRMED))
    row = confirmed.aggregate(
        confirmed=Count("pk"),
        questions=Count("pk", filter=Q(questions_missing=0)),
        travel=Count("pk", filter=Q(travel_given=True)),
        complete=Count("pk", filter=details_complete()),
    )
    return DetailsProgress(
        confirmed=row["confirmed"],
        questions_complete=row["questions"],
        travel_complete=row["travel"],
        complete=row["complete"],
        collects_travel=bool(delegation.travel_data_recipients),
        has_required=delegation.questions.filter(required=True).exists(),
    )


@dataclass(frozen=True)
class OwnProgress:
    questions: int  # put to this delegate
    questions_missing: int  # required ones not answered yet
    travel_due: bool

    @property
    def complete(self) -> bool:
        return not self.questions_missing and not self.travel_due


def own_progress(*, registration: Registration) -> OwnProgress:
    """What the delegate still has to give (one query)."""
    row = (
        with_completeness(Registration.objects.filter(pk=registration.pk))
        .annotate(questions=_questions_put(required_unanswered=False))
        .values("questions", "questions_missing", "travel_given", "collects_travel")
        .get()
    )
    return OwnProgress(
        questions=row["questions"],
        questions_missing=row["questions_missing"],
        travel_due=bool(row["collects_travel"] and not row["travel_given"]),
    )


COUNTED_KINDS = (Question.Kind.SINGLE_CHOICE, Question.Kind.MULTIPLE_CHOICE, Question.Kind.YES_NO, Question.Kind.COUNTRY)


@dataclass(frozen=True)
class AnswerCounts:
    question: Question
    rows: list[tuple[str, int]]  # (answer as shown, how many people), every choice listed even at 0
    unanswered: int


def answer_counts(*, delegation: Delegation) -> list[AnswerCounts]:
    """For each choice, yes/no and country question: how many confirmed delegates asked gave each answer; no names."""
    questions = list(delegation.questions.filter(kind__in=COUNTED_KINDS).select_related("visit").order_by("order", "pk"))
    confirmed = Registration.objects.filter(delegation=delegation, status=Status.CONFIRMED)
    asked = {question.pk: _asked(question, confirmed) for question in questions}
    values: dict[int, list[str]] = {question.pk: [] for question in questions}
    answers = Answer.objects.filter(question__in=questions, registration__in=confirmed).values_list("question_id", "registration_id", "value")
    for question_id, registration_id, value in answers:
        if registration_id in asked[question_id]:
            values[question_id].append(value)
    return [_counts_of(question, values[question.pk], len(asked[question.pk])) for question in questions]


def _asked(question: Question, confirmed: QuerySet[Registration]) -> set[int]:
    """The confirmed registrations the question is put to: those going on its visit, else all of them."""
    if question.stage == Question.Stage.VISIT and question.visit.is_optional:
        confirmed = confirmed.filter(visit_bookings__visit=question.visit, visit_bookings__status=VisitBooking.Status.BOOKED)
    return set(confirmed.values_list("pk", flat=True))


def _counts_of(question: Question, values: list[str], total: int) -> AnswerCounts:
    counter = Counter(part for value in values for part in value.splitlines())
    if question.is_choice:
        keys = [choice.value for choice in question.choice_list()]
        keys += sorted(set(counter) - set(keys))  # a value since removed from the choices still counts
    elif question.kind == Question.Kind.YES_NO:
        keys = ["yes", "no"]
    else:
        keys = sorted(counter, key=lambda code: (-counter[code], code))
    return AnswerCounts(question=question, rows=[(question.answer_text(key), counter[key]) for key in keys], unanswered=total - len(values))


def registration_questions(*, delegation: Delegation) -> list[Question]:
    """The questions of the public registration form, in order.

    Read by every form shown (a POST reads it through selectors.form_content): plain SQL, because building the equivalent ORM query (its ordering) costs
    several times more than running it.
    """
    return list(
        Question.objects.raw(
            f'SELECT * FROM {Question._meta.db_table} WHERE delegation_id = %s AND stage = %s ORDER BY "order", id',
            [delegation.pk, Question.Stage.REGISTRATION],
        )
    )

"""Form fields for custom questions: one per question, named ``q_<id>``, on the public form and the details page.

Fields read the input (a date, a choice); services.questions.answers_check states the rule, so its
errors are put beside the same fields.
"""

from collections.abc import Iterable
from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from registrations.core.countries import country_choices
from registrations.core.validators import refuse_control_characters
from registrations.models.questions import Question
from registrations.services.questions import MAX_TEXT, answers_check, question_field_name

Kind = Question.Kind
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def question_field(question: Question) -> forms.Field:
    """The form field of one question, labelled in the active language."""
    options = {
        "label": question.local.text,
        "help_text": question.local.help_text,
        "required": question.required,
        "error_messages": {"required": _("Please answer this question.")},
    }
    if question.kind == Kind.SHORT_TEXT:
        return forms.CharField(max_length=MAX_TEXT[Kind.SHORT_TEXT], widget=forms.TextInput(attrs={"enterkeyhint": "next"}), **options)
    if question.kind == Kind.LONG_TEXT:
        return forms.CharField(max_length=MAX_TEXT[Kind.LONG_TEXT], widget=forms.Textarea(attrs={"rows": 3}), **options)
    if question.kind == Kind.MULTIPLE_CHOICE:
        choices = [(choice.value, choice.label) for choice in question.choice_list()]
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **options)
    if question.kind in (Kind.SINGLE_CHOICE, Kind.YES_NO):
        choices = YES_NO if question.kind == Kind.YES_NO else [(choice.value, choice.label) for choice in question.choice_list()]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **options)
    if question.kind == Kind.DATE:
        return forms.DateField(widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}), **options)
    return forms.ChoiceField(choices=[("", "---------"), *country_choices()], **options)  # country


def answer_input(question: Question, value: str):
    """A stored answer as the field's initial value."""
    if question.kind == Kind.MULTIPLE_CHOICE:
        return value.splitlines()
    if question.kind == Kind.DATE and value:
        return date.fromisoformat(value)
    return value


def _as_text(value) -> str:
    if isinstance(value, (list, tuple)):
        return "\n".join(value)
    if isinstance(value, date):
        return value.isoformat()
    return value or ""


class QuestionFieldsMixin:
    """Adds a field per question and checks the answers with the service's rule (errors beside each field)."""

    questions: list[Question]

    def add_question_fields(self, questions: Iterable[Question], initial: dict[int, str] | None = None) -> list[str]:
        self.questions = list(questions)
        for question in self.questions:
            name = question_field_name(question)
            self.fields[name] = question_field(question)
            if initial and question.pk in initial:
                self.initial[name] = answer_input(question, initial[question.pk])
        return [question_field_name(question) for question in self.questions]

    def answers(self) -> dict[int, str]:
        """The answers as stored text, by question id (after is_valid)."""
        return {question.pk: _as_text(self.cleaned_data.get(question_field_name(question))) for question in self.questions}

    def clean_answers(self) -> None:
        names = {question_field_name(question) for question in self.questions}
        if any(name in self.errors for name in names):
            return
        try:
            answers_check(questions=self.questions, answers=self.answers())
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(name, messages)


def _groups(questions: list[Question]) -> list[tuple[str, list[Question]]]:
    """The details page's sections: the registration's questions, the travel ones, then one per visit."""
    groups: dict[object, tuple[str, list[Question]]] = {}
    for question in questions:
        if question.stage == Question.Stage.VISIT:
            key, legend = question.visit_id, question.visit.local.title
        elif question.stage == Question.Stage.TRAVEL:
            key, legend = "travel", _("Travel")
        else:
            key, legend = "registration", _("Your registration")
        groups.setdefault(key, (legend, []))[1].append(question)
    order = {"registration": 0, "travel": 1}
    return [groups[key] for key in sorted(groups, key=lambda key: order.get(key, 2))]


class AnswersForm(QuestionFieldsMixin, forms.Form):
    """The delegate's details page: every question put to them, their answers filled in."""

    def __init__(self, *args, questions: Iterable[Question], answers: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.add_question_fields(questions, initial=answers)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *[Fieldset(legend, *[Field(question_field_name(question)) for question in group]) for legend, group in _groups(self.questions)]
        )

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                try:
                    refuse_control_characters(value, allow_newlines=isinstance(self.fields[name].widget, forms.Textarea))
                except ValidationError as error:
                    self.add_error(name, error)
        self.clean_answers()
        return cleaned

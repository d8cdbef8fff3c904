"""Questions an organizer asks the delegates of one delegation, and their answers.

A question is asked on the registration form, or after confirmation (travel details), or only of
those going on one visit. Its text is in the three languages (``translated``); choices have a stable
value (stored in answers) and a label per language. An answer is stored as text: the typed text,
``yes``/``no``, an ISO date, a country code, or the chosen values (one per line for multiple choice).
Rules about which answers are valid and who is asked live in services/questions.py.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from registrations.core.countries import country_name
from registrations.core.i18n import TranslatedContent, supported_language, translated

CHOICE_LANGUAGES = ("en", "zh-hans", "ko")  # the order of the labels on a choice line


@dataclass(frozen=True)
class Choice:
    value: str
    labels: tuple[str, ...]  # English, Chinese, Korean (empty: the English label is shown)

    @property
    def label(self) -> str:
        """The label in the active language, else the English one."""
        return self.labels[CHOICE_LANGUAGES.index(supported_language(get_language()))] or self.labels[0]


def parse_choices(text: str) -> list[Choice]:
    """One choice per line: ``value | English | 中文 | 한국어`` (Chinese and Korean optional)."""
    choices, seen = [], set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) < 2 or len(parts) > 4 or not parts[1]:
            raise ValidationError(_("Line %(number)d: write “value | English | Chinese | Korean”."), params={"number": number})
        value = parts[0]
        if value != slugify(value) or not value:
            raise ValidationError(
                _("Line %(number)d: the value “%(value)s” may use only lowercase letters, digits, “-” and “_”, for example “vegetarian”."),
                params={"number": number, "value": value},
            )
        if value in seen:
            raise ValidationError(_("Line %(number)d: the value “%(value)s” is used twice."), params={"number": number, "value": value})
        seen.add(value)
        choices.append(Choice(value=value, labels=(*parts[1:], *[""] * (4 - len(parts)))))
    return choices


class Question(TranslatedContent, models.Model):
    TRANSLATED_FIELDS = ("text", "help_text")

    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        SINGLE_CHOICE = "single_choice", _("Single choice")
        MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
        YES_NO = "yes_no", _("Yes / no")
        DATE = "date", _("Date")
        COUNTRY = "country", _("Country")

    class Stage(models.TextChoices):
        REGISTRATION = "registration", _("On the registration form")
        TRAVEL = "travel", _("After confirmation (travel details)")
        VISIT = "visit", _("After confirmation, only those going on a visit")

    CHOICE_KINDS = (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE)

    delegation = models.ForeignKey("registrations.Delegation", on_delete=models.CASCADE, related_name="questions", verbose_name=_("delegation"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.SlugField(
        _("code"),
        max_length=40,
        blank=True,
        help_text=_("Optional, for reports: a stable name such as “diet”, “room_type” or “roommate”."),
    )
    text = models.CharField(_("question"), max_length=300)
    text_zh_hans, text_ko = translated(text)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    help_text_zh_hans, help_text_ko = translated(help_text)
    kind = models.CharField(_("kind of answer"), max_length=20, choices=Kind.choices, default=Kind.SHORT_TEXT)
    required = models.BooleanField(_("required"), default=False)
    stage = models.CharField(_("asked"), max_length=20, choices=Stage.choices, default=Stage.REGISTRATION)
    visit = models.ForeignKey(
        "registrations.ItineraryItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("visit"),
        help_text=_("Only when asked of those going on a visit."),
    )
    choices = models.TextField(
        _("choices"),
        blank=True,
        help_text=_(
            "Choice questions: one per line, “value | English | Chinese | Korean”, e.g. “halal | Halal | 清真 | 할랄”. "
            "Keep the value once people have answered: answers store it."
        ),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["delegation", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage="visit", visit__isnull=False) | (~Q(stage="visit") & Q(visit__isnull=True)),
                name="question_visit_exactly_when_visit_stage",
                violation_error_message=_("Choose a visit exactly when the question is asked of those going on a visit."),
            ),
            models.UniqueConstraint(
                fields=["delegation", "code"],
                condition=~Q(code=""),
                name="question_code_unique_per_delegation",
                violation_error_message=_("Another question of this delegation already has this code."),
            ),
        ]

    def __str__(self) -> str:
        return self.local.text

    @property
    def is_choice(self) -> bool:
        return self.kind in self.CHOICE_KINDS

    def choice_list(self) -> list[Choice]:
        """The parsed choices (empty for other kinds, or when the text cannot be read)."""
        try:
            return parse_choices(self.choices) if self.is_choice else []
        except ValidationError:
            return []

    def answer_text(self, value: str) -> str:
        """A stored answer as people read it, in the active language: labels, "Yes", a date, a country's name."""
        if not value:
            return ""
        if self.is_choice:
            labels = {choice.value: choice.label for choice in self.choice_list()}
            return ", ".join(labels.get(part, part) for part in value.splitlines())
        if self.kind == self.Kind.YES_NO:
            return str(_("Yes") if value == "yes" else _("No"))
        if self.kind == self.Kind.DATE:
            return date_format(date.fromisoformat(value), "DATE_FORMAT")
        if self.kind == self.Kind.COUNTRY:
            return country_name(value)
        return value

    def clean(self) -> None:
        super().clean()
        if self.is_choice:
            if len(parse_choices(self.choices)) < 2:
                raise ValidationError({"choices": _("Give at least two choices, one per line.")})
        elif self.choices.strip():
            raise ValidationError({"choices": _("Only choice questions have choices: empty this field or change the kind.")})
        if self.stage == self.Stage.VISIT and self.visit_id is None:
            raise ValidationError({"visit": _("Choose the visit whose participants are asked.")})
        if self.stage != self.Stage.VISIT and self.visit_id is not None:
            raise ValidationError({"visit": _("A visit is chosen only for questions asked of those going on a visit.")})
        if self.visit_id is not None and self.delegation_id is not None and self.visit.delegation_id != self.delegation_id:
            raise ValidationError({"visit": _("Choose a visit of this delegation.")})
        if self.pk is not None:
            self._clean_against_answers()

    def _clean_against_answers(self) -> None:
        """Once people have answered, the kind stays and every value they chose keeps its line."""
        stored = type(self).objects.filter(pk=self.pk).values_list("kind", flat=True).first()
        answers = self.answers.values_list("value", flat=True)
        if stored is not None and stored != self.kind and answers.exists():
            raise ValidationError({"kind": _("People have answered this question: its kind of answer cannot change.")})
        if self.is_choice:
            used = {part for value in answers for part in value.splitlines()}
            removed = sorted(used - {choice.value for choice in parse_choices(self.choices)})
            if removed:
                raise ValidationError(
                    {"choices": _("Answers use “%(values)s”: keep those lines (their labels can change).") % {"values": "”, “".join(removed)}}
                )


class Answer(models.Model):
    registration = models.ForeignKey("registrations.Registration", on_delete=models.CASCADE, related_name="answers", verbose_name=_("registration"))
    # PROTECT: a question people answered is not deleted with their answers by a slip in the inline.
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question"))
    # Never empty: an unanswered question has no row (services/questions.py deletes it).
    value = models.TextField(_("answer"), max_length=2000)
    answered_at = models.DateTimeField(_("answered at"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["question__order", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "question"], name="one_answer_per_question"),
            models.CheckConstraint(condition=~Q(value=""), name="answer_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.question} → {self.value[:40]}"

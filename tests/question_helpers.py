"""Small explicit helpers for the custom-question tests."""

import itertools

from registrations.models import Delegation, ItineraryItem
from registrations.models.questions import Question

Kind, Stage = Question.Kind, Question.Stage
_counter = itertools.count(1)

DIET_CHOICES = (
    "none | No special diet | 无特殊要求 | 없음\nvegetarian | Vegetarian | 素食 | 채식\nhalal | Halal | 清真 | 할랄\nother | Other | 其他 | 기타"
)
TOPIC_CHOICES = "cdmo | Contract manufacturing | 合同生产 | 위탁생산\nadc | Antibody-drug conjugates | 抗体偶联药物 | 항체-약물 접합체\nsites | New plants | 新工厂 | 신규 공장"


def make_question(
    delegation: Delegation,
    *,
    kind: str = Kind.SHORT_TEXT,
    stage: str = Stage.REGISTRATION,
    required: bool = False,
    choices: str = "",
    visit: ItineraryItem | None = None,
    code: str = "",
    text: str = "",
    **fields,
) -> Question:
    number = next(_counter)
    question = Question(
        delegation=delegation,
        kind=kind,
        stage=stage,
        required=required,
        choices=choices,
        visit=visit,
        code=code,
        text=text or f"Question {number}",
        order=number,
        **fields,
    )
    question.full_clean()
    question.save()
    return question


def diet_question(delegation: Delegation, **fields) -> Question:
    return make_question(
        delegation,
        kind=Kind.SINGLE_CHOICE,
        choices=DIET_CHOICES,
        code="diet",
        text="Diet",
        text_zh_hans="饮食",
        text_ko="식단",
        **fields,
    )

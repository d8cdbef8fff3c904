"""Admin for custom questions: the inline on the delegation (whole-form save), answers on a registration, filters,
exports with answer columns, counts without names, the dashboard card."""

import csv
import io

import pytest
from django.urls import reverse

from registrations import services
from registrations.models import Registration
from registrations.models.questions import Question
from tests.admin_forms import resubmit
from tests.conftest import make_delegation, submit
from tests.question_helpers import TOPIC_CHOICES, Kind, Stage, diet_question, make_question
from tests.visit_helpers import make_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def trip():
    return make_delegation(seats=10)


def change_url(obj) -> str:
    return reverse(f"admin:registrations_{obj._meta.model_name}_change", args=[obj.pk])


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))


def test_delegation_page_with_questions_saves_unchanged(admin_client, trip):
    songdo = make_visit(trip, title="Songdo Bio")
    diet_question(trip, required=True)
    make_question(trip, stage=Stage.VISIT, visit=songdo, kind=Kind.MULTIPLE_CHOICE, choices=TOPIC_CHOICES, text_ko="관심 주제")
    before = list(Question.objects.order_by("pk").values())

    response = resubmit(admin_client, change_url(trip))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(Question.objects.order_by("pk").values()) == before


def test_delegation_page_question_text_changed_in_korean(admin_client, trip):
    diet = diet_question(trip)
    version = type(trip).objects.get(pk=trip.pk).content_version

    response = resubmit(admin_client, change_url(trip), {"questions-0-text_ko": "식사 요청"})

    diet.refresh_from_db()
    assert response.status_code == 302
    assert diet.text_ko == "식사 요청"
    assert type(trip).objects.get(pk=trip.pk).content_version > version  # the cached form shows it


def new_question_fields(index: int, **fields) -> dict:
    values = {"text": "Airport pickup?", "kind": "yes_no", "stage": "travel", "order": "5", "code": "airport_pickup", **fields}
    return {f"questions-{index}-{name}": value for name, value in values.items()}


def test_delegation_page_adds_a_question_in_the_inline(admin_client, trip):
    response = resubmit(admin_client, change_url(trip), {"questions-TOTAL_FORMS": "1", **new_question_fields(0, required="on")})

    assert response.status_code == 302, response.content.decode()[:2000]
    question = Question.objects.get()
    assert (question.delegation, question.kind, question.stage, question.required, question.code) == (
        trip,
        "yes_no",
        "travel",
        True,
        "airport_pickup",
    )


def test_delegation_page_visit_question_without_visit_refused_beside_the_field(admin_client, trip):
    response = resubmit(admin_client, change_url(trip), {"questions-TOTAL_FORMS": "1", **new_question_fields(0, stage="visit")})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose the visit whose participants are asked." in page
    assert Question.objects.count() == 0


def test_delegation_page_choice_question_with_bad_choices_refused(admin_client, trip):
    fields = new_question_fields(0, kind="single_choice", choices="Halal | 清真\nnone | None")

    response = resubmit(admin_client, change_url(trip), {"questions-TOTAL_FORMS": "1", **fields})

    assert response.status_code == 200
    assert "Line 1: the value “Halal” may use only lowercase letters" in response.content.decode()
    assert Question.objects.count() == 0


def test_delegation_page_visit_choices_are_this_delegations_only(admin_client, trip):
    mine = make_visit(trip, title="Songdo Bio")
    other = make_visit(make_delegation(), title="Someone else's visit")

    page = admin_client.get(change_url(trip)).content.decode()

    assert f'<option value="{mine.pk}">' in page
    assert f'<option value="{other.pk}">' not in page


def test_registration_page_shows_answers_read_only_and_saves_unchanged(admin_client, trip):
    diet = diet_question(trip)
    person = submit(trip, answers={diet.pk: "halal"})

    page = admin_client.get(change_url(person)).content.decode()
    response = resubmit(admin_client, change_url(person))

    assert "Answers to the organizers&#x27; questions" in page
    assert "<p>Halal</p>" in page
    assert response.status_code == 302
    assert person.answers.get().value == "halal"


def test_answer_filter_single_and_multiple_choice(admin_client, trip):
    diet = diet_question(trip)
    topics = make_question(trip, kind=Kind.MULTIPLE_CHOICE, choices=TOPIC_CHOICES, text="Topics")
    halal = submit(trip, full_name="Halal Person", answers={diet.pk: "halal", topics.pk: "adc\nsites"})
    submit(trip, full_name="Vegetarian Person", answers={diet.pk: "vegetarian", topics.pk: "cdmo"})
    submit(trip, full_name="Silent Person")
    url = reverse("admin:registrations_registration_changelist")

    by_diet = admin_client.get(url, {"answer": f"{diet.pk}:halal"}).context["cl"].result_list
    by_topic = admin_client.get(url, {"answer": f"{topics.pk}:sites"}).context["cl"].result_list
    page = admin_client.get(url, {"delegation__id__exact": trip.pk}).content.decode()

    assert [r.pk for r in by_diet] == [halal.pk]
    assert [r.pk for r in by_topic] == [halal.pk]
    assert "Diet: Halal" in page and "Topics: New plants" in page


def test_details_filter_and_column(admin_client, trip):
    pickup = make_question(trip, stage=Stage.TRAVEL, kind=Kind.YES_NO, required=True)
    done, due = submit(trip), submit(trip)
    services.answers_save(registration=done, answers={pickup.pk: "no"})
    url = reverse("admin:registrations_registration_changelist")

    incomplete = admin_client.get(url, {"details": "incomplete"})
    complete = admin_client.get(url, {"details": "complete"})

    assert [r.pk for r in incomplete.context["cl"].result_list] == [due.pk]
    assert [r.pk for r in complete.context["cl"].result_list] == [done.pk]
    assert '<td class="field-details_state">1 answer due</td>' in incomplete.content.decode()
    assert '<td class="field-details_state">answers ✓</td>' in complete.content.decode()


def test_details_column_names_the_passport_when_collected(admin_client, trip):
    trip.travel_data_recipients = "Incheon Grand Hotel"
    trip.save()
    submit(trip)

    page = admin_client.get(reverse("admin:registrations_registration_changelist")).content.decode()

    assert '<td class="field-details_state">answers ✓<br>passport due</td>' in page


def test_export_csv_has_a_column_per_question_in_the_readers_language(admin_client, trip):
    diet = diet_question(trip)
    arrival = make_question(trip, kind=Kind.DATE, text="Arrival day")
    country = make_question(trip, kind=Kind.COUNTRY, text="Nationality")
    person = submit(trip, answers={diet.pk: "halal", arrival.pk: "2027-04-12", country.pk: "KR"})
    submit(trip)

    response = admin_client.post(
        reverse("admin:registrations_registration_changelist"),
        {"action": "export_csv", "_selected_action": list(Registration.objects.values_list("pk", flat=True))},
    )

    rows = read_csv(response)
    assert rows[0][-3:] == ["Diet", "Arrival day", "Nationality"]
    by_name = {row[0]: row[-3:] for row in rows[1:]}
    assert by_name[person.full_name] == ["Halal", "April 12, 2027", "South Korea"]
    assert sorted(by_name.values()) == [["", "", ""], ["Halal", "April 12, 2027", "South Korea"]]


def test_export_csv_in_chinese_shows_chinese_labels(admin_client, trip):
    diet = diet_question(trip)
    submit(trip, answers={diet.pk: "vegetarian"})
    admin_client.cookies["django_language"] = "zh-hans"

    response = admin_client.post(
        reverse("admin:registrations_registration_changelist"),
        {"action": "export_csv", "_selected_action": list(Registration.objects.values_list("pk", flat=True))},
    )

    rows = read_csv(response)
    assert (rows[0][-1], rows[1][-1]) == ("饮食", "素食")


def test_answer_counts_without_names_exact_numbers(admin_client, trip):
    diet = diet_question(trip)
    songdo = make_visit(trip, title="Songdo Bio", capacity=10)
    topics = make_question(trip, stage=Stage.VISIT, visit=songdo, kind=Kind.MULTIPLE_CHOICE, choices=TOPIC_CHOICES, text="Topics")
    people = [
        submit(trip, full_name=f"Named Person {n}", answers={diet.pk: value}) for n, value in enumerate(["halal", "halal", "vegetarian", "none"])
    ]
    submit(trip, full_name="Unanswered Person")
    services.visit_join(registration=people[0], visits=[songdo])
    services.visit_join(registration=people[1], visits=[songdo])
    services.answers_save(registration=people[0], answers={diet.pk: "halal", topics.pk: "cdmo\nadc"})
    services.registration_cancel(registration=people[3])  # cancelled: not counted

    response = admin_client.get(reverse("admin:registrations_delegation_answer_counts", args=[trip.pk, "csv"]))

    assert read_csv(response) == [
        ["Question", "Answer", "Confirmed delegates"],
        ["Diet", "No special diet", "0"],
        ["Diet", "Vegetarian", "1"],
        ["Diet", "Halal", "2"],
        ["Diet", "Other", "0"],
        ["Diet", "(no answer)", "1"],
        ["Topics", "Contract manufacturing", "1"],
        ["Topics", "Antibody-drug conjugates", "1"],
        ["Topics", "New plants", "0"],
        ["Topics", "(no answer)", "1"],
    ]
    assert "Named Person" not in response.content.decode()


def test_answer_counts_xlsx_and_unknown_format(admin_client, trip):
    diet_question(trip)

    xlsx = admin_client.get(reverse("admin:registrations_delegation_answer_counts", args=[trip.pk, "xlsx"]))
    unknown = admin_client.get(reverse("admin:registrations_delegation_answer_counts", args=[trip.pk, "pdf"]))

    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert unknown.status_code == 404


def test_dashboard_shows_details_progress_and_counts(admin_client, trip):
    pickup = make_question(trip, stage=Stage.TRAVEL, kind=Kind.YES_NO, required=True, text="Airport pickup")
    done = submit(trip)
    submit(trip)
    submit(trip)
    services.answers_save(registration=done, answers={pickup.pk: "yes"})

    page = admin_client.get(reverse("admin:registrations_delegation_dashboard", args=[trip.pk])).content.decode()

    assert '<th scope="row">required questions answered</th><td>1 / 3</td>' in page
    assert '<th scope="row">complete</th><td>1 / 3</td>' in page
    assert "2 delegates with details incomplete: list and remind" in page
    assert f"delegation__id__exact={trip.pk}&amp;status__exact=confirmed&amp;details=incomplete" in page
    assert '<tr><th scope="row">Yes</th><td>1</td></tr>' in page


def test_answered_question_keeps_its_kind_and_used_choices(admin_client, trip):
    diet = diet_question(trip)
    submit(trip, answers={diet.pk: "halal"})
    without_halal = "none | None\nvegetarian | Vegetarian"

    kind_changed = resubmit(admin_client, change_url(trip), {"questions-0-kind": "multiple_choice"})
    halal_removed = resubmit(admin_client, change_url(trip), {"questions-0-choices": without_halal})
    relabelled = resubmit(admin_client, change_url(trip), {"questions-0-choices": "halal | Halal food\nnone | None"})

    assert "People have answered this question: its kind of answer cannot change." in kind_changed.content.decode()
    assert "Answers use “halal”: keep those lines (their labels can change)." in halal_removed.content.decode()
    assert relabelled.status_code == 302
    diet.refresh_from_db()
    assert (diet.kind, diet.choices) == ("single_choice", "halal | Halal food\nnone | None")


def test_answered_question_cannot_be_deleted_from_the_inline(admin_client, trip):
    diet = diet_question(trip)
    make_question(trip, text="Unanswered")
    submit(trip, answers={diet.pk: "halal"})

    refused = resubmit(admin_client, change_url(trip), {"questions-0-DELETE": "on"})
    deleted = resubmit(admin_client, change_url(trip), {"questions-1-DELETE": "on"})

    assert refused.status_code == 200
    assert "would require deleting the following protected related objects" in refused.content.decode()
    assert deleted.status_code == 302
    assert list(Question.objects.values_list("pk", flat=True)) == [diet.pk]

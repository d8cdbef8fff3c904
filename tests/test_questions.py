"""Custom questions: the rule per kind, who is asked, the public form (errors beside fields, saved atomically), the questions page."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from registrations import services
from registrations.models import Registration, VisitBooking
from registrations.models.questions import Answer, Question, parse_choices
from registrations.services.questions import answer_value_check, question_field_name
from tests.conftest import make_delegation, submit
from tests.helpers import form_data, register_url, trip_time
from tests.question_helpers import DIET_CHOICES, TOPIC_CHOICES, Kind, Stage, diet_question, make_question
from tests.visit_helpers import make_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def trip():
    return make_delegation(seats=5)


# --- the rule per kind ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "choices", "value", "stored"),
    [
        (Kind.SHORT_TEXT, "", "  Li Wei  ", "Li Wei"),
        (Kind.LONG_TEXT, "", "line one\nline two", "line one\nline two"),
        (Kind.SINGLE_CHOICE, DIET_CHOICES, "halal", "halal"),
        (Kind.MULTIPLE_CHOICE, TOPIC_CHOICES, "cdmo\nsites", "cdmo\nsites"),
        (Kind.YES_NO, "", "yes", "yes"),
        (Kind.DATE, "", "2027-04-13", "2027-04-13"),
        (Kind.COUNTRY, "", "KR", "KR"),
    ],
)
def test_answer_value_check_accepts_each_kind(trip, kind, choices, value, stored):
    question = make_question(trip, kind=kind, choices=choices)

    assert answer_value_check(question=question, value=value) == stored


@pytest.mark.parametrize(
    ("kind", "choices", "value", "code"),
    [
        (Kind.SHORT_TEXT, "", "x" * 201, "too_long"),
        (Kind.SINGLE_CHOICE, DIET_CHOICES, "kosher", "invalid_choice"),
        (Kind.SINGLE_CHOICE, DIET_CHOICES, "halal\nvegetarian", "invalid_choice"),
        (Kind.MULTIPLE_CHOICE, TOPIC_CHOICES, "cdmo\ncdmo", "invalid_choice"),
        (Kind.MULTIPLE_CHOICE, TOPIC_CHOICES, "cdmo\nbitcoin", "invalid_choice"),
        (Kind.YES_NO, "", "maybe", "invalid_choice"),
        (Kind.DATE, "", "13/04/2027", "invalid_date"),
        (Kind.COUNTRY, "", "XX", "invalid_choice"),
    ],
)
def test_answer_value_check_refuses_what_does_not_fit(trip, kind, choices, value, code):
    question = make_question(trip, kind=kind, choices=choices)

    with pytest.raises(ValidationError) as refused:
        answer_value_check(question=question, value=value)

    assert refused.value.code == code


def test_answer_value_check_required_refuses_blank_optional_gives_nothing(trip):
    required = make_question(trip, required=True)
    optional = make_question(trip)

    with pytest.raises(ValidationError) as refused:
        answer_value_check(question=required, value="   ")

    assert refused.value.code == "required"
    assert answer_value_check(question=optional, value="   ") == ""


def test_parse_choices_reads_value_and_three_labels():
    choices = parse_choices("halal | Halal | 清真 | 할랄\nother | Other")

    assert [(choice.value, choice.labels) for choice in choices] == [("halal", ("Halal", "清真", "할랄")), ("other", ("Other", "", ""))]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Halal | 清真", "may use only lowercase"),
        ("halal", "write “value | English | Chinese | Korean”"),
        ("halal | Halal\nhalal | Also halal", "is used twice"),
    ],
)
def test_parse_choices_refuses_unreadable_lines(text, message):
    with pytest.raises(ValidationError) as refused:
        parse_choices(text)

    assert message in refused.value.messages[0]


def test_question_clean_visit_stage_needs_a_visit_of_the_same_delegation(trip):
    other_visit = make_visit(make_delegation())

    with pytest.raises(ValidationError) as no_visit:
        make_question(trip, stage=Stage.VISIT)
    with pytest.raises(ValidationError) as foreign:
        make_question(trip, stage=Stage.VISIT, visit=other_visit)
    with pytest.raises(ValidationError) as choices_missing:
        make_question(trip, kind=Kind.SINGLE_CHOICE, choices="only | Only one")

    assert no_visit.value.message_dict == {"visit": ["Choose the visit whose participants are asked."]}
    assert foreign.value.message_dict == {"visit": ["Choose a visit of this delegation."]}
    assert choices_missing.value.message_dict == {"choices": ["Give at least two choices, one per line."]}


# --- who is asked --------------------------------------------------------------------------------


def test_questions_applying_travel_after_confirmation_visit_only_when_booked(trip):
    songdo = make_visit(trip, title="Songdo Bio")
    form_question = diet_question(trip)
    travel = make_question(trip, stage=Stage.TRAVEL)
    songdo_only = make_question(trip, stage=Stage.VISIT, visit=songdo)
    everyone_visit = make_question(trip, stage=Stage.VISIT, visit=trip.itinerary.get(title="Opening"))  # not optional: all go
    delegate = submit(trip, answers={form_question.pk: "halal"})
    trip.seats = 1
    trip.save()
    waiting = submit(trip)

    assert services.questions_applying(registration=waiting) == [form_question]
    assert services.questions_applying(registration=delegate) == [form_question, travel, everyone_visit]
    services.visit_join(registration=delegate, visits=[songdo])
    assert services.questions_applying(registration=delegate) == [form_question, travel, songdo_only, everyone_visit]


def test_answers_save_refused_after_the_details_cutoff(trip):
    travel = make_question(trip, stage=Stage.TRAVEL)
    delegate = submit(trip)
    trip.details_editable_until = timezone.now() - timedelta(minutes=1)
    trip.save()
    delegate.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        services.answers_save(registration=delegate, answers={travel.pk: "Li Wei"})

    assert refused.value.messages == ["Details can no longer be changed here. Please write to the organizer."]
    assert Answer.objects.count() == 0


def test_answers_save_refused_when_not_confirmed(trip):
    travel = make_question(trip, stage=Stage.TRAVEL)
    trip.seats = 0
    trip.save()
    waiting = submit(trip)

    with pytest.raises(ValidationError) as refused:
        services.answers_save(registration=waiting, answers={travel.pk: "Li Wei"})

    assert refused.value.messages == ["Only confirmed delegates answer these questions."]


def test_answers_save_all_or_nothing_and_emptied_optional_removed(trip):
    roommate = make_question(trip, stage=Stage.TRAVEL, code="roommate")
    pickup = make_question(trip, stage=Stage.TRAVEL, kind=Kind.YES_NO, required=True)
    delegate = submit(trip)
    services.answers_save(registration=delegate, answers={roommate.pk: "Li Wei", pickup.pk: "yes"})

    with pytest.raises(ValidationError):
        services.answers_save(registration=delegate, answers={roommate.pk: "Zhang San", pickup.pk: ""})
    kept = dict(Answer.objects.values_list("question__code", "value"))
    services.answers_save(registration=delegate, answers={roommate.pk: "", pickup.pk: "no"})

    assert kept == {"roommate": "Li Wei", "": "yes"}
    assert list(Answer.objects.values_list("question_id", "value")) == [(pickup.pk, "no")]


# --- the public form -----------------------------------------------------------------------------


def test_registration_form_shows_questions_in_chinese(client, trip):
    diet_question(trip, required=True)

    page = client.get(register_url(trip), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "饮食" in page
    assert "清真" in page and "素食" in page


def test_registration_form_errors_beside_the_question_and_nothing_saved(client, trip):
    diet = diet_question(trip, required=True)
    arrival = make_question(trip, kind=Kind.DATE, text="Arrival day")

    response = client.post(register_url(trip), form_data(trip, **{question_field_name(arrival): "next tuesday"}))

    page = response.content.decode()
    assert response.status_code == 200
    assert Registration.objects.count() == 0 and Answer.objects.count() == 0
    assert f'id="error_1_id_{question_field_name(diet)}"' in page or f'id="error_1_id_{question_field_name(diet)}_0"' in page
    assert f'href="#id_{question_field_name(diet)}_0"' in page  # the summary links to the first radio
    assert f'id="error_1_id_{question_field_name(arrival)}"' in page


def test_registration_form_saves_answers_with_the_registration(client, trip):
    diet = diet_question(trip, required=True)
    topics = make_question(trip, kind=Kind.MULTIPLE_CHOICE, choices=TOPIC_CHOICES)
    country = make_question(trip, kind=Kind.COUNTRY)

    response = client.post(
        register_url(trip),
        form_data(
            trip,
            **{
                question_field_name(diet): "halal",
                question_field_name(topics): ["cdmo", "sites"],
                question_field_name(country): "CN",
            },
        ),
    )

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert dict(registration.answers.values_list("question_id", "value")) == {diet.pk: "halal", topics.pk: "cdmo\nsites", country.pk: "CN"}


def test_registration_submit_refuses_missing_required_answer_before_any_write(trip):
    diet = diet_question(trip, required=True)

    with pytest.raises(ValidationError) as refused:
        submit(trip)

    assert refused.value.message_dict == {question_field_name(diet): ["Please answer this question."]}
    assert Registration.objects.count() == 0


def test_registration_duplicate_email_keeps_no_answer(trip):
    diet = diet_question(trip)
    first = submit(trip, email="same@example.com", answers={diet.pk: "halal"})

    with pytest.raises(ValidationError):
        submit(trip, email="same@example.com", answers={diet.pk: "vegetarian"})

    assert list(Answer.objects.values_list("registration_id", "value")) == [(first.pk, "halal")]


def test_adding_a_question_changes_the_cached_blank_form(client, trip):
    client.get(register_url(trip))
    version = type(trip).objects.get(pk=trip.pk).content_version

    make_question(trip, text="Hotel room preference")

    assert type(trip).objects.get(pk=trip.pk).content_version == version + 1
    assert "Hotel room preference" in client.get(register_url(trip)).content.decode()


# --- the questions page --------------------------------------------------------------------------


def answers_url(registration: Registration) -> str:
    return reverse("registrations:registration_answers", kwargs={"token": registration.token})


def test_questions_page_saves_travel_answers_and_shows_them(client, trip):
    roommate = make_question(trip, stage=Stage.TRAVEL, text="Roommate", code="roommate")
    pickup = make_question(trip, stage=Stage.TRAVEL, kind=Kind.YES_NO, required=True, text="Airport pickup")
    delegate = submit(trip)

    response = client.post(answers_url(delegate), {question_field_name(roommate): "Li Wei", question_field_name(pickup): "yes"}, follow=True)

    page = response.content.decode()
    assert dict(delegate.answers.values_list("question_id", "value")) == {roommate.pk: "Li Wei", pickup.pk: "yes"}
    assert "Your answers are saved." in page
    assert 'value="Li Wei"' in page
    assert response.redirect_chain == [(answers_url(delegate), 302)]


def test_questions_page_required_error_beside_the_field(client, trip):
    pickup = make_question(trip, stage=Stage.TRAVEL, kind=Kind.YES_NO, required=True, text="Airport pickup")
    delegate = submit(trip)

    response = client.post(answers_url(delegate), {})

    assert response.status_code == 200
    assert (
        f'id="error_1_id_{question_field_name(pickup)}_0"' in response.content.decode()
        or f'id="error_1_id_{question_field_name(pickup)}"' in response.content.decode()
    )
    assert Answer.objects.count() == 0


def test_questions_page_visit_question_only_for_those_booked(client, trip):
    songdo = make_visit(trip, title="Songdo Bio Industrial Park")
    topics = make_question(
        trip, stage=Stage.VISIT, visit=songdo, kind=Kind.MULTIPLE_CHOICE, choices=TOPIC_CHOICES, text="Which Samsung Biologics topics interest you?"
    )
    going, staying = submit(trip), submit(trip)
    services.visit_join(registration=going, visits=[songdo])

    assert "Which Samsung Biologics topics" in client.get(answers_url(going)).content.decode()
    assert "Which Samsung Biologics topics" not in client.get(answers_url(staying)).content.decode()
    client.post(answers_url(staying), {question_field_name(topics): ["adc"]})
    assert Answer.objects.count() == 0
    assert VisitBooking.objects.filter(registration=going).count() == 1


def test_questions_page_after_cutoff_shows_answers_read_only(client, trip):
    roommate = make_question(trip, stage=Stage.TRAVEL, text="Roommate")
    delegate = submit(trip)
    services.answers_save(registration=delegate, answers={roommate.pk: "Li Wei"})
    trip.details_editable_until = timezone.now() - timedelta(minutes=1)
    trip.save()

    page = client.get(answers_url(delegate)).content.decode()
    client.post(answers_url(delegate), {question_field_name(roommate): "Zhang San"})

    assert "Details can no longer be changed here." in page
    assert "<dd>Li Wei</dd>" in page
    assert 'name="q_' not in page
    assert Answer.objects.get().value == "Li Wei"


def test_private_page_links_to_questions_with_count_due(client, trip):
    make_question(trip, stage=Stage.TRAVEL, required=True)
    make_question(trip, stage=Stage.TRAVEL, required=True)
    trip.details_due_at = trip_time(-10, 18)
    trip.save()
    delegate = submit(trip)

    page = client.get(delegate.get_absolute_url()).content.decode()

    assert "2 required questions are still to be answered." in page
    assert answers_url(delegate) in page


def test_question_text_falls_back_to_english(trip):
    question = make_question(trip, text="Roommate", text_zh_hans="")

    from django.utils import translation

    with translation.override("zh-hans"):
        assert question.local.text == "Roommate"
    assert Question.objects.get().pk == question.pk

"""A confirmed delegate answers the organizers' travel questions on a 360 px phone, in Chinese, and sees them saved."""

import os

from playwright.sync_api import expect

from registrations.models import Registration
from registrations.models.questions import Question
from tests.question_helpers import Kind, Stage, make_question
from tests.trip_helpers import apply, make_trip


def test_travel_questions_answered_on_a_phone_in_chinese(open_tab, server):
    trip = make_trip()
    make_question(trip, stage=Stage.TRAVEL, text="Roommate", text_zh_hans="同住人", code="roommate")
    make_question(
        trip,
        stage=Stage.TRAVEL,
        kind=Kind.YES_NO,
        required=True,
        text="Airport pickup?",
        text_zh_hans="是否需要仁川机场接机？",
        code="airport_pickup",
    )
    make_question(trip, stage=Stage.TRAVEL, kind=Kind.COUNTRY, text="Departing from", text_zh_hans="出发国家或地区", code="from")
    registration = apply(trip)
    assert registration.status == Registration.Status.CONFIRMED
    tab = open_tab(locale="zh-CN")
    page = tab.page

    tab.goto(registration.get_absolute_url())
    expect(page.get_by_text("还有 1 个必答问题待回答。")).to_be_visible()
    page.get_by_role("link", name="回答问题").click()
    page.get_by_role("button", name="保存我的回答").click()
    expect(page.get_by_text("请回答此问题。")).to_be_visible()  # beside the yes/no question
    tab.assert_sound()

    page.get_by_label("同住人").fill("李伟")
    page.get_by_label("是", exact=True).check()
    page.get_by_label("出发国家或地区").select_option(label="中国")
    page.get_by_role("button", name="保存我的回答").click()

    expect(page.get_by_text("您的回答已保存。")).to_be_visible()
    expect(page.get_by_label("同住人")).to_have_value("李伟")
    expect(page.get_by_label("是", exact=True)).to_be_checked()
    tab.assert_sound()
    if os.environ.get("QUESTIONS_SCREENSHOT"):
        page.screenshot(path=os.environ["QUESTIONS_SCREENSHOT"], full_page=True)
    answers = dict(registration.answers.values_list("question__code", "value"))
    assert answers == {"roommate": "李伟", "airport_pickup": "yes", "from": "CN"}
    tab.goto(registration.get_absolute_url())
    expect(page.get_by_text("谢谢：所有必答问题均已回答。您仍可修改回答。")).to_be_visible()
    assert Question.objects.filter(delegation=trip).count() == 3

"""Issue 11's whole journey on a 360 px phone in Chinese: a confirmed delegate answers the travel questions,
gives the travel-document consent, enters passport details, corrects their phone number, and finds it all saved."""

from datetime import timedelta

from playwright.sync_api import expect

from registrations.models import DetailChange, Registration
from registrations.models.travel import TravelDocument
from tests.question_helpers import Kind, Stage, make_question
from tests.trip_helpers import apply, make_trip


def test_confirmed_delegate_completes_their_record_on_a_phone_in_chinese(open_tab, server):
    trip = make_trip(travel_data_recipients="Incheon Grand Hotel", travel_data_recipients_zh_hans="仁川格兰德酒店（办理入住）")
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
    registration = apply(trip, phone="+86 138 0000 0000")
    assert registration.status == Registration.Status.CONFIRMED
    tab = open_tab(locale="zh-CN")
    page = tab.page

    # The travel-stage questions.
    tab.goto(registration.get_absolute_url())
    page.get_by_role("link", name="回答问题").click()
    page.get_by_label("同住人").fill("李伟")
    page.get_by_label("是", exact=True).check()
    page.get_by_role("button", name="保存我的回答").click()
    expect(page.get_by_text("您的回答已保存。")).to_be_visible()

    # The consent, then the passport details.
    tab.goto(registration.get_absolute_url())
    page.get_by_role("link", name="填写或查看我的旅行证件").click()
    expect(page.get_by_text("仁川格兰德酒店（办理入住）")).to_be_visible()
    page.get_by_label("我同意将我的护照信息提供给上述接收方").check()
    page.get_by_role("button", name="我同意，继续").click()
    page.get_by_label("与护照完全一致的姓名").fill("wang xiaoming")
    page.get_by_label("护照号码").fill("E12345678")
    page.get_by_label("国籍").select_option("CHN")
    page.get_by_label("出生日期").fill("1975-03-02")
    page.get_by_label("护照有效期至").fill((trip.ends_on + timedelta(days=900)).isoformat())
    page.get_by_role("button", name="保存旅行证件").click()
    expect(page.get_by_text("您的旅行证件已保存。您可以在下方修改。")).to_be_visible()

    # The phone number.
    tab.goto(registration.get_absolute_url())
    page.get_by_role("link", name="修改我的信息").click()
    page.get_by_label("手机").fill("+86 139 1111 2222")
    page.get_by_role("button", name="保存我的信息").click()
    expect(page.get_by_text("您的信息已保存。")).to_be_visible()
    tab.assert_sound()

    # Everything is still there when the delegate comes back.
    tab.goto(registration.get_absolute_url())
    expect(page.get_by_text("+86 139 1111 2222")).to_be_visible()
    expect(page.get_by_text("谢谢：所有必答问题均已回答。您仍可修改回答。")).to_be_visible()
    page.get_by_role("link", name="回答问题").click()
    expect(page.get_by_label("同住人")).to_have_value("李伟")
    expect(page.get_by_label("是", exact=True)).to_be_checked()
    tab.goto(registration.get_absolute_url())
    page.get_by_role("link", name="填写或查看我的旅行证件").click()
    expect(page.get_by_label("护照号码")).to_have_value("E12345678")
    expect(page.get_by_label("与护照完全一致的姓名")).to_have_value("WANG XIAOMING")
    tab.assert_sound()
    registration.refresh_from_db()
    assert registration.phone == "+86 139 1111 2222"
    assert dict(registration.answers.values_list("question__code", "value")) == {"roommate": "李伟", "airport_pickup": "yes"}
    assert TravelDocument.objects.get(registration=registration).details["passport_number"] == "E12345678"
    assert list(DetailChange.objects.filter(registration=registration).values_list("field", "new_value")) == [("phone", "+86 139 1111 2222")]

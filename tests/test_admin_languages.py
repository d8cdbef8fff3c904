"""Organizers enter delegation content in English, Chinese and Korean; the admin's own words are translated."""

from django.urls import reverse

from registrations.models import Delegation, ItineraryItem
from tests.admin_forms import resubmit
from tests.conftest import submit
from tests.test_admin import delegation_form_data


def change_url(delegation):
    return reverse("admin:registrations_delegation_change", args=[delegation.pk])


def test_delegation_page_has_a_fieldset_per_language_and_translated_inlines(admin_client, delegation):
    page = admin_client.get(change_url(delegation)).content.decode()

    for heading in ["Text in English (shown when a translation is empty)", "Text in Simplified Chinese", "Text in Korean"]:
        assert heading in page
    for name in [
        "title_zh_hans",
        "title_ko",
        "summary_ko",
        "story_zh_hans",
        "city_ko",
        "organizer_zh_hans",
        "sectors-0-name_zh_hans",
        "sectors-0-name_ko",
        "itinerary-0-capacity",
    ]:
        assert f'name="{name}"' in page, name


def test_itinerary_item_page_has_every_text_in_three_languages(admin_client, delegation):
    item = delegation.itinerary.first()

    page = admin_client.get(reverse("admin:registrations_itineraryitem_change", args=[item.pk])).content.decode()

    for heading in ["Text in English (shown when a translation is empty)", "Text in Simplified Chinese", "Text in Korean"]:
        assert heading in page
    for field in ItineraryItem.TRANSLATED_FIELDS:
        for name in (field, f"{field}_zh_hans", f"{field}_ko"):
            assert f'name="{name}"' in page, name


def test_organizer_saves_translations_in_admin(admin_client, delegation):
    data = delegation_form_data(delegation, title_zh_hans="仁川科技周代表团", title_ko="인천 테크위크 대표단", city_zh_hans="仁川")
    data.update({"sectors-0-name_zh_hans": "生物技术", "sectors-0-name_ko": "바이오테크놀로지"})
    item = delegation.itinerary.get(title="Songdo Bio Industrial Park")
    item_url = reverse("admin:registrations_itineraryitem_change", args=[item.pk])

    response = admin_client.post(change_url(delegation), data)
    item_response = resubmit(admin_client, item_url, {"title_zh_hans": "松岛生物产业园区", "hosts_ko": "삼성바이오로직스"})

    assert (response.status_code, item_response.status_code) == (302, 302)
    delegation = Delegation.objects.get(pk=delegation.pk)
    assert (delegation.title_zh_hans, delegation.title_ko, delegation.city_zh_hans, delegation.city_ko) == (
        "仁川科技周代表团",
        "인천 테크위크 대표단",
        "仁川",
        "",
    )
    assert delegation.sectors.get(name="Biotechnology").name_ko == "바이오테크놀로지"
    item = delegation.itinerary.get(title="Songdo Bio Industrial Park")
    assert (item.title_zh_hans, item.hosts_ko) == ("松岛生物产业园区", "삼성바이오로직스")


def test_admin_additions_are_translated(admin_client, delegation):
    submit(delegation)
    admin_client.cookies["django_language"] = "zh-hans"

    registrations = admin_client.get(reverse("admin:registrations_registration_changelist")).content.decode()
    delegations = admin_client.get(reverse("admin:registrations_delegation_changelist")).content.decode()

    from django.utils import translation

    from registrations.admin.registrations import RegistrationAdmin

    with translation.override("zh-hans"):
        cancel_label = str(RegistrationAdmin.cancel_selected.short_description)
    assert cancel_label.startswith("取消") and cancel_label in registrations
    assert "代表团管理" in registrations  # site header
    assert "已确认" in delegations and "候补" in delegations and "剩余" in delegations


def test_admin_cancel_message_in_korean(admin_client, delegation):
    registration = submit(delegation)
    admin_client.cookies["django_language"] = "ko"

    response = admin_client.post(
        reverse("admin:registrations_registration_changelist"), {"action": "cancel_selected", "_selected_action": [registration.pk]}, follow=True
    )

    assert "등록 1건을 취소했습니다." in response.content.decode()

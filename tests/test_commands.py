import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from registrations import services
from registrations.models import Delegation, ItineraryItem, Registration, Sector
from registrations.services.codes import email_confirm_code
from tests.conftest import submit


def snapshot():
    return (
        list(Delegation.objects.values()),
        list(Sector.objects.values()),
        list(ItineraryItem.objects.values()),
    )


def test_seed_demo_creates_the_incheon_delegation(db):
    call_command("seed_demo")

    delegation = Delegation.objects.get(slug="incheon-tech-week")
    assert delegation.seats == 30 and delegation.is_published
    assert list(delegation.sectors.values_list("name", flat=True)) == [
        "Biotechnology",
        "Automotive and autonomous driving",
        "Clean energy",
        "Smart logistics",
    ]
    titles = " ".join(delegation.itinerary.values_list("title", flat=True))
    assert delegation.itinerary.count() >= 6
    for place in ["Songdo Bio Industrial Park", "Yeongjong Logistics", "Hyundai Group", "Seoul Pharmaceutical Base"]:
        assert place in titles
    assert len({item.starts_at.date() for item in delegation.itinerary.all()}) >= 3


def test_seed_demo_twice_changes_nothing(db):
    call_command("seed_demo")
    before = snapshot()

    call_command("seed_demo")

    assert snapshot() == before


def test_seed_demo_fills_chinese_and_korean_with_real_names(db):
    call_command("seed_demo")

    delegation = Delegation.objects.get(slug="incheon-tech-week")
    assert "仁川科技周" in delegation.title_zh_hans and "인천 테크위크" in delegation.title_ko
    assert (delegation.city_zh_hans, delegation.city_ko) == ("韩国仁川", "대한민국 인천")
    assert all([delegation.summary_zh_hans, delegation.summary_ko, delegation.organizer_zh_hans, delegation.organizer_ko])
    assert list(delegation.sectors.values_list("name_zh_hans", "name_ko")) == [
        ("生物技术", "바이오테크놀로지"),
        ("汽车与自动驾驶", "자동차·자율주행"),
        ("清洁能源", "청정에너지"),
        ("智慧物流", "스마트 물류"),
    ]
    chinese = " ".join(f"{i.title_zh_hans} {i.hosts_zh_hans} {i.location_zh_hans}" for i in delegation.itinerary.all())
    korean = " ".join(f"{i.title_ko} {i.hosts_ko} {i.location_ko}" for i in delegation.itinerary.all())
    for name in ["仁川", "松岛", "三星生物制剂", "CJ大韩通运", "现代集团", "永宗", "首尔制药基地"]:
        assert name in chinese
    for name in ["인천", "송도", "삼성바이오로직스", "CJ대한통운", "현대그룹", "영종", "서울 제약 기지"]:
        assert name in korean
    assert all(item.description_zh_hans and item.description_ko for item in delegation.itinerary.all())
    for name in ["默克", "赛多利斯", "赛尔群", "SK生物制药"]:
        assert name in delegation.story_zh_hans
    for name in ["머크", "사토리우스", "셀트리온", "롯데바이오로직스"]:
        assert name in delegation.story_ko


def test_seed_demo_fills_missing_translations_but_keeps_edits(db):
    call_command("seed_demo")
    delegation = Delegation.objects.get(slug="incheon-tech-week")
    Delegation.objects.filter(pk=delegation.pk).update(title_zh_hans="", title_ko="인천 대표단 (수정)", title="Edited")
    Sector.objects.filter(name="Clean energy").update(name_ko="")

    call_command("seed_demo")

    delegation.refresh_from_db()
    assert (delegation.title, delegation.title_ko) == ("Edited", "인천 대표단 (수정)")
    assert delegation.title_zh_hans == "AsianFin全球商业领袖俱乐部：仁川科技周企业家代表团"
    assert Sector.objects.get(name="Clean energy").name_ko == "청정에너지"


def test_seed_demo_seats_option(db):
    call_command("seed_demo", "--seats", "3")

    assert Delegation.objects.get(slug="incheon-tech-week").seats == 3


def test_seed_demo_seats_below_confirmed_is_refused(db):
    call_command("seed_demo", "--seats", "3")
    delegation = Delegation.objects.get()
    for registration in (submit(delegation), submit(delegation)):  # the demo asks for e-mail confirmation
        services.registration_email_confirm(registration=registration, code=email_confirm_code(registration))

    with pytest.raises(CommandError):
        call_command("seed_demo", "--seats", "1")

    assert Registration.objects.filter(status="confirmed").count() == 2


def test_ensure_admin_creates_one_superuser_with_random_password(db, capsys):
    call_command("ensure_admin")
    first = capsys.readouterr().out
    call_command("ensure_admin")
    second = capsys.readouterr().out

    password = first.split("password: ")[1].split()[0]
    user = get_user_model().objects.get(username="admin")
    assert user.check_password(password)
    assert len(password) >= 12
    assert "exists already" in second
    assert get_user_model().objects.count() == 1

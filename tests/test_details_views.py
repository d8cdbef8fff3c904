"""The "Edit my details" page, the history in admin, the new delegation texts and the privacy notice."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from registrations.models import DetailChange, Registration
from tests.admin_forms import resubmit
from tests.conftest import make_delegation, submit
from tests.helpers import rendered_form

Status = Registration.Status
pytestmark = pytest.mark.django_db


def edit_url(registration: Registration) -> str:
    return reverse("registrations:registration_edit", kwargs={"token": registration.token})


def admin_change_url(obj) -> str:
    return reverse(f"admin:registrations_{obj._meta.model_name}_change", args=[obj.pk])


def input_tag(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}"')
    return html[html.rindex("<", 0, start) : html.index(">", start) + 1]


def test_private_page_links_to_the_edit_page_before_the_cutoff(client):
    registration = submit(make_delegation())

    html = client.get(registration.get_absolute_url()).content.decode()

    assert f'href="{edit_url(registration)}"' in html
    assert "Edit my details" in html


def test_private_page_after_the_cutoff_says_why_instead_of_a_link(client):
    registration = submit(make_delegation(details_editable_until=timezone.now() - timedelta(hours=1)))

    html = client.get(registration.get_absolute_url()).content.decode()

    assert edit_url(registration) not in html
    assert "Details can no longer be changed here. Please write to the organizer." in html


def test_edit_page_shows_the_record_and_says_the_email_cannot_change(client):
    registration = submit(make_delegation(), full_name="Li Na", phone="+86 138 0000 0000", email="li@example.cn")

    response = client.get(edit_url(registration))

    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"].split(", ")[:2] == ["private", "no-store"]
    assert 'value="Li Na"' in html and 'value="+86 138 0000 0000"' in html
    assert 'type="tel"' in input_tag(html, "id_phone")
    assert 'name="email"' not in html
    assert "li@example.cn" in html
    assert "Your e-mail address cannot be changed here" in html


def test_edit_page_post_saves_and_returns_to_the_private_page(client):
    registration = submit(make_delegation(), phone="+86 138 0000 0000")
    page = client.get(edit_url(registration)).content.decode()
    data = rendered_form(page, "details-form", phone="+86 139 1111 2222")

    response = client.post(edit_url(registration), data, follow=True)

    registration.refresh_from_db()
    assert response.redirect_chain == [(registration.get_absolute_url(), 302)]
    assert registration.phone == "+86 139 1111 2222"
    assert "Your details are saved." in response.content.decode()
    assert "+86 139 1111 2222" in response.content.decode()
    assert list(DetailChange.objects.filter(registration=registration).values_list("field", "by_delegate")) == [("phone", True)]


def test_edit_page_post_with_a_bad_phone_shows_the_error_beside_the_field(client):
    registration = submit(make_delegation(), phone="+86 138 0000 0000")
    page = client.get(edit_url(registration)).content.decode()

    response = client.post(edit_url(registration), rendered_form(page, "details-form", phone="call me"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-invalid="true"' in input_tag(html, "id_phone")
    message = "Enter a mobile number with country code, for example +86 138 0000 0000."
    assert html.index(message, html.index('id="id_phone"')) < html.index('id="id_wechat_id"')
    assert '<a href="#id_phone">' in html  # the summary at the top links to it
    registration.refresh_from_db()
    assert registration.phone == "+86 138 0000 0000"


def test_edit_page_marks_a_full_field_and_refuses_it_beside_the_field(client):
    delegation = make_delegation(seats=5)
    bio, energy = delegation.sectors.get(name="Biotechnology"), delegation.sectors.get(name="Clean energy")
    energy.seat_cap = 1
    energy.save()
    submit(delegation, sector=energy)
    registration = submit(delegation, sector=bio)
    page = client.get(edit_url(registration)).content.decode()

    response = client.post(edit_url(registration), rendered_form(page, "details-form", sector=str(energy.pk)))

    html = response.content.decode()
    assert "Clean energy (full)" in page
    assert "Biotechnology (full)" not in page
    assert "Clean energy is full: its seats are all taken." in html
    registration.refresh_from_db()
    assert registration.sector == bio


def test_edit_page_of_an_offered_seat_shows_no_field_choice(client):
    delegation = make_delegation(seats=1)
    first = submit(delegation)
    offered = submit(delegation)
    from registrations import services

    services.registration_cancel(registration=first)

    html = client.get(edit_url(offered)).content.decode()

    assert 'name="sector"' not in html
    assert 'name="phone"' in html


def test_edit_page_after_the_cutoff_says_why_and_whom_to_write_to(client):
    delegation = make_delegation(
        details_editable_until=timezone.now() - timedelta(hours=1), contact_email="desk@asianfin.example", contact_wechat_id="asianfin_desk"
    )
    registration = submit(delegation, phone="+86 138 0000 0000")

    page = client.get(edit_url(registration)).content.decode()
    posted = client.post(edit_url(registration), {"full_name": "X", "job_title": "CEO", "phone": "+86 139 1111 2222", "sector": ""})

    assert "Details can no longer be changed here. Please write to the organizer." in page
    assert 'href="mailto:desk@asianfin.example"' in page and "asianfin_desk" in page
    assert 'name="phone"' not in page
    assert posted.status_code == 200
    registration.refresh_from_db()
    assert registration.phone == "+86 138 0000 0000"


def test_edit_page_of_an_unknown_token_is_404(client):
    assert client.get("/r/" + "x" * 43 + "/edit/").status_code == 404


# --- admin -----------------------------------------------------------------------


def test_admin_save_of_the_registration_records_the_organizers_change(admin_client, admin_user):
    registration = submit(make_delegation(), phone="+86 138 0000 0000")

    unchanged = resubmit(admin_client, admin_change_url(registration))
    changed = resubmit(admin_client, admin_change_url(registration), {"phone": "+82 10 1234 5678", "company": "New Co."})

    assert (unchanged.status_code, changed.status_code) == (302, 302)
    registration.refresh_from_db()
    assert (registration.phone, registration.company) == ("+82 10 1234 5678", "New Co.")
    rows = DetailChange.objects.filter(registration=registration).order_by("field")
    assert [(row.field, row.new_value, row.by_delegate, row.changed_by) for row in rows] == [
        ("company", "New Co.", False, admin_user),
        ("phone", "+82 10 1234 5678", False, admin_user),
    ]


def test_admin_registration_page_refuses_a_bad_phone_beside_the_field(admin_client):
    registration = submit(make_delegation(), phone="+86 138 0000 0000")

    response = resubmit(admin_client, admin_change_url(registration), {"phone": "call me"})

    assert response.status_code == 200
    assert "Enter a mobile number with country code" in response.content.decode()
    registration.refresh_from_db()
    assert registration.phone == "+86 138 0000 0000"
    assert DetailChange.objects.count() == 0


def test_admin_registration_page_shows_the_history_of_details(admin_client):
    from registrations import services

    registration = submit(make_delegation(), phone="+86 138 0000 0000")
    services.registration_details_change(registration=registration, changes={"phone": "+86 139 1111 2222"})

    html = admin_client.get(admin_change_url(registration)).content.decode()

    assert "History of details" in html
    assert "the delegate (private page)" in html
    assert "+86 139 1111 2222" in html


def test_admin_delegation_page_saves_the_new_texts_with_the_whole_form(admin_client):
    delegation = make_delegation()

    response = resubmit(
        admin_client,
        admin_change_url(delegation),
        {
            "includes": "Hotel, 4 nights",
            "includes_zh_hans": "酒店四晚",
            "costs_ko": "참가비 없음",
            "contact_email": "desk@asianfin.example",
            "contact_wechat_id": "asianfin_desk",
            "privacy_notice": "Our notice.",
        },
    )

    assert response.status_code == 302
    delegation.refresh_from_db()
    assert (delegation.includes, delegation.includes_zh_hans, delegation.costs_ko) == ("Hotel, 4 nights", "酒店四晚", "참가비 없음")
    assert (delegation.contact_email, delegation.contact_wechat_id, delegation.privacy_notice) == (
        "desk@asianfin.example",
        "asianfin_desk",
        "Our notice.",
    )


# --- the registrant's side: what the delegation includes, above the form ------------------------------


def register_url(delegation) -> str:
    return reverse("registrations:register", kwargs={"slug": delegation.slug})


def test_register_form_shows_includes_costs_contact_and_privacy_link_above_the_form(client):
    delegation = make_delegation(includes="Hotel, 4 nights", costs="Fee: 9,800 CNY", contact_wechat_id="asianfin_desk")

    html = client.get(register_url(delegation)).content.decode()

    facts = html.index("Hotel, 4 nights")
    assert facts < html.index('<form method="post"')
    assert "Fee: 9,800 CNY" in html and "asianfin_desk" in html
    assert f'href="{reverse("registrations:privacy", kwargs={"slug": delegation.slug})}"' in html


def test_register_form_shows_the_texts_in_chinese(client):
    delegation = make_delegation(includes="Hotel", includes_zh_hans="酒店四晚", costs="Fee", costs_zh_hans="费用自理")

    html = client.get(register_url(delegation), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "酒店四晚" in html and "费用自理" in html


def test_a_change_of_the_includes_shows_on_the_next_load_of_the_cached_pages(client):
    delegation = make_delegation(includes="Hotel, 4 nights")
    client.get(register_url(delegation))
    client.get(delegation.get_absolute_url())
    version = type(delegation).objects.get(pk=delegation.pk).content_version

    delegation.refresh_from_db()
    delegation.includes = "Hotel, 5 nights"
    delegation.save()

    assert type(delegation).objects.get(pk=delegation.pk).content_version == version + 1
    assert "Hotel, 5 nights" in client.get(register_url(delegation)).content.decode()
    assert "Hotel, 5 nights" in client.get(delegation.get_absolute_url()).content.decode()


def test_privacy_page_by_default_says_what_the_site_does(client, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 90
    settings.TRAVEL_DOCUMENT_RETENTION_DAYS = 5
    delegation = make_delegation(travel_data_recipients="Samsung Biologics security desk", contact_email="desk@asianfin.example")

    response = client.get(reverse("registrations:privacy", kwargs={"slug": delegation.slug}))

    html = response.content.decode()
    assert response.status_code == 200
    assert "I agree that the organizers store and use these details to run this delegation." in html
    assert "erased (anonymised) 90 days after the trip ends" in html
    assert "Passport details are deleted 5 days after the trip ends." in html
    assert "Samsung Biologics security desk" in html
    assert 'href="mailto:desk@asianfin.example"' in html


def test_privacy_page_without_travel_documents_says_nothing_about_passports(client):
    delegation = make_delegation()

    html = client.get(reverse("registrations:privacy", kwargs={"slug": delegation.slug})).content.decode()

    assert "Passport details" not in html


def test_privacy_page_shows_the_organizers_text_in_the_readers_language(client):
    delegation = make_delegation(privacy_notice="Our own notice.", privacy_notice_zh_hans="我们的隐私声明。")

    english = client.get(reverse("registrations:privacy", kwargs={"slug": delegation.slug})).content.decode()
    chinese = client.get(reverse("registrations:privacy", kwargs={"slug": delegation.slug}), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "Our own notice." in english and "What we keep and why" not in english
    assert "我们的隐私声明。" in chinese


def test_privacy_page_of_an_unknown_delegation_is_404(client, db):
    assert client.get("/d/no-such-trip/privacy/").status_code == 404

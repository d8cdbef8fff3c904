import pytest
from django.contrib.admin.sites import site
from django.urls import reverse

from registrations.models import Delegation, Registration
from tests.conftest import make_delegation, submit

Status = Registration.Status


@pytest.fixture
def admin_client_with_data(admin_client, delegation):
    submit(delegation), submit(delegation), submit(delegation)
    return admin_client


def test_every_admin_page_renders_for_superuser(admin_client_with_data, admin_user, rf, delegation):
    request = rf.get("/admin/")
    request.user = admin_user
    for model, model_admin in site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        assert admin_client_with_data.get(reverse("admin:%s_%s_changelist" % info)).status_code == 200, info
        add = admin_client_with_data.get(reverse("admin:%s_%s_add" % info))
        assert add.status_code == (200 if model_admin.has_add_permission(request) else 403), info
        obj = model.objects.first()
        if obj is not None:
            change = admin_client_with_data.get(reverse("admin:%s_%s_change" % info, args=[obj.pk]))
            assert change.status_code == 200, info


def test_delegation_changelist_shows_counts(admin_client_with_data, delegation):
    page = admin_client_with_data.get(reverse("admin:registrations_delegation_changelist")).content.decode()

    assert '<td class="field-confirmed">2</td>' in page
    assert '<td class="field-waitlisted">1</td>' in page
    assert '<td class="field-left">0</td>' in page


def test_delegation_change_page_shows_qr_and_downloads(admin_client, delegation):
    page = admin_client.get(reverse("admin:registrations_delegation_change", args=[delegation.pk])).content.decode()

    assert f"/d/{delegation.slug}/qr.png?size=256" in page
    assert f"/d/{delegation.slug}/qr.svg" in page


def delegation_form_data(delegation, **overrides):
    data = {
        "title": delegation.title,
        "slug": delegation.slug,
        "organizer": delegation.organizer,
        "city": delegation.city,
        "starts_on": delegation.starts_on.isoformat(),
        "ends_on": delegation.ends_on.isoformat(),
        "is_published": "on",
        "seats": delegation.seats,
        "summary": "",
        "story": "",
        "registration_mode": delegation.registration_mode,
        "offer_hold_hours": 48,
        "registration_opens_at_0": "",
        "registration_opens_at_1": "",
        "registration_closes_at_0": "",
        "registration_closes_at_1": "",
    }
    for prefix, related in (("sectors", delegation.sectors.all()), ("itinerary", delegation.itinerary.all())):
        items = list(related)
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": len(items),
                f"{prefix}-INITIAL_FORMS": len(items),
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
        for index, item in enumerate(items):
            data[f"{prefix}-{index}-id"] = item.pk
            data[f"{prefix}-{index}-delegation"] = delegation.pk
            if prefix == "sectors":
                data.update(
                    {f"{prefix}-{index}-name": item.name, f"{prefix}-{index}-order": item.order, f"{prefix}-{index}-seat_cap": item.seat_cap or ""}
                )
            else:
                data.update(
                    {
                        f"{prefix}-{index}-title": item.title,
                        f"{prefix}-{index}-order": item.order,
                        f"{prefix}-{index}-hosts": item.hosts,
                        f"{prefix}-{index}-location": item.location,
                        f"{prefix}-{index}-description": item.description,
                        f"{prefix}-{index}-starts_at_0": item.starts_at.astimezone().strftime("%Y-%m-%d"),
                        f"{prefix}-{index}-starts_at_1": "09:00:00",
                        f"{prefix}-{index}-ends_at_0": item.ends_at.astimezone().strftime("%Y-%m-%d"),
                        f"{prefix}-{index}-ends_at_1": "23:00:00",
                    }
                )
    data["email_confirmation_hours"] = delegation.email_confirmation_hours
    data.update({"questions-TOTAL_FORMS": 0, "questions-INITIAL_FORMS": 0, "questions-MIN_NUM_FORMS": 0, "questions-MAX_NUM_FORMS": 1000})
    data.update(overrides)
    return data


def test_lowering_seats_below_confirmed_is_refused_with_a_clear_error(admin_client_with_data, delegation):
    url = reverse("admin:registrations_delegation_change", args=[delegation.pk])

    response = admin_client_with_data.post(url, delegation_form_data(delegation, seats=1))

    delegation.refresh_from_db()
    assert response.status_code == 200
    assert "2 seats are already taken" in response.content.decode()
    assert delegation.seats == 2


def test_raising_seats_in_admin_offers_them_to_the_waiting_list(admin_client_with_data, delegation):
    url = reverse("admin:registrations_delegation_change", args=[delegation.pk])

    response = admin_client_with_data.post(url, delegation_form_data(delegation, seats=5))

    assert response.status_code == 302
    assert Registration.objects.filter(delegation=delegation, status=Status.CONFIRMED).count() == 2
    assert Registration.objects.filter(delegation=delegation, status=Status.OFFERED).count() == 1


def test_cancel_action_cancels_and_promotes(admin_client_with_data, delegation):
    first = Registration.objects.filter(status=Status.CONFIRMED).order_by("pk").first()
    waiting = Registration.objects.get(status=Status.WAITLISTED)

    response = admin_client_with_data.post(
        reverse("admin:registrations_registration_changelist"),
        {"action": "cancel_selected", "_selected_action": [first.pk]},
        follow=True,
    )

    first.refresh_from_db(), waiting.refresh_from_db()
    assert first.status == Status.CANCELLED and waiting.status == Status.OFFERED
    assert "Cancelled 1 registration." in response.content.decode()


def test_cancel_action_reports_refusal(admin_client_with_data, delegation):
    first = Registration.objects.first()
    admin_client_with_data.post(reverse("admin:registrations_registration_changelist"), {"action": "cancel_selected", "_selected_action": [first.pk]})

    response = admin_client_with_data.post(
        reverse("admin:registrations_registration_changelist"),
        {"action": "cancel_selected", "_selected_action": [first.pk]},
        follow=True,
    )

    assert "cannot become" in response.content.decode()


def test_registration_status_is_read_only_in_admin(admin_client_with_data):
    registration = Registration.objects.first()
    page = admin_client_with_data.get(reverse("admin:registrations_registration_change", args=[registration.pk])).content.decode()

    assert 'name="status"' not in page
    assert 'name="token"' not in page


def test_html_in_name_is_escaped_in_admin(admin_client, delegation):
    submit(delegation, full_name="<img src=x onerror=alert(1)>")

    page = admin_client.get(reverse("admin:registrations_registration_changelist")).content.decode()

    assert "<img src=x onerror=alert(1)>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_registration_changelist_query_count_is_constant(admin_client, delegation, django_assert_max_num_queries):
    url = reverse("admin:registrations_registration_changelist")
    for _ in range(3):
        submit(delegation)
    with django_assert_max_num_queries(12) as few:
        assert admin_client.get(url).status_code == 200
    for _ in range(20):
        submit(delegation)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert admin_client.get(url).status_code == 200


def test_delegation_changelist_query_count_is_constant(admin_client, db, django_assert_max_num_queries):
    make_delegation()
    url = reverse("admin:registrations_delegation_changelist")
    with django_assert_max_num_queries(10) as few:
        assert admin_client.get(url).status_code == 200
    for _ in range(5):
        make_delegation()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert admin_client.get(url).status_code == 200


def changelist_action(client, action, ids, **extra):
    return client.post(
        reverse("admin:registrations_registration_changelist"),
        {"action": action, "_selected_action": ids, **extra},
        follow=True,
    )


@pytest.fixture
def review_delegation(db):
    return make_delegation(seats=2, registration_mode=Delegation.Mode.REVIEW)


def test_confirm_action_refusal_names_the_shortfall(admin_client, review_delegation):
    ids = [submit(review_delegation).pk for _ in range(3)]

    response = changelist_action(admin_client, "confirm_selected", ids)

    assert "Only 2 seats left; 3 selected." in response.content.decode()
    assert Registration.objects.filter(status=Status.CONFIRMED).count() == 0


def test_confirm_action_confirms_and_reports(admin_client, review_delegation):
    ids = [submit(review_delegation).pk for _ in range(2)]

    response = changelist_action(admin_client, "confirm_selected", ids)

    assert "Confirmed 2 registrations." in response.content.decode()
    assert Registration.objects.filter(status=Status.CONFIRMED).count() == 2


def test_waitlist_action(admin_client, review_delegation):
    registration = submit(review_delegation)

    response = changelist_action(admin_client, "waitlist_selected", [registration.pk])

    registration.refresh_from_db()
    assert (registration.status, registration.waitlist_position) == (Status.WAITLISTED, 1)
    assert "Put 1 registration on the waiting list." in response.content.decode()


def test_reject_action_asks_for_reason_then_rejects(admin_client, review_delegation):
    registration = submit(review_delegation)

    page = changelist_action(admin_client, "reject_selected", [registration.pk])
    registration.refresh_from_db()
    assert registration.status == Status.PENDING
    assert "Reason shown to the person" in page.content.decode()

    response = changelist_action(admin_client, "reject_selected", [registration.pk], apply="1", reason="Seats are full.")

    registration.refresh_from_db()
    assert (registration.status, registration.decision_reason) == (Status.REJECTED, "Seats are full.")
    assert "Rejected 1 registration." in response.content.decode()


def test_registration_change_page_shows_history(admin_client, review_delegation):
    registration = submit(review_delegation)
    changelist_action(admin_client, "confirm_selected", [registration.pk])

    page = admin_client.get(reverse("admin:registrations_registration_change", args=[registration.pk])).content.decode()

    assert "Status history" in page or "status history" in page
    assert "Application received" in page and "Confirmed" in page


def test_invitation_added_in_admin_holds_a_seat(admin_client, delegation):
    from django.utils import timezone

    from registrations.models import Invitation

    deadline = timezone.localtime(timezone.now() + timezone.timedelta(days=2))
    response = admin_client.post(
        reverse("admin:registrations_invitation_add"),
        {
            "delegation": delegation.pk,
            "full_name": "Guest",
            "email": "guest@example.com",
            "company": "Hyundai",
            "sector": delegation.sectors.first().pk,
            "expires_at_0": deadline.strftime("%Y-%m-%d"),
            "expires_at_1": deadline.strftime("%H:%M:%S"),
        },
    )

    invitation = Invitation.objects.get()
    assert response.status_code == 302
    assert invitation.created_by is not None and len(invitation.token) >= 43
    page = admin_client.get(reverse("admin:registrations_delegation_changelist")).content.decode()
    assert '<td class="field-held">1</td>' in page


def test_invitation_add_refused_when_full(admin_client, delegation):
    from django.utils import timezone

    submit(delegation), submit(delegation)
    deadline = timezone.localtime(timezone.now() + timezone.timedelta(days=2))

    response = admin_client.post(
        reverse("admin:registrations_invitation_add"),
        {
            "delegation": delegation.pk,
            "full_name": "Guest",
            "email": "guest@example.com",
            "sector": delegation.sectors.first().pk,
            "expires_at_0": deadline.strftime("%Y-%m-%d"),
            "expires_at_1": deadline.strftime("%H:%M:%S"),
        },
    )

    assert response.status_code == 200
    assert "Only 0 seats left; 1 selected." in response.content.decode()


def test_dashboard_renders_counts_sectors_days_sources(admin_client, delegation):
    submit(delegation, source="article"), submit(delegation, source="poster"), submit(delegation, source="article")

    response = admin_client.get(reverse("admin:registrations_delegation_dashboard", args=[delegation.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "2 of 2 seats taken" in page
    assert "Smart logistics" in page and "article" in page
    assert '<progress max="2" value="2"' in page


def test_dashboard_query_count_is_constant(admin_client, delegation, django_assert_max_num_queries):
    url = reverse("admin:registrations_delegation_dashboard", args=[delegation.pk])
    submit(delegation)
    with django_assert_max_num_queries(20) as few:
        assert admin_client.get(url).status_code == 200
    for index in range(15):
        submit(delegation, source=f"source-{index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert admin_client.get(url).status_code == 200


def test_dashboard_linked_from_delegation_page(admin_client, delegation):
    page = admin_client.get(reverse("admin:registrations_delegation_change", args=[delegation.pk])).content.decode()

    assert reverse("admin:registrations_delegation_dashboard", args=[delegation.pk]) in page


def test_export_csv_contains_rows_and_neutralises_formulas(admin_client, delegation):
    first = submit(delegation, full_name='=HYPERLINK("http://evil")', company="王氏集团")
    second = submit(delegation, company="@SUM(A1)")

    response = changelist_action(admin_client, "export_csv", [first.pk, second.pk])

    import csv
    import io

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][:4] == ["Full name", "Company", "Job title", "Field"]
    assert len(rows) == 3
    assert rows[1][0] == '\'=HYPERLINK("http://evil")' and rows[1][1] == "王氏集团"
    assert rows[2][1] == "'@SUM(A1)"


def test_export_xlsx_opens_with_the_rows(admin_client, delegation):
    import io

    from openpyxl import load_workbook

    ids = [submit(delegation, company="-1+2").pk, submit(delegation).pk]

    response = changelist_action(admin_client, "export_xlsx", ids)

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    assert rows[0][0] == "Full name"
    assert rows[1][1] == "-1+2"  # a string cell: no apostrophe needed (tests/test_exports_xlsx.py)
    assert {rows[1][7], rows[2][7]} == {"Confirmed"}


def test_export_lists_site_visits(admin_client, delegation):
    import csv
    import io

    from registrations import services
    from tests.visit_helpers import make_visit

    visit = make_visit(delegation, capacity=5)
    person = submit(delegation)
    services.visit_join(registration=person, visits=[visit])

    response = changelist_action(admin_client, "export_csv", [person.pk])

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["Site visits"] == f"{visit.title} (Place booked)"


def test_dashboard_shows_fill_per_visit(admin_client, delegation):
    from registrations import services
    from tests.visit_helpers import make_visit

    visit = make_visit(delegation, capacity=5)
    services.visit_join(registration=submit(delegation), visits=[visit])

    page = admin_client.get(reverse("admin:registrations_delegation_dashboard", args=[delegation.pk])).content.decode()

    assert "Fill per site visit" in page
    assert '<progress max="5" value="1"' in page

"""Hostile input, property-based (hypothesis): every field of every public form gets random and
hostile values (arbitrary unicode, control characters, NUL bytes, 100k-character strings, lists
where scalars are expected, missing and extra fields).

The properties: never a 500; refused input stores nothing; accepted input round-trips exactly and
is shown HTML-escaped on the registrant's page and in admin.

A new self-service form is covered by adding one FormUnderTest to FORMS below.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from registrations.core.email_address import email_normalise
from registrations.models import Delegation, Registration
from tests.conftest import make_delegation, submit

NO_SURROGATES = st.characters(blacklist_categories=("Cs",))
PRINTABLE = st.characters(blacklist_categories=("Cs", "Cc"))
HTML = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>', "</textarea><b>x</b>"]
FORMULAS = ['=HYPERLINK("http://evil","x")', "+1+1", "-2", "@SUM(A1)"]


def hostile_scalar() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(NO_SURROGATES, max_size=300),  # arbitrary unicode, control chars
        st.text(st.sampled_from("\x00\x01\x07\x1b\x7f\u200b\u202e\ufeff\r\n\t "), min_size=1, max_size=20),
        st.text(NO_SURROGATES, max_size=20).map(lambda s: s + "\x00" + s),  # NUL bytes inside
        st.sampled_from(["x" * 100_000, "汉" * 100_000, " " * 5000]),  # huge
        st.sampled_from(HTML + FORMULAS),
    )


def hostile_value() -> st.SearchStrategy:
    return st.one_of(hostile_scalar(), st.lists(hostile_scalar(), min_size=2, max_size=3))  # lists where scalars go


def printable(max_size: int) -> st.SearchStrategy[str]:
    return st.one_of(st.text(PRINTABLE, min_size=1, max_size=max_size), st.sampled_from(HTML + FORMULAS)).filter(str.strip)


@dataclass
class FormUnderTest:
    name: str
    url: Callable[[Delegation], str]  # may create what the form acts on
    valid: Callable[[Delegation], dict[str, st.SearchStrategy]]
    check: Callable[[Client, Delegation, dict, object, int], None]  # (client, delegation, sent, response, rows before)


# --- The registration form -----------------------------------------------------------------------

SHOWN_ON_PRIVATE_PAGE = ["full_name", "company", "job_title", "email", "phone", "wechat_id"]
STORED_TEXT_FIELDS = ["full_name", "company", "job_title", "email", "phone", "wechat_id", "note"]


def registration_fields(delegation: Delegation) -> dict[str, st.SearchStrategy]:
    return {
        "full_name": printable(120),
        "company": printable(200),
        "job_title": printable(120),
        "sector": st.sampled_from([str(pk) for pk in delegation.sectors.values_list("pk", flat=True)]),
        "email": st.emails().filter(lambda e: len(e) <= 254),
        "phone": st.from_regex(r"\+?[0-9][0-9 ()\-]{5,24}", fullmatch=True),
        "wechat_id": st.one_of(st.just(""), printable(64)),
        "note": st.one_of(st.just(""), st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t"), max_size=2000)),
        "consent": st.just("on"),
        "source": st.from_regex(r"[a-z0-9][a-z0-9_-]{0,31}", fullmatch=True),
        "website": st.just(""),
    }


def check_registration(client: Client, delegation: Delegation, sent: dict, response, before: int) -> None:
    if response.status_code != 302:
        assert Registration.objects.count() == before, "refused input stored something"
        assert_escaped(response.content.decode(errors="replace"), sent)
        return
    registration = Registration.objects.get(token=response["Location"].split("/")[2])
    for field in STORED_TEXT_FIELDS:
        value = sent.get(field, "")
        if isinstance(value, list):  # a field sent several times: Django's QueryDict reads the last one
            value = value[-1] if value else ""
        expected = str(value).strip()
        if field == "email":  # the domain lowercased; an invitation keeps the invited address
            expected = registration.invitation.email if registration.invitation_id else email_normalise(expected)
        assert getattr(registration, field) == expected, field
    private_page = client.get(response["Location"]).content.decode()
    admin_page = admin_client_for(client).get(reverse("admin:registrations_registration_change", args=[registration.pk])).content.decode()
    for field in SHOWN_ON_PRIVATE_PAGE:
        value = getattr(registration, field)
        assert escape(value) in private_page, field
        assert escape(value) in admin_page, field
    assert_escaped(private_page + admin_page, sent)


def assert_escaped(page: str, sent: dict) -> None:
    for value in sent.values():
        for payload in value if isinstance(value, list) else [value]:
            if payload in HTML:
                assert payload not in page


def admin_client_for(client: Client) -> Client:
    from django.contrib.auth import get_user_model

    admin = Client()
    user, _ = get_user_model().objects.get_or_create(username="hostile-admin", defaults={"is_staff": True, "is_superuser": True})
    admin.force_login(user)
    return admin


# --- Self-service: cancel ------------------------------------------------------------------------------


def cancel_url(delegation: Delegation) -> str:
    registration = submit(delegation)
    return reverse("registrations:registration_cancel", kwargs={"token": registration.token})


def check_cancel(client: Client, delegation: Delegation, sent: dict, response, before: int) -> None:
    latest = Registration.objects.latest("pk")
    if response.status_code == 400:  # a body over the size limit: refused, nothing changed
        assert latest.status != Registration.Status.CANCELLED
    else:
        assert response.status_code == 302 and response["Location"] == latest.get_absolute_url()
        assert latest.status == Registration.Status.CANCELLED
    assert Registration.objects.count() == before  # nothing created


# --- Invitations, offers and visits --------------------------------------------------------------------


def invitation_url(delegation: Delegation) -> str:
    from datetime import timedelta

    from django.db.models import F
    from django.utils import timezone

    from registrations import services

    Delegation.objects.filter(pk=delegation.pk).update(seats=F("seats") + 1)  # room for one more held seat
    delegation.refresh_from_db()
    invitation = services.invitation_create(
        delegation=delegation,
        full_name="Guest",
        email="guest@example.com",
        sector=delegation.sectors.first(),
        expires_at=timezone.now() + timedelta(days=1),
    )
    return reverse("registrations:invitation", kwargs={"token": invitation.token})


def offer_url(answer: str) -> Callable[[Delegation], str]:
    def url(delegation: Delegation) -> str:
        registration = submit(delegation)
        return reverse(f"registrations:offer_{answer}", kwargs={"token": registration.token})

    return url


def visit_url(action: str) -> Callable[[Delegation], str]:
    def url(delegation: Delegation) -> str:
        from tests.visit_helpers import make_visit

        Delegation.objects.filter(pk=delegation.pk).update(seats=10_000)  # every example is a confirmed delegate
        registration, visit = submit(delegation), make_visit(delegation, capacity=2)
        return reverse(f"registrations:visit_{action}", kwargs={"token": registration.token, "visit_id": visit.pk})

    return url


def check_self_service(client: Client, delegation: Delegation, sent: dict, response, before: int) -> None:
    """Buttons with no fields of their own: extra and hostile fields change nothing, and nothing is created."""
    assert response.status_code in {302, 400}
    assert Registration.objects.count() == before


FORMS = [
    FormUnderTest("registration", lambda d: reverse("registrations:register", kwargs={"slug": d.slug}), registration_fields, check_registration),
    FormUnderTest("invitation", invitation_url, registration_fields, check_registration),
    FormUnderTest("cancel", cancel_url, lambda d: {}, check_cancel),
    FormUnderTest("offer-accept", offer_url("accept"), lambda d: {}, check_self_service),
    FormUnderTest("offer-decline", offer_url("decline"), lambda d: {}, check_self_service),
    FormUnderTest("visit-join", visit_url("join"), lambda d: {}, check_self_service),
    FormUnderTest("visit-leave", visit_url("leave"), lambda d: {}, check_self_service),
]


@st.composite
def submissions(draw, valid: dict[str, st.SearchStrategy]) -> dict:
    """Half the time every field valid; otherwise some fields hostile or missing. Extra fields either way."""
    all_valid = draw(st.booleans())
    sent = {}
    for field, strategy in valid.items():
        choice = "valid" if all_valid else draw(st.sampled_from(["valid", "valid", "hostile", "missing"]))
        if choice != "missing":
            sent[field] = draw(strategy if choice == "valid" else hostile_value())
    extra = draw(st.dictionaries(st.text(NO_SURROGATES, min_size=1, max_size=20), hostile_scalar(), max_size=3))
    return {**extra, **sent}


def post(client: Client, url: str, data: dict, urlencoded: bool):
    if urlencoded:
        return client.post(url, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded")
    return client.post(url, data)


@pytest.mark.slow
@pytest.mark.parametrize("form", FORMS, ids=[form.name for form in FORMS])
def test_hostile_input_is_never_a_500_and_stores_nothing_when_refused(form, db, settings):
    settings.RATELIMIT_PER_ADDRESS = settings.RATELIMIT_PER_EMAIL = "100000/60"  # rate limits are tested elsewhere
    delegation = make_delegation(seats=5)
    client = Client()

    @hypothesis_settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(data=st.data())
    def run(data):
        sent = data.draw(submissions(form.valid(delegation)), label="sent")
        url = form.url(delegation)
        before = Registration.objects.count()
        response = post(client, url, sent, urlencoded=data.draw(st.booleans(), label="urlencoded"))
        assert response.status_code in {200, 302, 400}, response.status_code
        event(f"HTTP {response.status_code}")
        form.check(client, delegation, sent, response, before)

    run()

"""Security review (issue 10), part 2: the public side (e-mail spelling, invitations, bodies, QR, scans, IPv6)."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from registrations import services
from registrations.models import Registration, Sector
from tests.conftest import submit
from tests.test_security_review import soon_delegation

User = get_user_model()


class _FormFields(HTMLParser):
    """What a browser submits from the page's first POST form: enabled fields, checked boxes, textareas."""

    def __init__(self):
        super().__init__()
        self.fields, self.disabled, self._in_form, self._textarea = {}, set(), False, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._in_form = True
        if not self._in_form or "name" not in attrs:
            return
        if "disabled" in attrs:
            self.disabled.add(attrs["name"])
            return
        if tag == "input" and attrs.get("type") in ("radio", "checkbox"):
            if "checked" in attrs:
                self.fields[attrs["name"]] = attrs.get("value", "on")
        elif tag == "input" and attrs.get("type") != "submit":
            self.fields[attrs["name"]] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.fields[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        if tag == "form":
            self._in_form = False


def rendered_form(client: Client, url: str) -> _FormFields:
    parser = _FormFields()
    parser.feed(client.get(url).content.decode())
    return parser


def filled_form(client: Client, url: str, **values) -> dict:
    """The page's form as a browser would post it, filled in like a person would."""
    fields = rendered_form(client, url).fields
    defaults = {"full_name": "Alice Kim", "company": "Acme Bio", "job_title": "CEO", "phone": "+86 138 0000 0000", "consent": "on"}
    fields.update({name: value for name, value in defaults.items() if name in fields or name == "consent"})
    return {**fields, **values}  # what the caller posts, even in place of a disabled field


def register_url(delegation) -> str:
    return reverse("registrations:register", kwargs={"slug": delegation.slug})


# --- 3. One spelling per mailbox: quoted local parts refused, domain lowercased -----------------


@pytest.mark.parametrize("email", ['"\\a\\l\\i\\c\\e"@example.com', '"alice"@example.com', '"Alice"@EXAMPLE.com'])
def test_register_with_a_quoted_local_part_is_refused_beside_the_field(client, db, email):
    delegation = soon_delegation()
    submit(delegation, email="alice@example.com")
    url = register_url(delegation)

    response = client.post(url, filled_form(client, url, email=email, sector=str(delegation.sectors.first().pk)))

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "Write the e-mail address without quotation marks or backslashes, for example name@example.com."
    ]
    assert Registration.objects.filter(delegation=delegation).count() == 1


def test_register_lowercases_the_domain_and_refuses_the_same_mailbox_again(client, db):
    delegation = soon_delegation(seats=5)
    url = register_url(delegation)
    sector = str(delegation.sectors.first().pk)

    first = client.post(url, filled_form(client, url, email="  Alice@EXAMPLE.com ", sector=sector))
    second = client.post(url, filled_form(client, url, email="alice@example.COM", sector=sector))

    assert first.status_code == 302
    assert list(Registration.objects.values_list("email", flat=True)) == ["Alice@example.com"]
    assert second.status_code == 200 and "email" in second.context["form"].errors


def test_register_service_refuses_a_quoted_local_part_too(db):
    delegation = soon_delegation()

    with pytest.raises(Exception) as refused:
        submit(delegation, email='"alice"@example.com')

    assert refused.value.message_dict == {"email": ["Write the e-mail address without quotation marks or backslashes, for example name@example.com."]}


def test_email_rate_limit_counts_quoted_spellings_as_one_address(client, db, settings):
    settings.RATELIMIT_PER_EMAIL = "2/3600"
    delegation = soon_delegation(seats=5)
    url = register_url(delegation)
    spellings = ["alice@example.com", '"alice"@example.com', '"\\a\\l\\i\\c\\e"@Example.com']

    statuses = [client.post(url, filled_form(client, url, email=email)).status_code for email in spellings]

    assert statuses == [200, 200, 429]


def test_invitation_admin_refuses_a_quoted_address(admin_client, db):
    delegation = soon_delegation()
    url = reverse("admin:registrations_invitation_add")
    data = {
        "delegation": delegation.pk,
        "full_name": "Guest",
        "email": '"guest"@example.com',
        "company": "",
        "sector": delegation.sectors.first().pk,
        "expires_at_0": (timezone.localdate() + timedelta(days=5)).isoformat(),
        "expires_at_1": "12:00:00",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"] == [
        "Write the e-mail address without quotation marks or backslashes, for example name@example.com."
    ]


# --- 4. An invitation binds its field and its address -------------------------------------------


@pytest.fixture
def full_field_invitation(db, admin_user):
    """Biotechnology (cap 1) is full; the invitation holds a seat in Clean energy."""
    delegation = soon_delegation(seats=5)
    full, invited = delegation.sectors.get(name="Biotechnology"), delegation.sectors.get(name="Clean energy")
    Sector.objects.filter(pk=full.pk).update(seat_cap=1)
    submit(delegation, sector=full)
    invitation = services.invitation_create(
        delegation=delegation,
        full_name="Guest Park",
        email="guest@example.com",
        company="Guest Co",
        sector=invited,
        expires_at=timezone.now() + timedelta(days=5),
        by=admin_user,
    )
    return invitation, full, invited


def test_invitation_form_shows_field_and_address_read_only(client, full_field_invitation):
    invitation, _full, _invited = full_field_invitation

    form = rendered_form(client, reverse("registrations:invitation", kwargs={"token": invitation.token}))

    assert {"sector", "email"} <= form.disabled
    assert "sector" not in form.fields and "email" not in form.fields


def test_invitation_ignores_a_posted_full_field_and_other_address(client, full_field_invitation):
    invitation, full, invited = full_field_invitation
    url = reverse("registrations:invitation", kwargs={"token": invitation.token})
    data = filled_form(client, url, full_name="Guest Park-Lee", sector=str(full.pk), email="someone.else@example.com")

    response = client.post(url, data)

    registration = Registration.objects.get(invitation=invitation)
    assert response.status_code == 302
    assert (registration.sector, registration.email, registration.full_name) == (invited, "guest@example.com", "Guest Park-Lee")
    assert Registration.objects.filter(sector=full, status=Registration.Status.CONFIRMED).count() == 1


def test_invitation_service_uses_the_invitations_field_and_address(full_field_invitation):
    invitation, full, invited = full_field_invitation

    registration = submit(invitation.delegation, invitation=invitation, sector=full, email="other@example.com")

    assert (registration.sector, registration.email, registration.status) == (invited, "guest@example.com", Registration.Status.CONFIRMED)
    assert Registration.objects.filter(sector=full).exclude(status=Registration.Status.CANCELLED).count() == 1


# --- 5. Public bodies: bounded before they are read, no file parts -------------------------------


def test_register_with_a_file_part_is_refused_before_anything_is_stored(client, db, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10  # any file Django accepted would go to a temporary file
    delegation = soon_delegation()
    url = register_url(delegation)
    data = filled_form(client, url, email="alice@example.com", sector=str(delegation.sectors.first().pk))

    response = client.post(url, {**data, "attachment": SimpleUploadedFile("big.bin", b"x" * 100_000)})

    assert response.status_code == 400
    assert "Files cannot be sent with this form." in response.content.decode()
    assert list(tmp_path.iterdir()) == [] and Registration.objects.count() == 0


def test_register_with_a_body_over_the_limit_is_refused_before_it_is_read(client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    delegation = soon_delegation()

    response = client.post(register_url(delegation), "note=" + "x" * 2000, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 400
    assert "This request is too large" in response.content.decode()
    assert Registration.objects.count() == 0


def test_public_post_chunked_without_length_is_400(db, settings):
    from django.test import RequestFactory

    from registrations.core.middleware import RequestBodyLimitMiddleware

    request = RequestFactory().post("/d/x/register/", "a=b", content_type="application/x-www-form-urlencoded")
    del request.META["CONTENT_LENGTH"]
    request.META["HTTP_TRANSFER_ENCODING"] = "chunked"

    response = RequestBodyLimitMiddleware(lambda request: None)(request)

    assert response.status_code == 400


def test_public_form_without_files_still_works_as_multipart(client, db):
    delegation = soon_delegation()
    url = register_url(delegation)

    response = client.post(url, filled_form(client, url, email="alice@example.com", sector=str(delegation.sectors.first().pk)))

    assert response.status_code == 302 and Registration.objects.count() == 1


def test_admin_bodies_are_left_to_django(admin_client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = admin_client.post(
        reverse("admin:registrations_delegation_changelist"), "q=" + "x" * 2000, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400  # Django's own RequestDataTooBig, not the public page
    assert "This request is too large" not in response.content.decode()


# --- 7. Numbers in query strings: ASCII digits only ----------------------------------------------


@pytest.mark.parametrize("size", ["²", "¹²⁸", "١٢٨", "５１２", "12 ", "+512"])
def test_qr_png_with_a_non_ascii_or_signed_size_is_400_not_500(client, db, size):
    delegation = soon_delegation()

    response = client.get(f"/d/{delegation.slug}/qr.png", {"size": size})

    assert response.status_code == 400


# --- 11. Scans counted once per visitor; QR images cached and rate-limited -----------------------


@pytest.fixture
def poster(db):
    from registrations.models import Source

    return Source.objects.create(delegation=soon_delegation(), name="Poster", code="poster")


def test_short_link_counts_one_visitor_once_in_the_window(client, poster):
    responses = [client.get("/q/poster", HTTP_USER_AGENT="Mozilla/5.0 (iPhone) MicroMessenger") for _ in range(20)]

    assert {response.status_code for response in responses} == {302}
    assert poster.scans.count() == 1


def test_short_link_counts_each_visitor(db, poster):
    for _number in range(3):
        Client(REMOTE_ADDR="127.0.0.1").get("/q/poster")

    assert poster.scans.count() == 3


def test_short_link_counts_a_visitor_again_after_the_window(client, poster):
    from unittest import mock

    client.get("/q/poster")
    later = timezone.now() + timedelta(minutes=31)
    with mock.patch("time.time", return_value=later.timestamp()):
        client.get("/q/poster")

    assert poster.scans.count() == 2


def test_short_link_and_qr_images_are_limited_per_address(client, poster, settings):
    settings.RATELIMIT_QR_PER_ADDRESS = "3/600"
    slug = poster.delegation.slug
    urls = ["/q/poster", f"/d/{slug}/qr.png?size=256", f"/d/{slug}/qr.svg", f"/d/{slug}/qr.png?size=2048"]

    statuses = [client.get(url).status_code for url in urls]
    other_address = Client(REMOTE_ADDR="10.0.0.2").get(f"/d/{slug}/qr.png").status_code

    assert statuses == [302, 200, 200, 429]
    assert other_address == 200


def test_qr_limit_page_is_the_429_page_with_retry_after(client, poster, settings):
    settings.RATELIMIT_QR_PER_ADDRESS = "1/600"
    client.get("/q/poster")

    response = client.get("/q/poster")

    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert "Too many attempts" in response.content.decode()


def test_qr_png_is_computed_once_per_parameters(client, poster):
    from unittest import mock

    from registrations.core import qr

    slug = poster.delegation.slug
    with mock.patch.object(qr, "png_bytes", wraps=qr.png_bytes) as drawn:
        first = [client.get(f"/d/{slug}/qr.png?size=2048").content for _ in range(3)]
        client.get(f"/d/{slug}/qr.png?size=1024&src=poster")

    assert drawn.call_count == 2
    assert first[0] == first[1] == first[2]


# --- 8. IPv6 clients are counted by their /64 ------------------------------------------------------


def test_client_address_groups_ipv6_by_64_and_keeps_ipv4(rf):
    from registrations.core.client_address import client_address

    addresses = ["2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:DB8:1:2:a::b", "2001:db8:1:3::1", "203.0.113.9", "::ffff:203.0.113.9"]

    grouped = [client_address(rf.get("/", REMOTE_ADDR=address)) for address in addresses]

    assert grouped == ["2001:db8:1:2::", "2001:db8:1:2::", "2001:db8:1:2::", "2001:db8:1:3::", "203.0.113.9", "203.0.113.9"]


def test_eight_addresses_of_one_ipv6_64_share_one_rate_limit_budget(db, settings):
    settings.RATELIMIT_PER_ADDRESS = "3/600"
    delegation = soon_delegation()
    url = register_url(delegation)

    statuses = [Client(REMOTE_ADDR=f"2001:db8:42:7::{n + 1:x}").post(url, {"email": "x"}).status_code for n in range(8)]

    assert statuses == [200, 200, 200] + [429] * 5


def test_admin_lockout_counts_one_ipv6_64_as_one_client(db, settings):
    settings.AXES_FAILURE_LIMIT = 3
    User.objects.create_user("organizer", password="the-right-password-1", is_staff=True)
    login = reverse("admin:login")

    for n in range(3):
        Client(REMOTE_ADDR=f"2001:db8:42:7::{n + 1:x}").post(login, {"username": "organizer", "password": "wrong"})
    locked_out = Client(REMOTE_ADDR="2001:db8:42:7::99").post(login, {"username": "organizer", "password": "the-right-password-1"})
    elsewhere = Client(REMOTE_ADDR="2001:db8:42:8::1").post(login, {"username": "organizer", "password": "the-right-password-1"})

    assert locked_out.status_code == 429
    assert elsewhere.status_code == 302

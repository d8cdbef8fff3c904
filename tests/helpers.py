"""Helpers shared by the test modules: the trip's dates relative to today, the public form, whole admin
forms, and the thread harness of the concurrency tests. Fixtures and ``make_delegation`` are in conftest."""

import threading
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connections
from django.urls import reverse
from django.utils import timezone

from registrations.models import SEOUL
from tests.admin_forms import rendered_form  # noqa: F401  (public forms read whole, like admin ones)

# The demo trip of the tests starts this many days from today (Korea time) and lasts four days.
TRIP_STARTS_IN_DAYS = 120


def trip_day(offset: int = 0) -> date:
    """Day ``offset`` of the test trip (0: its first day), counted from today in Korea."""
    return timezone.localdate(timezone.now(), SEOUL) + timedelta(days=TRIP_STARTS_IN_DAYS + offset)


def trip_time(offset: int = 0, hour: int = 9, minute: int = 0) -> datetime:
    """``hour:minute`` Korea time on day ``offset`` of the test trip."""
    return datetime.combine(trip_day(offset), time(hour, minute), tzinfo=SEOUL)


def register_url(delegation) -> str:
    return reverse("registrations:register", kwargs={"slug": delegation.slug})


def form_data(delegation, **overrides) -> dict:
    """Everything a person types into the public registration form."""
    data = {
        "full_name": "王小明",
        "company": "Weihai Smart Logistics Co.",
        "job_title": "CEO",
        "sector": str(delegation.sectors.last().pk),
        "email": "wang@example.cn",
        "phone": "+86 138 0000 0000",
        "wechat_id": "wang_xm",
        "note": "",
        "consent": "on",
        "source": "",
    }
    data.update(overrides)
    return data


def run_at_once(calls: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException]]:
    """Run every call in its own thread (own database connection), all released at the same instant.

    Returns the calls' results (in the order they finished) and the errors raised.
    """
    barrier = threading.Barrier(len(calls))
    results: list[Any] = []
    errors: list[BaseException] = []

    def worker(call):
        try:
            barrier.wait(timeout=30)
            results.append(call())
        except BaseException as error:  # collected and asserted by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def registration_submit_confirmed(**fields):
    """registration_submit, then the e-mail confirmed with the code from the e-mail when the delegation asks for it."""
    from registrations import services
    from registrations.services.codes import email_confirm_code

    registration = services.registration_submit(**fields)
    if registration.awaits_email_confirmation:  # a held seat, or a waiting-list place (no offer until confirmed)
        registration = services.registration_email_confirm(registration=registration, code=email_confirm_code(registration))
    return registration


def sent(email):
    """An outbox message after its sender took it: rendered (if it was recorded unrendered) and sent."""
    from registrations.services import outbox

    outbox.outbox_email_send(email_id=email.pk)
    email.refresh_from_db()
    return email


def other_connection():
    """A second PostgreSQL connection to the test database, in autocommit, beside the test's own (another process)."""
    import psycopg

    params = connections["default"].get_connection_params()
    django_only = {"cursor_factory", "server_side_binding", "prepare_threshold", "context"}
    return psycopg.connect(**{key: value for key, value in params.items() if key not in django_only}, autocommit=True)
